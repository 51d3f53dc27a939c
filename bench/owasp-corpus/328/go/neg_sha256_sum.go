package auth

import (
	"crypto/sha256"
	"encoding/hex"
)

func HashPassword(password, salt string) string {
	sum := sha256.Sum256([]byte(salt + password))
	return hex.EncodeToString(sum[:])
}
