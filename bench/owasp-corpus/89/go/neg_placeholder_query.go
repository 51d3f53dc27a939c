package handlers

import (
	"database/sql"
	"encoding/json"
	"net/http"
)

type Store struct {
	DB *sql.DB
}

func (s *Store) Search(w http.ResponseWriter, r *http.Request) {
	term := r.URL.Query().Get("q")
	q := "SELECT id, title FROM notes WHERE title LIKE '%' || $1 || '%'"
	rows, err := s.DB.Query(q, term)
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		var title string
		if err := rows.Scan(&id, &title); err == nil {
			ids = append(ids, id)
		}
	}
	json.NewEncoder(w).Encode(ids)
}
