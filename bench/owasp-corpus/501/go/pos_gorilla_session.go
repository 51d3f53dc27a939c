package main

import (
	"net/http"

	"github.com/gorilla/sessions"
)

var store = sessions.NewCookieStore([]byte("k"))

func setRole(w http.ResponseWriter, r *http.Request) {
	s, _ := store.Get(r, "app")
	s.Values["role"] = r.FormValue("role")
	s.Save(r, w)
}

func main() {
	http.HandleFunc("/role", setRole)
	http.ListenAndServe(":8080", nil)
}
