package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/planning"
)

// OGC API – Features, Part 1 (core + GeoJSON + OpenAPI 3.0).

const (
	geoJSONType       = "application/geo+json"
	defaultLimit      = 100
	maxLimit          = 10000
	teamsPrefix       = "teams-"
	localitiesPrefix  = "localities-"
	conformanceCore   = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
	conformanceGeoJS  = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
	conformanceOAS30  = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
	conformanceCommon = "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core"
)

type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// collection resolves a collection id to its features and title:
// a static layer's name, or "teams-NAME" / "localities-NAME" (?version=).
func (a *api) collection(c *gin.Context, id string) (*planning.FeatureSet, string, error) {
	s, title, _, err := a.collectionVersion(c, id)
	return s, title, err
}

// collectionVersion is collection with the configuration version of a
// versioned collection (nil for a static one).
func (a *api) collectionVersion(c *gin.Context, id string) (*planning.FeatureSet, string, *planning.Version, error) {
	if l, ok := planning.LayerByName(id); ok && !l.Versioned {
		s, err := a.core.Static(id)
		return s, l.Title, nil, err
	}
	for prefix, level := range map[string]string{teamsPrefix: placeprofile.LevelTeam, localitiesPrefix: placeprofile.LevelLocality} {
		if name, ok := strings.CutPrefix(id, prefix); ok {
			v, err := a.loadVersion(c, name)
			if err != nil {
				return nil, "", nil, err
			}
			s, err := a.core.Units(c.Request.Context(), v, level)
			if err != nil {
				return nil, "", nil, err
			}
			return s, fmt.Sprintf("%s of %s (version %d), dissolved from wards", strings.TrimSuffix(prefix, "-"), name, v.Number), &v, nil
		}
	}
	return nil, "", nil, notFound(fmt.Sprintf("collection %q", id))
}

// staticCollections are the collections no configuration changes.
var staticCollections = []string{planning.LayerWards, planning.LayerLSOAs, planning.LayerPractices, planning.LayerHospitals}

// base is the scheme and authority links use: the public URL when one is
// set, else the request's (X-Forwarded-Proto only reaches here from a
// trusted proxy: see forwarded).
func (a *api) base(c *gin.Context) string {
	if a.publicURL != "" {
		return a.publicURL
	}
	scheme := "http"
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

func (a *api) landing(c *gin.Context) {
	if _, err := featureFormat(c, "json"); err != nil {
		fail(c, err)
		return
	}
	b := a.base(c)
	c.JSON(http.StatusOK, gin.H{
		"title":       "placeteam",
		"description": fmt.Sprintf("Community-care team planning for %s: wards, small areas, practices, hospitals and, per configuration, teams and localities.", a.core.Summary().City.Name),
		"links": []link{
			{b + "/", "self", "application/json", "This document"},
			{b + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"},
			{b + "/conformance", "conformance", "application/json", "Conformance classes"},
			{b + "/collections", "data", "application/json", "Feature collections"},
		},
	})
}

func (a *api) conformance(c *gin.Context) {
	if _, err := featureFormat(c, "json"); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"conformsTo": []string{conformanceCommon, conformanceCore, conformanceGeoJS, conformanceOAS30}})
}

type collectionDoc struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Links       []link         `json:"links"`
	Extent      map[string]any `json:"extent,omitempty"`
	ItemType    string         `json:"itemType"`
	CRS         []string       `json:"crs"`
	Attribution string         `json:"attribution,omitempty"`
}

func (a *api) collectionDoc(c *gin.Context, id, title string, s *planning.FeatureSet) collectionDoc {
	b := a.base(c) + "/collections/" + id
	doc := collectionDoc{ID: id, Title: title, ItemType: "feature", CRS: []string{"http://www.opengis.net/def/crs/OGC/1.3/CRS84"},
		Links: []link{{b, "self", "application/json", title}, {b + "/items", "items", geoJSONType, "Features"}}}
	if s != nil && len(s.Features) > 0 {
		e := s.Extent
		doc.Extent = map[string]any{"spatial": map[string]any{"bbox": [][]float64{{e.Min[0], e.Min[1], e.Max[0], e.Max[1]}}, "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
	}
	doc.Attribution = a.attribution()
	return doc
}

func (a *api) attribution() string {
	var parts []string
	seen := map[string]bool{}
	for _, s := range a.core.Sources() {
		if s.Attribution != "" && !seen[s.Attribution] {
			seen[s.Attribution] = true
			parts = append(parts, s.Attribution)
		}
	}
	return strings.Join(parts, "; ")
}

func (a *api) collections(c *gin.Context) {
	if _, err := featureFormat(c, "json"); err != nil {
		fail(c, err)
		return
	}
	var docs []collectionDoc
	for _, id := range staticCollections {
		s, _, err := a.collection(c, id)
		if err != nil {
			fail(c, err)
			return
		}
		docs = append(docs, a.collectionDoc(c, id, s.Layer.Title, s))
	}
	infos, err := a.core.Configurations(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	for _, info := range infos {
		docs = append(docs, a.collectionDoc(c, teamsPrefix+info.Name, "Teams of "+info.Name, nil))
		docs = append(docs, a.collectionDoc(c, localitiesPrefix+info.Name, "Localities of "+info.Name, nil))
	}
	b := a.base(c)
	c.JSON(http.StatusOK, gin.H{"links": []link{{b + "/collections", "self", "application/json", "Collections"}}, "collections": docs})
}

func (a *api) getCollection(c *gin.Context) {
	if _, err := featureFormat(c, "json"); err != nil {
		fail(c, err)
		return
	}
	id := c.Param("collection")
	s, title, err := a.collection(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a.collectionDoc(c, id, title, s))
}

// parseBBox reads bbox=minLon,minLat,maxLon,maxLat.
func parseBBox(s string) (orb.Bound, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return orb.Bound{}, badRequest(fmt.Sprintf("bbox %q: want minLon,minLat,maxLon,maxLat", s))
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return orb.Bound{}, badRequest(fmt.Sprintf("bbox %q: %q is not a number", s, p))
		}
		v[i] = f
	}
	if v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 || v[0] > v[2] || v[1] > v[3] {
		return orb.Bound{}, badRequest(fmt.Sprintf("bbox %q: out of range or min > max (lon -180..180, lat -90..90)", s))
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

func intParam(c *gin.Context, name string, def, min, max int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < min || v > max {
		return 0, badRequest(fmt.Sprintf("%s %q: want an integer from %d to %d", name, s, min, max))
	}
	return v, nil
}

func (a *api) items(c *gin.Context) {
	// Unknown parameters are refused (OGC API – Features, /req/core/
	// query-param-unknown). datetime is accepted and matches every feature:
	// these features have no time.
	if err := onlyQuery(c, "f", "bbox", "limit", "offset", "datetime", "version"); err != nil {
		fail(c, err)
		return
	}
	if _, err := featureFormat(c, "json", "geojson"); err != nil {
		fail(c, err)
		return
	}
	id := c.Param("collection")
	// A limit above the maximum is capped, as OGC API – Features asks.
	limit, err := intParam(c, "limit", defaultLimit, 1, math.MaxInt32)
	if err != nil {
		fail(c, err)
		return
	}
	limit = min(limit, maxLimit)
	offset, err := intParam(c, "offset", 0, 0, math.MaxInt32)
	if err != nil {
		fail(c, err)
		return
	}
	var bbox *orb.Bound
	if s := c.Query("bbox"); s != "" {
		b, err := parseBBox(s)
		if err != nil {
			fail(c, err)
			return
		}
		bbox = &b
	}
	s, _, v, err := a.collectionVersion(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	// A page depends on the collection (and its version), the query and
	// the links' base URL alone: it is encoded once and kept by the core.
	key := "items|" + a.base(c) + "|" + id + "|" + c.Request.URL.Query().Encode()
	resp, err := a.core.CachedResponse(v, key, func() ([]byte, error) {
		return json.Marshal(a.itemsPage(c, s, bbox, offset, limit))
	})
	if err != nil {
		fail(c, err)
		return
	}
	writeEncoded(c, http.StatusOK, geoJSONType, resp)
}

// itemsPage is one page of a collection's features with its links.
func (a *api) itemsPage(c *gin.Context, s *planning.FeatureSet, bbox *orb.Bound, offset, limit int) gin.H {
	matched := s.Select(bbox)
	end := min(offset+limit, len(matched))
	page := []*geojson.Feature{}
	if offset < len(matched) {
		page = matched[offset:end]
	}
	self := a.base(c) + c.Request.URL.Path
	query := func(off int) string {
		q := url.Values{}
		for k, v := range c.Request.URL.Query() {
			q[k] = v
		}
		q.Set("offset", strconv.Itoa(off))
		q.Set("limit", strconv.Itoa(limit))
		return self + "?" + q.Encode()
	}
	links := []link{{Href: query(offset), Rel: "self", Type: geoJSONType}}
	if end < len(matched) {
		links = append(links, link{Href: query(end), Rel: "next", Type: geoJSONType})
	}
	if offset > 0 {
		links = append(links, link{Href: query(max(0, offset-limit)), Rel: "prev", Type: geoJSONType})
	}
	// No timeStamp (optional in OGC API – Features): the page is the same
	// bytes whenever it is asked for, so it is cached, and revalidated by
	// its ETag.
	return gin.H{
		"type": "FeatureCollection", "features": page,
		"numberMatched": len(matched), "numberReturned": len(page), "links": links,
	}
}

func (a *api) item(c *gin.Context) {
	if _, err := featureFormat(c, "json", "geojson"); err != nil {
		fail(c, err)
		return
	}
	s, _, err := a.collection(c, c.Param("collection"))
	if err != nil {
		fail(c, err)
		return
	}
	fid := c.Param("fid")
	coll := a.base(c) + "/collections/" + c.Param("collection")
	f, ok := s.Find(fid)
	if !ok {
		fail(c, notFound(fmt.Sprintf("feature %q in collection %q", fid, c.Param("collection"))))
		return
	}
	// geojson.Feature marshals itself, so add the links to its JSON.
	raw, err := json.Marshal(f)
	if err != nil {
		fail(c, err)
		return
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		fail(c, err)
		return
	}
	doc["links"] = []link{{coll + "/items/" + url.PathEscape(fid), "self", geoJSONType, ""}, {coll, "collection", "application/json", ""}}
	c.Header("Content-Type", geoJSONType)
	c.JSON(http.StatusOK, doc)
}

// featureFormat reads the OGC API f parameter (allowed, the first the
// default) and, when f is not given, the Accept header: every answer here
// is JSON (GeoJSON for features), so a client that accepts neither gets
// 406 rather than a body it said it cannot read.
func featureFormat(c *gin.Context, allowed ...string) (string, error) {
	f, err := formatParam(c, "f", allowed...)
	if err != nil || c.Query("f") != "" {
		return f, err
	}
	if accept := c.GetHeader("Accept"); accept != "" && !acceptsJSON(accept) {
		return "", &httpError{http.StatusNotAcceptable, fmt.Sprintf("Accept %q: this resource is application/json (features application/geo+json); send one of those, */*, or f=json", accept)}
	}
	return f, nil
}

// acceptsJSON reports whether an Accept header admits application/json or
// application/geo+json (directly or by a wildcard, q above 0).
func acceptsJSON(header string) bool {
	for _, e := range acceptEntries(header) {
		switch e.value {
		case "*/*", "application/*", "application/json", "application/geo+json":
			if !e.refused {
				return true
			}
		}
	}
	return false
}
