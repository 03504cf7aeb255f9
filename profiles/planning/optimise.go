package planning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/jobqueue"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/compare"
	"github.com/placeteam/placeteam/profiles/optimise"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
)

// JobOptimise is the kind of a queued optimiser run.
const JobOptimise = "optimise"

// MaxOptimiseTime is the longest time budget a run may ask for: well
// inside the job queue's 30-minute bound on an attempt, leaving time to
// profile and check the options.
const MaxOptimiseTime = 20 * time.Minute

// OptimiseRequest asks for better boundaries than a version's.
type OptimiseRequest struct {
	// Objective is a term or a weighted sum ("min_local",
	// "min_local=1,catchment=0.5"; optimise.Terms).
	Objective string `json:"objective"`
	Seed      uint64 `json:"seed"`
	// Moves is the candidate-move budget (default optimise.DefaultMoves);
	// TimeS a ceiling in seconds (default 10; at most 1200).
	Moves int64   `json:"moves,omitempty"`
	TimeS float64 `json:"time_s,omitempty"`
	Top   int     `json:"top,omitempty"`
	// Tolerance on resident population (default 0.10; negative: none).
	Tolerance      float64 `json:"tolerance,omitempty"`
	FreeLocalities bool    `json:"free_localities,omitempty"`
	// Frozen are ward codes that must not move.
	Frozen []string `json:"frozen,omitempty"`
	// SaveAs, when set, saves the best option as a new configuration.
	SaveAs string `json:"save_as,omitempty"`
	Author string `json:"author,omitempty"`
}

// OptimiseRun is a queued optimiser run, pinned to the version asked for.
type OptimiseRun struct {
	Configuration string          `json:"configuration"`
	Version       int             `json:"version"`
	Request       OptimiseRequest `json:"request"`
	// By is who queued it: the run saves as them.
	By *Actor `json:"by,omitempty"`
}

// OptimiseResult is a finished run: how it ran, and each option with its
// full metrics against the start.
type OptimiseResult struct {
	Configuration string           `json:"configuration"`
	Version       int              `json:"version"`
	Request       OptimiseRequest  `json:"request"`
	Run           *optimise.Result `json:"run"`
	Options       []OptimisedPlan  `json:"options"`
	// Saved is the configuration the best option was saved as.
	Saved *SavedPlan `json:"saved,omitempty"`
	Notes []string   `json:"notes"`
}

// OptimisedPlan is one option: its score, its change of the objective
// against the start, its moves explained, and the configuration with its
// profile, checks and every metric that changed.
type OptimisedPlan struct {
	Rank            int                          `json:"rank"`
	Score           optimise.Score               `json:"score"`
	ObjectiveChange float64                      `json:"objective_change"`
	Moves           []optimise.Step              `json:"moves"`
	Configuration   *configuration.Configuration `json:"configuration"`
	Profile         *placeprofile.Profile        `json:"profile"`
	Checks          *plancheck.Report            `json:"checks"`
	Changes         []compare.UnitChange         `json:"changes"`
}

// SavedPlan names a saved option.
type SavedPlan struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
}

// optimiseCity is the search's input, built on first use.
type optimiseCity struct {
	once sync.Once
	city *optimise.City
	err  error
}

// OptimiseCity is the dataset as the optimiser sees it (built once).
func (s *Service) OptimiseCity(ctx context.Context) (*optimise.City, error) {
	s.optCity.once.Do(func() {
		var cc *plancheck.City
		if cc, s.optCity.err = s.CheckCity(ctx); s.optCity.err == nil {
			s.optCity.city, s.optCity.err = optimise.NewCity(s.ds, s.tables, cc.Neighbours, PCN)
		}
	})
	return s.optCity.city, s.optCity.err
}

// options turns a request into the search's options, refusing what the
// run would refuse.
func (s *Service) optimiseOptions(ctx context.Context, req OptimiseRequest) (optimise.Options, *optimise.City, error) {
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("planning: optimise: %w: %s", store.ErrInvalid, fmt.Sprintf(format, args...))
	}
	obj, err := optimise.ParseObjective(req.Objective)
	if err != nil {
		return optimise.Options{}, nil, invalid("%v", err)
	}
	if req.Moves < 0 || req.Top < 0 || req.Top > 20 || math.IsNaN(req.TimeS) || req.TimeS < 0 || req.TimeS > MaxOptimiseTime.Seconds() ||
		math.IsNaN(req.Tolerance) || math.IsInf(req.Tolerance, 0) {
		return optimise.Options{}, nil, invalid("moves ≥ 0, top 0–20, time_s 0–%v and a finite tolerance, please", MaxOptimiseTime.Seconds())
	}
	if req.SaveAs != "" {
		if strings.TrimSpace(req.SaveAs) != req.SaveAs || len(req.SaveAs) > 128 || strings.ContainsAny(req.SaveAs, "/\\\x00\n\r\t") {
			return optimise.Options{}, nil, invalid("save_as %q: a name of at most 128 characters, no slashes, control characters or surrounding spaces", req.SaveAs)
		}
		// Refused now rather than after the run.
		if _, err := s.LatestStored(ctx, req.SaveAs); err == nil {
			return optimise.Options{}, nil, invalid("save_as: configuration %q exists: name a new one", req.SaveAs)
		} else if !errors.Is(err, store.ErrNotFound) {
			return optimise.Options{}, nil, err
		}
	}
	city, err := s.OptimiseCity(ctx)
	if err != nil {
		return optimise.Options{}, nil, err
	}
	opts := optimise.Options{Objective: obj, Seed: req.Seed, Moves: req.Moves, Top: req.Top,
		Tolerance: req.Tolerance, FreeLocalities: req.FreeLocalities, Time: 10 * time.Second}
	if req.TimeS > 0 {
		opts.Time = time.Duration(req.TimeS * float64(time.Second))
	}
	index := map[string]int{}
	for i, w := range city.Wards {
		index[w.Code] = i
	}
	for _, code := range req.Frozen {
		w, ok := index[code]
		if !ok {
			return optimise.Options{}, nil, invalid("frozen ward %q is not a ward of the city", code)
		}
		opts.Frozen = append(opts.Frozen, w)
	}
	return opts, city, nil
}

// Optimise searches for better boundaries than version v's. progress,
// when set, is called now and then. With req.SaveAs the best option is
// saved as a new configuration whose version note names the run.
func (s *Service) Optimise(ctx context.Context, v Version, req OptimiseRequest, progress func(optimise.Progress)) (*OptimiseResult, error) {
	opts, city, err := s.optimiseOptions(ctx, req)
	if err != nil {
		return nil, err
	}
	opts.Progress = progress
	opts.ProgressEvery = time.Second
	plan, err := optimise.PlanOf(city, v.Configuration)
	if err != nil {
		return nil, fmt.Errorf("planning: optimise: %w: %w", store.ErrInvalid, err)
	}
	run, err := optimise.Run(ctx, city, plan, opts)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, fmt.Errorf("planning: optimise: %w: %w", store.ErrInvalid, err)
	}
	res := &OptimiseResult{Configuration: v.Name, Version: v.Number, Request: req, Run: run, Options: []OptimisedPlan{}, Notes: []string{}}
	if run.FlowsModelled {
		res.Notes = append(res.Notes, "the objective rests on modelled flows (see the profile's flow_model): every local registration share here is a modelled figure")
	}
	if run.Stopped == "time" {
		res.Notes = append(res.Notes, fmt.Sprintf("the time budget (%.0f s) ended the run after %d of %d moves: another run with this seed may differ", opts.Time.Seconds(), run.MovesTried, run.Budget))
	}
	if !run.Start.WithinTolerance {
		res.Notes = append(res.Notes, fmt.Sprintf("the start has teams beyond the ±%.0f%% resident tolerance: the search first seeks balance, and no team may end further outside than it started", 100*run.Tolerance))
	}
	if !run.Improved {
		res.Notes = append(res.Notes, "no option better than the start was found: the options listed rank below it")
	}
	for i, o := range run.Options {
		moved := assigned(v.Configuration, city, o.Team)
		ev, err := s.evaluateConfiguration(ctx, v, moved, placeprofile.Options{})
		if err != nil {
			return nil, err
		}
		res.Options = append(res.Options, OptimisedPlan{Rank: i + 1, Score: o.Score, ObjectiveChange: o.Score.Value - run.Start.Value,
			Moves: o.Moves, Configuration: moved, Profile: ev.Profile, Checks: ev.Checks, Changes: ev.Changes})
	}
	run.Options = nil // in res.Options, with their metrics
	if req.SaveAs != "" && len(res.Options) > 0 {
		saved, err := s.SaveOptimised(ctx, res, 1, req.SaveAs, req.Author)
		if err != nil {
			return nil, err
		}
		res.Saved = &SavedPlan{Name: saved.Name, Version: saved.Number}
	}
	return res, nil
}

// assigned is c with its teams' wards as team gives them (a team index
// per city ward, teams in c's order): wards that stay keep their place,
// wards that join a team follow in city order. Applying the explained
// moves one by one could empty a team on the way; this cannot.
func assigned(c *configuration.Configuration, city *optimise.City, team []int) *configuration.Configuration {
	out := c.Clone()
	var teams []*configuration.Team
	for li := range out.Localities {
		for ti := range out.Localities[li].Teams {
			teams = append(teams, &out.Localities[li].Teams[ti])
		}
	}
	index := map[string]int{}
	for i, w := range city.Wards {
		index[w.Code] = i
	}
	for ti, t := range teams {
		kept := t.Wards[:0:0]
		for _, code := range t.Wards {
			if team[index[code]] == ti {
				kept = append(kept, code)
			}
		}
		for w, x := range team {
			if x == ti && !slices.Contains(kept, city.Wards[w].Code) {
				kept = append(kept, city.Wards[w].Code)
			}
		}
		t.Wards = kept
	}
	return out
}

// SaveOptimised saves option rank of a result as configuration name (new:
// an existing name is a conflict), with a version note naming the run.
func (s *Service) SaveOptimised(ctx context.Context, res *OptimiseResult, rank int, name, author string) (Version, error) {
	if rank < 1 || rank > len(res.Options) {
		return Version{}, fmt.Errorf("planning: %w: the run has no option %d", store.ErrInvalid, rank)
	}
	o := res.Options[rank-1]
	c := o.Configuration.Clone()
	c.Name = name
	note := fmt.Sprintf("optimiser option %d of %s version %d: objective %s, seed %d, budget %d moves (%d tried, stopped by %s), tolerance %.2f",
		rank, res.Configuration, res.Version, res.Run.Objective, res.Run.Seed, res.Run.Budget, res.Run.MovesTried, res.Run.Stopped, res.Run.Tolerance)
	var moves []string
	for _, m := range o.Moves {
		moves = append(moves, m.Ward+"→"+m.To)
	}
	changes, err := json.Marshal(map[string]any{"optimised_from": map[string]any{"configuration": res.Configuration, "version": res.Version},
		"objective": res.Run.Objective, "seed": res.Run.Seed, "moves_budget": res.Run.Budget, "wards_moved": o.Moves,
		"objective_change": o.ObjectiveChange})
	if err != nil {
		return Version{}, err
	}
	if author == "" {
		author = "optimiser"
	}
	return s.Save(ctx, c, store.VersionMeta{Author: author, Note: note + "; moves " + strings.Join(moves, ", "), Changes: changes}, store.NoVersion)
}

// QueueOptimise queues an optimiser run of version v (checked first).
func (s *Service) QueueOptimise(ctx context.Context, v Version, req OptimiseRequest) (jobqueue.Job, error) {
	if s.jobs == nil {
		return jobqueue.Job{}, ErrNoJobs
	}
	if _, _, err := s.optimiseOptions(ctx, req); err != nil {
		return jobqueue.Job{}, err
	}
	args, err := json.Marshal(OptimiseRun{Configuration: v.Name, Version: v.Number, Request: req, By: s.queuedBy(ctx)})
	if err != nil {
		return jobqueue.Job{}, fmt.Errorf("planning: encode optimiser run: %w", err)
	}
	return s.jobs.Enqueue(ctx, JobOptimise, args)
}

// runOptimise runs a queued optimiser job, reporting progress to the job.
func (s *Service) runOptimise(ctx context.Context, job jobqueue.Job) (json.RawMessage, error) {
	var run OptimiseRun
	if err := json.Unmarshal(job.Args, &run); err != nil {
		return nil, fmt.Errorf("planning: optimiser job %d: %w", job.ID, err)
	}
	if run.By != nil {
		ctx = WithActor(ctx, *run.By)
	}
	v, err := s.At(ctx, run.Configuration, run.Version)
	if err != nil {
		return nil, err
	}
	res, err := s.Optimise(ctx, v, run.Request, func(p optimise.Progress) {
		// Progress is best effort: a failed write must not end the run.
		_ = jobqueue.ReportProgress(context.WithoutCancel(ctx), p)
	})
	if err != nil {
		return nil, err
	}
	return json.Marshal(res)
}
