package configuration

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestAssignmentsRoundTrip(t *testing.T) {
	c := &Configuration{Name: "opt", Title: "Option", City: Unit{ID: "mcr", Name: "Manchester"}, Localities: []Locality{
		{ID: "N", Name: "North", Teams: []Team{{ID: "N1", Name: "Cheetham, Crumpsall", Wards: []string{"E1", "E2"}}, {ID: "N2", Name: "Harpurhey", Wards: []string{"E3"}}}},
		{ID: "S", Name: "South", Teams: []Team{{ID: "S1", Name: "Wythenshawe", Wards: []string{"E4", "E5"}}}},
	}}
	var buf bytes.Buffer
	if err := WriteAssignments(&buf, c); err != nil {
		t.Fatal(err)
	}
	want := "ward_code,team_id,team_name,locality,locality_name\n" +
		"E1,N1,\"Cheetham, Crumpsall\",N,North\nE2,N1,\"Cheetham, Crumpsall\",N,North\nE3,N2,Harpurhey,N,North\n" +
		"E4,S1,Wythenshawe,S,South\nE5,S1,Wythenshawe,S,South\n"
	if buf.String() != want {
		t.Errorf("written:\n%s\nwant:\n%s", buf.String(), want)
	}
	back, err := ReadAssignments(buf.Bytes(), c.Name, c.Title, c.City)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteAssignments(&again, back); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() || back.Name != "opt" || back.City.Name != "Manchester" || len(back.Teams()) != 3 {
		t.Errorf("read back differs:\n%s", again.String())
	}
}

func TestReadAssignments(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		teams      string // "team:wards;…" in order, when it reads
		localities string // "id=name;…"
		err        string // part of the error, when it does not
	}{
		{name: "four columns, names from ids", body: "ward_code,team_id,team_name,locality\nE1,T1,One,L1\nE2,T2,Two,L1\nE3,T1,One,L1\n",
			teams: "T1:E1 E3;T2:E2", localities: "L1=L1"},
		{name: "BOM, spaces and upper-case header", body: "\xef\xbb\xbfWard_Code , TEAM_ID,team_name,locality,locality_name\n E1 ,T1, One ,L1, North \n",
			teams: "T1:E1", localities: "L1=North"},
		{name: "first names kept", body: "ward_code,team_id,team_name,locality,locality_name\nE1,T1,One,L1,North\nE2,T1,Other,L1,Elsewhere\n",
			teams: "T1:E1 E2", localities: "L1=North"},
		{name: "empty locality name falls back to id", body: "ward_code,team_id,team_name,locality,locality_name\nE1,T1,One,L1,\n",
			teams: "T1:E1", localities: "L1=L1"},
		{name: "empty file", body: "", err: "EOF"},
		{name: "wrong header", body: "ward,team,name,locality\nE1,T1,One,L1\n", err: "header must be ward_code,team_id,team_name,locality[,locality_name]"},
		{name: "too few columns", body: "ward_code,team_id,team_name\nE1,T1,One\n", err: "header must be"},
		{name: "too many columns", body: "ward_code,team_id,team_name,locality,locality_name,extra\n", err: "header must be"},
		{name: "ragged row", body: "ward_code,team_id,team_name,locality\nE1,T1,One,L1\nE2,T1\n", err: "record on line 3: wrong number of fields"},
		{name: "missing ward", body: "ward_code,team_id,team_name,locality\n,T1,One,L1\n", err: "line 2: ward_code, team_id and locality are required"},
		{name: "missing locality", body: "ward_code,team_id,team_name,locality\nE1,T1,One,\n", err: "line 2: ward_code, team_id and locality are required"},
		{name: "team in two localities", body: "ward_code,team_id,team_name,locality\nE1,T1,One,L1\nE2,T1,One,L2\n", err: "line 3: team T1 is in locality L1 on an earlier line"},
		{name: "bare quote", body: "ward_code,team_id,team_name,locality\nE1,T1,O\"ne,L1\n", err: "bare \""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ReadAssignments([]byte(tc.body), "x", "", Unit{ID: "c", Name: "C"})
			if tc.err != "" {
				if err == nil || !errors.Is(err, ErrAssignmentFile) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want ErrAssignmentFile with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var teams, localities []string
			for _, l := range c.Localities {
				localities = append(localities, l.ID+"="+l.Name)
				for _, tm := range l.Teams {
					teams = append(teams, tm.ID+":"+strings.Join(tm.Wards, " "))
				}
			}
			if got := strings.Join(teams, ";"); got != tc.teams {
				t.Errorf("teams %q, want %q", got, tc.teams)
			}
			if got := strings.Join(localities, ";"); got != tc.localities {
				t.Errorf("localities %q, want %q", got, tc.localities)
			}
		})
	}
}

// FuzzReadAssignments: any input reads or fails with ErrAssignmentFile,
// and what reads writes back to a file that reads the same.
func FuzzReadAssignments(f *testing.F) {
	f.Add([]byte("ward_code,team_id,team_name,locality,locality_name\nE1,T1,One,L1,North\nE2,T2,Two,L1,North\n"))
	f.Add([]byte("ward_code,team_id,team_name,locality\nE1,T1,One,L1\n"))
	f.Add([]byte("\xef\xbb\xbfward_code,team_id,team_name,locality\n\"E1\",T1,\"a,b\",L1\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ReadAssignments(body, "x", "", Unit{ID: "c", Name: "C"})
		if err != nil {
			if !errors.Is(err, ErrAssignmentFile) {
				t.Fatalf("error without ErrAssignmentFile: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteAssignments(&out, c); err != nil {
			t.Fatal(err)
		}
		back, err := ReadAssignments(out.Bytes(), "x", "", Unit{ID: "c", Name: "C"})
		if err != nil {
			t.Fatalf("written file does not read: %v\n%s", err, out.String())
		}
		var again bytes.Buffer
		if err := WriteAssignments(&again, back); err != nil {
			t.Fatal(err)
		}
		if again.String() != out.String() {
			t.Fatalf("round trip differs:\n%s\n---\n%s", out.String(), again.String())
		}
	})
}
