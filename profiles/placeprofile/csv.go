package placeprofile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CSVHeader names the columns of CSVRows.
var CSVHeader = []string{
	"level", "id", "name", "locality", "wards", "resident_population", "age_0_15", "age_16_59", "age_60_plus",
	"imd_q1_population", "imd_q2_population", "imd_q3_population", "imd_q4_population", "imd_q5_population", "imd_weighted_score",
	"registered_population", "registered_to_resident_ratio", "practice_count",
	"residents_registered", "local_registered", "local_registration_share", "practice_lists_resident_share",
	"out_of_city_registered", "out_of_city_share", "out_of_city_significant", "registered_outside_city",
	"dominant_trust", "area_km2", "density_per_km2", "modelled_fields", "unknown_fields",
}

// CSVRows flattens units to CSV rows (one per unit). An unknown figure is
// a blank cell, and the last column (unknown_fields) names the unknown
// figures, space-separated (the reasons are in the JSON).
func CSVRows(units []Unit) [][]string {
	var rows [][]string
	for _, u := range units {
		q := u.IMDQuintilePopulation
		known := func(field, v string) string {
			if !u.Known(field) {
				return ""
			}
			return v
		}
		rows = append(rows, []string{
			u.Level, u.ID, u.Name, u.Locality, strings.Join(u.Wards, " "), num(u.ResidentPopulation.Total),
			num(u.ResidentPopulation.Age0to15), num(u.ResidentPopulation.Age16to59), num(u.ResidentPopulation.Age60Plus),
			num(q[0]), num(q[1]), num(q[2]), num(q[3]), num(q[4]), optNum(u.IMDWeightedScore),
			known(FieldRegisteredPopulation, num(u.RegisteredPopulation)), optNum(u.RegisteredToResidentRatio),
			known(FieldPracticeCount, fmt.Sprint(u.PracticeCount)),
			optNum(u.ResidentsRegistered), optNum(u.LocalRegistered), optNum(u.LocalRegistrationShare), optNum(u.PracticeListsResidentShare),
			optNum(u.OutOfCityRegistered), optNum(u.OutOfCityShare), optBool(u.OutOfCitySignificant), optNum(u.RegisteredOutsideCity),
			u.DominantTrust, num(u.AreaKm2), optNum(u.DensityPerKm2), strings.Join(u.ModelledFields, " "),
			strings.Join(u.UnknownFields(), " "),
		})
	}
	return rows
}

// UnknownFields lists the unit's unknown figures in CSV column order
// (then any others by name).
func (u Unit) UnknownFields() []string {
	out := []string{}
	for _, h := range CSVHeader {
		if !u.Known(h) {
			out = append(out, h)
		}
	}
	var rest []string
	for f := range u.Unknown {
		if !slices.Contains(CSVHeader, f) {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

func optBool(v *bool) string {
	if v == nil {
		return ""
	}
	return strconv.FormatBool(*v)
}
