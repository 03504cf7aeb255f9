package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/report"
)

// reportCSP lets the self-contained report use its inline style sheet and
// nothing else: it loads no resource and runs no script.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// placeReport serves a configuration's place-profile report (the whole
// option, or ?team=ID) as self-contained, print-ready HTML.
func (a *api) placeReport(c *gin.Context) {
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	in, err := a.core.ReportInput(c.Request.Context(), v, c.Query("team"))
	if err != nil {
		fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, in); err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Security-Policy", reportCSP)
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}
