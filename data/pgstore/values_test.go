package pgstore

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/data/store/storetest"
)

// TestAwkwardValues: values the fixture does not try come back exactly:
// a clockwise outer ring with an anticlockwise hole (PostGIS must not
// reorient it), negative zero, a subnormal and the float below 180 (bit for
// bit), non-ASCII and quoting characters, days before 1900 and after 2038,
// NaN coordinates and IMD score.
func TestAwkwardValues(t *testing.T) {
	ctx := context.Background()
	s, _ := openFresh(t)
	d := storetest.Dataset()
	clockwise := orb.Ring{{-2.3, 53.4}, {-2.3, 53.5}, {-2.2, 53.5}, {-2.2, 53.4}, {-2.3, 53.4}}
	hole := orb.Ring{{-2.28, 53.42}, {-2.26, 53.42}, {-2.26, 53.44}, {-2.28, 53.44}, {-2.28, 53.42}}
	d.Wards[0].Geometry = orb.MultiPolygon{{clockwise, hole}}
	d.Wards[0].Name = `Ancoats "& Beswick' \ Ümlaut — 曼彻斯特`
	d.MSOAs[0].Geometry = orb.MultiPolygon{{{{math.Copysign(0, -1), 5e-324}, {179.99999999999997, 0}, {179.99999999999997, 1}, {math.Copysign(0, -1), 5e-324}}}}
	d.Practices[0].Opened = dataset.Day(1899, time.December, 31)
	d.Practices[0].Closed = dataset.Day(2100, time.February, 28)
	d.Practices[2].Location = orb.Point{math.NaN(), math.NaN()}
	d.LSOAs[1].Deprivation[1].Score = math.NaN()
	if err := s.ReplaceDataset(ctx, d, nil, store.ImportRecord{Manifest: "m"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// NaN is never DeepEqual to itself: check and set the NaNs aside.
	nanPoint := got.Practices[2].Location
	nanScore := got.LSOAs[1].Deprivation[1].Score
	if !math.IsNaN(nanPoint.Lon()) || !math.IsNaN(nanPoint.Lat()) || !math.IsNaN(nanScore) {
		t.Errorf("NaN came back as %v and %v", nanPoint, nanScore)
	}
	got.Practices[2].Location, d.Practices[2].Location = orb.Point{}, orb.Point{}
	got.LSOAs[1].Deprivation[1].Score, d.LSOAs[1].Deprivation[1].Score = 0, 0
	storetest.DeepEqual(t, "dataset", got, d)
	if x := got.MSOAs[0].Geometry[0][0][0][0]; math.Float64bits(x) != math.Float64bits(math.Copysign(0, -1)) {
		t.Errorf("negative zero came back as %v (bits %x)", x, math.Float64bits(x))
	}
}

// TestSmallDataset: a dataset with only what Validate requires gives back
// nil for every empty slice.
func TestSmallDataset(t *testing.T) {
	ctx := context.Background()
	s, _ := openFresh(t)
	d := &dataset.Dataset{
		Name: "tiny",
		City: dataset.Area{Code: "E08000003", Name: "Tiny"},
		Wards: []dataset.Ward{{Code: "W1", Name: "One",
			Geometry: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}}},
	}
	if err := d.Validate(); err != nil {
		t.Skipf("the minimal dataset is not valid: %v", err)
	}
	if err := s.ReplaceDataset(ctx, d, nil, store.ImportRecord{Manifest: "m"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	storetest.DeepEqual(t, "dataset", got, d)
}
