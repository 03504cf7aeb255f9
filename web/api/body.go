package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"
)

// readBody reads a request body of one of the allowed media types, limited
// to maxBody bytes (413 beyond), and returns the media type.
func (a *api) readBody(c *gin.Context, allowed ...string) ([]byte, string, error) {
	mediaType, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil {
		mediaType = ""
	}
	ok := false
	for _, t := range allowed {
		if mediaType == t {
			ok = true
		}
	}
	if !ok {
		return nil, "", &httpError{http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q is not supported here; send %v", c.GetHeader("Content-Type"), allowed)}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, a.maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, "", &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", a.maxBody)}
	}
	if err != nil {
		return nil, "", badRequest("read request body: " + err.Error())
	}
	return body, mediaType, nil
}

// decodeJSON reads a JSON body strictly: unknown fields and trailing data
// are errors.
func (a *api) decodeJSON(c *gin.Context, v any) error {
	body, _, err := a.readBody(c, "application/json")
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("malformed JSON body: " + err.Error())
	}
	// More would let a stray "]" or "}" through; only the end of the body
	// (white space aside) may follow the value.
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("malformed JSON body: data after the JSON value")
	}
	return nil
}
