package api

import "testing"

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                   false,
		"gzip":               true,
		"gzip, deflate, br":  true,
		"br;q=1.0, gzip;q=0": false,
		"gzip;Q=0":           false,
		"gzip;q=0.001":       true,
		"*":                  true,
		"*;q=0, gzip":        true,
		"gzip;q=0, *":        false,
		"identity":           false,
		"deflate, *;q=0":     false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("Accept-Encoding %q: %v, want %v", header, got, want)
		}
	}
}

func TestAcceptsJSON(t *testing.T) {
	for header, want := range map[string]bool{
		"application/json":                 true,
		"application/geo+json":             true,
		"text/html, */*;q=0.8":             true,
		"text/html":                        false,
		"application/json;q=0":             false,
		"application/*":                    true,
		"text/html;q=0.9, application/xml": false,
		"APPLICATION/JSON; charset=utf-8":  true,
	} {
		if got := acceptsJSON(header); got != want {
			t.Errorf("Accept %q: %v, want %v", header, got, want)
		}
	}
}

func TestAcceptEntries(t *testing.T) {
	got := acceptEntries(`Text/HTML;level=1;q=0, application/json; q=0.000, gzip;Q=0.5, */* ; q = 0 , br`)
	want := []acceptEntry{{"text/html", true}, {"application/json", true}, {"gzip", false}, {"*/*", true}, {"br", false}}
	if len(got) != len(want) {
		t.Fatalf("%d entries %v, want %v", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
