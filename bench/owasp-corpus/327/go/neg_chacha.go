package stream

import "golang.org/x/crypto/chacha20poly1305"

func Obfuscate(key, nonce, data []byte) ([]byte, error) {
	c, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, err
	}
	return c.Seal(nil, nonce, data, nil), nil
}
