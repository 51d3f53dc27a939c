package auth

import (
	"crypto/md5"
	"encoding/hex"
)

func HashPassword(password, salt string) string {
	sum := md5.Sum([]byte(salt + password))
	return hex.EncodeToString(sum[:])
}
