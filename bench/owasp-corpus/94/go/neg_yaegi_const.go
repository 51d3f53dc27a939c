package main

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

func run(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.FormValue("n"))
	if err != nil {
		http.Error(w, "bad n", 400)
		return
	}
	i := interp.New(interp.Options{})
	i.Use(stdlib.Symbols)
	v, err := i.Eval(fmt.Sprintf("%d * %d", n, n))
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
