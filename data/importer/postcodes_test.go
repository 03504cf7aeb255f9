package importer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/tabular"
)

func TestReadPostcodes(t *testing.T) {
	ctx := context.Background()
	// ONSPD names: pcd (padded), pcds (with one space), lat, long; a BOM;
	// 99.999999 marks a postcode with no grid reference.
	in := "\ufeffpcd,pcds,lat,long\nM1  1AA,M1 1AA,53.45,-2.25\nXX1 1XX,XX1 1XX,99.999999,0.000000\n"
	pcs, err := ReadPostcodes(ctx, strings.NewReader(in), PostcodeFile{Name: "onspd.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := pcs["M11AA"]; !ok || p[0] != -2.25 || p[1] != 53.45 || len(pcs) != 1 {
		t.Errorf("postcodes %v", pcs)
	}
	// Named columns.
	pcs, err = ReadPostcodes(ctx, strings.NewReader("code,y,x\nm1 1aa,53.45,-2.25\n"), PostcodeFile{Name: "p.csv", Postcode: "code", Lat: "y", Lon: "x"})
	if err != nil || len(pcs) != 1 {
		t.Errorf("named columns: %v, %v", pcs, err)
	}
	// A missing column and a bad row name the file and the line.
	if _, err := ReadPostcodes(ctx, strings.NewReader("pcds,lat\nM1 1AA,53\n"), PostcodeFile{Name: "p.csv"}); err == nil ||
		!strings.Contains(err.Error(), "p.csv: line 1: no lon column") {
		t.Errorf("missing column: %v", err)
	}
	_, err = ReadPostcodes(ctx, strings.NewReader("pcds,lat,long\nM1 1AA,north,-2\n"), PostcodeFile{Name: "p.csv"})
	if !errors.Is(err, tabular.ErrNotNumber) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad latitude: %v", err)
	}
}
