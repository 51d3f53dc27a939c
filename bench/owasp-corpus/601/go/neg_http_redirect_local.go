package main

import (
	"net/http"
	"strings"
)

func back(w http.ResponseWriter, r *http.Request) {
	ret := r.URL.Query().Get("return")
	if !strings.HasPrefix(ret, "/") || strings.HasPrefix(ret, "//") || strings.Contains(ret, "\\") {
		ret = "/"
	}
	http.Redirect(w, r, ret, http.StatusFound)
}

func main() {
	http.HandleFunc("/back", back)
	http.ListenAndServe(":8080", nil)
}
