package main

import "net/http"

func login(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     "session",
		Value:    "token-value",
		Path:     "/",
		Secure: true,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
	w.Write([]byte("ok"))
}

func main() {
	http.HandleFunc("/login", login)
	http.ListenAndServe(":8080", nil)
}
