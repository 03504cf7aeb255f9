package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/placeteam/placeteam/data/dataset"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func checkFormat(format string, allowed ...string) error {
	if !slices.Contains(allowed, format) {
		return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(allowed, ", "))
	}
	return nil
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func round(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

func pct(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100**v)
}

// writeAttribution prints the distinct attributions of the sources.
func writeAttribution(w io.Writer, sources []dataset.Source) {
	var seen []string
	for _, s := range sources {
		a := s.Attribution
		if s.Modelled {
			a += " (modelled)"
		}
		if a != "" && !slices.Contains(seen, a) {
			seen = append(seen, a)
		}
	}
	if len(seen) > 0 {
		fmt.Fprintln(w, "\nSources: "+strings.Join(seen, "; "))
	}
}
