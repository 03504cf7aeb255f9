package page_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// panelShown is what testdata/panel.mjs read from the profile panel.
type panelShown struct {
	Team   string `json:"team"`
	Charts string `json:"charts"`
	Rows   []struct {
		Label   string   `json:"label"`
		Field   string   `json:"field"`
		Value   *float64 `json:"value"`
		Text    string   `json:"text"`
		Title   string   `json:"title"`
		Unknown string   `json:"unknown"`
	} `json:"rows"`
	TableMarks        []string            `json:"tableMarks"`
	ChartMarks        []string            `json:"chartMarks"`
	Resident          *float64            `json:"resident"`
	Registered        *float64            `json:"registered"`
	RegisteredUnknown string              `json:"registeredUnknown"`
	Local             *float64            `json:"local"`
	OutOfCity         *float64            `json:"outOfCity"`
	Bands             map[string]*float64 `json:"bands"`
	BandsCity         map[string]*float64 `json:"bandsCity"`
	Quintiles         map[string]*float64 `json:"quintiles"`
	QuintilesCity     map[string]*float64 `json:"quintilesCity"`
	Trusts            map[string]*float64 `json:"trusts"`
	CatchmentUnknown  string              `json:"catchmentUnknown"`
	Notes             string              `json:"notes"`
	Imgs              []string            `json:"imgs"`
	Whiskers          []whiskerShown      `json:"whiskers"`
	NewRequests       []string            `json:"newRequests"`
}

type whiskerShown struct {
	Indicator string   `json:"indicator"`
	Team      string   `json:"team"`
	Value     *float64 `json:"value"`
	Lower     *float64 `json:"lower"`
	Upper     *float64 `json:"upper"`
	City      *float64 `json:"city"`
	Modelled  bool     `json:"modelled"`
	Label     string   `json:"label"`
}

// panelUnit is the part of a profile unit the panel draws.
type panelUnit struct {
	ID                 string `json:"id"`
	ResidentPopulation struct {
		Total     float64 `json:"total"`
		Age0to15  float64 `json:"age_0_15"`
		Age16to59 float64 `json:"age_16_59"`
		Age60Plus float64 `json:"age_60_plus"`
	} `json:"resident_population"`
	IMDQuintilePopulation  []float64 `json:"imd_quintile_population"`
	RegisteredPopulation   *float64  `json:"registered_population"`
	PracticeCount          *float64  `json:"practice_count"`
	LocalRegistrationShare *float64  `json:"local_registration_share"`
	OutOfCityRegistered    *float64  `json:"out_of_city_registered"`
	IMDWeightedScore       *float64  `json:"imd_weighted_score"`
	AreaKm2                float64   `json:"area_km2"`
	CatchmentShares        []struct {
		Trust string  `json:"trust"`
		Share float64 `json:"share"`
	} `json:"catchment_shares"`
	ModelledFields []string          `json:"modelled_fields"`
	Unknown        map[string]string `json:"unknown"`
}

// indicatorFigures is the part of GET .../indicators/{id} the whisker draws.
type indicatorFigures struct {
	Modelled bool            `json:"modelled"`
	City     indicatorFigure `json:"city"`
	Teams    []indicatorFigure
}

type indicatorFigure struct {
	ID    string   `json:"id"`
	Value *float64 `json:"value"`
	Lower *float64 `json:"lower"`
	Upper *float64 `json:"upper"`
}

// The fields the panel's table shows, in order, and those its charts mark.
var (
	panelTableFields = []string{"resident_population", "age_60_plus", "registered_population", "practice_count",
		"local_registration_share", "out_of_city_registered", "imd_weighted_score", "area_km2"}
	panelChartFields = []string{"resident_population", "registered_population", "catchment_shares",
		"local_registration_share", "out_of_city_registered"}
)

// TestMapPagePanelCharts serves the demo city and drives
// testdata/panel.mjs: a team opened from the legend shows its profile
// table and small charts, each chart's data equal to the profile API's
// figures for the team (resident and registered population, age-band and
// IMD-quintile shares with the city's as ticks, catchment shares, local
// registration share, out-of-city patients); the modelled mark is on
// exactly the shown fields the unit's modelled_fields lists; an
// indicator's whisker holds the team's value and 95% interval and the
// city's value from the indicator API, marked modelled exactly when the
// indicator is; a second team reuses the cached indicators (no new
// request); unknown figures (set in the page) show a dash and why.
// Screenshots go to $PLACETEAM_ARTIFACTS/TestMapPagePanelCharts or a
// temporary directory.
func TestMapPagePanelCharts(t *testing.T) {
	env := setupBrowser(t)
	base := startServer(t, env.bin, env.root, filepath.Join(t.TempDir(), "demo.db"))
	cfg := base + "/api/configurations/demo-baseline"

	var profile struct {
		Teams []panelUnit `json:"teams"`
		City  panelUnit   `json:"city"`
	}
	getJSON(t, cfg+"/profile?version=1", &profile)
	if len(profile.Teams) < 2 {
		t.Fatalf("demo-baseline has %d teams", len(profile.Teams))
	}
	indicators := map[string]indicatorFigures{}
	for _, id := range []string{"income-deprivation", "emergency-admissions"} {
		var r indicatorFigures
		getJSON(t, cfg+"/indicators/"+id+"?version=1", &r)
		indicators[id] = r
	}
	if !indicators["emergency-admissions"].Modelled || indicators["income-deprivation"].Modelled {
		t.Fatalf("want emergency-admissions modelled and income-deprivation not (the mark checks would check nothing): %v, %v",
			indicators["emergency-admissions"].Modelled, indicators["income-deprivation"].Modelled)
	}

	var res struct {
		LoadMs int `json:"loadMs"`
		Steps  struct {
			BeforePanel []string   `json:"beforePanel"`
			A           panelShown `json:"a"`
			B           panelShown `json:"b"`
			Unknown     panelShown `json:"unknown"`
			Restored    panelShown `json:"restored"`
			Requests    []string   `json:"requests"`
			Overflow    bool       `json:"sideOverflow"`
			PageScrolls bool       `json:"pageScrolls"`
		} `json:"steps"`
		Errors []string `json:"errors"`
	}
	env.run(t, "panel.mjs", base, &res)
	t.Logf("page load %d ms; screenshots in %s; indicator requests %v", res.LoadMs, env.out, res.Steps.Requests)
	if len(res.Errors) > 0 {
		t.Errorf("page errors: %v", res.Errors)
	}
	// Requests for one indicator's figures (the list, /api/indicators, is
	// also asked for by the choropleth panel).
	figures := func(reqs []string) (n int) {
		for _, r := range reqs {
			if strings.Contains(r, "/api/configurations/") {
				n++
			}
		}
		return n
	}
	if figures(res.Steps.BeforePanel) > 0 {
		t.Errorf("indicator figures fetched before any panel was shown: %v", res.Steps.BeforePanel)
	}
	if _, err := os.Stat(filepath.Join(env.out, "panel.png")); err != nil {
		t.Errorf("no screenshot: %v", err)
	}
	if res.Steps.Overflow {
		t.Error("the side panel scrolls sideways with the charts in it")
	}
	if res.Steps.PageScrolls {
		t.Error("with the charts shown the page is taller than the window: it scrolls, and the map with it")
	}

	a, b := profile.Teams[0], profile.Teams[1]
	checkPanel(t, "first team", res.Steps.A, a, profile.City, indicators, []string{"income-deprivation", "emergency-admissions"})
	checkPanel(t, "second team", res.Steps.B, b, profile.City, indicators, []string{"emergency-admissions", "income-deprivation"})
	checkPanel(t, "second team again", res.Steps.Restored, b, profile.City, nil, nil)
	if len(res.Steps.B.NewRequests) > 0 {
		t.Errorf("the second team's indicators were fetched again (not cached per version and indicator): %v", res.Steps.B.NewRequests)
	}
	if n := figures(res.Steps.Requests); n != 2 {
		t.Errorf("%d indicator figure requests, want 2 (two indicators once each): %v", n, res.Steps.Requests)
	}
	if n := len(res.Steps.Requests) - len(res.Steps.BeforePanel) - 2; n > 1 {
		t.Errorf("the indicator list asked for %d times by the panel, want at most once: %v", n, res.Steps.Requests)
	}

	// Unknown figures: a dash and the reason, in the table and the charts.
	u := res.Steps.Unknown
	found := false
	for _, r := range u.Rows {
		if r.Field != "registered_population" {
			continue
		}
		found = true
		if r.Value != nil || !strings.HasPrefix(r.Text, "–") || !strings.Contains(r.Title, "no practice could be placed (test)") ||
			r.Unknown != "no practice could be placed (test)" {
			t.Errorf("unknown registered population shown as %+v, want – with the reason", r)
		}
	}
	if !found {
		t.Error("the table skips the unknown registered population")
	}
	if !strings.Contains(u.Notes, "no practice could be placed (test)") {
		t.Errorf("footnotes %q lack the unknown figure's reason", u.Notes)
	}
	if u.Registered != nil || u.RegisteredUnknown != "no practice could be placed (test)" {
		t.Errorf("population chart: registered %v, unknown %q; want no value and the reason", deref1(u.Registered), u.RegisteredUnknown)
	}
	if len(u.Trusts) != 0 || u.CatchmentUnknown != "the dataset has no catchments (test)" {
		t.Errorf("catchment chart with unknown shares: bars %v, unknown %q", u.Trusts, u.CatchmentUnknown)
	}
}

func deref1(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// checkPanel checks one team's table and charts against the profile, and
// each whisker (in the order chosen) against its indicator.
func checkPanel(t *testing.T, step string, got panelShown, want, city panelUnit, indicators map[string]indicatorFigures, chosen []string) {
	t.Helper()
	if got.Team != want.ID || got.Charts != want.ID {
		t.Fatalf("%s: the panel shows %q, its charts %q, want %s", step, got.Team, got.Charts, want.ID)
	}
	within := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	eq := func(what string, got *float64, want *float64) {
		t.Helper()
		switch {
		case got == nil && want == nil:
		case got == nil || want == nil || !within(*got, *want):
			t.Errorf("%s: %s shows %v, API says %v", step, what, deref1(got), deref1(want))
		}
	}
	f := func(v float64) *float64 { return &v }

	// The table: every row, in order, unknown ones too.
	fields := []string{}
	tableWant := map[string]*float64{"resident_population": f(want.ResidentPopulation.Total), "age_60_plus": f(want.ResidentPopulation.Age60Plus),
		"registered_population": want.RegisteredPopulation, "practice_count": want.PracticeCount,
		"local_registration_share": want.LocalRegistrationShare, "out_of_city_registered": want.OutOfCityRegistered,
		"imd_weighted_score": want.IMDWeightedScore, "area_km2": f(want.AreaKm2)}
	for _, r := range got.Rows {
		fields = append(fields, r.Field)
		eq("table "+r.Label, r.Value, tableWant[r.Field])
	}
	if !slices.Equal(fields, panelTableFields) {
		t.Errorf("%s: table rows %v, want %v", step, fields, panelTableFields)
	}

	// Modelled marks: exactly the shown fields modelled_fields lists.
	marks := func(shown []string) []string {
		var m []string
		for _, f := range shown {
			if slices.Contains(want.ModelledFields, f) {
				m = append(m, f)
			}
		}
		sort.Strings(m)
		return m
	}
	sortedCopy := func(s []string) []string { s = slices.Clone(s); sort.Strings(s); return s }
	if w := marks(panelTableFields); len(w) == 0 || !slices.Equal(sortedCopy(got.TableMarks), w) {
		t.Errorf("%s: table marks modelled %v, want %v (modelled_fields %v)", step, got.TableMarks, w, want.ModelledFields)
	}
	if w := marks(panelChartFields); len(w) == 0 || !slices.Equal(sortedCopy(got.ChartMarks), w) {
		t.Errorf("%s: charts mark modelled %v, want %v (modelled_fields %v)", step, got.ChartMarks, w, want.ModelledFields)
	}

	// The charts' data.
	eq("resident bar", got.Resident, f(want.ResidentPopulation.Total))
	eq("registered bar", got.Registered, want.RegisteredPopulation)
	eq("local registration bar", got.Local, want.LocalRegistrationShare)
	eq("out-of-city bar", got.OutOfCity, want.OutOfCityRegistered)
	p, c := want.ResidentPopulation, city.ResidentPopulation
	for band, v := range map[string][2]float64{"age_0_15": {p.Age0to15, c.Age0to15}, "age_16_59": {p.Age16to59, c.Age16to59},
		"age_60_plus": {p.Age60Plus, c.Age60Plus}} {
		eq("age band "+band, got.Bands[band], f(v[0]/p.Total))
		eq("city tick of age band "+band, got.BandsCity[band], f(v[1]/c.Total))
	}
	if len(got.Bands) != 3 {
		t.Errorf("%s: age bands %v, want 3", step, got.Bands)
	}
	sum := func(q []float64) (s float64) {
		for _, v := range q {
			s += v
		}
		return s
	}
	if len(want.IMDQuintilePopulation) != 5 || len(got.Quintiles) != 5 {
		t.Errorf("%s: IMD quintile bars %v for %v", step, got.Quintiles, want.IMDQuintilePopulation)
	}
	for i, v := range want.IMDQuintilePopulation {
		q := fmt.Sprint(i + 1)
		eq("IMD quintile "+q, got.Quintiles[q], f(v/sum(want.IMDQuintilePopulation)))
		eq("city tick of IMD quintile "+q, got.QuintilesCity[q], f(city.IMDQuintilePopulation[i]/sum(city.IMDQuintilePopulation)))
	}
	if len(want.CatchmentShares) == 0 {
		t.Errorf("%s: the demo team has no catchment shares: the check checks nothing", step)
	}
	if len(got.Trusts) != len(want.CatchmentShares) {
		t.Errorf("%s: catchment bars %v, API %v", step, got.Trusts, want.CatchmentShares)
	}
	for _, s := range want.CatchmentShares {
		eq("catchment share "+s.Trust, got.Trusts[s.Trust], f(s.Share))
	}

	// Whiskers.
	if len(got.Whiskers) != len(chosen) {
		t.Fatalf("%s: %d whiskers read, want %d", step, len(got.Whiskers), len(chosen))
	}
	for i, id := range chosen {
		w, r := got.Whiskers[i], indicators[id]
		if w.Indicator != id || w.Team != want.ID {
			t.Errorf("%s: whisker %d is %s for %s, want %s for %s", step, i, w.Indicator, w.Team, id, want.ID)
			continue
		}
		var fig *indicatorFigure
		for j := range r.Teams {
			if r.Teams[j].ID == want.ID {
				fig = &r.Teams[j]
			}
		}
		if fig == nil || fig.Value == nil || fig.Lower == nil || fig.Upper == nil {
			t.Errorf("%s: indicator %s has no interval for %s: nothing to check", step, id, want.ID)
			continue
		}
		eq(id+" value", w.Value, fig.Value)
		eq(id+" lower", w.Lower, fig.Lower)
		eq(id+" upper", w.Upper, fig.Upper)
		eq(id+" city", w.City, r.City.Value)
		if !(*w.Lower <= *w.Value && *w.Value <= *w.Upper) {
			t.Errorf("%s: %s whisker %v not within [%v, %v]", step, id, *w.Value, *w.Lower, *w.Upper)
		}
		if w.Modelled != r.Modelled {
			t.Errorf("%s: %s marked modelled %v, the API says %v", step, id, w.Modelled, r.Modelled)
		}
		if !strings.Contains(w.Label, "95% interval") {
			t.Errorf("%s: %s whisker's accessible name %q", step, id, w.Label)
		}
	}
}
