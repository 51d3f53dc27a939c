package api

import (
	"os"

	"github.com/gin-gonic/gin"
)

var templates = map[string]string{"welcome": "welcome.txt", "reset": "reset.txt"}

func Template(c *gin.Context) {
	file, ok := templates[c.Param("name")]
	if !ok {
		c.Status(404)
		return
	}
	data, err := os.ReadFile("templates/" + file)
	if err != nil {
		c.Status(404)
		return
	}
	c.Data(200, "text/plain", data)
}
