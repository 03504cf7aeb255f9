// Package manifest describes a dataset as files, each with a role, a format
// and a column mapping, so that a new city needs a new manifest, not new code.
//
// A manifest is YAML:
//
//	name: manchester
//	city: {code: E08000003, name: Manchester}
//	commissioners: [14L, 01M, 00W, 01N]
//	attribution: Contains National Statistics data © Crown copyright ...
//	licence: OGL-3.0
//	configurations: [../configs/manchester-2015.yaml]   # relative to the manifest
//	files:
//	  - id: wards
//	    role: wards
//	    format: geojson
//	    path: boundaries/wards.geojson                   # relative to --data-root
//	    columns: {code: WD13CD, name: WD13NM}
//
// Columns are header names (matched case-insensitively) or 1-based positions.
// `where` keeps only rows whose mapped columns pass every condition: one of
// the given values, `{prefix: …}` or `{pattern: …}` (see Condition). The
// full reference is docs/manifest.md.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Manifest describes one dataset.
type Manifest struct {
	Name           string   `yaml:"name"`
	Title          string   `yaml:"title"`
	City           City     `yaml:"city"`
	Commissioners  []string `yaml:"commissioners"`
	Attribution    string   `yaml:"attribution"`
	Licence        string   `yaml:"licence"`
	Configurations []string `yaml:"configurations"`
	Files          []File   `yaml:"files"`

	// Path is where the manifest was read from (for relative paths).
	Path string `yaml:"-"`
}

// City is the local authority whose wards the dataset's teams are made of.
type City struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
}

// File is one input file.
type File struct {
	ID          string            `yaml:"id"`
	Role        Role              `yaml:"role"`
	Format      Format            `yaml:"format"`
	Path        string            `yaml:"path"`
	Title       string            `yaml:"title"`
	Attribution string            `yaml:"attribution"`
	Licence     string            `yaml:"licence"`
	Header      string            `yaml:"header"` // present (default), absent, auto
	Columns     map[string]Column `yaml:"columns"`
	// Where keeps only rows whose mapped columns pass every condition
	// (exact values, prefixes or patterns); in a practices file the key
	// in_city: true keeps only practices inside the city's wards.
	Where map[string]Condition `yaml:"where"`
	// Date of the figures when the file has no date column (YYYY-MM-DD).
	Date string `yaml:"date"`
	// DateFormats are Go time layouts for date columns.
	DateFormats []string `yaml:"date_formats"`
	// Year of a population estimate or catchment.
	Year int `yaml:"year"`
	// Edition of an IMD file (2015, 2019).
	Edition int `yaml:"edition"`
	// Level of a registrations file: lsoa or district.
	Level string `yaml:"level"`
	// Period of an indicator file's figures (e.g. "2019-20").
	Period string `yaml:"period"`
	// Kind of a practice-groups file (e.g. "pcn").
	Kind string `yaml:"kind"`
	// Indicators are the indicators an indicators file holds.
	Indicators []IndicatorSpec `yaml:"indicators"`
	// KeepWards selects wards from a file covering more than the city:
	// "all" (default) or "lookup" (wards the LSOA→ward lookup places in the
	// city's district).
	KeepWards string `yaml:"keep_wards"`
	// Line is the manifest line of the file's path (0 when unknown).
	Line int `yaml:"-"`
	// EntryLine is the manifest line where the file's entry starts (0 when
	// unknown), so validation errors can point at it.
	EntryLine int `yaml:"-"`
}

// IndicatorSpec maps one indicator of a wide or long file: exactly one of
// a numerator, value or count_if, and a denominator column (header names)
// or a denominator from the population file (summed over an MSOA's LSOAs
// at level msoa); Where keeps the rows of a long file that hold it.
type IndicatorSpec struct {
	ID              string               `yaml:"id"`
	Name            string               `yaml:"name"`
	Domain          string               `yaml:"domain"`
	Unit            string               `yaml:"unit"`
	Polarity        string               `yaml:"polarity"`
	Numerator       string               `yaml:"numerator"`
	Denominator     string               `yaml:"denominator"`
	DenominatorFrom string               `yaml:"denominator_from"` // population, age_0_15, age_16_59, age_60_plus, working_age
	Where           map[string]Condition `yaml:"where"`
	// Value is a column holding a score, ratio or mean with no count behind
	// it, in place of Numerator: the numerator is value × denominator, so
	// summing areas gives a denominator-weighted (e.g. population-weighted)
	// mean. A blank value is suppressed, as a blank numerator is.
	Value string `yaml:"value"`
	// CountIf, in place of Numerator, counts the whole denominator when the
	// row's column holds one of the values (case-insensitive, trimmed) and
	// none of it otherwise: e.g. {decile column: [1, 2]} counts residents of
	// LSOAs in the most deprived 20%.
	CountIf map[string]Values `yaml:"count_if"`
	// Characteristic and Group place the indicator in a breakdown by a
	// protected characteristic (age "0-15", ethnic-group "Indian");
	// BreakdownOf is the id of the all-groups indicator it is a slice of,
	// left empty when the groups partition a population instead.
	Characteristic string `yaml:"characteristic"`
	Group          string `yaml:"group"`
	BreakdownOf    string `yaml:"breakdown_of"`
	// SuppressedBelow, when the source blanks counts under a threshold,
	// is that threshold: a blank count is then known to lie between 0 and
	// SuppressedBelow − 1, and profiles report the range a unit's value
	// could take with those areas included. Only for numerator counts.
	SuppressedBelow int `yaml:"suppressed_below"`
}

// Role is what a file contributes.
type Role string

// The roles a file can have.
const (
	RoleWards          Role = "wards"
	RoleLSOABoundaries Role = "lsoa-boundaries"
	RoleMSOABoundaries Role = "msoa-boundaries"
	RoleDistricts      Role = "districts"
	RoleLSOAWardLookup Role = "lsoa-ward-lookup"
	RoleAreaLookup     Role = "area-lookup"
	RolePopulation     Role = "population"
	RoleDeprivation    Role = "deprivation"
	RolePractices      Role = "practices"
	RolePostcodes      Role = "postcodes"
	RoleListSizes      Role = "list-sizes"
	RoleRegistrations  Role = "registrations"
	RoleTrusts         Role = "trusts"
	RoleHospitalSites  Role = "hospital-sites"
	RoleCatchments     Role = "catchments"
	RoleIndicators     Role = "indicators"
	RolePracticeGroups Role = "practice-groups"
)

// Format is a file format.
type Format string

// The formats understood.
const (
	FormatCSV      Format = "csv"
	FormatGeoJSON  Format = "geojson"
	FormatEpraccur Format = "epraccur"
)

type roleSpec struct {
	formats  []Format
	required []string
	optional []string
	multiple bool // more than one file may have this role
}

var roles = map[Role]roleSpec{
	RoleWards:          {formats: []Format{FormatGeoJSON}, required: []string{"code", "name"}},
	RoleLSOABoundaries: {formats: []Format{FormatGeoJSON}, required: []string{"code"}, optional: []string{"name"}},
	RoleMSOABoundaries: {formats: []Format{FormatGeoJSON}, required: []string{"code"}, optional: []string{"name"}},
	RoleDistricts:      {formats: []Format{FormatGeoJSON}, required: []string{"code"}, optional: []string{"name"}},
	RoleLSOAWardLookup: {formats: []Format{FormatCSV}, required: []string{"lsoa", "ward"}, optional: []string{"district", "ward_name"}},
	RoleAreaLookup:     {formats: []Format{FormatCSV}, required: []string{"lsoa"}, optional: []string{"msoa", "msoa_name", "lsoa_name", "district", "district_name"}},
	RolePopulation:     {formats: []Format{FormatCSV}, required: []string{"lsoa", "total", "age_0_15", "age_16_59", "age_60_plus"}, optional: []string{"district", "working_age"}},
	RoleDeprivation:    {formats: []Format{FormatCSV}, required: []string{"lsoa", "rank", "decile"}, optional: []string{"score"}, multiple: true},
	RolePractices:      {formats: []Format{FormatEpraccur, FormatCSV}, required: []string{"code", "name"}, optional: []string{"postcode", "status", "open_date", "close_date", "commissioner", "lat", "lon", "prescribing_setting"}},
	RolePostcodes:      {formats: []Format{FormatCSV}, required: []string{"postcode", "lat", "lon"}},
	RoleListSizes:      {formats: []Format{FormatCSV}, required: []string{"practice", "patients"}, optional: []string{"date", "commissioner", "sex", "age"}, multiple: true},
	RoleRegistrations:  {formats: []Format{FormatCSV}, required: []string{"practice", "area", "patients"}, optional: []string{"date", "sex"}, multiple: true},
	RoleTrusts:         {formats: []Format{FormatGeoJSON, FormatCSV}, required: []string{"code"}, optional: []string{"name", "lat", "lon"}},
	RoleHospitalSites:  {formats: []Format{FormatGeoJSON}, required: []string{"name"}, optional: []string{"trust"}},
	RoleCatchments:     {formats: []Format{FormatCSV}, required: []string{"msoa", "trust", "proportion"}},
	RoleIndicators:     {formats: []Format{FormatCSV}, required: []string{"area"}, multiple: true},
	RolePracticeGroups: {formats: []Format{FormatCSV}, required: []string{"practice", "code"}, optional: []string{"name"}, multiple: true},
}

// EpraccurColumns returns the positions of the fields placeteam reads in the
// ODS epraccur file (27 positional columns, no header in the official file).
func EpraccurColumns() map[string]Column {
	return map[string]Column{
		"code":                {Position: 1},
		"name":                {Position: 2},
		"postcode":            {Position: 10},
		"open_date":           {Position: 11},
		"close_date":          {Position: 12},
		"status":              {Position: 13},
		"commissioner":        {Position: 15},
		"prescribing_setting": {Position: 26},
	}
}

// Column is a header name or a 1-based position.
type Column struct {
	Name     string
	Position int
}

// UnmarshalYAML accepts a string (name) or an integer (position).
func (c *Column) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a column is a header name or a position", n.Line)
	}
	if n.Tag == "!!int" {
		var p int
		if err := n.Decode(&p); err != nil {
			return err
		}
		if p < 1 {
			return fmt.Errorf("line %d: column position %d is not 1 or more", n.Line, p)
		}
		c.Position = p
		return nil
	}
	c.Name = strings.TrimSpace(n.Value)
	if c.Name == "" {
		return fmt.Errorf("line %d: empty column name", n.Line)
	}
	return nil
}

// Values is one value or a list of values.
type Values []string

// UnmarshalYAML accepts a scalar or a sequence.
func (v *Values) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*v = Values{n.Value}
		return nil
	case yaml.SequenceNode:
		var s []string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*v = s
		return nil
	}
	return fmt.Errorf("line %d: expected a value or a list of values", n.Line)
}

// ErrInvalid is wrapped by every manifest validation error.
var ErrInvalid = errors.New("invalid manifest")

// Read parses and validates a manifest.
func Read(r io.Reader, name string) (*Manifest, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("manifest: %s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("manifest: %s: %w: file is empty", name, ErrInvalid)
		}
		return nil, fmt.Errorf("manifest: %s: %w: %w", name, ErrInvalid, err)
	}
	m.Path = name
	setPathLines(&m, raw)
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("manifest: %s: %w", name, err)
	}
	return &m, nil
}

// setPathLines records the line of each file's path, so errors about a
// path can point at it; a manifest that decoded strictly decodes here too.
func setPathLines(m *Manifest, raw []byte) {
	var lines struct {
		Files []yaml.Node `yaml:"files"`
	}
	if yaml.Unmarshal(raw, &lines) != nil || len(lines.Files) != len(m.Files) {
		return
	}
	for i, n := range lines.Files {
		m.Files[i].EntryLine = n.Line
		var entry struct {
			Path yaml.Node `yaml:"path"`
		}
		if n.Decode(&entry) == nil {
			m.Files[i].Line = entry.Path.Line
		}
	}
}

// ReadFile reads a manifest from disk.
func ReadFile(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return Read(bytes.NewReader(b), path)
}

// Validate checks roles, formats, column mappings and dates.
func (m *Manifest) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if m.Name == "" {
		add("no name")
	}
	if m.City.Code == "" {
		add("no city code")
	}
	ids := map[string]bool{}
	count := map[Role]int{}
	for i := range m.Files {
		f := &m.Files[i]
		where := fmt.Sprintf("files[%d]", i)
		if f.ID == "" {
			f.ID = string(f.Role)
			if count[f.Role] > 0 {
				f.ID = fmt.Sprintf("%s-%d", f.Role, count[f.Role]+1)
			}
		}
		where += " (" + f.ID + ")"
		if f.EntryLine > 0 {
			where = fmt.Sprintf("line %d: %s", f.EntryLine, where)
		}
		if ids[f.ID] {
			add("%s: id %q is used twice", where, f.ID)
		}
		ids[f.ID] = true
		spec, ok := roles[f.Role]
		if !ok {
			add("%s: unknown role %q (known: %s)", where, f.Role, strings.Join(knownRoles(), ", "))
			continue
		}
		count[f.Role]++
		if count[f.Role] > 1 && !spec.multiple {
			add("%s: only one file may have role %q", where, f.Role)
		}
		if f.Path == "" {
			add("%s: no path", where)
		}
		if f.Format == "" {
			f.Format = spec.formats[0]
		}
		if !slices.Contains(spec.formats, f.Format) {
			add("%s: role %q cannot be read from format %q", where, f.Role, f.Format)
		}
		switch f.Header {
		case "", "present", "absent", "auto":
		default:
			add("%s: header must be present, absent or auto, not %q", where, f.Header)
		}
		cols := f.EffectiveColumns()
		for _, c := range spec.required {
			if _, ok := cols[c]; !ok {
				add("%s: no column mapping for %q", where, c)
			}
		}
		for c := range f.Columns {
			if !slices.Contains(spec.required, c) && !slices.Contains(spec.optional, c) {
				add("%s: role %q has no column %q (columns: %s)", where, f.Role, c, strings.Join(append(slices.Clone(spec.required), spec.optional...), ", "))
			}
		}
		for c, cond := range f.Where {
			if c == WhereInCity {
				if f.Role != RolePractices {
					add("%s: where: in_city applies to the practices file only", where)
				} else if !f.InCity() || len(cond.Prefixes)+len(cond.Patterns) > 0 {
					add("%s: where: in_city must be true (or left out)", where)
				}
				continue
			}
			if _, ok := cols[c]; !ok {
				add("%s: where names column %q, which is not mapped", where, c)
			}
		}
		if f.Date != "" {
			if _, err := time.Parse(time.DateOnly, f.Date); err != nil {
				add("%s: date %q is not YYYY-MM-DD", where, f.Date)
			}
		}
		switch f.Role {
		case RoleListSizes, RoleRegistrations:
			if _, ok := cols["date"]; !ok && f.Date == "" {
				add("%s: no date column and no date: say which date the figures are for", where)
			}
		case RolePopulation:
			if f.Year == 0 {
				add("%s: no year for the population estimate", where)
			}
		case RoleDeprivation:
			if f.Edition == 0 {
				add("%s: no IMD edition (e.g. 2019)", where)
			}
		}
		if f.Role == RoleIndicators {
			problems = append(problems, f.checkIndicators(where)...)
		}
		if f.Role == RolePracticeGroups && f.Kind == "" {
			add("%s: say which kind of group (e.g. kind: pcn)", where)
		}
		if f.Role == RoleRegistrations && f.Level != "lsoa" && f.Level != "district" {
			add("%s: level must be lsoa or district, not %q", where, f.Level)
		}
		switch f.KeepWards {
		case "", "all":
		case "lookup":
			if f.Role != RoleWards {
				add("%s: keep_wards applies to the wards file only", where)
			}
		default:
			add("%s: keep_wards must be all or lookup, not %q", where, f.KeepWards)
		}
		if (hasCol(cols, "lat") || hasCol(cols, "lon")) && !(hasCol(cols, "lat") && hasCol(cols, "lon")) {
			add("%s: map both lat and lon, or neither", where)
		}
	}
	problems = append(problems, m.checkIndicatorRefs()...)
	if count[RoleWards] != 1 {
		add("exactly one file must have role wards (found %d)", count[RoleWards])
	}
	if count[RoleLSOABoundaries] != 1 {
		add("exactly one file must have role lsoa-boundaries (found %d)", count[RoleLSOABoundaries])
	}
	for i := range m.Files {
		if m.Files[i].KeepWards == "lookup" {
			lookup := m.FilesWithRole(RoleLSOAWardLookup)
			if len(lookup) == 0 || !hasCol(lookup[0].EffectiveColumns(), "district") {
				add("keep_wards: lookup needs an lsoa-ward-lookup file with a district column")
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

func hasCol(cols map[string]Column, c string) bool { _, ok := cols[c]; return ok }

func knownRoles() []string {
	out := make([]string, 0, len(roles))
	for r := range roles {
		out = append(out, string(r))
	}
	sort.Strings(out)
	return out
}

// EffectiveColumns is the column mapping with the format's defaults.
func (f *File) EffectiveColumns() map[string]Column {
	out := map[string]Column{}
	if f.Format == FormatEpraccur {
		for k, v := range EpraccurColumns() {
			out[k] = v
		}
	}
	for k, v := range f.Columns {
		out[k] = v
	}
	return out
}

// FilesWithRole lists the files of a role, in manifest order.
func (m *Manifest) FilesWithRole(r Role) []*File {
	var out []*File
	for i := range m.Files {
		if m.Files[i].Role == r {
			out = append(out, &m.Files[i])
		}
	}
	return out
}

// ConfigurationPaths resolves the configuration files relative to the
// manifest's own folder.
func (m *Manifest) ConfigurationPaths() []string {
	dir := filepath.Dir(m.Path)
	out := make([]string, len(m.Configurations))
	for i, c := range m.Configurations {
		if filepath.IsAbs(c) {
			out[i] = c
		} else {
			out[i] = filepath.Join(dir, c)
		}
	}
	return out
}

// AttributionOf returns the file's attribution, or the manifest's default.
func (m *Manifest) AttributionOf(f *File) string {
	if f.Attribution != "" {
		return f.Attribution
	}
	return m.Attribution
}

// LicenceOf returns the file's licence, or the manifest's default.
func (m *Manifest) LicenceOf(f *File) string {
	if f.Licence != "" {
		return f.Licence
	}
	return m.Licence
}
