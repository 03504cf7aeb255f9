package manifest

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// WhereInCity is the where key that keeps, in a practices file, only the
// practices that lie inside one of the city's wards (`in_city: true`). It
// names no column: the test is applied once practices are located.
const WhereInCity = "in_city"

// Condition is one where test on a column. In YAML it is a value or a list
// of values (the cell must equal one of them), or a mapping with `prefix`
// (the cell starts with one of them) or `pattern` (the cell matches one of
// the shell patterns, `*`, `?` and `[...]` as in path.Match). Every test is
// case-insensitive on the trimmed cell; a cell passes a mapping when it
// passes any of its tests.
type Condition struct {
	Values   []string
	Prefixes []string
	Patterns []string
}

// UnmarshalYAML accepts a scalar, a sequence or {prefix: …, pattern: …}.
func (c *Condition) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode, yaml.SequenceNode:
		var v Values
		if err := v.UnmarshalYAML(n); err != nil {
			return err
		}
		c.Values = v
		return nil
	case yaml.MappingNode:
		var m struct {
			Prefix  Values `yaml:"prefix"`
			Pattern Values `yaml:"pattern"`
			Values  Values `yaml:"values"`
		}
		if err := n.Decode(&m); err != nil {
			return err
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			switch key.Value {
			case "prefix", "pattern", "values":
			default:
				return fmt.Errorf("line %d: a where condition is a value, a list of values, or a mapping with prefix, pattern or values, not %q", key.Line, key.Value)
			}
		}
		for _, p := range m.Pattern {
			if _, err := path.Match(p, ""); err != nil {
				return fmt.Errorf("line %d: pattern %q: %w", n.Line, p, err)
			}
		}
		c.Values, c.Prefixes, c.Patterns = m.Values, m.Prefix, m.Pattern
		if len(c.Values)+len(c.Prefixes)+len(c.Patterns) == 0 {
			return fmt.Errorf("line %d: an empty where condition keeps no rows", n.Line)
		}
		return nil
	}
	return fmt.Errorf("line %d: a where condition is a value, a list of values, or {prefix: …} / {pattern: …}", n.Line)
}

// Matcher returns the condition as a case-insensitive test on a cell.
func (c Condition) Matcher() func(cell string) bool {
	norm := func(in []string, trim bool) []string {
		out := make([]string, len(in))
		for i, v := range in {
			if trim {
				v = strings.TrimSpace(v)
			}
			out[i] = strings.ToUpper(v)
		}
		return out
	}
	// Prefixes keep their spaces ("M1 " is postcode district M1, not M13).
	values, prefixes, patterns := norm(c.Values, true), norm(c.Prefixes, false), norm(c.Patterns, false)
	return func(cell string) bool {
		cell = strings.ToUpper(strings.TrimSpace(cell))
		if slices.Contains(values, cell) {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(cell, p) {
				return true
			}
		}
		for _, p := range patterns {
			if ok, _ := path.Match(p, cell); ok {
				return true
			}
		}
		return false
	}
}

// InCity tells whether the file's where keeps only practices inside the
// city's wards.
func (f *File) InCity() bool {
	c, ok := f.Where[WhereInCity]
	return ok && len(c.Values) == 1 && strings.EqualFold(c.Values[0], "true")
}
