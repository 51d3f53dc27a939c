package main

import (
	"database/sql"
	"net/http"
)

var db *sql.DB

func deleteNote(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	_, err := db.Exec("DELETE FROM notes WHERE id = " + id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	http.HandleFunc("/notes/delete", deleteNote)
	http.ListenAndServe(":8080", nil)
}
