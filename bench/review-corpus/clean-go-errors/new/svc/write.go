package svc

import (
	"fmt"
	"os"
)

func Write(p string, b []byte) error {
	if err := os.WriteFile(p, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}
