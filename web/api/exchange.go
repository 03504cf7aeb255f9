package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
)

// The assignment-file convention of districting tools: one row per ward,
// with an optional locality_name column after the locality id.
var assignmentHeader = []string{"ward_code", "team_id", "team_name", "locality", "locality_name"}

// requiredAssignmentColumns are the columns an assignment file must have.
const requiredAssignmentColumns = 4

func (a *api) cityUnit() configuration.Unit {
	if a.cfg.Dataset == nil {
		return configuration.Unit{}
	}
	return configuration.Unit{ID: a.cfg.Dataset.City.Code, Name: a.cfg.Dataset.City.Name}
}

// exportConfiguration writes a configuration as CSV (ward_code, team_id,
// team_name, locality, locality_name) or JSON.
func (a *api) exportConfiguration(c *gin.Context) {
	cfg, v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("ETag", etag(cfg.Name, v))
	switch c.DefaultQuery("format", "csv") {
	case "json":
		c.JSON(http.StatusOK, configurationBody{Configuration: cfg, Version: v})
	case "csv":
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(assignmentHeader)
		for _, l := range cfg.Localities {
			for _, t := range l.Teams {
				for _, ward := range t.Wards {
					_ = w.Write([]string{ward, t.ID, t.Name, l.ID, l.Name})
				}
			}
		}
		w.Flush()
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-v%d.csv"`, cfg.Name, v))
		c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	default:
		fail(c, badRequest(fmt.Sprintf("format %q: want csv or json", c.Query("format"))))
	}
}

// configurationFromCSV reads an assignment file. Localities are named by
// locality_name when the file has it (else by their ids); teams and
// localities keep the first name given.
func configurationFromCSV(body []byte, name, title string, city configuration.Unit) (*configuration.Configuration, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	header, err := r.Read()
	if err != nil {
		return nil, badRequest("CSV: " + err.Error())
	}
	if len(header) < requiredAssignmentColumns || len(header) > len(assignmentHeader) {
		return nil, badRequest(fmt.Sprintf("CSV: header must be %s[,%s]", strings.Join(assignmentHeader[:requiredAssignmentColumns], ","), assignmentHeader[requiredAssignmentColumns]))
	}
	for i, h := range header {
		if strings.ToLower(strings.TrimSpace(h)) != assignmentHeader[i] {
			return nil, badRequest(fmt.Sprintf("CSV: header must be %s[,%s]", strings.Join(assignmentHeader[:requiredAssignmentColumns], ","), assignmentHeader[requiredAssignmentColumns]))
		}
	}
	r.FieldsPerRecord = len(header)
	cfg := &configuration.Configuration{Name: name, Title: title, City: city}
	localityIndex := map[string]int{}
	teamIndex := map[string][2]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, badRequest("CSV: " + err.Error())
		}
		line, _ := r.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		ward, teamID, teamName, locality := rec[0], rec[1], rec[2], rec[3]
		if ward == "" || teamID == "" || locality == "" {
			return nil, badRequest(fmt.Sprintf("CSV line %d: ward_code, team_id and locality are required", line))
		}
		localityName := locality
		if len(rec) > requiredAssignmentColumns && rec[requiredAssignmentColumns] != "" {
			localityName = rec[requiredAssignmentColumns]
		}
		li, ok := localityIndex[locality]
		if !ok {
			li = len(cfg.Localities)
			localityIndex[locality] = li
			cfg.Localities = append(cfg.Localities, configuration.Locality{ID: locality, Name: localityName})
		}
		ti, ok := teamIndex[teamID]
		if !ok {
			ti = [2]int{li, len(cfg.Localities[li].Teams)}
			teamIndex[teamID] = ti
			cfg.Localities[li].Teams = append(cfg.Localities[li].Teams, configuration.Team{ID: teamID, Name: teamName})
		}
		if ti[0] != li {
			return nil, badRequest(fmt.Sprintf("CSV line %d: team %s is in locality %s on an earlier line", line, teamID, cfg.Localities[ti[0]].ID))
		}
		team := &cfg.Localities[li].Teams[ti[1]]
		team.Wards = append(team.Wards, ward)
	}
	return cfg, nil
}
