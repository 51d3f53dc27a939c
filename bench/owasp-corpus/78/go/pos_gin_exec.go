package api

import (
	"os/exec"

	"github.com/gin-gonic/gin"
)

func Convert(c *gin.Context) {
	format := c.Query("format")
	cmd := exec.Command("bash", "-c", "pandoc in.md -o out."+format)
	if err := cmd.Run(); err != nil {
		c.JSON(500, gin.H{"error": "convert failed"})
		return
	}
	c.File("out." + format)
}
