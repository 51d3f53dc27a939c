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
	nodes := xmlquery.Find(doc, "//item[@sku='"+sku+"']/stock")
	fmt.Fprintln(w, len(nodes))
}

func main() {
	http.HandleFunc("/find", find)
	http.ListenAndServe(":8080", nil)
}
