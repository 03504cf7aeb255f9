package compare

import (
	"fmt"
	"testing"

	"github.com/placeteam/placeteam/profiles/placeprofile"
)

func TestChanges(t *testing.T) {
	unit := func(level, id, locality string, resident, registered float64, wards ...string) placeprofile.Unit {
		return placeprofile.Unit{Level: level, ID: id, Name: "name " + id, Locality: locality, Wards: wards,
			ResidentPopulation: placeprofile.Population{Total: resident}, RegisteredPopulation: registered}
	}
	// W2 moves from T1 (locality L1) to T3 (locality L2); T2 is untouched.
	a := &placeprofile.Profile{
		Teams: []placeprofile.Unit{unit("team", "T1", "L1", 300, 250, "W1", "W2"), unit("team", "T2", "L1", 50, 50, "W4"),
			unit("team", "T3", "L2", 100, 150, "W3")},
		Localities: []placeprofile.Unit{unit("locality", "L1", "", 350, 300), unit("locality", "L2", "", 100, 150)},
		City:       unit("city", "C", "", 450, 450),
	}
	b := &placeprofile.Profile{
		Teams: []placeprofile.Unit{unit("team", "T1", "L1", 200, 200, "W1"), unit("team", "T2", "L1", 50, 50, "W4"),
			unit("team", "T3", "L2", 200, 200, "W3", "W2")},
		Localities: []placeprofile.Unit{unit("locality", "L1", "", 250, 250), unit("locality", "L2", "", 200, 200)},
		City:       unit("city", "C", "", 450, 450),
	}
	got := Changes(a, b, []string{"T1", "T3"})
	var units []string
	for _, u := range got {
		var metrics []string
		for _, m := range u.Metrics {
			d := "–"
			if m.Delta != nil {
				d = fmt.Sprint(*m.Delta)
			}
			metrics = append(metrics, fmt.Sprintf("%s %s→%s (%s)", m.Metric, m.A, m.B, d))
		}
		units = append(units, fmt.Sprintf("%s %s %q: %v", u.Level, u.ID, u.Name, metrics))
	}
	want := []string{
		`team T1 "name T1": [wards W1 W2→W1 (–) resident_population 300→200 (-100) registered_population 250→200 (-50)]`,
		`team T3 "name T3": [wards W3→W3 W2 (–) resident_population 100→200 (100) registered_population 150→200 (50)]`,
		`locality L1 "name L1": [resident_population 350→250 (-100) registered_population 300→250 (-50)]`,
		`locality L2 "name L2": [resident_population 100→200 (100) registered_population 150→200 (50)]`,
		`city C "name C": []`,
	}
	if fmt.Sprint(units) != fmt.Sprint(want) {
		t.Errorf("changes:\n%v\nwant:\n%v", units, want)
	}
}
