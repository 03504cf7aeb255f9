package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// wantFormat reads ?format=, json (the default) or csv.
func wantFormat(c *gin.Context) (string, error) { return formatParam(c, "format", "json", "csv") }

// formatParam reads a format parameter (format, or f in OGC API – Features):
// one of allowed, the first being the default. Any other value is a 400
// naming the allowed ones.
func formatParam(c *gin.Context, name string, allowed ...string) (string, error) {
	f := c.DefaultQuery(name, allowed[0])
	if !slices.Contains(allowed, f) {
		return "", badRequest(fmt.Sprintf("%s %q: want %s", name, f, orList(allowed)))
	}
	return f, nil
}

// onlyQuery refuses query parameters other than those named, which would
// otherwise be ignored without a word (a misspelt kind, a threshold given
// in the query instead of the body).
func onlyQuery(c *gin.Context, names ...string) error {
	var unknown []string
	for k := range c.Request.URL.Query() {
		if !slices.Contains(names, k) {
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	takes := "takes no query parameters"
	if len(names) > 0 {
		takes = "takes only " + strings.Join(names, ", ")
	}
	return badRequest(fmt.Sprintf("unknown query parameter %s: %s %s", strings.Join(unknown, ", "), c.Request.URL.Path, takes))
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
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
