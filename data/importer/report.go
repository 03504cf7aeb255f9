package importer

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/placeteam/placeteam/data/dataset"
)

// Report says what an import read, what it stored and what looked wrong.
type Report struct {
	Manifest string            `json:"manifest"`
	DataRoot string            `json:"data_root"`
	Files    []*FileReport     `json:"files"`
	Summary  dataset.Summary   `json:"summary"`
	Warnings []dataset.Warning `json:"warnings"`
	// Fallbacks count what was inferred because an input was missing
	// (an LSOA's MSOA by an interior point when no lookup names it).
	Fallbacks []dataset.Warning `json:"fallbacks,omitempty"`
	// Gaps say what the dataset cannot answer (see Gaps).
	Gaps           []Gap    `json:"gaps"`
	Configurations []string `json:"configurations"`
	Duration       string   `json:"duration"`
}

// FileReport is what one file gave.
type FileReport struct {
	ID      string `json:"id"`
	Role    string `json:"role"`
	Path    string `json:"path"`
	CRS     string `json:"crs,omitempty"`
	Rows    int    `json:"rows"`
	Skipped int    `json:"skipped_by_filter"`
	Records int    `json:"records"`
	SHA256  string `json:"sha256"`
}

// WriteText prints the report for a terminal.
func (r *Report) WriteText(w io.Writer) error {
	return r.write(w, fmt.Sprintf("Imported %s from %s in %s", r.Summary.Name, r.Manifest, r.Duration))
}

// WriteCheckText prints the report of a check: the files were read and
// joined as an import would, but nothing was stored.
func (r *Report) WriteCheckText(w io.Writer) error {
	return r.write(w, fmt.Sprintf("Checked %s: %s reads and joins (in %s); nothing was stored", r.Summary.Name, r.Manifest, r.Duration))
}

func (r *Report) write(w io.Writer, heading string) error {
	ew := &errWriter{w: w}
	ew.printf("%s\n\n", heading)
	if len(r.Files) > 0 {
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "FILE\tROLE\tROWS\tFILTERED\tRECORDS\tCRS")
		for _, f := range r.Files {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", f.Path, f.Role, f.Rows, f.Skipped, f.Records, f.CRS)
		}
		_ = tw.Flush()
		ew.printf("\n")
	}
	WriteSummary(ew, r.Summary)
	if len(r.Configurations) > 0 {
		ew.printf("Configurations: %s\n", strings.Join(r.Configurations, ", "))
	}
	WriteSources(ew, r.Summary.Sources)
	WriteFallbacks(ew, r.Fallbacks)
	WriteGaps(ew, r.Gaps)
	WriteWarnings(ew, r.Warnings)
	return ew.err
}

// WriteFallbacks prints what was inferred because an input was missing.
func WriteFallbacks(w io.Writer, fallbacks []dataset.Warning) {
	ew := &errWriter{w: w}
	if len(fallbacks) == 0 {
		return
	}
	ew.printf("\nFallbacks:\n")
	for _, x := range fallbacks {
		ew.printf("  %6d  %s [%s]", x.Count, x.Message, x.Kind)
		if len(x.Examples) > 0 {
			ew.printf(", e.g. %s", strings.Join(x.Examples, "; "))
		}
		ew.printf("\n")
	}
}

// WriteSummary prints what a dataset holds.
func WriteSummary(w io.Writer, s dataset.Summary) {
	ew := &errWriter{w: w}
	ew.printf("City: %s (%s)\n", s.City.Name, s.City.Code)
	ew.printf("Wards: %d   LSOAs: %d (%d in the city)   MSOAs: %d   Districts: %d\n", s.Wards, s.LSOAs, s.CityLSOAs, s.MSOAs, s.Districts)
	if len(s.LSOAWardMethods) > 0 {
		ew.printf("City LSOAs placed in wards: %d by the best-fit lookup, %d by an interior point\n",
			s.LSOAWardMethods[dataset.WardByLookup], s.LSOAWardMethods[dataset.WardByInteriorPoint])
	}
	for _, p := range s.Population {
		ew.printf("Resident population (mid-%d): %s in %d LSOAs; %s in the city (%d LSOAs)\n",
			p.Year, thousands(p.Total), p.LSOAs, thousands(p.InCity), p.CityLSOA)
	}
	pc := s.Practices
	ew.printf("Practices: %d (%s); inside city wards: %s; not located: %d\n",
		pc.Total, statusList(pc.ByStatus), statusList(pc.InCity), pc.NotLocated)
	if pc.CityCCGCount != nil {
		ew.printf("Practices of the city's commissioners: %s\n", statusList(pc.CityCCGCount))
	}
	for _, l := range s.ListSizes {
		ew.printf("List sizes %s: %s patients at %d practices; %s at %d practices inside the city%s%s  [source %s]\n",
			l.Date, thousands(l.Patients), l.Practices, thousands(l.CityPatients), l.CityPractices, notOpen(l), byCommissioner(l.ByCommissioner), strings.Join(l.Sources, ", "))
	}
	for _, l := range s.Registrations {
		ew.printf("Registrations by %s of residence %s: %s patients at %d practices; %s at %d practices inside the city%s  [source %s]\n",
			l.Level, l.Date, thousands(l.Patients), l.Practices, thousands(l.CityPatients), l.CityPractices, notOpen(l), strings.Join(l.Sources, ", "))
	}
	ew.printf("Trusts: %d   Hospital sites: %d   Catchment shares: %d\n", s.Trusts, s.HospitalSites, s.Catchments)
}

// WriteWarnings prints warnings with counts and examples.
func WriteWarnings(w io.Writer, warnings []dataset.Warning) {
	ew := &errWriter{w: w}
	if len(warnings) == 0 {
		ew.printf("\nNo warnings.\n")
		return
	}
	ew.printf("\nWarnings:\n")
	for _, x := range warnings {
		ew.printf("  %6d  %s [%s]", x.Count, x.Message, x.Kind)
		if len(x.Examples) > 0 {
			ew.printf(", e.g. %s", strings.Join(x.Examples, "; "))
		}
		ew.printf("\n")
	}
}

func notOpen(t dataset.DatedTotal) string {
	if t.NotOpenPractices == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s more at %d practices not open on that date, left out of the city figure)", thousands(t.NotOpenPatients), t.NotOpenPractices)
}

// WriteSources prints each source with its licence and attribution.
func WriteSources(w io.Writer, sources []dataset.Source) {
	ew := &errWriter{w: w}
	ew.printf("\nSources:\n")
	for _, s := range sources {
		modelled := ""
		if s.Modelled {
			modelled = " [modelled]"
		}
		ew.printf("  %s (%s, %d records)%s: %s\n      %s — %s\n", s.ID, s.Role, s.Records, modelled, s.Path, s.Licence, s.Attribution)
	}
}

func statusList(m map[dataset.PracticeStatus]int) string {
	order := []dataset.PracticeStatus{dataset.StatusActive, dataset.StatusClosed, dataset.StatusDormant, dataset.StatusProposed}
	var parts []string
	for _, s := range order {
		if m[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[s], s))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func byCommissioner(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + thousands(m[k])
	}
	return "; by commissioner: " + strings.Join(parts, ", ")
}

// thousands formats 675754 as "675,754".
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
