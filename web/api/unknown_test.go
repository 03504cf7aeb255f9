package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/importer/importtest"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/profiles/wardtables"
	"github.com/placeteam/placeteam/web/api"
)

// listsOnly is a date on which the Manchester data have list sizes but no
// registrations by area of residence: every flow figure is unknown.
const listsOnly = "2021-01-01"

// flowFigures are the unit figures that rest on the registrations by area
// of residence.
var flowFigures = []string{"residents_registered", "local_registered", "local_registration_share", "practice_lists_resident_share",
	"out_of_city_registered", "out_of_city_share", "out_of_city_significant", "registered_outside_city"}

// mapFlowFigures are those the map's team features carry when known.
var mapFlowFigures = []string{"local_registration_share", "practice_lists_resident_share", "out_of_city_registered", "out_of_city_share", "out_of_city_significant"}

// manchesterServers imports the shared Manchester data into one store and
// serves it twice: with the core on its default date (the registrations
// of April 2015) and with the core on listsOnly.
func manchesterServers(t *testing.T) (byDefault, onListsOnly *httptest.Server, configs []string) {
	t.Helper()
	ctx := context.Background()
	st, res := importtest.ManchesterStore(t)
	for _, c := range res.Configurations {
		configs = append(configs, c.Name)
	}
	serve := func(tables wardtables.Options) *httptest.Server {
		core, err := planning.New(ctx, planning.Config{Store: st, Dataset: res.Dataset, Tables: tables})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { core.Close() })
		srv := httptest.NewServer(api.New(api.Config{Core: core, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}))
		t.Cleanup(srv.Close)
		return srv
	}
	return serve(wardtables.Options{}), serve(wardtables.Options{Date: dataset.Day(2021, 1, 1)}), configs
}

func getJSON(t *testing.T, url string, into any) {
	t.Helper()
	resp, body := getTile(t, url, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, into); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// getCSV reads a CSV answer back into rows by column name.
func getCSV(t *testing.T, url string) []map[string]string {
	t.Helper()
	resp, body := getTile(t, url, nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	records, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("GET %s: CSV does not parse: %v (%d records)", url, err, len(records))
	}
	var out []map[string]string
	for _, r := range records[1:] {
		row := map[string]string{}
		for i, h := range records[0] {
			row[h] = r[i]
		}
		out = append(out, row)
	}
	return out
}

type apiProfile struct {
	Unknown   map[string]string  `json:"unknown"`
	DataDates map[string]*string `json:"data_dates"`
	Teams     []map[string]any   `json:"teams"`
	City      map[string]any     `json:"city"`
}

// TestManchesterUnknownIsNotZero: on a date with list sizes but no
// registrations by area of residence, the API's profile has every flow
// figure null with its reason (CSV: blank, named in unknown_fields), the
// flow matrix has no rows, a comparison's deltas on them are null, and the
// map's team features leave them out and name them in unknown_fields; on
// the default date everything is known.
func TestManchesterUnknownIsNotZero(t *testing.T) {
	srv, listsSrv, configs := manchesterServers(t)
	cfg := configs[0]
	base := srv.URL + "/api/configurations/" + cfg

	t.Run("profile json", func(t *testing.T) {
		var p apiProfile
		getJSON(t, base+"/profile?date="+listsOnly, &p)
		if d := p.DataDates["list_sizes"]; d == nil || *d != listsOnly {
			t.Errorf("data_dates.list_sizes = %v, want %s", d, listsOnly)
		}
		if d, ok := p.DataDates["registrations_by_residence"]; !ok || d != nil {
			t.Errorf("data_dates.registrations_by_residence = %v, want null", d)
		}
		units := append(append([]map[string]any{}, p.Teams...), p.City)
		for _, f := range flowFigures {
			if !strings.Contains(p.Unknown[f], "no registrations by area of residence") {
				t.Errorf("unknown[%s] = %q", f, p.Unknown[f])
			}
			for _, u := range units {
				if v, ok := u[f]; !ok || v != nil {
					t.Errorf("%v %s = %v, want null", u["id"], f, v)
				}
				reasons, _ := u["unknown"].(map[string]any)
				if why, _ := reasons[f].(string); !strings.Contains(why, "no registrations by area of residence") {
					t.Errorf("%v unknown[%s] = %q", u["id"], f, why)
				}
			}
		}
		teams := 0.0
		for _, u := range p.Teams {
			r, ok := u["registered_population"].(float64)
			if !ok || r <= 0 {
				t.Errorf("team %v registered population (from the lists) = %v", u["id"], u["registered_population"])
			}
			teams += r
		}
		if city, _ := p.City["registered_population"].(float64); city <= 0 || city < teams-0.5 || city > teams+0.5 {
			t.Errorf("city registered population %v, teams sum to %v", p.City["registered_population"], teams)
		}
	})

	t.Run("profile csv", func(t *testing.T) {
		rows := getCSV(t, base+"/profile?format=csv&date="+listsOnly)
		for _, r := range rows {
			for _, f := range flowFigures {
				if v, ok := r[f]; !ok || v != "" {
					t.Errorf("%s %s: CSV %s = %q, want a blank cell", r["level"], r["id"], f, v)
				}
				if !slices.Contains(strings.Fields(r["unknown_fields"]), f) {
					t.Errorf("%s %s: unknown_fields %q lacks %s", r["level"], r["id"], r["unknown_fields"], f)
				}
			}
			if r["registered_population"] == "" || r["resident_population"] == "" {
				t.Errorf("%s %s: known figures blank", r["level"], r["id"])
			}
		}
	})

	t.Run("flows", func(t *testing.T) {
		var m struct {
			Units   []string     `json:"units"`
			Rows    *[][]float64 `json:"rows"`
			Unknown string       `json:"unknown"`
		}
		getJSON(t, base+"/flows?date="+listsOnly, &m)
		if m.Rows != nil || !strings.Contains(m.Unknown, "no registrations by area of residence") || len(m.Units) == 0 {
			t.Errorf("flows: rows %v, unknown %q, %d units", m.Rows, m.Unknown, len(m.Units))
		}
		rows := getCSV(t, base+"/flows?format=csv&date="+listsOnly)
		if len(rows) != len(m.Units)*len(m.Units) {
			t.Errorf("flows CSV: %d rows, want every one of %d×%d cells", len(rows), len(m.Units), len(m.Units))
		}
		for _, r := range rows {
			if r["patients"] != "" {
				t.Fatalf("flows CSV %s → %s = %q, want blank", r["residence"], r["practice"], r["patients"])
			}
		}
	})

	t.Run("compare", func(t *testing.T) {
		b := configs[len(configs)-1]
		var r struct {
			Teams   []map[string]any  `json:"teams"`
			Unknown map[string]string `json:"unknown"`
		}
		getJSON(t, fmt.Sprintf("%s/api/compare?a=%s&b=%s&date=%s", srv.URL, cfg, b, listsOnly), &r)
		for _, d := range r.Teams {
			for _, f := range []string{"out_of_city_registered_a", "out_of_city_registered_b", "out_of_city_registered_delta", "local_registration_share_delta"} {
				if v, ok := d[f]; !ok || v != nil {
					t.Errorf("team %v %s = %v, want null", d["id"], f, v)
				}
			}
			if d["resident_population_a"] != nil && d["resident_population_b"] != nil && d["resident_population_delta"] == nil {
				t.Errorf("team %v: known resident delta null", d["id"])
			}
		}
		if !strings.Contains(r.Unknown["out_of_city_registered"], "no registrations by area of residence") {
			t.Errorf("compare unknown = %v", r.Unknown)
		}
		rows := getCSV(t, fmt.Sprintf("%s/api/compare?a=%s&b=%s&format=csv&date=%s", srv.URL, cfg, b, listsOnly))
		for _, d := range rows {
			if d["out_of_city_registered_delta"] != "" || d["resident_population_a"] == "" && d["resident_population_b"] == "" {
				t.Errorf("compare CSV %s: out-of-city Δ %q, residents %q/%q", d["team"], d["out_of_city_registered_delta"], d["resident_population_a"], d["resident_population_b"])
			}
		}
	})

	t.Run("bad dates", func(t *testing.T) {
		for _, q := range []string{"2021-13-01", "01/01/2021", "2016-01-01"} {
			for _, path := range []string{base + "/profile?date=" + q, base + "/flows?date=" + q, srv.URL + "/api/compare?a=" + cfg + "&b=" + cfg + "&date=" + q} {
				if resp, body := getTile(t, path, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), q) {
					t.Errorf("%s: %d %s, want 400 naming the date", path, resp.StatusCode, body)
				} else if strings.Contains(string(body), "wardtables") || strings.Contains(string(body), "planning:") {
					t.Errorf("%s: %s names an internal package", path, body)
				}
			}
		}
	})

	t.Run("default date known", func(t *testing.T) {
		var p apiProfile
		getJSON(t, base+"/profile", &p)
		if len(p.Unknown) != 0 || p.DataDates["registrations_by_residence"] == nil {
			t.Errorf("default date: unknown %v, data dates %v", p.Unknown, p.DataDates)
		}
		for _, u := range append(p.Teams, p.City) {
			for _, f := range flowFigures {
				if u[f] == nil {
					t.Errorf("default date: %v %s null", u["id"], f)
				}
			}
			if _, ok := u["unknown"]; ok {
				t.Errorf("default date: %v unknown %v", u["id"], u["unknown"])
			}
		}
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		getJSON(t, srv.URL+"/collections/teams-"+cfg+"/items", &fc)
		for _, f := range fc.Features {
			for _, k := range mapFlowFigures {
				if _, ok := f.Properties[k]; !ok {
					t.Errorf("default date: team %v lacks %s", f.Properties["id"], k)
				}
			}
			if f.Properties["unknown_fields"] != "" {
				t.Errorf("default date: team %v unknown_fields %q", f.Properties["id"], f.Properties["unknown_fields"])
			}
		}
	})

	t.Run("map layers on a lists-only core", func(t *testing.T) {
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		getJSON(t, listsSrv.URL+"/collections/teams-"+cfg+"/items", &fc)
		if len(fc.Features) == 0 {
			t.Fatal("no team features")
		}
		var values planning.MapValues
		getJSON(t, listsSrv.URL+"/values/"+cfg+"/teams.json", &values)
		check := func(where, id string, props map[string]any) {
			named := strings.Fields(fmt.Sprint(props["unknown_fields"]))
			for _, k := range mapFlowFigures {
				if v, ok := props[k]; ok {
					t.Errorf("%s: team %s carries unknown %s = %v", where, id, k, v)
				}
				if !slices.Contains(named, k) {
					t.Errorf("%s: team %s unknown_fields %q lacks %s", where, id, props["unknown_fields"], k)
				}
			}
			if r, ok := props["registered_population"].(float64); !ok || r <= 0 {
				t.Errorf("%s: team %s registered population %v", where, id, props["registered_population"])
			}
		}
		for _, f := range fc.Features {
			check("features", fmt.Sprint(f.Properties["id"]), f.Properties)
		}
		if len(values.Values) != len(fc.Features) {
			t.Errorf("values: %d teams, features %d", len(values.Values), len(fc.Features))
		}
		for id, props := range values.Values {
			check("values", id, props)
		}
		seen := 0
		for _, tile := range cityTiles(t, listsSrv.URL, 11) {
			resp, body := getTile(t, fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt?properties=all", listsSrv.URL, cfg, tile.Z, tile.X, tile.Y), nil)
			full := decodeTile(t, resp, body).ToFeatureCollections()
			if teams := full[planning.LayerTeams]; teams != nil {
				for _, f := range teams.Features {
					check("full tile", fmt.Sprint(f.Properties["id"]), f.Properties)
					seen++
				}
			}
		}
		if seen == 0 {
			t.Error("no full tile over the city holds a team")
		}
	})
}

// TestMinimalCityUnknownIsNotZero serves the fixture city with only ward
// and LSOA boundaries, population and deprivation (no practices, list
// sizes, registrations or catchments): every registered, flow and
// catchment figure is null with its reason in JSON, blank and named in
// unknown_fields in CSV, left out of map features and values (which say
// why), and the registered balance check is not made; the resident figures
// are there.
func TestMinimalCityUnknownIsNotZero(t *testing.T) {
	ctx := context.Background()
	st, res := importtest.Store(t, "../../data/importer/testdata/minimal/manifest.yaml")
	core, err := planning.New(ctx, planning.Config{Store: st, Dataset: res.Dataset})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { core.Close() })
	srv := httptest.NewServer(api.New(api.Config{Core: core, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}))
	t.Cleanup(srv.Close)
	cfg := res.Configurations[0].Name
	base := srv.URL + "/api/configurations/" + cfg
	unknown := append([]string{"registered_population", "registered_to_resident_ratio", "practice_count", "catchment_shares", "dominant_trust"}, flowFigures...)

	var p apiProfile
	getJSON(t, base+"/profile", &p)
	if d := p.DataDates["list_sizes"]; d != nil {
		t.Errorf("data_dates.list_sizes = %q, want null: the dataset has none", *d)
	}
	for _, u := range append(append([]map[string]any{}, p.Teams...), p.City) {
		if r, _ := u["resident_population"].(map[string]any); r == nil || r["total"].(float64) <= 0 {
			t.Errorf("%v resident population %v", u["id"], u["resident_population"])
		}
		reasons, _ := u["unknown"].(map[string]any)
		for _, f := range unknown {
			// dominant_trust, a name, is left out rather than null.
			if v, ok := u[f]; (!ok && f != "dominant_trust") || v != nil {
				t.Errorf("%v %s = %v (present %v), want null", u["id"], f, v, ok)
			}
			if why, _ := reasons[f].(string); why == "" || why != p.Unknown[f] {
				t.Errorf("%v unknown[%s] = %q, profile's %q", u["id"], f, why, p.Unknown[f])
			}
		}
	}
	for f, want := range map[string]string{"registered_population": "no practice list sizes", "out_of_city_registered": "no registrations by area of residence", "catchment_shares": "no hospital catchments"} {
		if !strings.Contains(p.Unknown[f], want) {
			t.Errorf("unknown[%s] = %q, want it to say %q", f, p.Unknown[f], want)
		}
	}

	for _, r := range getCSV(t, base+"/profile?format=csv") {
		for _, f := range []string{"registered_population", "practice_count", "out_of_city_registered", "local_registration_share"} {
			if v, ok := r[f]; !ok || v != "" {
				t.Errorf("CSV %s %s = %q (column present %v), want a blank cell", r["id"], f, v, ok)
			}
			if !slices.Contains(strings.Fields(r["unknown_fields"]), f) {
				t.Errorf("CSV %s unknown_fields %q lacks %s", r["id"], r["unknown_fields"], f)
			}
		}
		if r["resident_population"] == "" || r["resident_population"] == "0" {
			t.Errorf("CSV %s resident population %q", r["id"], r["resident_population"])
		}
	}

	var m struct {
		Rows    *[][]float64 `json:"rows"`
		Unknown string       `json:"unknown"`
		Date    string       `json:"date"`
	}
	getJSON(t, base+"/flows", &m)
	if m.Rows != nil || m.Unknown == "" || m.Date != "" {
		t.Errorf("flows: rows %v, unknown %q, date %q", m.Rows, m.Unknown, m.Date)
	}

	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, srv.URL+"/collections/teams-"+cfg+"/items", &fc)
	if len(fc.Features) != len(p.Teams) {
		t.Fatalf("%d team features, %d teams", len(fc.Features), len(p.Teams))
	}
	for _, f := range fc.Features {
		named := strings.Fields(fmt.Sprint(f.Properties["unknown_fields"]))
		for _, k := range []string{"registered_population", "practice_count", "local_registration_share", "out_of_city_registered"} {
			if v, ok := f.Properties[k]; ok {
				t.Errorf("team feature %v carries unknown %s = %v", f.Properties["id"], k, v)
			}
			if !slices.Contains(named, k) {
				t.Errorf("team feature %v unknown_fields %q lacks %s", f.Properties["id"], f.Properties["unknown_fields"], k)
			}
		}
	}
	// Wards too: no registered population (never 0), density from
	// residents and area.
	getJSON(t, srv.URL+"/collections/wards/items", &fc)
	for _, f := range fc.Features {
		p := f.Properties
		if v, ok := p["registered_population"]; ok || !slices.Contains(strings.Fields(fmt.Sprint(p["unknown_fields"])), "registered_population") {
			t.Errorf("ward %v registered_population = %v (present %v), unknown_fields %q", p["code"], v, ok, p["unknown_fields"])
		}
		res, _ := p["resident_population"].(float64)
		area, _ := p["area_km2"].(float64)
		if d, _ := p["density_per_km2"].(float64); res <= 0 || area <= 0 || math.Abs(d-res/area) > 1e-5*d { // map figures have 6 significant digits
			t.Errorf("ward %v density %v, residents %v over %v km²", p["code"], p["density_per_km2"], res, area)
		}
	}
	var values planning.MapValues
	getJSON(t, srv.URL+"/values/"+cfg+"/teams.json", &values)
	for _, k := range []string{"registered_population", "out_of_city_registered"} {
		if values.Unknown[k] != p.Unknown[k] {
			t.Errorf("values unknown[%s] = %q, the profile's %q", k, values.Unknown[k], p.Unknown[k])
		}
	}

	var ev struct {
		Checks struct {
			Failing    []string          `json:"failing"`
			Unknown    map[string]string `json:"unknown"`
			Registered struct {
				Unknown string `json:"unknown"`
			} `json:"registered_balance"`
		} `json:"checks"`
	}
	resp, body := post(t, base+"/evaluate", "application/json", strings.NewReader(`{"moves": []}`))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("evaluate: %d %s", resp.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Checks.Registered.Unknown == "" || ev.Checks.Unknown["registered_balance"] == "" || slices.Contains(ev.Checks.Failing, "registered_balance") {
		t.Errorf("evaluate's checks: registered balance unknown %q, unknown %v, failing %v", ev.Checks.Registered.Unknown, ev.Checks.Unknown, ev.Checks.Failing)
	}
}
