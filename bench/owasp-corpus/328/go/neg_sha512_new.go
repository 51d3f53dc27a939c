package tokens

import (
	"crypto/sha512"
	"fmt"
)

func Fingerprint(secret string) string {
	h := sha512.New()
	h.Write([]byte(secret))
	return fmt.Sprintf("%x", h.Sum(nil))
}
