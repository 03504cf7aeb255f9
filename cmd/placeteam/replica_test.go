package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/pgstore"
	"github.com/placeteam/placeteam/data/pgstore/pgtest"
)

// runMainEnv makes the test binary run placeteam's main instead of the
// tests: replicaProcess starts real serve processes from it.
const runMainEnv = "PLACETEAM_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var servingLine = regexp.MustCompile(`serving .* on (http://\S+)`)

// replicaProcess starts `placeteam serve --db db [flags]` as its own
// process on a free port and returns its base URL and a function that stops
// it (SIGTERM), which also runs when the test ends.
func replicaProcess(t *testing.T, db string, flags ...string) (string, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		})
	}
	t.Cleanup(stop)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
		done <- cmd.Wait()
	}()
	select {
	case base := <-found:
		return base, stop
	case err := <-done:
		t.Fatalf("serve exited before serving: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start in 60 s\n%s", stderr.String())
	}
	return "", nil
}

// getJSON fetches url into v and returns the response's headers.
func getJSON(t *testing.T, url string, v any) http.Header {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, res.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return res.Header
}

// postMoves posts moves with If-Match and returns the status and ETag.
func postMoves(url, ifMatch string, moves []configuration.Move) (int, string, error) {
	body, _ := json.Marshal(map[string]any{"moves": moves, "author": "replica test"})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", ifMatch)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	return res.StatusCode, res.Header.Get("ETag"), nil
}

// replicaView is what one replica shows of a ward's team.
type replicaView struct {
	version       string // the configuration's ETag
	profileTeam   string // the team whose profile lists the ward
	profilePop    map[string]float64
	featureTeam   string // the team feature listing the ward
	tileTeam      string // the "team" of the ward in the latest tile
	tileCache     string
	versionedTile http.Header
}

func (v replicaView) consistent(team string) bool {
	return v.profileTeam == team && v.featureTeam == team && v.tileTeam == team
}

// look reads the configuration, profile, team features and the latest
// tile holding the ward from base.
func look(t *testing.T, base, name, ward string, tile maptile.Tile) replicaView {
	t.Helper()
	var view replicaView
	var cfg struct {
		configuration.Configuration
		Version int `json:"version"`
	}
	h := getJSON(t, base+"/api/configurations/"+name, &cfg)
	view.version = h.Get("ETag")

	var profile struct {
		Teams []struct {
			ID                 string   `json:"id"`
			Wards              []string `json:"wards"`
			ResidentPopulation struct {
				Total float64 `json:"total"`
			} `json:"resident_population"`
		} `json:"teams"`
	}
	getJSON(t, base+"/api/configurations/"+name+"/profile?format=json", &profile)
	view.profilePop = map[string]float64{}
	for _, team := range profile.Teams {
		view.profilePop[team.ID] = team.ResidentPopulation.Total
		if slices.Contains(team.Wards, ward) {
			view.profileTeam = team.ID
		}
	}

	var fc struct {
		Features []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, base+"/collections/teams-"+name+"/items?limit=1000", &fc)
	for _, f := range fc.Features {
		if wards, _ := f.Properties["wards"].(string); slices.Contains(strings.Fields(wards), ward) {
			view.featureTeam = f.ID
		}
	}

	tileURL := fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, name, tile.Z, tile.X, tile.Y)
	res, err := http.Get(tileURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", tileURL, res.Status)
	}
	view.tileCache = res.Header.Get("X-Tile-Cache")
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatalf("tile %s: %v", tileURL, err)
	}
	for _, l := range layers {
		if l.Name != "wards" {
			continue
		}
		for _, f := range l.Features {
			if f.Properties["code"] == ward {
				view.tileTeam, _ = f.Properties["team"].(string)
			}
		}
	}

	if v := cfg.Version; v > 0 {
		res, err := http.Get(fmt.Sprintf("%s?version=%d", tileURL, v))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		view.versionedTile = res.Header
	}
	return view
}

// TestReplicasOnOnePostgres runs two real `serve` processes on one
// PostgreSQL database: a move saved through A is what B shows next — its
// profile, team features and tiles, all of which B had cached before — and
// of 50 concurrent moves with the same If-Match spread over both, exactly
// one is saved.
func TestReplicasOnOnePostgres(t *testing.T) {
	db := demoDatabase(t)
	ctx := context.Background()
	st, err := pgstore.Open(ctx, pgstore.Config{URL: db, MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	infos, err := st.Configurations(ctx)
	if err != nil || len(infos) == 0 {
		t.Fatalf("configurations: %v %v", infos, err)
	}
	name := infos[0].Name
	cfg, _, err := st.Configuration(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	// The ward to move: the last of the first team with several, to the
	// next team; the tile holding its centre at zoom 11.
	var ward, from, to string
	teams := cfg.Teams()
	for i, team := range teams {
		if len(team.Wards) > 1 {
			ward, from, to = team.Wards[len(team.Wards)-1], team.ID, teams[(i+1)%len(teams)].ID
			break
		}
	}
	if ward == "" {
		t.Fatal("no team with two wards")
	}
	var centre orb.Point
	for _, w := range ds.Wards {
		if w.Code == ward {
			centre = w.Geometry.Bound().Center()
		}
	}
	tile := maptile.At(centre, 11)

	a, _ := replicaProcess(t, db)
	b, _ := replicaProcess(t, db)

	// Both replicas compute and cache the current version first.
	before := look(t, b, name, ward, tile)
	if !before.consistent(from) {
		t.Fatalf("before the move B shows %s in profile %q, feature %q, tile %q; want %s", ward, before.profileTeam, before.featureTeam, before.tileTeam, from)
	}
	if again := look(t, b, name, ward, tile); again.tileCache != "hit" {
		t.Errorf("B's second tile request: X-Tile-Cache %q, want hit (cached)", again.tileCache)
	}
	if cc := before.versionedTile.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned tile Cache-Control %q, want immutable", cc)
	}
	look(t, a, name, ward, tile)

	status, newTag, err := postMoves(a+"/api/configurations/"+name+"/moves", before.version, []configuration.Move{{Ward: ward, Team: to}})
	if err != nil || status != http.StatusOK {
		t.Fatalf("move through A: %d %v", status, err)
	}
	saved := time.Now()
	// B's cached latest lives a minute without a notification: seeing the
	// move within seconds shows B was told.
	var after replicaView
	for {
		after = look(t, b, name, ward, tile)
		if after.version == newTag && after.consistent(to) {
			break
		}
		if time.Since(saved) > 10*time.Second {
			t.Fatalf("10 s after the move through A, B shows version %s (want %s), %s in profile %q, feature %q, tile %q (want %s)",
				after.version, newTag, ward, after.profileTeam, after.featureTeam, after.tileTeam, to)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("B showed the move %v after A answered", time.Since(saved).Round(time.Millisecond))
	if after.profilePop[to] <= before.profilePop[to] || after.profilePop[from] >= before.profilePop[from] ||
		after.profilePop[to]+after.profilePop[from] != before.profilePop[to]+before.profilePop[from] {
		t.Errorf("resident population of %s, %s: before %v %v, after %v %v; want the ward's residents to move",
			from, to, before.profilePop[from], before.profilePop[to], after.profilePop[from], after.profilePop[to])
	}

	// 50 moves with the same If-Match, alternating between the replicas.
	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := a
			if i%2 == 1 {
				base = b
			}
			var err error
			statuses[i], _, err = postMoves(base+"/api/configurations/"+name+"/moves", newTag, []configuration.Move{{Ward: ward, Team: from}})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	won := 0
	for i, s := range statuses {
		switch s {
		case http.StatusOK:
			won++
		case http.StatusPreconditionFailed:
		default:
			t.Errorf("move %d: status %d, want 200 or 412", i, s)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent moves with If-Match %s were saved, want exactly 1 (statuses %v)", won, n, newTag, statuses)
	}
	var history struct {
		Versions []json.RawMessage `json:"versions"`
	}
	getJSON(t, b+"/api/configurations/"+name+"/versions", &history)
	if want := infos[0].Version + 1 + won; len(history.Versions) != want {
		t.Errorf("%d versions after the race, want %d", len(history.Versions), want)
	}
}

// demoDatabase is a new PostgreSQL database holding the demo city.
func demoDatabase(t *testing.T) string {
	t.Helper()
	db := pgtest.NewDatabase(t, "")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	return db
}

// TestQueuedSitingOutlivesItsReplica: a siting run queued through a
// replica that runs no jobs stays queued after that replica stops, and the
// next replica to start runs it and saves its scenario.
func TestQueuedSitingOutlivesItsReplica(t *testing.T) {
	db := demoDatabase(t)
	a, stopA := replicaProcess(t, db, "--job-workers", "0")
	body, _ := json.Marshal(map[string]any{"name": "queued-hubs", "configuration": "demo-baseline", "one_per_team": true})
	req, _ := http.NewRequest(http.MethodPost, a+"/api/scenarios", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Prefer", "respond-async")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("queue through A: %s", res.Status)
	}
	loc := res.Header.Get("Location")
	var job struct {
		State  string   `json:"state"`
		Errors []string `json:"errors"`
	}
	getJSON(t, a+loc, &job)
	if job.State != "queued" {
		t.Fatalf("on a replica that runs no jobs, the job is %s, want queued", job.State)
	}
	stopA()

	b, _ := replicaProcess(t, db)
	deadline := time.Now().Add(60 * time.Second)
	for getJSON(t, b+loc, &job); job.State == "queued" || job.State == "running"; getJSON(t, b+loc, &job) {
		if time.Now().After(deadline) {
			t.Fatalf("job still %s on B after 60 s", job.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if job.State != "completed" {
		t.Fatalf("job %s: %v", job.State, job.Errors)
	}
	var plan struct {
		Configuration string            `json:"configuration"`
		Hubs          []json.RawMessage `json:"hubs"`
	}
	getJSON(t, b+"/api/scenarios/queued-hubs", &plan)
	if plan.Configuration != "demo-baseline" || len(plan.Hubs) != 12 {
		t.Errorf("saved scenario: configuration %q, %d hubs; want demo-baseline, 12", plan.Configuration, len(plan.Hubs))
	}
}
