package svc

import "os"

func Save(p string, b []byte) error {
	_ = os.WriteFile(p, b, 0o600)
	return nil
}
