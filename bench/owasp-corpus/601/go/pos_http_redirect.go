package main

import "net/http"

func back(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, r.URL.Query().Get("return"), http.StatusFound)
}

func main() {
	http.HandleFunc("/back", back)
	http.ListenAndServe(":8080", nil)
}
