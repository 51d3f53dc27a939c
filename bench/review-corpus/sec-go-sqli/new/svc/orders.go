package svc

import (
	"database/sql"
	"net/http"
)

func Orders(db *sql.DB, w http.ResponseWriter, r *http.Request) {
	rows, err := db.Query("SELECT id FROM orders WHERE status = '" + r.URL.Query().Get("s") + "'")
	if err != nil {
		return
	}
	defer rows.Close()
}
