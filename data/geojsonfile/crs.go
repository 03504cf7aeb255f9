package geojsonfile

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/placeteam/placeteam/geo/reproject"
)

// rawCRS is the legacy (GeoJSON 2008) crs member: a named CRS, or the older
// {"type": "EPSG", "properties": {"code": 27700}} form.
type rawCRS struct {
	Type       string `json:"type"`
	Properties struct {
		Name string          `json:"name"`
		Code json.RawMessage `json:"code"`
	} `json:"properties"`
}

// parseCRSMember returns the CRS of the file and whether it was declared.
// No member, or null, means RFC 7946 lon/lat.
func parseCRSMember(member json.RawMessage) (reproject.CRS, bool, error) {
	if len(member) == 0 || string(member) == "null" {
		return reproject.CRS84, false, nil
	}
	var raw rawCRS
	if err := json.Unmarshal(member, &raw); err != nil {
		return "", true, wrapf(ErrInvalidGeoJSON, "crs member: %w", err)
	}
	var name string
	switch raw.Type {
	case "name":
		name = raw.Properties.Name
	case "EPSG", "epsg":
		var code json.Number
		if err := json.Unmarshal(raw.Properties.Code, &code); err != nil {
			var s string
			if json.Unmarshal(raw.Properties.Code, &s) != nil {
				return "", true, wrapf(ErrInvalidGeoJSON, "crs member: EPSG code %s is not a number", raw.Properties.Code)
			}
			code = json.Number(s)
		}
		name = "EPSG:" + code.String()
	default:
		return "", true, wrapf(reproject.ErrUnknownCRS, "crs member of type %q (only crs members of type name or EPSG are supported)", raw.Type)
	}
	crs, err := reproject.ParseCRS(name)
	if errors.Is(err, reproject.ErrUnknownCRS) {
		return "", true, wrapf(reproject.ErrUnknownCRS, "crs %s (supported: %s, %s, %s)",
			strconv.Quote(name), reproject.CRS84, reproject.EPSG4326, reproject.BritishNationalGrid)
	}
	return crs, true, err
}
