package auth

import (
	"math/rand"
)

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

func NewToken(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[rand.Intn(len(letters))]
	}
	return string(b)
}
