package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/manifest"
)

// PostcodeFile says how to read a postcode centroid file (ONSPD CSV)
// outside an import. Empty column names are found in the header: the
// postcode in pcds, pcd, postcode or pcd2; the latitude in lat or latitude;
// the longitude in long, lon or longitude.
type PostcodeFile struct {
	// Name is the file name used in errors.
	Name               string
	Postcode, Lat, Lon string
}

// Header names tried, in order, for each column of a postcode file.
var postcodeHeaderNames = map[string][]string{
	"postcode": {"pcds", "pcd", "postcode", "pcd2"},
	"lat":      {"lat", "latitude"},
	"lon":      {"long", "lon", "longitude"},
}

// ReadPostcodes reads postcode centroids with the reader an import uses
// (role postcodes): keys are normalised (NormalizePostcode), postcodes
// without a grid reference (ONSPD's latitude 99.999999) are left out, and
// an error names the file and the line.
func ReadPostcodes(ctx context.Context, r io.Reader, pf PostcodeFile) (map[string]orb.Point, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := br.ReadBytes('\n')
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("importer: %s: %w", pf.Name, err)
	}
	header, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(first, []byte{0xEF, 0xBB, 0xBF}))).Read()
	have := map[string]bool{}
	for _, h := range header {
		have[strings.ToLower(strings.TrimSpace(h))] = true
	}
	named := map[string]string{"postcode": pf.Postcode, "lat": pf.Lat, "lon": pf.Lon}
	cols := map[string]manifest.Column{}
	for logical, name := range named {
		if name == "" {
			for _, candidate := range postcodeHeaderNames[logical] {
				if have[candidate] {
					name = candidate
					break
				}
			}
		}
		if name == "" {
			return nil, fmt.Errorf("importer: %s: line 1: no %s column (tried %s; header has %s)", pf.Name, logical,
				strings.Join(postcodeHeaderNames[logical], ", "), strings.Join(header, ", "))
		}
		cols[logical] = manifest.Column{Name: name}
	}
	f := &manifest.File{ID: "postcodes", Role: manifest.RolePostcodes, Format: manifest.FormatCSV, Path: pf.Name, Columns: cols}
	im := &importer{state: newState()}
	if err := im.readPostcodes(ctx, f, io.MultiReader(bytes.NewReader(first), br), pf.Name, &FileReport{}); err != nil {
		return nil, err
	}
	if im.state.postcodes == nil {
		return map[string]orb.Point{}, nil
	}
	return im.state.postcodes, nil
}
