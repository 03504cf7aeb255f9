package configuration

import "testing"

func TestSame(t *testing.T) {
	base := &Configuration{Name: "c", Title: "T", City: Unit{ID: "X", Name: "City"}, Localities: []Locality{
		{ID: "L1", Name: "North", Teams: []Team{{ID: "N1", Name: "One", Wards: []string{"W1", "W2"}}, {ID: "N2", Name: "Two", Wards: []string{"W3"}}}},
	}}
	if !base.Same(base.Clone()) {
		t.Error("a clone is not the same")
	}
	reordered := base.Clone()
	reordered.Localities[0].Teams[0].Wards = []string{"W2", "W1"}
	if !base.Same(reordered) {
		t.Error("the order of a team's wards made a difference")
	}
	for name, change := range map[string]func(c *Configuration){
		"title":       func(c *Configuration) { c.Title = "U" },
		"description": func(c *Configuration) { c.Description = "d" },
		"city name":   func(c *Configuration) { c.City.Name = "Town" },
		"team name":   func(c *Configuration) { c.Localities[0].Teams[1].Name = "Deux" },
		"moved ward": func(c *Configuration) {
			c.Localities[0].Teams[0].Wards = []string{"W1"}
			c.Localities[0].Teams[1].Wards = []string{"W2", "W3"}
		},
		"swapped ward": func(c *Configuration) {
			c.Localities[0].Teams[0].Wards = []string{"W1", "W3"}
			c.Localities[0].Teams[1].Wards = []string{"W2"}
		},
		"team order":   func(c *Configuration) { ts := c.Localities[0].Teams; ts[0], ts[1] = ts[1], ts[0] },
		"new locality": func(c *Configuration) { c.Localities = append(c.Localities, Locality{ID: "L2"}) },
	} {
		c := base.Clone()
		change(c)
		if base.Same(c) || c.Same(base) {
			t.Errorf("%s: still the same", name)
		}
	}
	if base.Same(nil) {
		t.Error("same as nil")
	}
}
