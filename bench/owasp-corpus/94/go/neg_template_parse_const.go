package main

import (
	"net/http"
	"os"
	"text/template"
)

const page = "Hello {{.}}"

func render(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	t, err := template.New("page").Parse(page)
	if err != nil {
		http.Error(w, "bad template", 400)
		return
	}
	_ = os.Getenv("HOME")
	t.Execute(w, len(name))
}

func main() {
	http.HandleFunc("/render", render)
	http.ListenAndServe(":8080", nil)
}
