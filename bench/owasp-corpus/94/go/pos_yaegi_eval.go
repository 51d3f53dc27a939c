package main

import (
	"fmt"
	"net/http"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

func run(w http.ResponseWriter, r *http.Request) {
	src := r.FormValue("src")
	i := interp.New(interp.Options{})
	i.Use(stdlib.Symbols)
	v, err := i.Eval(src)
	if err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	fmt.Fprint(w, v)
}

func main() {
	http.HandleFunc("/run", run)
	http.ListenAndServe(":8080", nil)
}
