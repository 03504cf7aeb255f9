package carry

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/geojsonfile"
)

// Ward is a ward of the new ward set.
type Ward struct {
	Code     string
	Name     string
	Geometry orb.MultiPolygon // lon/lat
}

// WardFile names a ward boundary file (GeoJSON, any CRS geojsonfile reads)
// and the properties holding each ward's code and name. Empty properties
// are found in the file: the first of WDnnCD / area_code / code (and WDnnNM
// / area_name / name) that every feature has.
type WardFile struct {
	Path         string
	CodeProperty string
	NameProperty string
}

// ErrProperty is wrapped when a code or name property is missing.
var ErrProperty = errors.New("ward property not found")

var (
	codeProperty = regexp.MustCompile(`(?i)^wd\d\dcd$`)
	nameProperty = regexp.MustCompile(`(?i)^wd\d\dnm$`)
)

// ReadWards reads a ward boundary file: every feature a ward with a code and
// a name, codes unique (upper-cased, as the importer stores them).
func ReadWards(f WardFile) ([]Ward, error) {
	r, err := os.Open(f.Path)
	if err != nil {
		return nil, fmt.Errorf("carry: ward file: %w", err)
	}
	defer r.Close()
	return DecodeWards(r, f)
}

// DecodeWards reads a ward boundary GeoJSON from r as ReadWards does; f.Path
// names it in errors.
func DecodeWards(r io.Reader, f WardFile) ([]Ward, error) {
	coll, err := geojsonfile.Read(r, geojsonfile.Options{Name: filepath.Base(f.Path), Want: geojsonfile.WantPolygons})
	if err != nil {
		return nil, fmt.Errorf("carry: ward file: %w", err)
	}
	if len(coll.Features) == 0 {
		return nil, fmt.Errorf("carry: ward file %s: no features", f.Path)
	}
	codeKey, err := chooseProperty(coll.Features, f.CodeProperty, codeProperty, "area_code", "code")
	if err != nil {
		return nil, fmt.Errorf("carry: ward file %s: code: %w", f.Path, err)
	}
	nameKey, err := chooseProperty(coll.Features, f.NameProperty, nameProperty, "area_name", "name")
	if err != nil {
		return nil, fmt.Errorf("carry: ward file %s: name: %w", f.Path, err)
	}
	seen := map[string]int{}
	wards := make([]Ward, 0, len(coll.Features))
	for _, feat := range coll.Features {
		code, ok := feat.String(codeKey)
		if !ok {
			return nil, fmt.Errorf("carry: ward file %s: feature %d: no %q property (the code): %w", f.Path, feat.Index, codeKey, ErrProperty)
		}
		code = strings.ToUpper(code)
		if first, dup := seen[code]; dup {
			return nil, fmt.Errorf("carry: ward file %s: feature %d: duplicate code %s (first at feature %d)", f.Path, feat.Index, code, first)
		}
		seen[code] = feat.Index
		name, ok := feat.String(nameKey)
		if !ok {
			return nil, fmt.Errorf("carry: ward file %s: feature %d: ward %s has no %q property (the name): %w", f.Path, feat.Index, code, nameKey, ErrProperty)
		}
		wards = append(wards, Ward{Code: code, Name: name, Geometry: feat.Geometry.(orb.MultiPolygon)})
	}
	return wards, nil
}

// chooseProperty returns the property given, or the first candidate every
// feature has.
func chooseProperty(features []geojsonfile.Feature, given string, pattern *regexp.Regexp, fallbacks ...string) (string, error) {
	first := features[0].Properties
	if given != "" {
		if _, ok := first[given]; !ok {
			return "", fmt.Errorf("%w: no %q property (the file has %s)", ErrProperty, given, strings.Join(keys(first), ", "))
		}
		return given, nil
	}
	var candidates []string
	for _, k := range keys(first) {
		if pattern.MatchString(k) {
			candidates = append(candidates, k)
		}
	}
	candidates = append(candidates, fallbacks...)
	for _, k := range candidates {
		all := true
		for _, f := range features {
			if _, ok := f.String(k); !ok {
				all = false
				break
			}
		}
		if all {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w: none of %s on every feature (the file has %s); name it with a flag", ErrProperty, strings.Join(candidates, ", "), strings.Join(keys(first), ", "))
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
