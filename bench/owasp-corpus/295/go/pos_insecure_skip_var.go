package client

import (
	"crypto/tls"
	"net"
)

const skip = 2 > 1

func Dial(addr string) (net.Conn, error) {
	cfg := &tls.Config{}
	cfg.InsecureSkipVerify = skip
	return tls.Dial("tcp", addr, cfg)
}
