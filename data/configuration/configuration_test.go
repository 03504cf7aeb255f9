package configuration

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/data/realdata"
)

var wards = map[string]string{"W1": "One", "W2": "Two", "W3": "Three"}

const valid = `
name: opt-a
city: {id: C, name: City}
localities:
  - id: N
    name: North
    teams:
      - {id: N1, name: North one, wards: [W1, W2]}
  - id: S
    name: South
    teams:
      - {id: S1, name: South one, wards: [W3]}
`

func TestValidate(t *testing.T) {
	c, err := Read(strings.NewReader(valid), "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(wards); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := c.WardTeams(); got["W2"] != "N1" || got["W3"] != "S1" || len(got) != 3 {
		t.Errorf("WardTeams = %v", got)
	}
	if teams := c.Teams(); len(teams) != 2 || teams[1].Locality != "S" {
		t.Errorf("Teams = %+v", teams)
	}
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"unknown ward", func(s string) string { return strings.Replace(s, "[W3]", "[W3, W9]", 1) }, `team "S1" names unknown ward "W9"`},
		{"ward in two teams", func(s string) string { return strings.Replace(s, "[W3]", "[W3, W2]", 1) }, `ward W2 (Two) is in two teams: "N1" and "S1"`},
		{"ward listed twice in one team", func(s string) string { return strings.Replace(s, "[W1, W2]", "[W1, W2, W1]", 1) }, `ward W1 (One) is listed twice in team "N1"`},
		{"ward listed three times in one team", func(s string) string { return strings.Replace(s, "[W1, W2]", "[W1, W2, W1, W1]", 1) }, `ward W1 (One) is listed 3 times in team "N1"`},
		{"missing ward", func(s string) string { return strings.Replace(s, "[W1, W2]", "[W1]", 1) }, "ward(s) in no team: W2 (Two)"},
		{"duplicate team id", func(s string) string { return strings.Replace(s, "id: S1", "id: N1", 1) }, `team id "N1" is already used by a team`},
		{"duplicate locality id", func(s string) string { return strings.Replace(s, "id: S\n", "id: N\n", 1) }, `locality id "N" is already used by a locality`},
		{"locality id used by a team", func(s string) string { return strings.Replace(s, "id: S\n", "id: N1\n", 1) }, `locality id "N1" is already used by a team`},
		{"team without name", func(s string) string { return strings.Replace(s, "name: South one", "name: \"\"", 1) }, `team "S1" has no name`},
		{"empty team", func(s string) string { return strings.Replace(s, "[W3]", "[]", 1) }, `team "S1" has no wards`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Read(strings.NewReader(tt.edit(valid)), "a.yaml")
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate(wards)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	for _, body := range []string{"", "name: [\n", "name: a\ncolour: red\n"} {
		if _, err := Read(strings.NewReader(body), "bad.yaml"); err == nil || !strings.HasPrefix(err.Error(), "configuration: bad.yaml: ") {
			t.Errorf("Read(%q) = %v", body, err)
		}
	}
}

func TestCommittedBaseline(t *testing.T) {
	c, err := ReadFile("../configs/manchester-2015.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, team := range c.Teams() {
		ids = append(ids, team.Locality+":"+team.ID)
	}
	if got := strings.Join(ids, " "); got != "N:N1 N:N2 N:N3 N:N4 C:C1 C:C2 C:C3 C:C4 S:S1 S:S2 S:S3 S:S4" {
		t.Errorf("teams = %s", got)
	}
	if len(c.WardTeams()) != 32 {
		t.Errorf("wards = %d, want 32", len(c.WardTeams()))
	}
}

func FuzzRead(f *testing.F) {
	f.Add(valid)
	f.Add("name: [")
	f.Fuzz(func(t *testing.T, body string) {
		c, err := Read(strings.NewReader(body), "fuzz.yaml")
		if err != nil {
			return
		}
		_ = c.Validate(wards)
		_ = c.WardTeams()
	})
}

// TestBaselineWardsByName checks the committed 2015 baseline against the
// ward names of the real WD13 boundary file: each team holds exactly the
// wards the 2015 design names.
func TestBaselineWardsByName(t *testing.T) {
	coll, err := geojsonfile.ReadFile(realdata.File(t, "boundaries/wards_2004_2018_manchester_wd13.geojson"), geojsonfile.Options{Want: geojsonfile.WantPolygons})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, f := range coll.Features {
		code, _ := f.String("WD13CD")
		name, _ := f.String("WD13NM")
		names[code] = name
	}
	want := map[string][]string{
		"N1": {"Cheetham", "Crumpsall"},
		"N2": {"Higher Blackley", "Harpurhey", "Charlestown"},
		"N3": {"Miles Platting and Newton Heath", "Moston", "City Centre"},
		"N4": {"Ancoats and Clayton", "Bradford"},
		"C1": {"Ardwick", "Longsight"},
		"C2": {"Chorlton", "Whalley Range", "Fallowfield"},
		"C3": {"Gorton North", "Gorton South", "Levenshulme"},
		"C4": {"Moss Side", "Hulme", "Rusholme"},
		"S1": {"Baguley", "Sharston", "Woodhouse Park"},
		"S2": {"Brooklands", "Northenden"},
		"S3": {"Old Moat", "Withington"},
		"S4": {"Didsbury West", "Didsbury East", "Burnage", "Chorlton Park"},
	}
	c, err := ReadFile("../configs/manchester-2015.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(names); err != nil {
		t.Fatalf("baseline does not fit the WD13 wards: %v", err)
	}
	for _, team := range c.Teams() {
		var got []string
		for _, code := range team.Wards {
			got = append(got, names[code])
		}
		sort.Strings(got)
		w := append([]string(nil), want[team.ID]...)
		sort.Strings(w)
		if strings.Join(got, ", ") != strings.Join(w, ", ") {
			t.Errorf("team %s has %v, want %v", team.ID, got, w)
		}
	}
}

// TestCommittedOptionB: the shipped alternative keeps the baseline's 12
// teams in 3 localities over the same 32 wards and moves exactly the two
// wards its header explains.
func TestCommittedOptionB(t *testing.T) {
	base, err := ReadFile("../configs/manchester-2015.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile("../configs/manchester-2015-b.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "manchester-2015-b" || len(b.Teams()) != 12 || len(b.Localities) != 3 {
		t.Errorf("option B: name %q, %d teams, %d localities", b.Name, len(b.Teams()), len(b.Localities))
	}
	names := map[string]string{}
	for code := range base.WardTeams() {
		names[code] = code
	}
	if err := b.Validate(names); err != nil {
		t.Fatalf("option B over the baseline's wards: %v", err)
	}
	var moved []string
	bt := b.WardTeams()
	for code, team := range base.WardTeams() {
		if bt[code] != team {
			moved = append(moved, code+":"+team+"→"+bt[code])
		}
	}
	sort.Strings(moved)
	if got := strings.Join(moved, " "); got != "E05000697:N3→N4 E05000701:C2→S3" {
		t.Errorf("moved = %s, want City Centre N3→N4 and Fallowfield C2→S3", got)
	}
}
