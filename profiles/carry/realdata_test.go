package carry

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

var update = flag.Bool("update", false, "rewrite data/configs/manchester-2015-carried.yaml from the carry")

// carriedFile is the shipped carried configuration the 2018 manifest imports.
var carriedFile = filepath.Join("..", "..", "data", "configs", "manchester-2015-carried.yaml")

// TestCarryManchester2015To2018 carries the real 2015 configuration to the
// May 2018 wards and checks the invariants, the old side against the
// profile of the old dataset, the shipped carried file against the carry,
// and the 2018 manifest: it imports with the carried configuration, whose
// profile puts whole LSOAs in wards by interior point, so its team
// residents differ from the carry's only by the straddling LSOAs.
func TestCarryManchester2015To2018(t *testing.T) {
	dir := realdata.Dir(t)
	wardPath := realdata.File(t, "boundaries/wards_2018plus_manchester_wd22.geojson")
	ctx := context.Background()
	old := importManifest(t, ctx, "manchester.yaml", dir)
	var cfg *configuration.Configuration
	for _, c := range old.Configurations {
		if c.Name == "manchester-2015" {
			cfg = c
		}
	}
	if cfg == nil {
		t.Fatal("manchester.yaml imports no manchester-2015")
	}
	wards, err := ReadWards(WardFile{Path: wardPath})
	if err != nil {
		t.Fatal(err)
	}
	if len(wards) != 32 {
		t.Errorf("%d new wards, want 32", len(wards))
	}
	r, err := Carry(ctx, Options{Dataset: old.Dataset, Configuration: cfg, Wards: wards})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, old.Dataset, cfg, wards, r)
	logResult(t, r)
	if len(r.Unplaced) > 0 {
		t.Errorf("LSOAs in no new ward: %v", r.Unplaced)
	}

	// The old side is the old dataset's profile.
	tables, err := wardtables.Build(ctx, old.Dataset, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := placeprofile.Evaluate(tables, cfg, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range p.Teams {
		if tp := r.Teams[i]; u.ID != tp.Team || u.ResidentPopulation.Total != tp.Old {
			t.Errorf("team %s: profile residents %v, carry's old %v", u.ID, u.ResidentPopulation.Total, tp.Old)
		}
	}

	// The shipped carried configuration is what the carry writes.
	var buf bytes.Buffer
	if err := WriteYAML(&buf, r); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(carriedFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shipped, err := os.ReadFile(carriedFile)
	if err != nil {
		t.Fatalf("%v (run go test ./profiles/carry -run Manchester -update)", err)
	}
	if !bytes.Equal(shipped, buf.Bytes()) {
		t.Errorf("%s is not what the carry writes (run with -update)", carriedFile)
	}

	// The 2018 dataset holds the carried configuration; its profile places
	// whole LSOAs, so it differs from the carry only by straddling LSOAs.
	nw := importManifest(t, ctx, "manchester-2018.yaml", dir)
	if len(nw.Dataset.Wards) != 32 || len(nw.Configurations) != 1 || !nw.Configurations[0].Same(r.Configuration) {
		t.Fatalf("manchester-2018.yaml: %d wards, configurations %d (want the carried one)", len(nw.Dataset.Wards), len(nw.Configurations))
	}
	tables2, err := wardtables.Build(ctx, nw.Dataset, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := placeprofile.Evaluate(tables2, nw.Configurations[0], placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	straddling := map[string]float64{} // team → population of straddling LSOAs touching its wards
	teamOfWard := r.Configuration.WardTeams()
	for _, l := range r.LSOAs {
		if !l.Straddles && len(r.InteriorPointDiffers) == 0 {
			continue
		}
		for _, piece := range l.Pieces {
			straddling[teamOfWard[piece.Ward]] += float64(l.Population)
		}
	}
	total := 0.0
	for i, u := range p2.Teams {
		tp := r.Teams[i]
		total += u.ResidentPopulation.Total
		if d := u.ResidentPopulation.Total - tp.New; d*d > straddling[tp.Team]*straddling[tp.Team]+1e-6 {
			t.Errorf("team %s: 2018 profile %v, carry %v: more apart than its straddling LSOAs (%v)", tp.Team, u.ResidentPopulation.Total, tp.New, straddling[tp.Team])
		}
		t.Logf("team %s: 2018 store profile (whole LSOAs by interior point) %.0f, carry %.0f", tp.Team, u.ResidentPopulation.Total, tp.New)
	}
	if total != r.ResidentsOld {
		t.Errorf("2018 profile counts %v residents, the old wards %v", total, r.ResidentsOld)
	}
}

func importManifest(t *testing.T, ctx context.Context, name, dir string) *importer.Result {
	t.Helper()
	m, err := manifest.ReadFile(filepath.Join("..", "..", "data", "manifests", name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.Run(ctx, importer.Options{Manifest: m, DataRoot: dir})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func logResult(t *testing.T, r *Result) {
	t.Helper()
	t.Logf("residents: %.0f on the old wards, %.0f on the new; %d LSOAs, %d straddling; %d split wards; min piece %.0f%%",
		r.ResidentsOld, r.ResidentsNew, len(r.LSOAs), countStraddling(r), countSplit(r), 100*r.MinPiece)
	for _, w := range r.Wards {
		mark := ""
		if w.Split {
			mark = "  SPLIT " + FormatShares(w.Shares)
		}
		t.Logf("%s %-30s → %s  %6.1f%% of %6.0f (%s)%s", w.Code, w.Name, w.Team, 100*w.Share, w.Residents, w.Method, mark)
	}
	for _, tp := range r.Teams {
		t.Logf("team %s %-55s old %7.0f  new %7.0f  change %+6.0f (in %.0f, out %.0f)", tp.Team, tp.Name, tp.Old, tp.New, tp.New-tp.Old, tp.In, tp.Out)
	}
	for _, rs := range r.Reassigned {
		t.Logf("reassigned: %s given %s (from %s)", rs.Team, rs.Ward, rs.FromTeam)
	}
	if len(r.InteriorPointDiffers) > 0 {
		t.Logf("LSOAs placed other than by interior point: %v", r.InteriorPointDiffers)
	}
}

func countStraddling(r *Result) int {
	n := 0
	for _, l := range r.LSOAs {
		if l.Straddles {
			n++
		}
	}
	return n
}

func countSplit(r *Result) int {
	n := 0
	for _, w := range r.Wards {
		if w.Split {
			n++
		}
	}
	return n
}
