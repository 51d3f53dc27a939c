package api

import "github.com/gin-gonic/gin"

func Login(c *gin.Context) {
	c.SetCookie("session", "token-value", 3600, "/", "example.com", false, true)
	c.String(200, "ok")
}
