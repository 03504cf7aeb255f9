package geojsonfile

import (
	"errors"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/validity"
)

// coordinates reads a GeoJSON "coordinates" member straight into orb types.
//
// encoding/json into [2]float64 (what orb/geojson does) silently pads a
// one-number position with 0 and drops a too-big number with a generic
// error; reading the nested arrays by hand lets each problem be named and is
// several times faster for large boundary files.
type coordinates struct {
	data []byte
	pos  int
}

// errExpected reports the next byte the reader found instead of want.
func (c *coordinates) errExpected(want string) error {
	if c.pos >= len(c.data) {
		return wrapf(ErrInvalidGeoJSON, "coordinates: expected %s, found end of member", want)
	}
	return wrapf(ErrInvalidGeoJSON, "coordinates: expected %s, found %q", want, c.data[c.pos])
}

func (c *coordinates) skipSpace() {
	for c.pos < len(c.data) {
		switch c.data[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

// list reads "[" item ("," item)* "]", calling item once per element.
func (c *coordinates) list(item func() error) error {
	c.skipSpace()
	if c.pos >= len(c.data) || c.data[c.pos] != '[' {
		return c.errExpected("an array")
	}
	c.pos++
	c.skipSpace()
	if c.pos < len(c.data) && c.data[c.pos] == ']' {
		c.pos++
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		c.skipSpace()
		if c.pos >= len(c.data) {
			return c.errExpected(`"," or "]"`)
		}
		switch c.data[c.pos] {
		case ',':
			c.pos++
		case ']':
			c.pos++
			return nil
		default:
			return c.errExpected(`"," or "]"`)
		}
	}
}

func (c *coordinates) number() (float64, error) {
	c.skipSpace()
	start := c.pos
	for c.pos < len(c.data) {
		b := c.data[c.pos]
		if (b < '0' || b > '9') && b != '-' && b != '+' && b != '.' && b != 'e' && b != 'E' {
			break
		}
		c.pos++
	}
	if start == c.pos {
		return 0, c.errExpected("a number")
	}
	text := string(c.data[start:c.pos])
	v, err := strconv.ParseFloat(text, 64)
	if math.IsInf(v, 0) {
		return 0, wrapf(validity.ErrBadCoordinate, "coordinates: %s is out of float64 range", text)
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, wrapf(ErrInvalidGeoJSON, "coordinates: %q is not a number", text)
	}
	return v, nil
}

// position reads [x, y, ...]; values past the second (height, measure) are
// ignored.
func (c *coordinates) position() (orb.Point, error) {
	var p orb.Point
	n := 0
	err := c.list(func() error {
		v, err := c.number()
		if n < 2 {
			p[n] = v
		}
		n++
		return err
	})
	if err != nil {
		return p, err
	}
	if n < 2 {
		return p, wrapf(ErrInvalidGeoJSON, "coordinates: position has %d number(s), need at least 2", n)
	}
	return p, nil
}

func (c *coordinates) positions() ([]orb.Point, error) {
	var ps []orb.Point
	err := c.list(func() error {
		p, err := c.position()
		ps = append(ps, p)
		return err
	})
	return ps, err
}

func (c *coordinates) rings() ([]orb.Ring, error) {
	var rs []orb.Ring
	err := c.list(func() error {
		ps, err := c.positions()
		rs = append(rs, ps)
		return err
	})
	return rs, err
}

func (c *coordinates) polygons() (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	err := c.list(func() error {
		rs, err := c.rings()
		mp = append(mp, rs)
		return err
	})
	return mp, err
}

// end checks nothing but space follows the member.
func (c *coordinates) end() error {
	c.skipSpace()
	if c.pos != len(c.data) {
		return c.errExpected("the end of the coordinates")
	}
	return nil
}

// parseCoordinates reads one coordinates member with read and checks
// nothing follows it.
func parseCoordinates[T any](data []byte, read func(*coordinates) (T, error)) (T, error) {
	c := &coordinates{data: data}
	v, err := read(c)
	if err == nil {
		err = c.end()
	}
	return v, err
}
