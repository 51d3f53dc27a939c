package main

import (
	"net/http"

	"github.com/gorilla/sessions"
)

var store = sessions.NewCookieStore([]byte("k"))

func setRole(w http.ResponseWriter, r *http.Request) {
	s, _ := store.Get(r, "app")
	role := "viewer"
	if r.FormValue("role") == "editor" {
		role = "editor"
	}
	s.Values["role"] = role
	s.Save(r, w)
}

func main() {
	http.HandleFunc("/role", setRole)
	http.ListenAndServe(":8080", nil)
}
