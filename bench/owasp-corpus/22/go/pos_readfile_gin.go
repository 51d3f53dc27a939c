package api

import (
	"os"

	"github.com/gin-gonic/gin"
)

func Template(c *gin.Context) {
	data, err := os.ReadFile("templates/" + c.Param("name"))
	if err != nil {
		c.Status(404)
		return
	}
	c.Data(200, "text/plain", data)
}
