package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

const endpoint = "https://audit.internal.example/events"

func Callback(c *gin.Context) {
	body := c.PostForm("callback")
	req, _ := http.NewRequest("POST", endpoint, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.JSON(502, gin.H{"error": "callback failed"})
		return
	}
	resp.Body.Close()
	c.JSON(200, gin.H{"status": resp.StatusCode})
}
