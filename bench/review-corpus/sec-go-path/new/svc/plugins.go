package svc

import (
	"net/http"
	"os"
)

func Asset(w http.ResponseWriter, r *http.Request) {
	data, err := os.ReadFile("/srv/public/" + r.URL.Query().Get("f"))
	if err != nil {
		http.Error(w, "missing", 404)
		return
	}
	w.Write(data)
}
