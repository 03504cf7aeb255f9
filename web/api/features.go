package api

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/geo/dissolve"
	"github.com/placeteam/placeteam/geo/rfc7946"
	"github.com/placeteam/placeteam/profiles/placeprofile"
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

// featureSet is one collection's features, normalised for output, with
// their bounds for bbox filtering.
type featureSet struct {
	features []*geojson.Feature
	bounds   []orb.Bound
	extent   orb.Bound
}

func newFeatureSet(fs []*geojson.Feature) *featureSet {
	s := &featureSet{features: fs, bounds: make([]orb.Bound, len(fs))}
	for i, f := range fs {
		f.Geometry = rfc7946.Normalize(f.Geometry)
		s.bounds[i] = f.Geometry.Bound()
		if i == 0 {
			s.extent = s.bounds[i]
		} else {
			s.extent = s.extent.Union(s.bounds[i])
		}
	}
	return s
}

// features builds and caches collections. Static collections are built
// once; team and locality collections per configuration version.
type features struct {
	mu     sync.Mutex
	static map[string]*featureSet
	dyn    map[string]*featureSet // "teams-NAME@v3"
	// ind caches indicator properties per configuration version
	// ("NAME@3"), for teams and localities at once; concurrent first
	// requests for a version wait for one computation.
	ind map[string]*indicatorEntry
	// wardInd are the wards' indicator properties (configuration-free).
	wardIndOnce sync.Once
	wardInd     map[string]geojson.Properties
	wardIndErr  error
}

func (a *api) staticCollection(id string) (*featureSet, bool) {
	a.feat.mu.Lock()
	defer a.feat.mu.Unlock()
	if a.feat.static == nil {
		a.feat.static = a.buildStatic()
	}
	s, ok := a.feat.static[id]
	return s, ok
}

func (a *api) buildStatic() map[string]*featureSet {
	ds := a.cfg.Dataset
	out := map[string]*featureSet{}
	var wards, lsoas, practices, hospitals []*geojson.Feature
	t := a.cfg.Tables
	for _, w := range ds.Wards {
		f := geojson.NewFeature(w.Geometry)
		f.ID = w.Code
		f.Properties = geojson.Properties{"code": w.Code, "name": w.Name, "source": w.Source}
		if i, ok := t.WardIndex(w.Code); ok {
			f.Properties["resident_population"] = t.Resident[i].Total
			f.Properties["registered_population"] = t.Registered[i]
			f.Properties["area_km2"] = t.AreaKm2[i]
		}
		for k, v := range a.wardIndicators()[w.Code] {
			f.Properties[k] = v
		}
		wards = append(wards, f)
	}
	for _, l := range ds.LSOAs {
		f := geojson.NewFeature(l.Geometry)
		f.ID = l.Code
		props := geojson.Properties{"code": l.Code, "name": l.Name, "ward": l.WardCode, "msoa": l.MSOACode, "district": l.DistrictCode, "in_city": l.WardCode != ""}
		if l.Population.Known() {
			props["population"] = l.Population.Total
		}
		for _, d := range l.Deprivation {
			props[fmt.Sprintf("imd%d_decile", d.Edition)] = d.Decile
			props[fmt.Sprintf("imd%d_rank", d.Edition)] = d.Rank
		}
		f.Properties = props
		lsoas = append(lsoas, f)
	}
	for _, p := range ds.Practices {
		if !p.HasLocation() {
			continue
		}
		f := geojson.NewFeature(p.Location)
		f.ID = p.Code
		f.Properties = geojson.Properties{"code": p.Code, "name": p.Name, "postcode": p.Postcode, "status": string(p.Status), "ward": p.WardCode, "commissioner": p.Commissioner, "located_by": string(p.Located)}
		practices = append(practices, f)
	}
	for i, h := range ds.HospitalSites {
		f := geojson.NewFeature(h.Location)
		f.ID = strconv.Itoa(i + 1)
		f.Properties = geojson.Properties{"name": h.Name, "trust": h.TrustCode}
		hospitals = append(hospitals, f)
	}
	out["wards"] = newFeatureSet(wards)
	out["lsoas"] = newFeatureSet(lsoas)
	out["practices"] = newFeatureSet(practices)
	out["hospitals"] = newFeatureSet(hospitals)
	return out
}

// dissolved returns a configuration version's teams or localities as
// dissolved polygons carrying the profile figures.
func (a *api) dissolved(ctx context.Context, level string, cfg *configuration.Configuration, version int) (*featureSet, error) {
	key := fmt.Sprintf("%s:%s@%d", level, cfg.Name, version)
	a.feat.mu.Lock()
	if s, ok := a.feat.dyn[key]; ok {
		a.feat.mu.Unlock()
		return s, nil
	}
	a.feat.mu.Unlock()
	p, err := placeprofile.Evaluate(a.cfg.Tables, cfg, placeprofile.Options{})
	if err != nil {
		return nil, err
	}
	wardGeom := map[string]orb.MultiPolygon{}
	for _, w := range a.cfg.Dataset.Wards {
		wardGeom[w.Code] = w.Geometry
	}
	units := p.Teams
	if level == placeprofile.LevelLocality {
		units = p.Localities
	}
	groups := map[string][]orb.MultiPolygon{}
	for _, u := range units {
		for _, w := range u.Wards {
			groups[u.ID] = append(groups[u.ID], wardGeom[w])
		}
	}
	geoms, err := dissolve.Groups(ctx, groups, dissolve.Options{})
	if err != nil {
		return nil, err
	}
	indicators, err := a.indicatorValues(cfg, version)
	if err != nil {
		return nil, err
	}
	fs := make([]*geojson.Feature, 0, len(units))
	for _, u := range units {
		f := geojson.NewFeature(geoms[u.ID])
		f.ID = u.ID
		f.Properties = unitProperties(u, cfg.Name, version)
		for k, v := range indicators[level+":"+u.ID] {
			f.Properties[k] = v
		}
		fs = append(fs, f)
	}
	s := newFeatureSet(fs)
	a.feat.mu.Lock()
	if a.feat.dyn == nil {
		a.feat.dyn = map[string]*featureSet{}
	}
	a.feat.dyn[key] = s
	a.feat.mu.Unlock()
	return s, nil
}

// forget drops the cached features and tilesets of a deleted
// configuration (its cached tiles age out of the LRU: their keys name
// versions that are never reused).
func (a *api) forget(name string) {
	a.feat.mu.Lock()
	for key := range a.feat.dyn {
		if _, rest, _ := strings.Cut(key, ":"); strings.HasPrefix(rest, name+"@") {
			delete(a.feat.dyn, key)
		}
	}
	for key := range a.feat.ind {
		if strings.HasPrefix(key, name+"@") {
			delete(a.feat.ind, key)
		}
	}
	a.feat.mu.Unlock()
	a.tiles.mu.Lock()
	for key := range a.tiles.sets {
		if strings.HasPrefix(key, name+"@") {
			delete(a.tiles.sets, key)
		}
	}
	a.tiles.order = slices.DeleteFunc(a.tiles.order, func(k string) bool { return strings.HasPrefix(k, name+"@") })
	a.tiles.mu.Unlock()
}

// unitProperties are the profile figures a map colours teams by.
func unitProperties(u placeprofile.Unit, config string, version int) geojson.Properties {
	props := geojson.Properties{
		"id": u.ID, "name": u.Name, "level": u.Level, "configuration": config, "version": version,
		"wards":                   strings.Join(slices.Sorted(slices.Values(u.Wards)), " "),
		"resident_population":     u.ResidentPopulation.Total,
		"registered_population":   u.RegisteredPopulation,
		"practice_count":          u.PracticeCount,
		"out_of_city_registered":  u.OutOfCityRegistered,
		"out_of_city_significant": u.OutOfCitySignificant,
		"area_km2":                u.AreaKm2,
		"dominant_trust":          u.DominantTrust,
		"modelled_fields":         strings.Join(u.ModelledFields, " "),
		"imd_q1_population":       u.IMDQuintilePopulation[0],
	}
	if u.Locality != "" {
		props["locality"] = u.Locality
	}
	for k, v := range map[string]*float64{
		"local_registration_share": u.LocalRegistrationShare, "out_of_city_share": u.OutOfCityShare,
		"practice_lists_resident_share": u.PracticeListsResidentShare, "density_per_km2": u.DensityPerKm2,
		"registered_to_resident_ratio": u.RegisteredToResidentRatio, "imd_weighted_score": u.IMDWeightedScore,
	} {
		if v != nil {
			props[k] = *v
		}
	}
	return props
}

// collection resolves a collection id to its features.
func (a *api) collection(c *gin.Context, id string) (*featureSet, string, error) {
	if id == "wards" {
		// The wards carry indicator properties: fail as the tiles do when
		// they could not be computed, rather than serve wards without them.
		if err := a.wardIndicatorsErr(); err != nil {
			return nil, "", err
		}
	}
	if s, ok := a.staticCollection(id); ok {
		return s, staticTitles[id], nil
	}
	for prefix, level := range map[string]string{teamsPrefix: placeprofile.LevelTeam, localitiesPrefix: placeprofile.LevelLocality} {
		if name, ok := strings.CutPrefix(id, prefix); ok {
			cfg, v, err := a.loadVersion(c, name)
			if err != nil {
				return nil, "", err
			}
			s, err := a.dissolved(c.Request.Context(), level, cfg, v)
			if err != nil {
				return nil, "", err
			}
			return s, fmt.Sprintf("%s of %s (version %d), dissolved from wards", strings.TrimSuffix(prefix, "-"), name, v), nil
		}
	}
	return nil, "", fmt.Errorf("%w: collection %q", ErrNotFound, id)
}

var staticTitles = map[string]string{
	"wards":     "Electoral wards",
	"lsoas":     "Lower-layer super output areas",
	"practices": "GP practices",
	"hospitals": "Hospital sites",
}

func (a *api) base(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

func (a *api) landing(c *gin.Context) {
	b := a.base(c)
	c.JSON(http.StatusOK, gin.H{
		"title":       "placeteam",
		"description": fmt.Sprintf("Community-care team planning for %s: wards, small areas, practices, hospitals and, per configuration, teams and localities.", a.summary.City.Name),
		"links": []link{
			{b + "/", "self", "application/json", "This document"},
			{b + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"},
			{b + "/conformance", "conformance", "application/json", "Conformance classes"},
			{b + "/collections", "data", "application/json", "Feature collections"},
		},
	})
}

func (a *api) conformance(c *gin.Context) {
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

func (a *api) collectionDoc(c *gin.Context, id, title string, s *featureSet) collectionDoc {
	b := a.base(c) + "/collections/" + id
	doc := collectionDoc{ID: id, Title: title, ItemType: "feature", CRS: []string{"http://www.opengis.net/def/crs/OGC/1.3/CRS84"},
		Links: []link{{b, "self", "application/json", title}, {b + "/items", "items", geoJSONType, "Features"}}}
	if s != nil && len(s.features) > 0 {
		e := s.extent
		doc.Extent = map[string]any{"spatial": map[string]any{"bbox": [][]float64{{e.Min[0], e.Min[1], e.Max[0], e.Max[1]}}, "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
	}
	doc.Attribution = a.attribution()
	return doc
}

func (a *api) attribution() string {
	var parts []string
	seen := map[string]bool{}
	for _, s := range a.sources() {
		if s.Attribution != "" && !seen[s.Attribution] {
			seen[s.Attribution] = true
			parts = append(parts, s.Attribution)
		}
	}
	return strings.Join(parts, "; ")
}

func (a *api) collections(c *gin.Context) {
	var docs []collectionDoc
	for _, id := range []string{"wards", "lsoas", "practices", "hospitals"} {
		s, _ := a.staticCollection(id)
		docs = append(docs, a.collectionDoc(c, id, staticTitles[id], s))
	}
	infos, err := a.cfg.Store.Configurations(c.Request.Context())
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
	id := c.Param("collection")
	s, title, err := a.collection(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a.collectionDoc(c, id, title, s))
}

// intersects reports whether a geometry meets the box (not just its
// bounding box): a polygon whose bound overlaps the box may still miss it.
func intersects(box orb.Bound, g orb.Geometry) bool {
	clipped := clip.Geometry(box, orb.Clone(g))
	if clipped == nil {
		return false
	}
	switch x := clipped.(type) {
	case orb.Polygon:
		return len(x) > 0
	case orb.MultiPolygon:
		return len(x) > 0
	case orb.MultiPoint:
		return len(x) > 0
	case orb.LineString:
		return len(x) > 0
	case orb.MultiLineString:
		return len(x) > 0
	}
	return true
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
	s, _, err := a.collection(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	var matched []*geojson.Feature
	for i, f := range s.features {
		if bbox == nil || (bbox.Intersects(s.bounds[i]) && intersects(*bbox, f.Geometry)) {
			matched = append(matched, f)
		}
	}
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
	c.Header("Content-Type", geoJSONType)
	c.JSON(http.StatusOK, gin.H{
		"type": "FeatureCollection", "features": page,
		"numberMatched": len(matched), "numberReturned": len(page),
		"timeStamp": time.Now().UTC().Format(time.RFC3339), "links": links,
	})
}

func (a *api) item(c *gin.Context) {
	s, _, err := a.collection(c, c.Param("collection"))
	if err != nil {
		fail(c, err)
		return
	}
	fid := c.Param("fid")
	coll := a.base(c) + "/collections/" + c.Param("collection")
	for _, f := range s.features {
		if fmt.Sprint(f.ID) == fid {
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
			return
		}
	}
	fail(c, fmt.Errorf("%w: feature %q in collection %q", ErrNotFound, fid, c.Param("collection")))
}
