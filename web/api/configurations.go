package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

// configurationBody is a configuration's representation: the configuration
// and its version (also in the ETag header).
type configurationBody struct {
	*configuration.Configuration
	Version int `json:"version"`
}

// etag is the strong entity tag of a configuration version.
func etag(name string, version int) string { return fmt.Sprintf(`"%s.v%d"`, name, version) }

// entityTag returns the opaque part of a quoted entity tag (RFC 9110
// §8.8.3: visible characters other than the double quote).
func entityTag(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	inner := s[1 : len(s)-1]
	for i := 0; i < len(inner); i++ {
		if b := inner[i]; b == '"' || b <= ' ' || b == 0x7f {
			return "", false
		}
	}
	return inner, true
}

// ifMatchVersion reads If-Match: the version the client last saw. Missing
// is 428 Precondition Required; "*" means the current version.
func ifMatchVersion(c *gin.Context, name string, current int) (int, error) {
	h := strings.Trim(c.GetHeader("If-Match"), " \t") // optional white space (RFC 9110 §5.6.3)
	if h == "" {
		return 0, &httpError{http.StatusPreconditionRequired, "send If-Match with the ETag of the version you are changing"}
	}
	if h == "*" {
		return current, nil
	}
	named := 0 // a version of this configuration the header names, if not the current one
	for _, tag := range strings.Split(h, ",") {
		tag = strings.Trim(tag, " \t")
		if tag == "" {
			continue // empty list elements are allowed and ignored (RFC 9110 §5.6.1)
		}
		weak := strings.HasPrefix(tag, "W/")
		inner, ok := entityTag(strings.TrimPrefix(tag, "W/"))
		if !ok {
			return 0, badRequest(fmt.Sprintf("If-Match %s: want \"*\" or entity tags in double quotes, as the ETag header gives them", h))
		}
		if weak {
			continue // If-Match uses the strong comparison (RFC 9110)
		}
		digits, ok := strings.CutPrefix(inner, name+".v")
		if !ok {
			continue
		}
		v, err := strconv.Atoi(digits)
		if err != nil || v < 1 || strconv.Itoa(v) != digits {
			continue // not a tag this server made
		}
		if v == current {
			return v, nil
		}
		named = v
	}
	if named > 0 {
		return 0, fmt.Errorf("%w: If-Match names version %d but the latest is %d; reload and apply your change again", store.ErrConflict, named, current)
	}
	return 0, fmt.Errorf("%w: If-Match %s does not name a version of %q (latest is %s)", store.ErrConflict, h, name, etag(name, current))
}

func (a *api) writeConfiguration(c *gin.Context, status int, v planning.Version) {
	tag := etag(v.Name, v.Number)
	c.Header("ETag", tag)
	c.Header("Cache-Control", "no-cache")
	if status == http.StatusOK && ifNoneMatch(c.GetHeader("If-None-Match"), tag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.JSON(status, configurationBody{Configuration: v.Configuration, Version: v.Number})
}

func (a *api) listConfigurations(c *gin.Context) {
	infos, err := a.core.Configurations(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"configurations": infos})
}

// loadVersion returns the ?version= of a configuration, or the latest.
func (a *api) loadVersion(c *gin.Context, name string) (planning.Version, error) {
	return a.versionFrom(c, name, "version")
}

// versionFrom loads a configuration at the version named by a query
// parameter, or its latest.
func (a *api) versionFrom(c *gin.Context, name, param string) (planning.Version, error) {
	n := 0
	if s := c.Query(param); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			return planning.Version{}, badRequest(fmt.Sprintf("%s %q is not a positive integer", param, s))
		}
	}
	return a.core.At(c.Request.Context(), name, n)
}

func (a *api) getConfiguration(c *gin.Context) {
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	a.writeConfiguration(c, http.StatusOK, v)
}

// createRequest makes a configuration from scratch (the configuration's
// fields) or as a copy of another (copy_of, optionally with a new title).
type createRequest struct {
	configuration.Configuration
	CopyOf string `json:"copy_of,omitempty"`
	Author string `json:"author,omitempty"`
	Note   string `json:"note,omitempty"`
}

func (a *api) createConfiguration(c *gin.Context) {
	ctx := c.Request.Context()
	body, mediaType, err := a.readBody(c, "application/json", "text/csv")
	if err != nil {
		fail(c, err)
		return
	}
	var req createRequest
	switch mediaType {
	case "text/csv":
		cfg, err := configuration.ReadAssignments(body, c.Query("name"), c.Query("title"), a.core.City())
		if err != nil {
			fail(c, err)
			return
		}
		req.Configuration, req.Author, req.Note = *cfg, c.Query("author"), "imported from CSV"
	default:
		if err := decodeStrict(body, &req); err != nil {
			fail(c, err)
			return
		}
	}
	if req.Name == "" {
		fail(c, badRequest("a configuration needs a name"))
		return
	}
	if !validName(req.Name) {
		fail(c, badRequest(fmt.Sprintf("name %q: use letters, digits, '-', '_' and '.' (at most 100)", req.Name)))
		return
	}
	cfg := req.Configuration.Clone()
	note := req.Note
	if req.CopyOf != "" {
		src, err := a.core.Latest(ctx, req.CopyOf)
		if err != nil {
			fail(c, err)
			return
		}
		cfg = src.Configuration.Clone()
		cfg.Name = req.Name
		if req.Title != "" {
			cfg.Title = req.Title
		}
		if note == "" {
			note = "copy of " + req.CopyOf
		}
	}
	v, err := a.core.Save(ctx, cfg, store.VersionMeta{Author: req.Author, Note: note}, store.NoVersion)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			err = &httpError{http.StatusConflict, fmt.Sprintf("a configuration named %q already exists", cfg.Name)}
		}
		fail(c, err)
		return
	}
	c.Header("Location", "/api/configurations/"+v.Name)
	a.writeConfiguration(c, http.StatusCreated, v)
}

func validName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func (a *api) deleteConfiguration(c *gin.Context) {
	ctx := c.Request.Context()
	name := c.Param("name")
	current, err := a.core.LatestStored(ctx, name)
	if err != nil {
		fail(c, err)
		return
	}
	expect, err := ifMatchVersion(c, name, current.Number)
	if err != nil {
		fail(c, err)
		return
	}
	if err := a.core.Delete(ctx, name, expect); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *api) listVersions(c *gin.Context) {
	hist, err := a.core.History(c.Request.Context(), c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"name": c.Param("name"), "versions": hist})
}

func (a *api) getVersion(c *gin.Context) {
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 {
		fail(c, badRequest(fmt.Sprintf("version %q is not a positive integer", c.Param("version"))))
		return
	}
	v, meta, err := a.core.VersionInfo(c.Request.Context(), c.Param("name"), n)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("ETag", etag(v.Name, n))
	c.JSON(http.StatusOK, gin.H{"version": meta, "configuration": v.Configuration})
}
