package tokens

import (
	"crypto/sha1"
	"fmt"
)

func Fingerprint(secret string) string {
	h := sha1.New()
	h.Write([]byte(secret))
	return fmt.Sprintf("%x", h.Sum(nil))
}
