package carry

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/placeteam/placeteam/data/tabular"
)

// LookupFile names a best-fit LSOA → new ward lookup (a CSV, such as the
// ONS "LSOA (2011) to Ward (2018) Lookup") and its two columns. Empty
// columns are found in the header: the first LSOAnnCD (or lsoa, lsoa_code)
// and WDnnCD (or ward, ward_code) columns.
type LookupFile struct {
	Path                   string
	LSOAColumn, WardColumn string
}

var (
	lsoaColumn = regexp.MustCompile(`(?i)^lsoa\d\dcd$`)
	wardColumn = regexp.MustCompile(`(?i)^wd\d\dcd$`)
)

// ReadLookup reads a lookup file into LSOA code → ward code (both
// upper-cased). Every row needs both codes; an LSOA listed twice with two
// wards is an error (a best-fit lookup gives each LSOA one ward).
func ReadLookup(f LookupFile) (map[string]string, error) {
	r, err := os.Open(f.Path)
	if err != nil {
		return nil, fmt.Errorf("carry: lookup: %w", err)
	}
	defer r.Close()
	return DecodeLookup(r, f)
}

// DecodeLookup reads a lookup from r as ReadLookup does; f.Path names it
// in errors.
func DecodeLookup(in io.Reader, f LookupFile) (map[string]string, error) {
	name := filepath.Base(f.Path)
	r, err := tabular.NewReader(in, tabular.Options{Name: name, MaxBytes: 64 << 20})
	if err != nil {
		return nil, fmt.Errorf("carry: lookup: %w", err)
	}
	header := r.Header()
	lsoa, err := lookupColumn(r, header, f.LSOAColumn, lsoaColumn, "lsoa", "lsoa_code")
	if err != nil {
		return nil, fmt.Errorf("carry: lookup %s: LSOA column: %w", name, err)
	}
	ward, err := lookupColumn(r, header, f.WardColumn, wardColumn, "ward", "ward_code")
	if err != nil {
		return nil, fmt.Errorf("carry: lookup %s: ward column: %w", name, err)
	}
	out := map[string]string{}
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("carry: lookup: %w", err)
		}
		l, err := row.Required(lsoa)
		if err != nil {
			return nil, fmt.Errorf("carry: lookup: %w", err)
		}
		w, err := row.Required(ward)
		if err != nil {
			return nil, fmt.Errorf("carry: lookup: %w", err)
		}
		l, w = strings.ToUpper(l), strings.ToUpper(w)
		if prev, dup := out[l]; dup && prev != w {
			return nil, fmt.Errorf("carry: lookup: %w", row.Err(header[lsoa], fmt.Errorf("LSOA %s is given two wards, %s and %s", l, prev, w)))
		}
		out[l] = w
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("carry: lookup %s: no rows", name)
	}
	return out, nil
}

// lookupColumn is the column given, or the first header matching pattern
// or named one of the fallbacks.
func lookupColumn(r *tabular.Reader, header []string, given string, pattern *regexp.Regexp, fallbacks ...string) (int, error) {
	if given != "" {
		return r.Resolve(tabular.Column{Name: given})
	}
	for i, h := range header {
		if pattern.MatchString(strings.TrimSpace(h)) {
			return i, nil
		}
	}
	for _, name := range fallbacks {
		if i, err := r.Resolve(tabular.Column{Name: name}); err == nil {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%w: none of the columns %v looks like one; name it", tabular.ErrNoColumn, header)
}

// NormaliseLookup upper-cases a lookup's LSOA and ward codes (as the
// importer stores codes). An empty code, or two LSOA keys that differ only
// in case and name different wards, wrap ErrInput (an empty lookup is
// Carry's to refuse).
func NormaliseLookup(m map[string]string) (map[string]string, error) {
	if m == nil {
		return nil, nil
	}
	out := make(map[string]string, len(m))
	for l, w := range m {
		l, w = strings.ToUpper(strings.TrimSpace(l)), strings.ToUpper(strings.TrimSpace(w))
		if l == "" || w == "" {
			return nil, fmt.Errorf("%w: the lookup has an empty LSOA or ward code", ErrInput)
		}
		if prev, dup := out[l]; dup && prev != w {
			return nil, fmt.Errorf("%w: the lookup gives LSOA %s two wards, %s and %s", ErrInput, l, min(prev, w), max(prev, w))
		}
		out[l] = w
	}
	return out, nil
}
