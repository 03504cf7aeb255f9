package reproject

import (
	"errors"
	"testing"
)

func TestParseCRS(t *testing.T) {
	tests := []struct {
		name string
		want CRS
	}{
		{"urn:ogc:def:crs:OGC:1.3:CRS84", CRS84},
		{"urn:ogc:def:crs:OGC::CRS84", CRS84},
		{"CRS84", CRS84},
		{"OGC:CRS84", CRS84},
		{"http://www.opengis.net/def/crs/OGC/1.3/CRS84", CRS84},
		{"https://www.opengis.net/def/crs/OGC/0/CRS84", CRS84},
		{"  urn:ogc:def:crs:ogc:1.3:crs84 ", CRS84},
		{"EPSG:4326", EPSG4326},
		{"epsg:4326", EPSG4326},
		{"urn:ogc:def:crs:EPSG::4326", EPSG4326},
		{"urn:ogc:def:crs:EPSG:6.6:4326", EPSG4326},
		{"urn:x-ogc:def:crs:EPSG:4326", EPSG4326},
		{"http://www.opengis.net/def/crs/EPSG/0/4326", EPSG4326},
		{"http://www.opengis.net/gml/srs/epsg.xml#4326", EPSG4326},
		{"EPSG:27700", BritishNationalGrid},
		{"urn:ogc:def:crs:EPSG::27700", BritishNationalGrid},
		{"urn:ogc:def:crs:EPSG:9.9.1:27700", BritishNationalGrid},
		{"http://www.opengis.net/def/crs/EPSG/0/27700", BritishNationalGrid},
		{"https://www.opengis.net/def/crs/EPSG/0/27700", BritishNationalGrid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCRS(tt.name)
			if err != nil || got != tt.want {
				t.Fatalf("ParseCRS(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
			}
		})
	}
}

func TestParseCRSRejects(t *testing.T) {
	for _, name := range []string{
		"",
		"EPSG:3857",
		"urn:ogc:def:crs:EPSG::3857",
		"EPSG:",
		"EPSG:27700x",
		"EPSG:-4326",
		"urn:ogc:def:crs:OGC:1.3:CRS83",
		"http://www.opengis.net/def/crs/EPSG/0/",
		"27700",
		"EPSG:99999999999999999999999",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ParseCRS(name)
			if !errors.Is(err, ErrUnknownCRS) {
				t.Fatalf("ParseCRS(%q) = %q, %v; want ErrUnknownCRS", name, got, err)
			}
		})
	}
	_, err := ParseCRS("EPSG:3857")
	if want := `reproject: unknown or unsupported coordinate reference system: "EPSG:3857"`; err.Error() != want {
		t.Fatalf("error text = %q, want %q", err, want)
	}
}

func TestCRSIsLonLat(t *testing.T) {
	if !CRS84.IsLonLat() || !EPSG4326.IsLonLat() || BritishNationalGrid.IsLonLat() || CRS("").IsLonLat() {
		t.Fatal("IsLonLat is wrong for the supported systems")
	}
}

// FuzzParseCRS: names come from files, so ParseCRS must never panic, must
// return a supported CRS or ErrUnknownCRS, and canonical names must parse
// to themselves.
func FuzzParseCRS(f *testing.F) {
	for _, seed := range []string{"urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:27700", "urn:ogc:def:crs:EPSG::4326",
		"http://www.opengis.net/def/crs/EPSG/0/27700", "http://www.opengis.net/gml/srs/epsg.xml#4326", "EPSG:3857", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		crs, err := ParseCRS(name)
		if err != nil {
			if !errors.Is(err, ErrUnknownCRS) || crs != "" {
				t.Fatalf("ParseCRS(%q) = %q, %v", name, crs, err)
			}
			return
		}
		switch crs {
		case CRS84, EPSG4326, BritishNationalGrid:
		default:
			t.Fatalf("ParseCRS(%q) = unsupported %q", name, crs)
		}
		if again, err := ParseCRS(string(crs)); again != crs || err != nil {
			t.Fatalf("canonical %q parses to %q, %v", crs, again, err)
		}
	})
}
