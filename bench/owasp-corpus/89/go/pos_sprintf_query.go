package handlers

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
)

type Store struct {
	DB *sql.DB
}

func (s *Store) Search(w http.ResponseWriter, r *http.Request) {
	term := r.URL.Query().Get("q")
	q := fmt.Sprintf("SELECT id, title FROM notes WHERE title LIKE '%%%s%%'", term)
	rows, err := s.DB.Query(q)
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
