package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/paulmach/orb/maptile"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/pgstore"
	"github.com/placeteam/placeteam/data/pgstore/pgtest"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

// BenchmarkReplicaFirstRequestAfterSave: two replicas (a core, store pool
// and API each, in one process) on one PostgreSQL database holding the
// demo city. Each op moves a ward through A, then asks B until it serves
// the new version (notification lag), then B's profile and a tile of the
// new version, which B computes on that first request. Reported per op:
// lag-ms, profile-ms, tile-ms; ns/op includes A's save.
func BenchmarkReplicaFirstRequestAfterSave(b *testing.B) {
	db := pgtest.NewDatabase(b, "")
	ctx := context.Background()
	cmd := newRootCommand()
	cmd.SetArgs([]string{"demo", "--db", db})
	cmd.SetOut(io.Discard)
	if err := cmd.ExecuteContext(ctx); err != nil {
		b.Fatal(err)
	}
	replica := func() string {
		s, err := pgstore.Open(ctx, pgstore.Config{URL: db, MustExist: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		core, err := planning.New(ctx, planning.Config{Store: s})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { core.Close() })
		srv := httptest.NewServer(api.New(api.Config{Core: core}))
		b.Cleanup(srv.Close)
		return srv.URL
	}
	a, bb := replica(), replica()

	s, err := pgstore.Open(ctx, pgstore.Config{URL: db, MustExist: true})
	if err != nil {
		b.Fatal(err)
	}
	infos, err := s.Configurations(ctx)
	if err != nil || len(infos) == 0 {
		b.Fatalf("configurations: %v %v", infos, err)
	}
	name := infos[0].Name
	cfg, _, err := s.Configuration(ctx, name)
	if err != nil {
		b.Fatal(err)
	}
	ds, err := s.Dataset(ctx)
	s.Close()
	if err != nil {
		b.Fatal(err)
	}
	teams := cfg.Teams()
	ward, home, away := teams[0].Wards[len(teams[0].Wards)-1], teams[0].ID, teams[1].ID
	var tile maptile.Tile
	for _, w := range ds.Wards {
		if w.Code == ward {
			tile = maptile.At(w.Geometry.Bound().Center(), 11)
		}
	}
	get := func(url string) (*http.Response, error) {
		res, err := http.Get(url)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", url, res.Status)
		}
		return res, nil
	}
	res, err := get(bb + "/api/configurations/" + name)
	if err != nil {
		b.Fatal(err)
	}
	tag := res.Header.Get("ETag")
	var lag, profile, tileTime time.Duration
	targets := []string{away, home}
	i := 0
	b.ResetTimer()
	for b.Loop() {
		status, newTag, err := postMoves(a+"/api/configurations/"+name+"/moves", tag, []configuration.Move{{Ward: ward, Team: targets[i%2]}})
		if err != nil || status != http.StatusOK {
			b.Fatalf("move %d: %d %v", i, status, err)
		}
		i++
		saved := time.Now()
		for {
			res, err := get(bb + "/api/configurations/" + name)
			if err != nil {
				b.Fatal(err)
			}
			if res.Header.Get("ETag") == newTag {
				break
			}
			if time.Since(saved) > 10*time.Second {
				b.Fatalf("B still serves %s 10 s after A saved %s", res.Header.Get("ETag"), newTag)
			}
		}
		seen := time.Now()
		lag += seen.Sub(saved)
		if _, err := get(bb + "/api/configurations/" + name + "/profile"); err != nil {
			b.Fatal(err)
		}
		profiled := time.Now()
		profile += profiled.Sub(seen)
		if _, err := get(fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", bb, name, tile.Z, tile.X, tile.Y)); err != nil {
			b.Fatal(err)
		}
		tileTime += time.Since(profiled)
		tag = newTag
	}
	n := float64(b.N)
	b.ReportMetric(float64(lag.Microseconds())/1e3/n, "lag-ms")
	b.ReportMetric(float64(profile.Microseconds())/1e3/n, "profile-ms")
	b.ReportMetric(float64(tileTime.Microseconds())/1e3/n, "tile-ms")
}
