// Package report renders a place-profile report: one self-contained HTML
// page (inline CSS and SVG, no external resource) that prints on A4, for
// one team or locality or for a whole boundary option (the city, each
// locality and each team). Each unit gets its figures beside the city's,
// charts (resident and registered population, age bands, national IMD
// quintiles, registration flows, acute-trust catchments), its indicators
// with their 95% intervals, and a map of its dissolved wards among the
// city's. Every modelled figure is marked, every unknown one says why,
// and the sources are listed with their attribution and licence.
package report

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// Input is what a report shows.
type Input struct {
	Profile *placeprofile.Profile
	// Version is the configuration's version number.
	Version int
	// Selected is the id of the one team or locality the report is about;
	// empty for the whole option.
	Selected string
	// Indicators are the indicator profiles of the configuration (one per
	// indicator, in the order to show).
	Indicators []*indicatorprofile.Result
	// Wards are the city's wards, drawn under every map.
	Wards []Area
	// Shapes are the dissolved units by ShapeKey(level, id).
	Shapes  map[string]orb.Geometry
	Sources []dataset.Source
	// Generated is when the report was made (shown in its footer).
	Generated time.Time
}

// Area is a named geometry (lon/lat).
type Area struct {
	Code, Name string
	Geometry   orb.Geometry
}

// ShapeKey keys Input.Shapes: "team:N1", "locality:N".
func ShapeKey(level, id string) string { return level + ":" + id }

// ErrNoSuchUnit is wrapped when Selected names no team or locality.
var ErrNoSuchUnit = errors.New("report: no such team or locality")

// Render writes the report as HTML.
func Render(w io.Writer, in Input) error {
	if in.Profile == nil {
		return errors.New("report: no profile")
	}
	p, err := newPage(in)
	if err != nil {
		return err
	}
	if err := pageTemplate.Execute(w, p); err != nil {
		return fmt.Errorf("report: render: %w", err)
	}
	return nil
}
