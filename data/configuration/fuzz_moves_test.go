package configuration

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
)

// fuzzMovesConfiguration is a small configuration of three localities,
// four teams and seven wards: N1 has three wards, N2 two, C1 one and S1 one
// (so moving the last ward of C1 or S1 empties a team and a locality).
func fuzzMovesConfiguration() *Configuration {
	return &Configuration{
		Name: "fuzz", Title: "Fuzz", City: Unit{ID: "C", Name: "City"},
		Localities: []Locality{
			{ID: "N", Name: "North", Teams: []Team{
				{ID: "N1", Name: "North one", Wards: []string{"W1", "W2", "W3"}},
				{ID: "N2", Name: "North two", Wards: []string{"W4", "W5"}},
			}},
			{ID: "C", Name: "Central", Teams: []Team{{ID: "C1", Name: "Central one", Wards: []string{"W6"}}}},
			{ID: "S", Name: "South", Teams: []Team{{ID: "S1", Name: "South one", Wards: []string{"W7"}}}},
		},
	}
}

var fuzzMovesWards = map[string]string{"W1": "One", "W2": "Two", "W3": "Three", "W4": "Four", "W5": "Five", "W6": "Six", "W7": "Seven"}

// FuzzApplyMoves decodes a JSON array of {ward, team} moves and applies it
// to a fixed configuration. Whatever the moves:
//   - the input configuration is not modified (nor aliased by the result);
//   - a rejection wraps ErrInvalidMove, is a *MoveError naming a move of the
//     batch by its index, and the moves before it apply cleanly;
//   - an accepted batch gives a valid configuration: every ward of the input
//     in exactly one team, no ward added, no empty team or locality, only
//     teams and localities of the input (all of them unless empty teams are
//     allowed), each moved ward in the team its last move names, and an
//     empty batch gives back an equal configuration.
func FuzzApplyMoves(f *testing.F) {
	f.Add(`[]`, false)
	f.Add(`null`, false)
	f.Add(`[{"ward":"W1","team":"N2"}]`, false)
	f.Add(`[{"ward":"W1","team":"N1"}]`, false)                                                     // no-op move
	f.Add(`[{"ward":"W1","team":"C1"},{"ward":"W1","team":"S1"},{"ward":"W1","team":"N1"}]`, false) // there and back
	f.Add(`[{"ward":"W6","team":"N1"}]`, false)                                                     // empties C1: refused
	f.Add(`[{"ward":"W6","team":"N1"}]`, true)                                                      // empties C1 and C: allowed
	f.Add(`[{"ward":"W6","team":"S1"},{"ward":"W7","team":"N2"},{"ward":"W6","team":"N2"}]`, true)  // empties both
	f.Add(`[{"ward":"W4","team":"N1"},{"ward":"W5","team":"N1"}]`, false)                           // second empties N2
	f.Add(`[{"ward":"W9","team":"N1"}]`, false)                                                     // unknown ward
	f.Add(`[{"ward":"W1","team":"X1"}]`, false)                                                     // unknown team
	f.Add(`[{"ward":"W1","team":"N"}]`, false)                                                      // a locality, not a team
	f.Add(`[{"ward":"W6","team":"N1"},{"ward":"W1","team":"C1"}]`, true)                            // to a team emptied earlier
	f.Add(`[{"ward":"","team":""}]`, false)                                                         // empty strings
	f.Add(`[{"ward":"W1"}]`, false)                                                                 // missing team
	f.Add(`[{"Ward":"W2","TEAM":"S1"}]`, false)                                                     // case-insensitive keys
	f.Add(`[{"ward":"W2","team":"S1","extra":1}]`, false)                                           // unknown key ignored
	f.Add(`[{"ward":"W1","team":"N2"},{"ward":"W2","team":"N2"},{"ward":"W3","team":"N2"}]`, true)  // empties N1, N remains
	f.Add(`[{"ward":"W1","team":"N2"},{"ward":"W2","team":"N2"},{"ward":"W3","team":"N2"},{"ward":"W4","team":"S1"}]`, false)
	f.Add(`{"ward":"W1","team":"N2"}`, false) // not an array
	f.Add(`[{"ward":"W1","team":"N2"}`, false)
	f.Fuzz(func(t *testing.T, data string, allowEmpty bool) {
		var moves []Move
		if err := json.Unmarshal([]byte(data), &moves); err != nil {
			return
		}
		c := fuzzMovesConfiguration()
		before := c.Clone()
		opts := MoveOptions{AllowEmptyTeams: allowEmpty}
		out, err := c.ApplyMoves(moves, opts)
		if !reflect.DeepEqual(c, before) {
			t.Fatalf("ApplyMoves changed its receiver:\n%+v\nwas\n%+v", c, before)
		}
		if err != nil {
			checkMoveError(t, c, moves, opts, out, err)
			return
		}
		checkMoved(t, before, moves, opts, out)
		// The result shares no storage with the input: scribbling over it
		// leaves the input as it was.
		for i := range out.Localities {
			out.Localities[i].ID += "!"
			for j := range out.Localities[i].Teams {
				tm := &out.Localities[i].Teams[j]
				tm.ID += "!"
				for k := range tm.Wards {
					tm.Wards[k] += "!"
				}
				tm.Wards = append(tm.Wards, "X")
			}
		}
		if !reflect.DeepEqual(c, before) {
			t.Fatalf("the result of ApplyMoves aliases its receiver:\n%+v\nwas\n%+v", c, before)
		}
	})
}

func checkMoveError(t *testing.T, c *Configuration, moves []Move, opts MoveOptions, out *Configuration, err error) {
	t.Helper()
	if out != nil {
		t.Errorf("ApplyMoves returned both a configuration and an error: %v", err)
	}
	if !errors.Is(err, ErrInvalidMove) {
		t.Fatalf("error does not wrap ErrInvalidMove: %v", err)
	}
	var me *MoveError
	if !errors.As(err, &me) {
		t.Fatalf("error is not a *MoveError: %v", err)
	}
	if me.Index < 0 || me.Index >= len(moves) || me.Move != moves[me.Index] {
		t.Fatalf("MoveError names move %d %+v of %d: %+v", me.Index, me.Move, len(moves), moves)
	}
	if _, err := c.ApplyMoves(moves[:me.Index], opts); err != nil {
		t.Fatalf("move %d refused (%v), but the moves before it fail too: %v", me.Index, me, err)
	}
}

func checkMoved(t *testing.T, in *Configuration, moves []Move, opts MoveOptions, out *Configuration) {
	t.Helper()
	if err := out.Validate(fuzzMovesWards); err != nil {
		t.Fatalf("moved configuration invalid: %v\n%+v", err, out.Localities)
	}
	if out.Name != in.Name || out.Title != in.Title || out.Description != in.Description || out.City != in.City {
		t.Fatalf("moves changed the configuration's identity: %+v", out)
	}
	// Every ward of the input in exactly one team; no other ward.
	count := map[string]int{}
	for _, l := range out.Localities {
		for _, tm := range l.Teams {
			for _, w := range tm.Wards {
				count[w]++
			}
		}
	}
	inWards := in.WardTeams()
	if len(count) != len(inWards) {
		t.Fatalf("ward set changed: %v, was %v", count, inWards)
	}
	for w := range inWards {
		if count[w] != 1 {
			t.Fatalf("ward %s is in %d teams: %+v", w, count[w], out.Localities)
		}
	}
	// Only the input's teams and localities, each team in its old locality.
	inTeams := map[string]string{}
	for _, tm := range in.Teams() {
		inTeams[tm.ID] = tm.Locality
	}
	outTeams := out.Teams()
	for _, tm := range outTeams {
		if loc, ok := inTeams[tm.ID]; !ok || loc != tm.Locality {
			t.Fatalf("team %s in locality %s: not in the input (%v)", tm.ID, tm.Locality, inTeams)
		}
	}
	if !opts.AllowEmptyTeams && len(outTeams) != len(inTeams) {
		t.Fatalf("a team disappeared although empty teams are not allowed: %+v", out.Localities)
	}
	// Each moved ward ends in the team of its last move.
	got := out.WardTeams()
	last := map[string]string{}
	for _, m := range moves {
		last[m.Ward] = m.Team
	}
	for w, team := range last {
		if got[w] != team {
			t.Fatalf("ward %s in team %q, but its last move names %q (moves %+v)", w, got[w], team, moves)
		}
	}
	// Unmoved wards stay put.
	for w, team := range inWards {
		if _, moved := last[w]; !moved && got[w] != team {
			t.Fatalf("unmoved ward %s went from %s to %s", w, team, got[w])
		}
	}
	// Team order within the result follows the input's.
	var order []string
	for _, tm := range in.Teams() {
		order = append(order, tm.ID)
	}
	var outOrder []string
	for _, tm := range outTeams {
		outOrder = append(outOrder, tm.ID)
	}
	for i := 1; i < len(outOrder); i++ {
		if slices.Index(order, outOrder[i-1]) > slices.Index(order, outOrder[i]) {
			t.Fatalf("team order changed: %v, was %v", outOrder, order)
		}
	}
	if len(moves) == 0 && !reflect.DeepEqual(out, in) {
		t.Fatalf("no moves, but the result differs: %+v", out)
	}
}
