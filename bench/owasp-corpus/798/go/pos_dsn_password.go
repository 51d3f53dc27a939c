package store

import (
	"database/sql"

	_ "github.com/lib/pq"
)

const dsn = "postgres://inventory:Zp8!rT3vXq6wLm2K@db.internal:5432/inventory?sslmode=require"

func Open() (*sql.DB, error) {
	return sql.Open("postgres", dsn)
}
