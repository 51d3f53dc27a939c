package svc

import "database/sql"

func Names(db *sql.DB, ids []int) ([]string, error) {
	var out []string
	for _, id := range ids {
		var n string
		if err := db.QueryRow("SELECT name FROM users WHERE id = $1", id).Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}
