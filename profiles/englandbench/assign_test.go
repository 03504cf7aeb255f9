package englandbench

import (
	"fmt"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/geo/areaindex"
)

// assignment places LSOAs and practices in wards from geometry alone, as
// the importer does: the ward containing each LSOA's interior point and the
// ward containing each practice's point ("" when none does).
type assignment struct {
	lsoaWards     []string
	practiceWards []string
}

func assign(d *dataset.Dataset) assignment {
	areas := make([]areaindex.Area, len(d.Wards))
	for i, w := range d.Wards {
		areas[i] = areaindex.Area{Code: w.Code, Geometry: w.Geometry}
	}
	ix := areaindex.New(areas)
	a := assignment{lsoaWards: make([]string, len(d.LSOAs)), practiceWards: make([]string, len(d.Practices))}
	for i, l := range d.LSOAs {
		a.lsoaWards[i], _ = ix.Locate(areaindex.InteriorPoint(l.Geometry))
	}
	for i, p := range d.Practices {
		a.practiceWards[i], _ = ix.Locate(p.Location)
	}
	return a
}

// maxDisagreements bounds the list disagreements returns.
const maxDisagreements = 10

// disagreements lists (up to maxDisagreements) the LSOAs and practices
// whose assigned ward differs from the ward the dataset gives them.
func (a assignment) disagreements(d *dataset.Dataset) []string {
	var out []string
	add := func(what, code, got, want string) {
		if got != want && len(out) < maxDisagreements {
			out = append(out, fmt.Sprintf("%s %s: located in ward %q, dataset says %q", what, code, got, want))
		}
	}
	for i, l := range d.LSOAs {
		add("LSOA", l.Code, a.lsoaWards[i], l.WardCode)
	}
	for i, p := range d.Practices {
		add("practice", p.Code, a.practiceWards[i], p.WardCode)
	}
	return out
}
