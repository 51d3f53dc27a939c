package client

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"time"
)

func New() *http.Client {
	pool := x509.NewCertPool()
	pem, _ := os.ReadFile("/etc/app/ca.pem")
	pool.AppendCertsFromPEM(pem)
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: false, RootCAs: pool, MinVersion: tls.VersionTLS12},
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}
