package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
)

func openAsset(name string) (*os.File, error) {
	return os.Open("/srv/assets/" + name)
}

func asset(w http.ResponseWriter, r *http.Request) {
	f, err := openAsset(filepath.Base(r.URL.Query().Get("name")))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	io.Copy(w, f)
}

func main() {
	http.HandleFunc("/asset", asset)
	http.ListenAndServe(":8080", nil)
}
