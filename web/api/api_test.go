package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/placeteam/placeteam/data/dataset"
)

type fakeCatalog struct {
	infos []ConfigurationInfo
	err   error
}

func (f fakeCatalog) Configurations(context.Context) ([]ConfigurationInfo, error) {
	return f.infos, f.err
}

func TestEndpoints(t *testing.T) {
	summary := dataset.Summary{Name: "demo", City: dataset.Area{Code: "E08999001", Name: "Demoport"}, Wards: 32}
	ok := New(Config{Summary: summary, Catalog: fakeCatalog{infos: []ConfigurationInfo{{Name: "demo-baseline", Version: 1, Teams: 12, Localities: 3}}}})
	broken := New(Config{Summary: summary, Catalog: fakeCatalog{err: errors.New("disk gone")}})
	tests := []struct {
		name        string
		handler     http.Handler
		method      string
		path        string
		status      int
		contentType string
		check       func(t *testing.T, body map[string]any)
	}{
		{"health", ok, "GET", "/healthz", 200, "application/json; charset=utf-8", func(t *testing.T, b map[string]any) {
			if b["status"] != "ok" {
				t.Errorf("status = %v", b["status"])
			}
		}},
		{"summary", ok, "GET", "/api/summary", 200, "application/json; charset=utf-8", func(t *testing.T, b map[string]any) {
			if b["name"] != "demo" || b["wards"] != float64(32) {
				t.Errorf("body = %v", b)
			}
			cfgs := b["configurations"].([]any)
			if len(cfgs) != 1 || cfgs[0].(map[string]any)["name"] != "demo-baseline" {
				t.Errorf("configurations = %v", cfgs)
			}
		}},
		{"unknown path", ok, "GET", "/nope", 404, "application/problem+json", func(t *testing.T, b map[string]any) {
			if b["status"] != float64(404) || b["detail"] != "no resource at /nope" {
				t.Errorf("problem = %v", b)
			}
		}},
		{"wrong method", ok, "DELETE", "/healthz", 405, "application/problem+json", func(t *testing.T, b map[string]any) {
			if b["title"] != "Method Not Allowed" {
				t.Errorf("problem = %v", b)
			}
		}},
		{"store failure", broken, "GET", "/api/summary", 500, "application/problem+json", func(t *testing.T, b map[string]any) {
			if b["status"] != float64(500) {
				t.Errorf("problem = %v", b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.handler.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.contentType)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, rec.Body)
			}
			tt.check(t, body)
		})
	}
}
