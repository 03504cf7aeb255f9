// Package page is placeteam's map page: its own HTML, JavaScript and CSS,
// embedded in the binary, and MapLibre GL JS served from the npm install
// (node_modules) on disk, since third-party code is not kept in the repo.
package page

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

//go:embed assets
var embedded embed.FS

// InstallHint says how to get the missing browser library.
const InstallHint = "run `npm ci` in the placeteam repository (it installs maplibre-gl into node_modules), then restart serve or pass --assets DIR"

// maplibreDist is where maplibre-gl's plain-script build sits under an
// assets (node_modules) directory.
const maplibreDist = "maplibre-gl/dist"

// Config configures the page. Zero values are the defaults.
type Config struct {
	// AssetsDir is a node_modules directory holding maplibre-gl; empty:
	// FindAssets from the working directory.
	AssetsDir string
}

// Page serves the map page: / (the HTML) and /map/… (scripts, styles).
type Page struct {
	vendor  string // maplibre-gl/dist directory, "" when missing
	missing string // why the library is missing, "" when present
	static  fs.FS
}

// New builds the page. It never fails: without the library the page still
// loads and says how to install it (see Missing).
func New(cfg Config) *Page {
	static, err := fs.Sub(embedded, "assets")
	if err != nil {
		static = embedded // unreachable: the directory is embedded
	}
	p := &Page{static: static}
	dir := cfg.AssetsDir
	if dir == "" {
		dir = FindAssets(".")
	}
	if dir == "" {
		p.missing = "page: maplibre-gl not found in any node_modules above the working directory; " + InstallHint
		return p
	}
	vendor := filepath.Join(dir, maplibreDist)
	if _, err := os.Stat(filepath.Join(vendor, "maplibre-gl.js")); err != nil {
		p.missing = fmt.Sprintf("page: %s lacks maplibre-gl.js; %s", vendor, InstallHint)
		return p
	}
	p.vendor = vendor
	return p
}

// Missing is empty when the page can show a map, else the reason and the
// install step (serve logs it).
func (p *Page) Missing() string { return p.missing }

// FindAssets looks for node_modules/maplibre-gl in from and each parent
// directory and returns that node_modules path, or "".
func FindAssets(from string) string {
	dir, err := filepath.Abs(from)
	if err != nil {
		return ""
	}
	for {
		candidate := filepath.Join(dir, "node_modules")
		if _, err := os.Stat(filepath.Join(candidate, maplibreDist, "maplibre-gl.js")); err == nil {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// vendorFiles are the only files served from the library's directory.
var vendorFiles = map[string]string{
	"maplibre-gl.js":  "text/javascript; charset=utf-8",
	"maplibre-gl.css": "text/css; charset=utf-8",
}

// ServeHTTP answers / with the page and /map/{file} with its assets.
func (p *Page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == "/" || path == "":
		p.index(w, r)
	case strings.HasPrefix(path, "/map/vendor/"):
		name := strings.TrimPrefix(path, "/map/vendor/")
		ct, ok := vendorFiles[name]
		if !ok || p.vendor == "" {
			http.Error(w, "page: no such file; "+InstallHint, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeFile(w, r, filepath.Join(p.vendor, name))
	case strings.HasPrefix(path, "/map/"):
		name := strings.TrimPrefix(path, "/map/")
		data, err := fs.ReadFile(p.static, name)
		if err != nil || name == "index.html" {
			http.Error(w, "page: no such file", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", contentType(name))
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(data)
	default:
		http.NotFound(w, r)
	}
}

func (p *Page) index(w http.ResponseWriter, _ *http.Request) {
	data, err := fs.ReadFile(p.static, "index.html")
	if err != nil {
		http.Error(w, "page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	html := string(data)
	if p.missing != "" {
		notice := `<div id="install" role="alert"><strong>The map library is not installed.</strong> ` +
			`Run <code>npm ci</code> in the placeteam repository, then restart <code>placeteam serve</code> ` +
			`(or pass <code>--assets</code> the node_modules directory).</div>`
		html = strings.Replace(html, "<!--install-->", notice, 1)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write([]byte(html))
}

func contentType(name string) string {
	switch filepath.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	}
	return "application/octet-stream"
}
