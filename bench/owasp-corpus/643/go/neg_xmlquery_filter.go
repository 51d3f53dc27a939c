package main

import (
	"fmt"
	"net/http"
	"os"

	"github.com/antchfx/xmlquery"
)

func find(w http.ResponseWriter, r *http.Request) {
	f, _ := os.Open("inventory.xml")
	defer f.Close()
	doc, err := xmlquery.Parse(f)
	if err != nil {
		http.Error(w, "bad data", 500)
		return
	}
	sku := r.URL.Query().Get("sku")
	n := 0
	for _, item := range xmlquery.Find(doc, "//item") {
		if item.SelectAttr("sku") == sku {
			n++
		}
	}
	fmt.Fprintln(w, n)
}

func main() {
	http.HandleFunc("/find", find)
	http.ListenAndServe(":8080", nil)
}
