package wardtables

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/geo/areaindex"
	"github.com/placeteam/placeteam/profiles/gravity"
)

// flows builds the residence-ward × practice-ward matrix. Real practice ×
// LSOA registrations are used as they are. When the dataset has only
// practice × district counts, the within-district split is estimated with the
// gravity model (profiles/gravity), which reproduces every practice ×
// district total it is given; the matrix is then marked modelled.
func (t *Tables) flows(ctx context.Context, ds *dataset.Dataset, date time.Time, decay float64) error {
	out := t.Outside()
	b := newMatrixBuilder(out + 1)
	// Patients who live outside the city and are registered outside it are
	// not the city's flows: the (outside, outside) cell stays empty.
	b.skip = [2]int{out, out}
	t.Residence = map[string]map[int]float64{}
	reside := func(practice string, row int, n float64) {
		m := t.Residence[practice]
		if m == nil {
			m = map[int]float64{}
			t.Residence[practice] = m
		}
		m[row] += n
	}
	practiceWard := map[string]int{}
	for _, p := range ds.Practices {
		if w, ok := t.index[p.WardCode]; ok {
			practiceWard[p.Code] = w
		}
	}
	col := func(practice string) int {
		if w, ok := practiceWard[practice]; ok {
			return w
		}
		return out
	}
	lsoaWard := map[string]int{}
	for _, l := range ds.LSOAs {
		if w, ok := t.index[l.WardCode]; ok {
			lsoaWard[l.Code] = w
		} else {
			lsoaWard[l.Code] = out
		}
	}
	level := registrationLevel(ds, date)
	var sources []string
	addSource := func(s string) {
		if !slices.Contains(sources, s) {
			sources = append(sources, s)
		}
	}
	switch level {
	case "":
		t.FlowModel = FlowModel{Kind: "none"}
		t.Flows = b.build()
		t.Residence = nil // no flows: the resident lens is not available
		return nil
	case dataset.AreaLSOA:
		modelledSource := map[string]bool{}
		for _, src := range ds.Sources {
			modelledSource[src.ID] = src.Modelled
		}
		for _, r := range ds.Registrations {
			if !r.Date.Equal(date) || r.AreaLevel != dataset.AreaLSOA {
				continue
			}
			row, ok := lsoaWard[r.AreaCode]
			if !ok {
				row = out
				if col(r.PracticeCode) != out {
					t.FlowModel.OutsideDatasetResidents += float64(r.Patients)
				}
			}
			b.add(row, col(r.PracticeCode), float64(r.Patients))
			reside(r.PracticeCode, row, float64(r.Patients))
			addSource(r.Source)
			if modelledSource[r.Source] {
				// Registrations a generator made (the demo city) are
				// used as they are, but they are still estimates.
				t.FlowModel.Modelled = true
			}
		}
		t.FlowModel.Kind = "registrations"
		t.FlowModel.Sources = sources
		t.Flows = b.build()
		return nil
	}

	// Gravity estimate from practice × district counts.
	var p gravity.Problem
	var origins []int // origin → row
	for _, l := range ds.LSOAs {
		if l.Population.Year != t.Dates.PopulationYear || l.DistrictCode == "" {
			continue
		}
		p.Origins = append(p.Origins, gravity.Origin{ID: l.Code, Point: areaindex.InteriorPoint(l.Geometry), Group: l.DistrictCode, Weight: float64(l.Population.Total)})
		origins = append(origins, lsoaWard[l.Code])
	}
	located := map[string]dataset.Practice{}
	for _, pr := range ds.Practices {
		located[pr.Code] = pr
	}
	destIndex := map[string]int{}
	var cols []int
	for _, r := range ds.Registrations {
		if !r.Date.Equal(date) || r.AreaLevel != level {
			continue
		}
		j, ok := destIndex[r.PracticeCode]
		if !ok {
			j = len(p.Destinations)
			destIndex[r.PracticeCode] = j
			pr := located[r.PracticeCode]
			p.Destinations = append(p.Destinations, gravity.Destination{ID: r.PracticeCode, Point: pr.Location, Located: pr.HasLocation()})
			cols = append(cols, col(r.PracticeCode))
		}
		p.Totals = append(p.Totals, gravity.GroupTotal{Destination: j, Group: r.AreaCode, Count: float64(r.Patients)})
		addSource(r.Source)
	}
	model := FlowModel{Kind: "gravity", Modelled: true, Decay: decay, CityIsDistrict: cityIsDistrict(ds)}
	if decay <= 0 {
		cal, err := gravity.Calibrate(ctx, p, gravity.CalibrateOptions{})
		if err != nil {
			return fmt.Errorf("wardtables: calibrate the gravity model: %w", err)
		}
		model.Decay, model.Calibrated, model.LogLikelihood = cal.Decay, true, cal.LogLikelihood
		model.CalibrationAtBound, model.CalibrationUnimodal = cal.AtBound, cal.Unimodal
	}
	est, err := gravity.Estimate(ctx, p, model.Decay, gravity.Options{})
	if err != nil {
		return fmt.Errorf("wardtables: gravity estimate: %w", err)
	}
	for _, c := range est.Cells {
		b.add(origins[c.Origin], cols[c.Destination], c.Count)
		reside(p.Destinations[c.Destination].ID, origins[c.Origin], c.Count)
	}
	for _, u := range est.Unallocated {
		b.add(out, cols[u.Destination], u.Count)
		reside(p.Destinations[u.Destination].ID, out, u.Count)
		if cols[u.Destination] != out {
			model.OutsideDatasetResidents += u.Count
		}
	}
	model.Sources = append(sources, "gravity model (placeteam estimate)")
	t.FlowModel = model
	t.Flows = b.build()
	return nil
}

// cityIsDistrict reports whether the LSOAs in the city's wards are exactly
// the LSOAs of the city's district.
func cityIsDistrict(ds *dataset.Dataset) bool {
	for _, l := range ds.LSOAs {
		if (l.WardCode != "") != (l.DistrictCode == ds.City.Code) {
			return false
		}
	}
	return true
}
