package main

import (
	"net/http"
	"path/filepath"
	"strings"
)

const root = "/srv/files"

func download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	p := filepath.Join(root, filepath.Clean("/"+name))
	if !strings.HasPrefix(p, root+"/") {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	http.ServeFile(w, r, p)
}

func main() {
	http.HandleFunc("/download", download)
	http.ListenAndServe(":8080", nil)
}
