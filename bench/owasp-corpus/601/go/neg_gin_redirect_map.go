package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

var pages = map[string]string{"home": "/", "orders": "/orders"}

func Continue(c *gin.Context) {
	next, ok := pages[c.DefaultQuery("next", "home")]
	if !ok {
		next = "/"
	}
	c.Redirect(http.StatusFound, next)
}
