package svc

import "os"

func Size(p string) (int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	f.Close()
	return st.Size(), nil
}
