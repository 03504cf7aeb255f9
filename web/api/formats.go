package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// wantFormat reads ?format=, json (the default) or csv.
func wantFormat(c *gin.Context) (string, error) {
	f := c.DefaultQuery("format", "json")
	if f != "json" && f != "csv" {
		return "", badRequest(fmt.Sprintf("format %q: want json or csv", f))
	}
	return f, nil
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func formatPtr(v *float64) string {
	if v == nil {
		return ""
	}
	return formatFloat(*v)
}

func writeCSV(c *gin.Context, header []string, rows [][]string) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
