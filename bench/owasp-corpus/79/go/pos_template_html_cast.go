package main

import (
	"html/template"
	"net/http"
)

var page = template.Must(template.New("p").Parse(`<div>{{.}}</div>`))

func show(w http.ResponseWriter, r *http.Request) {
	note := r.FormValue("note")
	page.Execute(w, template.HTML(note))
}

func main() {
	http.HandleFunc("/show", show)
	http.ListenAndServe(":8080", nil)
}
