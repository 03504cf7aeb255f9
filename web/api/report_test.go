package api_test

import (
	"strings"
	"testing"
)

// TestPlaceReport: the report is HTML with each team, a team's report is
// that team's, and it loads nothing from elsewhere.
func TestPlaceReport(t *testing.T) {
	srv, base := server(t)
	team := base.Localities[0].Teams[0]
	other := base.Localities[1].Teams[0]
	resp, body := do(t, srv, exchange{"report", "GET", "/api/configurations/demo-baseline/report", nil, "", 200, "text/html",
		[]string{"<!DOCTYPE html>", `id="team-` + team.ID + `"`, `id="team-` + other.ID + `"`, "Sources and licences", "@page { size: A4"}})
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for _, bad := range []string{`src="http`, `href="http`, "<script", "<link"} {
		if strings.Contains(body, bad) {
			t.Errorf("the report has %q", bad)
		}
	}
	_, body = do(t, srv, exchange{"one team", "GET", "/api/configurations/demo-baseline/report?team=" + team.ID + "&version=1", nil, "", 200, "text/html",
		[]string{`id="team-` + team.ID + `"`}})
	if strings.Contains(body, `id="team-`+other.ID+`"`) {
		t.Errorf("the report of %s has team %s", team.ID, other.ID)
	}
	do(t, srv, exchange{"unknown team", "GET", "/api/configurations/demo-baseline/report?team=ZZ9", nil, "", 404, problemCT, []string{"ZZ9"}})
	do(t, srv, exchange{"unknown configuration", "GET", "/api/configurations/nope/report", nil, "", 404, problemCT, nil})
}
