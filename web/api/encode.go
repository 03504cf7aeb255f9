package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/planning"
)

// gzipMin is the smallest body worth gzipping: below it the gzip header
// and trailer outweigh what compression saves.
const gzipMin = 1024

// writeEncoded writes an encoded response with its ETag: 304 when
// If-None-Match matches, gzipped (its gzip ETag) when the client accepts
// gzip and the body is large enough.
func writeEncoded(c *gin.Context, status int, contentType string, r *planning.Response) {
	body, etag := r.Body(), r.ETag()
	gzipped := len(body) >= gzipMin && acceptsGzip(c.GetHeader("Accept-Encoding"))
	if gzipped {
		etag = r.GzipETag()
	}
	c.Header("ETag", etag)
	c.Header("Vary", "Accept-Encoding")
	if status == http.StatusOK && ifNoneMatch(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	if gzipped {
		gz, err := r.Gzipped()
		if err != nil {
			fail(c, err)
			return
		}
		c.Header("Content-Encoding", "gzip")
		body = gz
	}
	c.Data(status, contentType, body)
}

// ifNoneMatch reports whether an If-None-Match header matches etag (the
// weak comparison of RFC 9110 §13.1.2).
func ifNoneMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for candidate := range strings.SplitSeq(header, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// acceptEntry is one entry of an Accept or Accept-Encoding header: its
// media range or coding, lower-cased, and whether its q is 0 (refused).
type acceptEntry struct {
	value   string
	refused bool
}

// acceptEntries splits an Accept-style header into its entries, in order.
func acceptEntries(header string) []acceptEntry {
	var out []acceptEntry
	for _, part := range strings.Split(header, ",") {
		value, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		e := acceptEntry{value: strings.ToLower(strings.TrimSpace(value))}
		for _, p := range strings.Split(params, ";") {
			name, q, ok := strings.Cut(strings.ToLower(strings.ReplaceAll(p, " ", "")), "=")
			if ok && name == "q" && strings.Trim(q, "0.") == "" && strings.HasPrefix(q, "0") {
				e.refused = true
			}
		}
		out = append(out, e)
	}
	return out
}
