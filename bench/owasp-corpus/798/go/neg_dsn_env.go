package store

import (
	"database/sql"
	"os"

	_ "github.com/lib/pq"
)

var dsn = os.Getenv("INVENTORY_DSN")

func Open() (*sql.DB, error) {
	return sql.Open("postgres", dsn)
}
