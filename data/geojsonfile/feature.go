package geojsonfile

import (
	"math"
	"strconv"
	"strings"
)

// String returns property key as text with surrounding space trimmed.
// Numbers are formatted in plain decimal, never with an exponent
// (12345678 → "12345678"). ok is false when the property is missing, null,
// blank, or not a string or number.
func (f Feature) String(key string) (string, bool) {
	switch v := f.Properties[key].(type) {
	case string:
		s := strings.TrimSpace(v)
		return s, s != ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// Float returns property key as a number. Numeric strings ("12.5", as some
// exports write areas) are accepted; ok is false when the property is
// missing, null, not numeric or not finite.
func (f Feature) Float(key string) (float64, bool) {
	switch v := f.Properties[key].(type) {
	case float64:
		return v, true
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return 0, false
		}
		return n, true
	}
	return 0, false
}
