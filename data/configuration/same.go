package configuration

import "slices"

// Same reports whether c and o describe the same plan: the same name,
// title, description, city, and localities and teams in the same order
// with the same ids and names, each team holding the same wards in any
// order (the order a file lists wards in carries no meaning).
func (c *Configuration) Same(o *Configuration) bool {
	if c == nil || o == nil {
		return c == o
	}
	if c.Name != o.Name || c.Title != o.Title || c.Description != o.Description || c.City != o.City || len(c.Localities) != len(o.Localities) {
		return false
	}
	for i, l := range c.Localities {
		m := o.Localities[i]
		if l.ID != m.ID || l.Name != m.Name || len(l.Teams) != len(m.Teams) {
			return false
		}
		for j, t := range l.Teams {
			u := m.Teams[j]
			if t.ID != u.ID || t.Name != u.Name || !sameSet(t.Wards, u.Wards) {
				return false
			}
		}
	}
	return true
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
