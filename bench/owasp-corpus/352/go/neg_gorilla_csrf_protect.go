package main

import (
	"net/http"

	"github.com/gorilla/csrf"
	"github.com/gorilla/mux"
)

func logAll(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
	})
}

func main() {
	r := mux.NewRouter()
	r.HandleFunc("/transfer", func(w http.ResponseWriter, r *http.Request) {}).Methods("POST")
	r.Use(logAll)
	http.ListenAndServe(":8000", csrf.Protect([]byte("32-byte-long-auth-key-0123456789"))(r))
}
