package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func Callback(c *gin.Context) {
	endpoint := c.PostForm("callback")
	req, _ := http.NewRequest("POST", endpoint, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.JSON(502, gin.H{"error": "callback failed"})
		return
	}
	resp.Body.Close()
	c.JSON(200, gin.H{"status": resp.StatusCode})
}
