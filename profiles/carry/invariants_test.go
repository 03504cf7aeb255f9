package carry

import (
	"bytes"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// checkInvariants checks what every carry must satisfy, whatever the data:
// every new ward in exactly one team, residents conserved, a new ward made
// of exactly an old ward's LSOAs keeping its team with share 1, team
// populations changing only by split wards' residents, and the carried
// configuration passing the validator (also after a YAML round trip).
func checkInvariants(t *testing.T, ds *dataset.Dataset, old *configuration.Configuration, newWards []Ward, r *Result) {
	t.Helper()
	const tol = 1e-6

	// Every new ward in exactly one team, and only new wards.
	newNames := map[string]string{}
	for _, w := range newWards {
		newNames[w.Code] = w.Name
	}
	if err := r.Configuration.Validate(newNames); err != nil {
		t.Errorf("carried configuration does not validate: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteYAML(&buf, r); err != nil {
		t.Fatal(err)
	}
	back, err := configuration.Read(bytes.NewReader(buf.Bytes()), "carried.yaml")
	if err != nil {
		t.Fatalf("carried YAML does not read back: %v\n%s", err, buf.String())
	}
	if err := back.Validate(newNames); err != nil {
		t.Errorf("carried YAML does not validate: %v", err)
	}
	if !back.Same(r.Configuration) {
		t.Errorf("carried YAML reads back different")
	}
	wardTeam := r.Configuration.WardTeams()
	if len(r.Wards) != len(newWards) {
		t.Errorf("%d ward results for %d new wards", len(r.Wards), len(newWards))
	}
	for _, w := range r.Wards {
		if wardTeam[w.Code] != w.Team {
			t.Errorf("ward %s: result says %s, configuration %s", w.Code, w.Team, wardTeam[w.Code])
		}
	}

	// Same ids and names.
	if len(old.Teams()) != len(r.Configuration.Teams()) || len(old.Localities) != len(r.Configuration.Localities) {
		t.Errorf("team or locality count changed")
	}
	for i, ot := range old.Teams() {
		nt := r.Configuration.Teams()[i]
		if ot.ID != nt.ID || ot.Name != nt.Name || ot.Locality != nt.Locality {
			t.Errorf("team %d: %s %q in %s became %s %q in %s", i, ot.ID, ot.Name, ot.Locality, nt.ID, nt.Name, nt.Locality)
		}
	}

	// Residents conserved: LSOAs → old, LSOAs → new wards, teams both sides.
	year := latestPopulationYear(ds)
	oldTeam := old.WardTeams()
	want := 0.0
	for _, l := range ds.LSOAs {
		if _, ok := oldTeam[l.WardCode]; ok && l.Population.Year == year {
			want += float64(l.Population.Total)
		}
	}
	if math.Abs(r.ResidentsOld-want) > tol {
		t.Errorf("residents on the old wards %v, LSOAs sum to %v", r.ResidentsOld, want)
	}
	unplaced := 0.0
	for _, p := range r.LSOAs {
		sum := 0.0
		for _, piece := range p.Pieces {
			sum += piece.Share
		}
		if len(p.Pieces) == 0 {
			unplaced += float64(p.Population)
		} else if math.Abs(sum-1) > tol {
			t.Errorf("LSOA %s: shares sum to %v", p.Code, sum)
		}
		if p.Straddles != (len(p.Pieces) > 1) {
			t.Errorf("LSOA %s: straddles=%v with %d pieces", p.Code, p.Straddles, len(p.Pieces))
		}
	}
	if math.Abs(r.ResidentsNew+unplaced-r.ResidentsOld) > tol*math.Max(1, r.ResidentsOld) {
		t.Errorf("residents %v on the new wards + %v unplaced != %v on the old", r.ResidentsNew, unplaced, r.ResidentsOld)
	}
	wardSum, oldSum, newSum := 0.0, 0.0, 0.0
	for _, w := range r.Wards {
		wardSum += w.Residents
		shareSum := 0.0
		for _, s := range w.Shares {
			shareSum += s.Share
		}
		if w.Residents > 0 && math.Abs(shareSum-1) > tol {
			t.Errorf("ward %s: shares sum to %v", w.Code, shareSum)
		}
		if w.Split != (len(w.Shares) > 1) {
			t.Errorf("ward %s: split=%v with %d teams", w.Code, w.Split, len(w.Shares))
		}
		if w.Method == ByResidents && (w.Shares[0].Team != w.Team || w.Share != w.Shares[0].Share) {
			t.Errorf("ward %s: team %s share %v is not the largest share %+v", w.Code, w.Team, w.Share, w.Shares[0])
		}
	}
	for _, tp := range r.Teams {
		oldSum += tp.Old
		newSum += tp.New
	}
	for _, got := range []float64{wardSum, newSum} {
		if math.Abs(got-r.ResidentsNew) > tol*math.Max(1, r.ResidentsNew) {
			t.Errorf("ward or team sum %v != residents on the new wards %v", got, r.ResidentsNew)
		}
	}
	if math.Abs(oldSum-r.ResidentsOld) > tol*math.Max(1, r.ResidentsOld) {
		t.Errorf("old team sum %v != %v", oldSum, r.ResidentsOld)
	}

	// Team populations differ only by split wards' moved residents,
	// recomputed here from the split wards alone.
	moved := map[string]float64{}
	for _, w := range r.Wards {
		if !w.Split {
			continue
		}
		for _, s := range w.Shares {
			if s.Team != w.Team {
				moved[s.Team] -= s.Residents
				moved[w.Team] += s.Residents
			}
		}
	}
	for _, tp := range r.Teams {
		lostToUnplaced := 0.0
		for _, p := range r.LSOAs {
			if p.OldTeam == tp.Team && len(p.Pieces) == 0 {
				lostToUnplaced += float64(p.Population)
			}
		}
		if d := tp.New - tp.Old + lostToUnplaced - moved[tp.Team]; math.Abs(d) > tol*math.Max(1, tp.Old) {
			t.Errorf("team %s: %v → %v, but split wards move %+v", tp.Team, tp.Old, tp.New, moved[tp.Team])
		}
		if math.Abs(tp.In-tp.Out-moved[tp.Team]) > tol*math.Max(1, tp.Old) {
			t.Errorf("team %s: in %v − out %v != %v", tp.Team, tp.In, tp.Out, moved[tp.Team])
		}
	}

	// A new ward made of exactly one old ward's whole LSOAs keeps its team.
	same := identicalWards(r)
	for _, w := range r.Wards {
		ow, ok := same[w.Code]
		if !ok || w.Method == ByReassignment {
			continue
		}
		if w.Team != oldTeam[ow] || w.Share != 1 || w.Split {
			t.Errorf("new ward %s has exactly old ward %s's LSOAs but got team %s share %v (old team %s)", w.Code, ow, w.Team, w.Share, oldTeam[ow])
		}
	}
}

// identicalWards lists the new wards made of exactly one old ward's LSOAs.
func identicalWards(r *Result) map[string]string {
	oldLSOAs := map[string][]string{}
	newLSOAs := map[string][]string{}
	whole := map[string]bool{}
	for _, p := range r.LSOAs {
		oldLSOAs[p.OldWard] = append(oldLSOAs[p.OldWard], p.Code)
		for _, piece := range p.Pieces {
			newLSOAs[piece.Ward] = append(newLSOAs[piece.Ward], p.Code)
			if _, seen := whole[piece.Ward]; !seen {
				whole[piece.Ward] = true
			}
			if piece.Share != 1 {
				whole[piece.Ward] = false
			}
		}
	}
	key := func(codes []string) string {
		c := append([]string(nil), codes...)
		sort.Strings(c)
		return strings.Join(c, ",")
	}
	byKey := map[string]string{}
	for w, codes := range oldLSOAs {
		byKey[key(codes)] = w
	}
	out := map[string]string{}
	for w, codes := range newLSOAs {
		if ow, ok := byKey[key(codes)]; ok && whole[w] {
			out[w] = ow
		}
	}
	return out
}
