package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
)

func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// readPopulation reads LSOA resident population with age bands and, when
// the file maps it, the working-age population.
func (im *importer) readPopulation(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	lines := firstLines{}
	return t.each(ctx, func(row tabular.Row) error {
		lsoa, err := t.code(row, "lsoa")
		if err != nil {
			return err
		}
		if err := lines.duplicate(row, "LSOA", lsoa); err != nil {
			return err
		}
		var v [4]int
		for i, c := range []string{"total", "age_0_15", "age_16_59", "age_60_plus"} {
			if v[i], err = row.Count(t.col[c]); err != nil {
				return err
			}
		}
		if v[1]+v[2]+v[3] != v[0] {
			return row.Err("", fmt.Errorf("LSOA %s: age bands sum to %d but the total is %d", lsoa, v[1]+v[2]+v[3], v[0]))
		}
		p := dataset.Population{Year: f.Year, Total: v[0], Age0to15: v[1], Age16to59: v[2], Age60Plus: v[3], Source: f.ID}
		// Working age (18-59/64) is optional: a file without the column, or
		// a blank cell, leaves it unknown rather than zero.
		if t.has("working_age") {
			if p.WorkingAge, p.HasWorkingAge, err = row.OptionalCount(t.col["working_age"]); err != nil {
				return err
			}
			// IoD2019 File 6 publishes a few such LSOAs (student areas): the
			// figure is the official employment denominator, so keep it.
			if p.WorkingAge > p.Total {
				im.warn.add("population-working-age-over-total", "LSOAs whose working-age population is more than their total population (kept as published)",
					fmt.Sprintf("%s %d > %d", lsoa, p.WorkingAge, p.Total))
			}
		}
		im.state.population[lsoa] = p
		fr.Records++
		return nil
	})
}

var errDecile = errors.New("decile is not between 1 and 10")

// readDeprivation reads one IMD edition: rank, decile and (when the file
// has it) score.
func (im *importer) readDeprivation(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	lines := firstLines{}
	return t.each(ctx, func(row tabular.Row) error {
		lsoa, err := t.code(row, "lsoa")
		if err != nil {
			return err
		}
		if err := lines.duplicate(row, "LSOA", lsoa); err != nil {
			return err
		}
		d := dataset.Deprivation{Edition: f.Edition, Source: f.ID}
		if d.Rank, err = row.Count(t.col["rank"]); err != nil {
			return err
		}
		if d.Rank == 0 {
			return row.Err("rank", errors.New("rank 0: ranks start at 1 (most deprived)"))
		}
		if d.Decile, err = row.Count(t.col["decile"]); err != nil {
			return err
		}
		if d.Decile < 1 || d.Decile > 10 {
			return row.Err("decile", fmt.Errorf("%w: %d", errDecile, d.Decile))
		}
		if t.has("score") {
			if d.Score, d.HasScore, err = row.OptionalFloat(t.col["score"]); err != nil {
				return err
			}
		}
		for _, prev := range im.state.deprivation[lsoa] {
			if prev.Edition == d.Edition {
				return row.Err("", fmt.Errorf("LSOA %s has IMD %d in two files", lsoa, d.Edition))
			}
		}
		im.state.deprivation[lsoa] = append(im.state.deprivation[lsoa], d)
		fr.Records++
		return nil
	})
}
