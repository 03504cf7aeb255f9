package configuration

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The assignment-file convention of districting tools: one row per ward,
// with an optional locality_name column after the locality id.
var assignmentHeader = []string{"ward_code", "team_id", "team_name", "locality", "locality_name"}

// requiredAssignmentColumns are the columns an assignment file must have.
const requiredAssignmentColumns = 4

// ErrAssignmentFile is wrapped when an assignment CSV cannot be read (a
// malformed file, as opposed to a configuration that does not fit the
// wards, which Validate reports with ErrInvalid).
var ErrAssignmentFile = errors.New("assignment CSV")

// WriteAssignments writes c as an assignment CSV: ward_code, team_id,
// team_name, locality, locality_name, one row per ward.
func WriteAssignments(w io.Writer, c *Configuration) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(assignmentHeader)
	for _, l := range c.Localities {
		for _, t := range l.Teams {
			for _, ward := range t.Wards {
				_ = cw.Write([]string{ward, t.ID, t.Name, l.ID, l.Name})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadAssignments reads an assignment CSV (a UTF-8 byte-order mark is
// allowed) into a configuration named name. Localities are named by
// locality_name when the file has it (else by their ids); teams and
// localities keep the first name given. Errors wrap ErrAssignmentFile and
// give the line.
func ReadAssignments(body []byte, name, title string, city Unit) (*Configuration, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrAssignmentFile, fmt.Sprintf(format, args...))
	}
	want := fmt.Sprintf("%s[,%s]", strings.Join(assignmentHeader[:requiredAssignmentColumns], ","), assignmentHeader[requiredAssignmentColumns])
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	header, err := r.Read()
	if err != nil {
		return nil, fail("%v", err)
	}
	if len(header) < requiredAssignmentColumns || len(header) > len(assignmentHeader) {
		return nil, fail("header must be %s", want)
	}
	for i, h := range header {
		if strings.ToLower(strings.TrimSpace(h)) != assignmentHeader[i] {
			return nil, fail("header must be %s", want)
		}
	}
	r.FieldsPerRecord = len(header)
	cfg := &Configuration{Name: name, Title: title, City: city}
	localityIndex := map[string]int{}
	teamIndex := map[string][2]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fail("%v", err)
		}
		line, _ := r.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		ward, teamID, teamName, locality := rec[0], rec[1], rec[2], rec[3]
		if ward == "" || teamID == "" || locality == "" {
			return nil, fail("line %d: ward_code, team_id and locality are required", line)
		}
		localityName := locality
		if len(rec) > requiredAssignmentColumns && rec[requiredAssignmentColumns] != "" {
			localityName = rec[requiredAssignmentColumns]
		}
		li, ok := localityIndex[locality]
		if !ok {
			li = len(cfg.Localities)
			localityIndex[locality] = li
			cfg.Localities = append(cfg.Localities, Locality{ID: locality, Name: localityName})
		}
		ti, ok := teamIndex[teamID]
		if !ok {
			ti = [2]int{li, len(cfg.Localities[li].Teams)}
			teamIndex[teamID] = ti
			cfg.Localities[li].Teams = append(cfg.Localities[li].Teams, Team{ID: teamID, Name: teamName})
		}
		if ti[0] != li {
			return nil, fail("line %d: team %s is in locality %s on an earlier line", line, teamID, cfg.Localities[ti[0]].ID)
		}
		team := &cfg.Localities[li].Teams[ti[1]]
		team.Wards = append(team.Wards, ward)
	}
	return cfg, nil
}
