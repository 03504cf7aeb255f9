package api_test

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

func TestFeaturesEndpoints(t *testing.T) {
	srv, base := server(t)
	ward := base.Localities[0].Teams[0].Wards[0]
	for _, x := range []exchange{
		{"landing", "GET", "/", nil, "", 200, jsonCT, []string{`"rel":"service-desc"`, `"rel":"conformance"`, `"rel":"data"`}},
		{"openapi", "GET", "/api", nil, "", 200, "application/vnd.oai.openapi+json", []string{`"openapi": "3.0.3"`, `"/collections/{collection}/items"`}},
		{"conformance", "GET", "/conformance", nil, "", 200, jsonCT, []string{"ogcapi-features-1/1.0/conf/core", "conf/geojson", "conf/oas30"}},
		{"collections", "GET", "/collections", nil, "", 200, jsonCT, []string{`"id":"wards"`, `"id":"lsoas"`, `"id":"practices"`, `"id":"hospitals"`, `"id":"teams-demo-baseline"`, `"id":"localities-demo-baseline"`}},
		{"collection", "GET", "/collections/wards", nil, "", 200, jsonCT, []string{`"itemType":"feature"`, `"bbox":[[`, `"attribution":"placeteam demo city`}},
		{"ward", "GET", "/collections/wards/items/" + ward, nil, "", 200, "application/geo+json", []string{`"id":"` + ward + `"`, `"resident_population"`, `"rel":"self"`, `"rel":"collection"`}},
		{"team", "GET", "/collections/teams-demo-baseline/items/N1", nil, "", 200, "application/geo+json", []string{`"local_registration_share"`, `"modelled_fields"`}},
		{"bad bbox", "GET", "/collections/wards/items?bbox=1,2,3", nil, "", 400, problemCT, []string{"bbox"}},
		{"inverted bbox", "GET", "/collections/wards/items?bbox=3,2,1,4", nil, "", 400, problemCT, []string{"min > max"}},
		{"bad limit", "GET", "/collections/wards/items?limit=0", nil, "", 400, problemCT, []string{"limit"}},
		{"huge limit is capped", "GET", "/collections/wards/items?limit=100001", nil, "", 200, "application/geo+json", []string{`"numberReturned":32`, "limit=10000"}},
		{"bad offset", "GET", "/collections/wards/items?offset=-1", nil, "", 400, problemCT, []string{"offset"}},
		{"unknown collection", "GET", "/collections/rivers/items", nil, "", 404, problemCT, []string{`collection \"rivers\"`}},
		{"unknown configuration", "GET", "/collections/teams-nope/items", nil, "", 404, problemCT, nil},
		{"unknown feature", "GET", "/collections/wards/items/E05000000", nil, "", 404, problemCT, []string{`feature \"E05000000\"`}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}

type page struct {
	Type           string             `json:"type"`
	Features       []*geojson.Feature `json:"features"`
	NumberMatched  int                `json:"numberMatched"`
	NumberReturned int                `json:"numberReturned"`
	Links          []struct{ Href, Rel string }
}

func TestItemsPagingAndGeometry(t *testing.T) {
	srv, _ := server(t)
	var p page
	_, body := do(t, srv, exchange{"page 1", "GET", "/collections/lsoas/items?limit=100", nil, "", 200, "application/geo+json", nil})
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != "FeatureCollection" || p.NumberReturned != 100 || p.NumberMatched < 280 || len(p.Features) != 100 {
		t.Fatalf("page: type %s, returned %d, matched %d", p.Type, p.NumberReturned, p.NumberMatched)
	}
	rels := map[string]string{}
	for _, l := range p.Links {
		rels[l.Rel] = l.Href
	}
	if !strings.Contains(rels["next"], "offset=100") || rels["prev"] != "" || rels["self"] == "" {
		t.Errorf("links = %v", rels)
	}
	// Walk every page: the ids are distinct and add up to numberMatched.
	seen := map[string]bool{}
	for offset := 0; offset < p.NumberMatched; offset += 100 {
		var q page
		_, body := do(t, srv, exchange{"page", "GET", "/collections/lsoas/items?limit=100&offset=" + strconv.Itoa(offset), nil, "", 200, "", nil})
		if err := json.Unmarshal([]byte(body), &q); err != nil {
			t.Fatal(err)
		}
		for _, f := range q.Features {
			seen[f.ID.(string)] = true
			checkGeometry(t, f)
		}
	}
	if len(seen) != p.NumberMatched {
		t.Errorf("walked %d distinct features, numberMatched %d", len(seen), p.NumberMatched)
	}
	// bbox: only features intersecting it, fewer than all.
	var b page
	_, body = do(t, srv, exchange{"bbox", "GET", "/collections/practices/items?bbox=-2.0,53.0,-1.98,53.02&limit=1000", nil, "", 200, "", nil})
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatal(err)
	}
	if b.NumberMatched == 0 || b.NumberMatched >= 77 {
		t.Errorf("bbox matched %d practices; want some but not all", b.NumberMatched)
	}
	for _, f := range b.Features {
		pt := f.Geometry.(orb.Point)
		if pt[0] < -2.0 || pt[0] > -1.98 || pt[1] < 53.0 || pt[1] > 53.02 {
			t.Errorf("practice %v outside the bbox", pt)
		}
	}
	// Dissolved teams: orientation, precision, area equals the wards' sum.
	var teams page
	_, body = do(t, srv, exchange{"teams", "GET", "/collections/teams-demo-baseline/items", nil, "", 200, "", nil})
	if err := json.Unmarshal([]byte(body), &teams); err != nil {
		t.Fatal(err)
	}
	if teams.NumberMatched != 12 {
		t.Fatalf("teams = %d", teams.NumberMatched)
	}
	for _, f := range teams.Features {
		checkGeometry(t, f)
	}
}

// checkGeometry: exterior rings counter-clockwise, holes clockwise, lon/lat
// in range, at most six decimals.
func checkGeometry(t *testing.T, f *geojson.Feature) {
	t.Helper()
	var polys []orb.Polygon
	switch g := f.Geometry.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		for i, r := range p {
			if a := planar.Area(r); (i == 0) != (a > 0) {
				t.Errorf("feature %v ring %d has signed area %g", f.ID, i, a)
			}
			for _, pt := range r {
				if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
					t.Errorf("feature %v: %v out of range", f.ID, pt)
				}
				for _, v := range pt {
					if math.Abs(v*1e6-math.Round(v*1e6)) > 1e-6 {
						t.Errorf("feature %v: %v has more than 6 decimals", f.ID, pt)
						return
					}
				}
			}
		}
	}
}
