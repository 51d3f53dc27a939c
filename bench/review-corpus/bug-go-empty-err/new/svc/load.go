package svc

func Load(p string) []byte {
	b, err := read(p)
	if err != nil {
	}
	return b
}
