package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/importer/importtest"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/profiles/carry"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

// TestCarryRoute carries the Manchester 2015 configuration to the May 2018
// wards through the API: the answer is carry.Carry's on the same input;
// ?format=yaml is the carried configuration file; a lookup puts each LSOA
// whole in its ward; bad input is a 4xx problem.
func TestCarryRoute(t *testing.T) {
	ctx := context.Background()
	st, res := importtest.ManchesterStore(t)
	core, err := planning.New(ctx, planning.Config{Store: st, Dataset: res.Dataset})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { core.Close() })
	srv := httptest.NewServer(api.New(api.Config{Core: core, Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	cfg := res.Configurations[0]
	path := filepath.Join(realdata.Dir(t), "boundaries", "wards_2018plus_manchester_wd22.geojson")
	wardsJSON, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	newWards, err := carry.ReadWards(carry.WardFile{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	want, err := carry.Carry(ctx, carry.Options{Dataset: res.Dataset, Configuration: cfg, Wards: newWards})
	if err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/api/configurations/" + cfg.Name + "/carry"
	body := func(extra string) string { return `{"wards": ` + string(wardsJSON) + extra + `}` }

	resp, got := post(t, url, "application/json", strings.NewReader(body("")))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("carry: %d %s", resp.StatusCode, got)
	}
	var gotR, wantR map[string]any
	wantJSON, _ := json.Marshal(want)
	if err := json.Unmarshal([]byte(got), &gotR); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(wantJSON, &wantR)
	if !reflect.DeepEqual(gotR, wantR) {
		t.Errorf("the API's carry differs from carry.Carry's (%d vs %d bytes)", len(got), len(wantJSON))
	}
	split := 0
	for _, w := range want.Wards {
		if w.Split {
			split++
		}
	}
	if len(want.Wards) != len(newWards) || split == 0 {
		t.Errorf("%d new wards of %d, %d split: the 2018 wards split some 2015 ones", len(want.Wards), len(newWards), split)
	}

	resp, yaml := post(t, url+"?format=yaml", "application/json", strings.NewReader(body(`, "name": "mcr-2018"`)))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/yaml") {
		t.Fatalf("carry yaml: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), yaml)
	}
	carried, err := configuration.Read(strings.NewReader(yaml), "carried.yaml")
	if err != nil {
		t.Fatalf("the YAML is not a configuration: %v\n%s", err, yaml)
	}
	if carried.Name != "mcr-2018" || len(carried.WardTeams()) != len(newWards) {
		t.Errorf("carried configuration %q with %d wards, want mcr-2018 with %d", carried.Name, len(carried.WardTeams()), len(newWards))
	}
	for _, w := range want.Wards {
		if carried.WardTeams()[w.Code] != w.Team {
			t.Errorf("YAML puts %s in %q, the carry in %q", w.Code, carried.WardTeams()[w.Code], w.Team)
		}
	}

	// A lookup: each LSOA to the new ward that got most of it.
	lookup := map[string]string{}
	for _, l := range want.LSOAs {
		best := carry.Piece{}
		for _, p := range l.Pieces {
			if p.Share > best.Share {
				best = p
			}
		}
		if best.Ward != "" {
			lookup[strings.ToLower(l.Code)] = best.Ward // codes in any case
		}
	}
	lookupJSON, _ := json.Marshal(lookup)
	resp, got = post(t, url, "application/json", strings.NewReader(body(`, "lookup": `+string(lookupJSON))))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("carry with a lookup: %d %s", resp.StatusCode, got)
	}
	var byLookup carry.Result
	if err := json.Unmarshal([]byte(got), &byLookup); err != nil {
		t.Fatal(err)
	}
	for _, l := range byLookup.LSOAs {
		if l.Straddles || len(l.Pieces) != 1 || l.Pieces[0].Ward != lookup[strings.ToLower(l.Code)] {
			t.Errorf("with a lookup LSOA %s went to %+v, the lookup says %s", l.Code, l.Pieces, lookup[strings.ToLower(l.Code)])
		}
	}

	for _, bad := range []struct {
		name, url, body string
		status          int
		want            string
	}{
		{"no wards", url, `{}`, http.StatusBadRequest, "give the new wards"},
		{"not GeoJSON", url, `{"wards": {"type": "FeatureCollection", "features": [{"type": "Feature"}]}}`, http.StatusUnprocessableEntity, "ward file"},
		{"points", url, `{"wards": {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "A", "name": "A"}, "geometry": {"type": "Point", "coordinates": [-2.2, 53.4]}}]}}`, http.StatusUnprocessableEntity, "ward file"},
		{"no code property", url, body(`, "code_property": "WD99CD"`), http.StatusUnprocessableEntity, "WD99CD"},
		{"bad piece", url, body(`, "min_piece": 0.9`), http.StatusUnprocessableEntity, "0.9"},
		{"bad name", url, body(`, "name": "a b"`), http.StatusBadRequest, "name"},
		{"unknown field", url, `{"wards": {}, "colour": 1}`, http.StatusBadRequest, "colour"},
		{"empty lookup", url, body(`, "lookup": {}`), http.StatusUnprocessableEntity, "lookup is empty"},
		{"lookup clash", url, body(`, "lookup": {"e01005001": "E05011351", "E01005001": "E05011353"}`), http.StatusUnprocessableEntity, "two wards"},
		{"bad format", url + "?format=csv", body(""), http.StatusBadRequest, "csv"},
		{"unknown configuration", srv.URL + "/api/configurations/no-such/carry", body(""), http.StatusNotFound, ""},
		{"bad version", url + "?version=99", body(""), http.StatusNotFound, ""},
	} {
		resp, got := post(t, bad.url, "application/json", bytes.NewReader([]byte(bad.body)))
		if resp.StatusCode != bad.status || !strings.Contains(resp.Header.Get("Content-Type"), "problem+json") || !strings.Contains(got, bad.want) {
			t.Errorf("%s: %d %s %.300s, want %d naming %q", bad.name, resp.StatusCode, resp.Header.Get("Content-Type"), got, bad.status, bad.want)
		}
	}
}
