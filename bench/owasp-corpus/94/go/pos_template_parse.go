package main

import (
	"net/http"
	"os"
	"text/template"
)

func render(w http.ResponseWriter, r *http.Request) {
	body := r.URL.Query().Get("tpl")
	t, err := template.New("page").Parse(body)
	if err != nil {
		http.Error(w, "bad template", 400)
		return
	}
	t.Execute(w, os.Environ())
}

func main() {
	http.HandleFunc("/render", render)
	http.ListenAndServe(":8080", nil)
}
