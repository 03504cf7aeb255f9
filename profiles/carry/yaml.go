package carry

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// WriteYAML writes the carried configuration as a configuration file
// (configuration.Read reads it back), headed by comments naming where it
// came from, the rule and the split wards.
func WriteYAML(w io.Writer, r *Result) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s: %s carried to %d new wards by `placeteam carry`.\n", r.Configuration.Name, r.From, len(r.Wards))
	fmt.Fprintf(&b, "# Each new ward goes to the team holding most of its residents (LSOA populations;\n")
	fmt.Fprintf(&b, "# LSOAs straddling new wards split by area, pieces under %.0f%% of an LSOA ignored).\n", 100*r.MinPiece)
	names := map[string]string{}
	for _, wr := range r.Wards {
		names[wr.Code] = wr.Name
	}
	split := 0
	for _, wr := range r.Wards {
		if wr.Split {
			split++
		}
	}
	fmt.Fprintf(&b, "# Split wards (residents from more than one old team): %d of %d.\n", split, len(r.Wards))
	for _, wr := range r.Wards {
		if wr.Split {
			fmt.Fprintf(&b, "#   %s %s → %s: %s\n", wr.Code, wr.Name, wr.Team, FormatShares(wr.Shares))
		}
	}
	for _, rs := range r.Reassigned {
		fmt.Fprintf(&b, "# %s had no ward by residents and was given %s (from %s).\n", rs.Team, rs.Ward, rs.FromTeam)
	}
	b.WriteString("# Wards per team:\n")
	for _, l := range r.Configuration.Localities {
		for _, t := range l.Teams {
			var ws []string
			for _, c := range t.Wards {
				ws = append(ws, names[c])
			}
			fmt.Fprintf(&b, "#   %s: %s\n", t.ID, strings.Join(ws, ", "))
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(r.Configuration); err != nil {
		return fmt.Errorf("carry: write configuration: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("carry: write configuration: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// FormatShares writes shares as "C1 62% · C4 38%".
func FormatShares(shares []TeamShare) string {
	parts := make([]string, len(shares))
	for i, s := range shares {
		parts[i] = fmt.Sprintf("%s %.1f%%", s.Team, 100*s.Share)
	}
	return strings.Join(parts, " · ")
}
