package api

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/assign"
)

// assignMaxBodyBytes caps an assign request's body. The body is streamed
// (a row in, a row out), so memory does not grow with it; the cap bounds
// the time one request may take (about 60 bytes a row: some 15 million
// rows). Middleware buffers at most MaxBodyBytes of any body before the
// handler runs.
const assignMaxBodyBytes = 1 << 30

// assignBody is what the answer of an assign request is written to: the
// status and Content-Type go out with the first bytes, so an error found
// before then (assign buffers 64 KiB of output) is still a problem answer.
type assignBody struct {
	c           *gin.Context
	contentType string
	started     bool
}

func (w *assignBody) Write(p []byte) (int, error) {
	if !w.started {
		w.started = true
		w.c.Header("Content-Type", w.contentType)
		w.c.Status(http.StatusOK)
	}
	return w.c.Writer.Write(p)
}

// assignPoints places every row of a CSV body (text/csv, with a header
// row; columns named by the lon/lat, easting/northing query parameters or
// found in the header) or every point of a GeoJSON FeatureCollection
// (application/geo+json) in the configuration's wards, LSOAs, teams and
// localities, and answers in the same format, one row at a time (see
// profiles/assign). Rows it cannot place carry a status and a reason;
// only an unreadable body is a problem answer.
func (a *api) assignPoints(c *gin.Context) {
	if err := onlyQuery(c, "version", "lon", "lat", "easting", "northing", "postcode"); err != nil {
		fail(c, err)
		return
	}
	if c.Query("postcode") != "" {
		fail(c, badRequest("postcode: this server keeps no postcode centroids; place postcodes with placeteam assign --postcodes ONSPD.csv, or send lon/lat or easting/northing"))
		return
	}
	mediaType, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	run, answerType := assign.CSV, "text/csv; charset=utf-8"
	switch mediaType {
	case "text/csv":
	case "application/geo+json":
		run, answerType = assign.GeoJSON, "application/geo+json"
	default:
		fail(c, &httpError{http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q is not supported here; send text/csv or application/geo+json", c.GetHeader("Content-Type"))})
		return
	}
	cols := assign.Columns{Lon: c.Query("lon"), Lat: c.Query("lat"), Easting: c.Query("easting"), Northing: c.Query("northing")}
	if mediaType == "application/geo+json" && cols != (assign.Columns{}) {
		fail(c, badRequest("lon, lat, easting and northing name CSV columns; GeoJSON points are lon/lat"))
		return
	}
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	assigner, err := a.core.Assigner(ctx, v)
	if err != nil {
		fail(c, err)
		return
	}
	// HTTP/1.1: keep reading the body while the answer streams out.
	_ = http.NewResponseController(c.Writer).EnableFullDuplex()
	body := http.MaxBytesReader(c.Writer, c.Request.Body, assignMaxBodyBytes)
	answer := &assignBody{c: c, contentType: answerType}
	_, err = run(ctx, assigner, body, answer, assign.Options{Name: "request body", Columns: cols})
	if err == nil {
		return
	}
	if answer.started {
		// The answer is on its way: it ends with an error row (CSV) or
		// member (GeoJSON); note the failure for the log.
		_ = c.Error(err)
		return
	}
	var tooLarge *http.MaxBytesError
	var bad *assign.InputError
	switch {
	case errors.As(err, &tooLarge):
		fail(c, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", int64(assignMaxBodyBytes))})
	case errors.As(err, &bad):
		fail(c, badRequest(strings.TrimPrefix(bad.Error(), "assign: ")))
	default:
		fail(c, err)
	}
}
