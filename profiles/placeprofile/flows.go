package placeprofile

import (
	"fmt"
	"strconv"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// OutsideID labels the outside-the-city row and column of a flow matrix.
const OutsideID = "outside"

// FlowMatrix is the residence-unit × practice-unit matrix of registered
// patients, with the outside-the-city row and column last.
type FlowMatrix struct {
	Configuration string `json:"configuration"`
	Level         string `json:"level"`
	// Date is the registrations' date ("" when the dataset has neither
	// list sizes nor registrations).
	Date      string               `json:"date"`
	FlowModel wardtables.FlowModel `json:"flow_model"`
	// Units are the row and column ids in order, OutsideID last.
	Units []string `json:"units"`
	Names []string `json:"names"`
	// Rows[r][c]: patients living in Units[r] registered in Units[c]. Nil
	// (null in JSON, not a matrix of zeros) when the flows are unknown:
	// Unknown says why.
	Rows    [][]float64 `json:"rows"`
	Unknown string      `json:"unknown,omitempty"`
}

// Known reports whether the matrix has flows.
func (m *FlowMatrix) Known() bool { return m.Unknown == "" }

// Flows aggregates the ward flow matrix to teams or localities.
func Flows(t *wardtables.Tables, cfg *configuration.Configuration, level string) (*FlowMatrix, error) {
	wardNames := make(map[string]string, len(t.Wards))
	for _, w := range t.Wards {
		wardNames[w.Code] = w.Name
	}
	if err := cfg.Validate(wardNames); err != nil {
		return nil, fmt.Errorf("placeprofile: %w: %w", ErrConfiguration, err)
	}
	m := &FlowMatrix{Configuration: cfg.Name, Level: level, FlowModel: t.FlowModel}
	if !t.Dates.Registrations.IsZero() {
		m.Date = t.Dates.Registrations.Format(time.DateOnly)
	}
	unitOf := make([]int, len(t.Wards)+1)
	for li, l := range cfg.Localities {
		if level == LevelLocality {
			m.Units = append(m.Units, l.ID)
			m.Names = append(m.Names, l.Name)
		}
		for _, tm := range l.Teams {
			if level == LevelTeam {
				m.Units = append(m.Units, tm.ID)
				m.Names = append(m.Names, tm.Name)
			}
			for _, code := range tm.Wards {
				w, _ := t.WardIndex(code)
				if level == LevelTeam {
					unitOf[w] = len(m.Units) - 1
				} else {
					unitOf[w] = li
				}
			}
		}
	}
	if level != LevelTeam && level != LevelLocality {
		return nil, fmt.Errorf("placeprofile: unknown flow level %q (want team or locality)", level)
	}
	out := len(m.Units)
	unitOf[t.Outside()] = out
	m.Units = append(m.Units, OutsideID)
	m.Names = append(m.Names, "Outside the city")
	if m.Unknown = NoFlowsReason(t); m.Unknown != "" {
		return m, nil
	}
	m.Rows = make([][]float64, out+1)
	for i := range m.Rows {
		m.Rows[i] = make([]float64, out+1)
	}
	for r := 0; r <= t.Outside(); r++ {
		t.Flows.Each(r, func(c int, v float64) {
			m.Rows[unitOf[r]][unitOf[c]] += v
		})
	}
	for _, row := range m.Rows {
		for c := range row {
			row[c] = snap(row[c])
		}
	}
	return m, nil
}

// FlowCSVHeader names the columns of CSVRows.
var FlowCSVHeader = []string{"residence", "practice", "patients", "modelled"}

// CSVRows lists the non-zero cells, one row each, with whether the cell
// rests on the estimate. When the flows are unknown it lists every cell
// with a blank count (where known flows leave zero cells out).
func (m *FlowMatrix) CSVRows() [][]string {
	var rows [][]string
	if !m.Known() {
		for _, from := range m.Units {
			for _, to := range m.Units {
				rows = append(rows, []string{from, to, "", "false"})
			}
		}
		return rows
	}
	for r, from := range m.Units {
		for c, to := range m.Units {
			if v := m.Rows[r][c]; v != 0 {
				rows = append(rows, []string{from, to, num(v), strconv.FormatBool(m.CellModelled(from, to))})
			}
		}
	}
	return rows
}

// CellModelled reports whether the flow from residence unit from to
// practice unit to rests on the estimate. With a gravity model over a city
// that is a whole district, patients living outside the city come straight
// from the practice × district counts; every other cell is a split.
func (m *FlowMatrix) CellModelled(from, to string) bool {
	if !m.FlowModel.Modelled {
		return false
	}
	return !(from == OutsideID && to != OutsideID && m.FlowModel.Kind == "gravity" && m.FlowModel.CityIsDistrict)
}
