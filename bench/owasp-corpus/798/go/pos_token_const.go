package notify

import (
	"bytes"
	"net/http"
)

const apiToken = "Qm3vX9zL2pR7tW4kY8nB1cH6sD0gJf5E"

func Post(body []byte) error {
	req, _ := http.NewRequest("POST", "https://hooks.example.com/notify", bytes.NewReader(body))
	req.Header.Set("Authorization", "Token "+apiToken)
	_, err := http.DefaultClient.Do(req)
	return err
}
