package configuration

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestApplyMoves(t *testing.T) {
	c, err := Read(strings.NewReader(valid), "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	before := c.Clone()
	b, err := c.ApplyMoves([]Move{{Ward: "W2", Team: "S1"}}, MoveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.WardTeams(); got["W2"] != "S1" || got["W1"] != "N1" {
		t.Errorf("after move: %v", got)
	}
	if !reflect.DeepEqual(c, before) {
		t.Error("ApplyMoves changed its receiver")
	}
	if err := b.Validate(wards); err != nil {
		t.Errorf("moved configuration invalid: %v", err)
	}
	if got := ChangedTeams(c, b); strings.Join(got, ",") != "N1,S1" {
		t.Errorf("ChangedTeams = %v", got)
	}
	tests := []struct {
		name  string
		moves []Move
		opts  MoveOptions
		want  string
	}{
		{"unknown ward", []Move{{Ward: "W9", Team: "S1"}}, MoveOptions{}, `move 0 (ward "W9" to team "S1"): unknown ward`},
		{"unknown team", []Move{{Ward: "W1", Team: "X1"}}, MoveOptions{}, `move 0 (ward "W1" to team "X1"): unknown team`},
		{"empties a team", []Move{{Ward: "W3", Team: "N1"}}, MoveOptions{}, `it would leave team "S1" with no wards`},
		{"moved twice", []Move{{Ward: "W2", Team: "S1"}, {Ward: "W3", Team: "S1"}, {Ward: "W2", Team: "N1"}}, MoveOptions{},
			`move 2 (ward "W2" to team "N1"): ward W2 is moved twice in one batch (moves 0 and 2)`},
		{"moved twice to one team", []Move{{Ward: "W2", Team: "S1"}, {Ward: "W2", Team: "S1"}}, MoveOptions{}, `ward W2 is moved twice in one batch (moves 0 and 1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ApplyMoves(tt.moves, tt.opts)
			if !errors.Is(err, ErrInvalidMove) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ApplyMoves = %v, want %q", err, tt.want)
			}
		})
	}
	// Allowed: the emptied team and its locality disappear.
	e, err := c.ApplyMoves([]Move{{Ward: "W3", Team: "N1"}}, MoveOptions{AllowEmptyTeams: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Localities) != 1 || len(e.Teams()) != 1 || len(e.WardTeams()) != 3 {
		t.Errorf("after emptying S1: %+v", e.Localities)
	}
}
