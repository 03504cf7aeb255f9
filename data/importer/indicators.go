package importer

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
)

// pendingValue is an indicator value whose denominator comes from the
// population file (resolved in assemble).
type pendingValue struct {
	dataset.IndicatorValue
	from string
}

type indicatorColumns struct {
	spec        manifest.IndicatorSpec
	numerator   int
	denominator int // -1 with denominator_from
	where       map[int][]string
}

// readIndicators reads an indicators file, wide (one column per indicator)
// or long (a where filter per indicator). Blank numerators are suppressed
// values: kept as unknown, never read as zero.
func (im *importer) readIndicators(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	var cols []indicatorColumns
	for _, s := range f.Indicators {
		c := indicatorColumns{spec: s, denominator: -1, where: map[int][]string{}}
		if c.numerator, err = t.r.Resolve(tabular.Column{Name: s.Numerator}); err != nil {
			return err
		}
		if s.Denominator != "" {
			if c.denominator, err = t.r.Resolve(tabular.Column{Name: s.Denominator}); err != nil {
				return err
			}
		}
		for col, values := range s.Where {
			i, err := t.r.Resolve(tabular.Column{Name: col})
			if err != nil {
				return err
			}
			for _, v := range values {
				c.where[i] = append(c.where[i], strings.ToUpper(strings.TrimSpace(v)))
			}
		}
		cols = append(cols, c)
		im.ds.Indicators = append(im.ds.Indicators, dataset.Indicator{
			ID: s.ID, Name: s.Name, Domain: s.Domain, Unit: s.Unit, Polarity: s.Polarity, Level: f.Level, Period: f.Period, Source: f.ID,
		})
	}
	lines := firstLines{}
	return t.each(ctx, func(row tabular.Row) error {
		area, err := t.code(row, "area")
		if err != nil {
			return err
		}
		for _, c := range cols {
			if !matches(row, c.where) {
				continue
			}
			if err := lines.duplicate(row, "value of indicator", c.spec.ID+" for "+area); err != nil {
				return err
			}
			num, known, err := nonNegative(row, c.numerator)
			if err != nil {
				return err
			}
			v := pendingValue{IndicatorValue: dataset.IndicatorValue{Indicator: c.spec.ID, AreaCode: area, Numerator: num, Known: known}, from: c.spec.DenominatorFrom}
			if c.denominator >= 0 {
				den, ok, err := nonNegative(row, c.denominator)
				if err != nil {
					return err
				}
				v.Denominator = den
				v.Known = v.Known && ok
			}
			if !v.Known {
				im.warn.add("indicator-suppressed", "indicator values suppressed or missing in the source (kept as unknown, never zero)", c.spec.ID+" "+area)
			}
			im.state.indicatorValues = append(im.state.indicatorValues, v)
			fr.Records++
		}
		return nil
	})
}

func matches(row tabular.Row, where map[int][]string) bool {
	for i, values := range where {
		ok := false
		for _, v := range values {
			if strings.ToUpper(row.Text(i)) == v {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func nonNegative(row tabular.Row, i int) (float64, bool, error) {
	v, ok, err := row.OptionalFloat(i)
	if err != nil {
		return 0, false, err
	}
	if v < 0 {
		return 0, false, row.Err("", fmt.Errorf("%w: %g", tabular.ErrNegative, v))
	}
	return v, ok, nil
}

// readPracticeGroups reads practice → group (e.g. primary care network).
func (im *importer) readPracticeGroups(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	lines := firstLines{}
	return t.each(ctx, func(row tabular.Row) error {
		practice, err := t.code(row, "practice")
		if err != nil {
			return err
		}
		code, err := t.code(row, "code")
		if err != nil {
			return err
		}
		if err := lines.duplicate(row, f.Kind+" of practice", practice); err != nil {
			return err
		}
		im.ds.PracticeGroups = append(im.ds.PracticeGroups, dataset.PracticeGroup{PracticeCode: practice, Kind: f.Kind, Code: code, Name: t.text(row, "name"), Source: f.ID})
		fr.Records++
		return nil
	})
}

// resolveIndicators fills population denominators and drops values for
// areas the dataset does not have (counted as warnings).
func (im *importer) resolveIndicators(lsoas map[string]bool) {
	practices := map[string]bool{}
	for _, p := range im.state.practices {
		practices[p.Code] = true
	}
	level := map[string]string{}
	for _, ind := range im.ds.Indicators {
		level[ind.ID] = ind.Level
	}
	for _, v := range im.state.indicatorValues {
		known := lsoas[v.AreaCode]
		if level[v.Indicator] == dataset.IndicatorLevelPractice {
			known = practices[v.AreaCode]
		}
		if !known {
			im.warn.add("indicator-area-unknown", "indicator values for areas or practices not in the dataset (ignored)", v.Indicator+" "+v.AreaCode)
			continue
		}
		if v.from != "" {
			p, ok := im.state.population[v.AreaCode]
			if !ok {
				v.Known = false
			}
			switch v.from {
			case "population":
				v.Denominator = float64(p.Total)
			case "age_0_15":
				v.Denominator = float64(p.Age0to15)
			case "age_16_59":
				v.Denominator = float64(p.Age16to59)
			case "age_60_plus":
				v.Denominator = float64(p.Age60Plus)
			}
		}
		im.ds.IndicatorValues = append(im.ds.IndicatorValues, v.IndicatorValue)
	}
}
