package carry

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// The fixture city, x from 0 to 4 and y from 0 to 2 (planar units):
//
//	old wards   |       OW1 (T1)      |       OW2 (T2)      |
//	LSOAs       | L1 100  | L2 200    | L3 300    | L4 400  |
//	            0         1           2           3         4
//	new wards   | NW1      1.5| NW2           2.97| NW3     |
//
// L2 straddles NW1 and NW2 (half each); L3 has a 3% sliver in NW3, below
// the 10% piece, so it goes whole to NW2. NW1 holds 200 T1 residents, NW2
// 100 T1 + 300 T2 (split, T2 75%), NW3 400 T2. T1 goes from 300 to 200,
// T2 from 700 to 800.
func rect(x0, x1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, 0}, {x1, 0}, {x1, 2}, {x0, 2}, {x0, 0}}}}
}

func fixture() (*dataset.Dataset, *configuration.Configuration) {
	lsoa := func(code, ward string, x0, x1 float64, pop int) dataset.LSOA {
		return dataset.LSOA{Code: code, WardCode: ward, WardMethod: dataset.WardByLookup, Geometry: rect(x0, x1),
			Population: dataset.Population{Year: 2015, Total: pop}}
	}
	ds := &dataset.Dataset{
		Name:  "fixture",
		Wards: []dataset.Ward{{Code: "OW1", Name: "Old West", Geometry: rect(0, 2)}, {Code: "OW2", Name: "Old East", Geometry: rect(2, 4)}},
		LSOAs: []dataset.LSOA{
			lsoa("L1", "OW1", 0, 1, 100), lsoa("L2", "OW1", 1, 2, 200), lsoa("L3", "OW2", 2, 3, 300), lsoa("L4", "OW2", 3, 4, 400),
			lsoa("LOUT", "", 4, 5, 999), // outside the city: not counted
		},
	}
	cfg := &configuration.Configuration{
		Name: "fixture-old", Title: "Fixture", City: configuration.Unit{ID: "FX", Name: "Fixture"},
		Localities: []configuration.Locality{{ID: "A", Name: "All", Teams: []configuration.Team{
			{ID: "T1", Name: "West team", Wards: []string{"OW1"}},
			{ID: "T2", Name: "East team", Wards: []string{"OW2"}},
		}}},
	}
	return ds, cfg
}

func newWards(cuts ...float64) []Ward {
	var out []Ward
	for i := 0; i+1 < len(cuts); i++ {
		code := "NW" + string(rune('1'+i))
		out = append(out, Ward{Code: code, Name: "New " + code, Geometry: rect(cuts[i], cuts[i+1])})
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestCarryFixture(t *testing.T) {
	ds, cfg := fixture()
	wards := newWards(0, 1.5, 2.97, 4)
	r, err := Carry(context.Background(), Options{Dataset: ds, Configuration: cfg, Wards: wards})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, ds, cfg, wards, r)

	want := []struct {
		code, team string
		residents  float64
		share      float64
		split      bool
	}{
		{"NW1", "T1", 200, 1, false},
		{"NW2", "T2", 400, 0.75, true},
		{"NW3", "T2", 400, 1, false},
	}
	for i, w := range want {
		got := r.Wards[i]
		if got.Code != w.code || got.Team != w.team || !near(got.Residents, w.residents) || !near(got.Share, w.share) || got.Split != w.split {
			t.Errorf("ward %d = %+v, want %+v", i, got, w)
		}
	}
	if s := r.Wards[1].Shares; len(s) != 2 || s[1].Team != "T1" || !near(s[1].Residents, 100) {
		t.Errorf("NW2 shares = %+v, want T2 300 and T1 100", s)
	}
	for _, p := range r.LSOAs {
		switch p.Code {
		case "L2":
			if !p.Straddles || len(p.Pieces) != 2 || !near(p.Pieces[0].Share, 0.5) {
				t.Errorf("L2 = %+v, want split half and half", p)
			}
		case "L3":
			if p.Straddles || len(p.Pieces) != 1 || p.Pieces[0].Ward != "NW2" {
				t.Errorf("L3 = %+v, want whole to NW2 (the 3%% in NW3 is a sliver)", p)
			}
		case "LOUT":
			t.Errorf("an LSOA outside the city was counted")
		}
	}
	teams := map[string]TeamPopulation{}
	for _, tp := range r.Teams {
		teams[tp.Team] = tp
	}
	if t1, t2 := teams["T1"], teams["T2"]; !near(t1.Old, 300) || !near(t1.New, 200) || !near(t1.Out, 100) ||
		!near(t2.Old, 700) || !near(t2.New, 800) || !near(t2.In, 100) {
		t.Errorf("teams = %+v", r.Teams)
	}
	if r.Configuration.Name != "fixture-old-carried" {
		t.Errorf("name %q", r.Configuration.Name)
	}
}

func TestCarryVariants(t *testing.T) {
	tests := []struct {
		name  string
		wards []Ward
		opts  func(*Options)
		check func(t *testing.T, r *Result)
	}{
		{
			name:  "renamed wards keep their teams",
			wards: []Ward{{Code: "NA", Name: "A", Geometry: rect(0, 2)}, {Code: "NB", Name: "B", Geometry: rect(2, 4)}},
			check: func(t *testing.T, r *Result) {
				for _, w := range r.Wards {
					if w.Split || w.Share != 1 {
						t.Errorf("%s: %+v", w.Code, w)
					}
				}
				if same := identicalWards(r); same["NA"] != "OW1" || same["NB"] != "OW2" {
					t.Errorf("identical wards = %v", same)
				}
				for _, tp := range r.Teams {
					if tp.Old != tp.New {
						t.Errorf("%s: %v → %v", tp.Team, tp.Old, tp.New)
					}
				}
			},
		},
		{
			name: "a ward without residents goes by area",
			// NW2 (1.95–2) holds 5% of L2: a sliver, so no residents.
			wards: newWards(0, 1.95, 2, 4),
			check: func(t *testing.T, r *Result) {
				if w := r.Wards[1]; w.Method != ByArea || w.Team != "T1" || w.Residents != 0 {
					t.Errorf("NW2 = %+v, want T1 by area", w)
				}
			},
		},
		{
			name: "a team left without a ward is given one",
			// NW1 (0–3.5): T1 300, T2 500 → T2; NW2 (3.5–4) T2. T1 takes NW1.
			wards: newWards(0, 3.5, 4),
			check: func(t *testing.T, r *Result) {
				if len(r.Reassigned) != 1 || r.Reassigned[0] != (Reassignment{Team: "T1", Ward: "NW1", FromTeam: "T2"}) {
					t.Errorf("reassigned = %+v", r.Reassigned)
				}
				if w := r.Wards[0]; w.Team != "T1" || w.Method != ByReassignment || !near(w.Share, 300.0/800) {
					t.Errorf("NW1 = %+v", w)
				}
			},
		},
		{
			name:  "a best-fit lookup places whole LSOAs",
			wards: newWards(0, 1.5, 2.97, 4),
			opts: func(o *Options) {
				o.Lookup = map[string]string{"L1": "NW1", "L2": "NW1", "L3": "NW2", "L4": "NW3"}
			},
			check: func(t *testing.T, r *Result) {
				for _, w := range r.Wards {
					if w.Split {
						t.Errorf("%s split with a lookup that follows old wards", w.Code)
					}
				}
			},
		},
		{
			name:  "a larger smallest piece keeps L2 whole",
			wards: newWards(0, 1.3, 2.97, 4), // L2: 30% in NW1, 70% in NW2
			opts:  func(o *Options) { o.MinPiece = 0.35 },
			check: func(t *testing.T, r *Result) {
				for _, p := range r.LSOAs {
					if p.Code == "L2" && (p.Straddles || p.Pieces[0].Ward != "NW2") {
						t.Errorf("L2 = %+v, want whole to NW2", p)
					}
				}
			},
		},
		{
			name:  "the default splits L2 30:70",
			wards: newWards(0, 1.3, 2.97, 4),
			check: func(t *testing.T, r *Result) {
				for _, p := range r.LSOAs {
					if p.Code == "L2" && (!p.Straddles || p.Pieces[0].Ward != "NW2" || !near(p.Pieces[0].Share, 0.7)) {
						t.Errorf("L2 = %+v, want 70%% to NW2", p)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, cfg := fixture()
			opts := Options{Dataset: ds, Configuration: cfg, Wards: tt.wards}
			if tt.opts != nil {
				tt.opts(&opts)
			}
			r, err := Carry(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, ds, cfg, tt.wards, r)
			tt.check(t, r)
		})
	}
}

func TestCarryBadInput(t *testing.T) {
	ds, cfg := fixture()
	wards := newWards(0, 2, 4)
	other := cfg.Clone()
	other.Localities[0].Teams[0].Wards = []string{"XX"}
	for name, opts := range map[string]Options{
		"no wards":                {Dataset: ds, Configuration: cfg},
		"no configuration":        {Dataset: ds, Wards: wards},
		"configuration of others": {Dataset: ds, Configuration: other, Wards: wards},
		"piece too large":         {Dataset: ds, Configuration: cfg, Wards: wards, MinPiece: 0.7},
		"ward twice":              {Dataset: ds, Configuration: cfg, Wards: append(wards, wards[0])},
	} {
		if _, err := Carry(context.Background(), opts); !errors.Is(err, ErrInput) {
			t.Errorf("%s: err = %v, want ErrInput", name, err)
		}
	}
}
