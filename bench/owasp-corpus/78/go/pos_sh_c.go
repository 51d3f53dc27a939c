package main

import (
	"net/http"
	"os/exec"
)

func whois(w http.ResponseWriter, r *http.Request) {
	domain := r.URL.Query().Get("domain")
	out, err := exec.Command("sh", "-c", "whois "+domain).Output()
	if err != nil {
		http.Error(w, "failed", http.StatusInternalServerError)
		return
	}
	w.Write(out)
}

func main() {
	http.HandleFunc("/whois", whois)
	http.ListenAndServe(":8080", nil)
}
