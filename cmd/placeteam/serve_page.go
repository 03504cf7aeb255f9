package main

import (
	"log/slog"
	"net/http"

	"github.com/placeteam/placeteam/web/page"
)

// mapPage builds the map page served at /, logging how to install the map
// library when it is missing (the page then says the same).
func mapPage(assetsDir string, logger *slog.Logger) http.Handler {
	p := page.New(page.Config{AssetsDir: assetsDir})
	if msg := p.Missing(); msg != "" {
		logger.Warn("map page without its map library", "reason", msg)
	}
	return p
}
