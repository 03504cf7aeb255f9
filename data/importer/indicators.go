package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
)

// pendingValue is an indicator value whose denominator comes from the
// population file (resolved in assemble). A value or count_if indicator's
// numerator is share × the denominator, so it waits for it too.
type pendingValue struct {
	dataset.IndicatorValue
	from   string
	share  float64
	shared bool
}

// indicatorColumns are an indicator spec's column indexes; exactly one of
// numerator, value and countIf is 0 or more, the others -1.
type indicatorColumns struct {
	spec        manifest.IndicatorSpec
	numerator   int
	value       int
	countIf     int
	countValues []string // upper-cased
	denominator int      // -1 with denominator_from
	where       map[int]func(string) bool
}

// readIndicators reads an indicators file, wide (one column per indicator)
// or long (a where filter per indicator). Blank numerators, values and
// count_if cells are suppressed values: kept as unknown, never read as zero.
func (im *importer) readIndicators(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	var cols []indicatorColumns
	for _, s := range f.Indicators {
		c, err := resolveIndicator(t.r, s)
		if err != nil {
			return err
		}
		cols = append(cols, c)
		im.ds.Indicators = append(im.ds.Indicators, dataset.Indicator{
			ID: s.ID, Name: s.Name, Domain: s.Domain, Unit: s.Unit, Polarity: s.Polarity, Level: f.Level, Period: f.Period, Source: f.ID,
			Characteristic: s.Characteristic, Group: s.Group, BreakdownOf: s.BreakdownOf, Measure: measureOf(s), SuppressedBelow: s.SuppressedBelow,
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
			v, err := c.read(row)
			if err != nil {
				return err
			}
			v.Indicator, v.AreaCode = c.spec.ID, area
			if !v.Known {
				im.warn.add("indicator-suppressed", "indicator values suppressed or missing in the source (kept as unknown, never zero)", c.spec.ID+" "+area)
			}
			im.state.indicatorValues = append(im.state.indicatorValues, v)
			fr.Records++
		}
		return nil
	})
}

func resolveIndicator(r *tabular.Reader, s manifest.IndicatorSpec) (indicatorColumns, error) {
	c := indicatorColumns{spec: s, numerator: -1, value: -1, countIf: -1, denominator: -1, where: map[int]func(string) bool{}}
	resolve := func(name string) (int, error) {
		if name == "" {
			return -1, nil
		}
		return r.Resolve(tabular.Column{Name: name})
	}
	var err error
	if c.numerator, err = resolve(s.Numerator); err != nil {
		return c, err
	}
	if c.value, err = resolve(s.Value); err != nil {
		return c, err
	}
	for col, values := range s.CountIf {
		if c.countIf, err = resolve(col); err != nil {
			return c, err
		}
		for _, v := range values {
			c.countValues = append(c.countValues, upper(v))
		}
	}
	if c.denominator, err = resolve(s.Denominator); err != nil {
		return c, err
	}
	for col, cond := range s.Where {
		i, err := resolve(col)
		if err != nil {
			return c, err
		}
		c.where[i] = cond.Matcher()
	}
	return c, nil
}

// read reads one row's value of the indicator.
func (c indicatorColumns) read(row tabular.Row) (pendingValue, error) {
	v := pendingValue{from: c.spec.DenominatorFrom}
	var err error
	switch {
	case c.numerator >= 0:
		v.Numerator, v.Known, err = nonNegative(row, c.numerator, c.spec.Numerator)
	case c.value >= 0:
		v.share, v.Known, err = c.readValue(row)
		v.shared = true
	case c.countIf >= 0:
		cell := upper(row.Text(c.countIf))
		v.Known, v.shared = cell != "", true
		if slices.Contains(c.countValues, cell) {
			v.share = 1
		}
	}
	if err != nil {
		return v, err
	}
	if c.denominator >= 0 {
		den, ok, err := nonNegative(row, c.denominator, c.spec.Denominator)
		if err != nil {
			return v, err
		}
		v.Denominator = den
		v.Known = v.Known && ok
		if v.shared {
			v.Numerator = v.share * den
		}
	}
	return v, nil
}

var errProportionRange = errors.New("a proportion is between 0 and 1")

// readValue reads a value: below zero only for a score (IoD indicator
// scores can be negative), at most 1 for a proportion.
func (c indicatorColumns) readValue(row tabular.Row) (float64, bool, error) {
	x, ok, err := row.OptionalFloat(c.value)
	if err != nil || !ok {
		return 0, false, err
	}
	switch {
	case x < 0 && c.spec.Unit != "score":
		return 0, false, row.Err(c.spec.Value, fmt.Errorf("%w: %g (indicator %s, unit %s; only a score may be negative)", tabular.ErrNegative, x, c.spec.ID, c.spec.Unit))
	case x > 1 && c.spec.Unit == "proportion":
		return 0, false, row.Err(c.spec.Value, fmt.Errorf("%w: %g (indicator %s)", errProportionRange, x, c.spec.ID))
	}
	return x, true, nil
}

func matches(row tabular.Row, where map[int]func(string) bool) bool {
	for i, match := range where {
		if !match(row.Text(i)) {
			return false
		}
	}
	return true
}

func nonNegative(row tabular.Row, i int, column string) (float64, bool, error) {
	v, ok, err := row.OptionalFloat(i)
	if err != nil {
		return 0, false, err
	}
	if v < 0 {
		return 0, false, row.Err(column, fmt.Errorf("%w: %g", tabular.ErrNegative, v))
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

// resolveIndicators fills population denominators (an LSOA's figure, or
// the sum over an MSOA's or a ward's LSOAs), turns value and count_if shares into
// numerators, and drops values for areas the dataset does not have
// (counted as warnings). A missing population figure leaves the value
// unknown and is reported, never read as zero.
func (im *importer) resolveIndicators() {
	areas := map[string]map[string]bool{
		string(dataset.AreaLSOA):       {},
		dataset.IndicatorLevelMSOA:     {},
		dataset.IndicatorLevelPractice: {},
		dataset.IndicatorLevelWard:     {},
	}
	lsoaPopulation := map[string]dataset.Population{}
	msoaLSOAs := map[string][]dataset.Population{}
	wardLSOAs := map[string][]dataset.Population{}
	for _, l := range im.ds.LSOAs {
		areas[string(dataset.AreaLSOA)][l.Code] = true
		lsoaPopulation[l.Code] = l.Population
		if l.MSOACode != "" {
			msoaLSOAs[l.MSOACode] = append(msoaLSOAs[l.MSOACode], l.Population)
		}
		if l.WardCode != "" {
			wardLSOAs[l.WardCode] = append(wardLSOAs[l.WardCode], l.Population)
		}
	}
	for _, m := range im.ds.MSOAs {
		areas[dataset.IndicatorLevelMSOA][m.Code] = true
	}
	for _, w := range im.ds.Wards {
		areas[dataset.IndicatorLevelWard][w.Code] = true
	}
	for _, p := range im.state.practices {
		areas[dataset.IndicatorLevelPractice][p.Code] = true
	}
	level := map[string]string{}
	for _, ind := range im.ds.Indicators {
		level[ind.ID] = ind.Level
	}
	for _, v := range im.state.indicatorValues {
		if !areas[level[v.Indicator]][v.AreaCode] {
			im.warn.add("indicator-area-unknown", "indicator values for areas or practices not in the dataset (ignored)", v.Indicator+" "+v.AreaCode)
			continue
		}
		if v.from != "" {
			var den int
			var ok bool
			switch level[v.Indicator] {
			case dataset.IndicatorLevelMSOA:
				den, ok = sumFigure(msoaLSOAs[v.AreaCode], v.from)
			case dataset.IndicatorLevelWard:
				den, ok = sumFigure(wardLSOAs[v.AreaCode], v.from)
			default:
				den, ok = populationFigure(lsoaPopulation[v.AreaCode], v.from)
			}
			v.Denominator = float64(den)
			if !ok {
				im.warn.add("indicator-denominator-unknown", "indicator values whose population denominator is missing (kept as unknown, never zero)", v.Indicator+" "+v.AreaCode+" "+v.from)
				v.Known = false
			}
			if v.shared {
				v.Numerator = v.share * v.Denominator
			}
		}
		im.ds.IndicatorValues = append(im.ds.IndicatorValues, v.IndicatorValue)
	}
}

// populationFigure is the population figure a denominator_from names; ok
// is false when the LSOA has no estimate or the estimate lacks the figure.
func populationFigure(p dataset.Population, from string) (int, bool) {
	if !p.Known() {
		return 0, false
	}
	switch from {
	case "population":
		return p.Total, true
	case "age_0_15":
		return p.Age0to15, true
	case "age_16_59":
		return p.Age16to59, true
	case "age_60_plus":
		return p.Age60Plus, true
	case "working_age":
		return p.WorkingAge, p.HasWorkingAge
	}
	return 0, false
}

// sumFigure adds the figure over an MSOA's LSOAs: unknown when the MSOA
// has none or any of them lacks the figure.
func sumFigure(lsoas []dataset.Population, from string) (int, bool) {
	sum := 0
	for _, p := range lsoas {
		n, ok := populationFigure(p, from)
		if !ok {
			return 0, false
		}
		sum += n
	}
	return sum, len(lsoas) > 0
}

// measureOf says what a spec's numerator is (see dataset.Indicator.Measure).
func measureOf(s manifest.IndicatorSpec) string {
	switch {
	case s.Value != "":
		return dataset.MeasureMean
	case len(s.CountIf) > 0:
		return dataset.MeasureAreaShare
	}
	return dataset.MeasureCount
}
