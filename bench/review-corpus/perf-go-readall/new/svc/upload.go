package svc

import (
	"io"
	"net/http"
)

func Upload(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	store(b)
}
