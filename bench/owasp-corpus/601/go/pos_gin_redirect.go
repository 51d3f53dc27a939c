package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func Continue(c *gin.Context) {
	next := c.DefaultQuery("next", "/")
	c.Redirect(http.StatusFound, next)
}
