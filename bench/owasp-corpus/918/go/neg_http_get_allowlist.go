package main

import (
	"io"
	"net/http"
	"net/url"
)

var allowed = map[string]bool{"api.github.com": true, "proxy.golang.org": true}

func fetch(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	u, err := url.Parse(target)
	if err != nil || !allowed[u.Hostname()] {
		http.Error(w, "host not allowed", http.StatusBadRequest)
		return
	}
	resp, err := http.Get(target)
	if err != nil {
		http.Error(w, "fetch failed", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func main() {
	http.HandleFunc("/fetch", fetch)
	http.ListenAndServe(":8080", nil)
}
