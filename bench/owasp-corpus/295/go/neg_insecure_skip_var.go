package client

import (
	"crypto/tls"
	"net"
)

const skip = 2 > 3

func Dial(addr string) (net.Conn, error) {
	cfg := &tls.Config{}
	cfg.InsecureSkipVerify = skip
	return tls.Dial("tcp", addr, cfg)
}
