package planning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/placeteam/placeteam/data/jobqueue"
	"github.com/placeteam/placeteam/profiles/hubplan"
)

// Jobs is the durable queue long runs go on (data/jobqueue, in the store's
// database): any process sharing the database may run a queued job, and a
// restart loses none. The queue's handler is the core's RunJob.
type Jobs interface {
	Enqueue(ctx context.Context, kind string, args json.RawMessage) (jobqueue.Job, error)
	Job(ctx context.Context, id int64) (jobqueue.Job, error)
	Cancel(ctx context.Context, id int64) (jobqueue.Job, error)
}

// ErrNoJobs is returned when the core has no job queue.
var ErrNoJobs = errors.New("planning: no job queue")

// ErrUnknownJob is wrapped when a queued job's kind is not one the core runs.
var ErrUnknownJob = errors.New("unknown job kind")

// JobSiting is the kind of a queued hub-siting run.
const JobSiting = "siting"

// SitingRun is a queued hub-siting run: the configuration version it was
// asked for (pinned when queued, so the run answers for the version the
// planner saw), its options and the scenario name to save it under.
type SitingRun struct {
	Configuration string          `json:"configuration"`
	Version       int             `json:"version"`
	Scenario      string          `json:"scenario,omitempty"`
	Options       hubplan.Options `json:"options"`
	// By is who queued it: the run writes as them.
	By *Actor `json:"by,omitempty"`
}

// SitingResult is a finished siting run's output.
type SitingResult struct {
	Configuration string        `json:"configuration"`
	Version       int           `json:"version"`
	Scenario      string        `json:"scenario,omitempty"`
	Plan          *hubplan.Plan `json:"plan"`
}

// QueueSiting queues a hub-siting run of version v; name, when set, saves
// the plan as that scenario.
func (s *Service) QueueSiting(ctx context.Context, v Version, opts hubplan.Options, name string) (jobqueue.Job, error) {
	if s.jobs == nil {
		return jobqueue.Job{}, ErrNoJobs
	}
	if len(opts.TravelTimes) > 0 {
		return jobqueue.Job{}, errors.New("planning: a queued siting run cannot carry a travel-time matrix")
	}
	// Refuse now what the run would refuse, rather than queue a failure.
	if err := hubplan.Check(s.ds, s.tables, v.Configuration, opts); err != nil {
		return jobqueue.Job{}, err
	}
	args, err := json.Marshal(SitingRun{Configuration: v.Name, Version: v.Number, Scenario: name, Options: opts, By: s.queuedBy(ctx)})
	if err != nil {
		return jobqueue.Job{}, fmt.Errorf("planning: encode siting run: %w", err)
	}
	return s.jobs.Enqueue(ctx, JobSiting, args)
}

// Job is a queued job and, once finished, its outcome.
func (s *Service) Job(ctx context.Context, id int64) (jobqueue.Job, error) {
	if s.jobs == nil {
		return jobqueue.Job{}, ErrNoJobs
	}
	return s.jobs.Job(ctx, id)
}

// CancelJob cancels a queued or running job (a finished one is unchanged).
func (s *Service) CancelJob(ctx context.Context, id int64) (jobqueue.Job, error) {
	if s.jobs == nil {
		return jobqueue.Job{}, ErrNoJobs
	}
	return s.jobs.Cancel(ctx, id)
}

// RunJob runs one queued job: the queue's handler. ctx ends when the job
// is cancelled.
func (s *Service) RunJob(ctx context.Context, job jobqueue.Job) (out json.RawMessage, err error) {
	done := s.jobStats.started(job.Kind)
	defer func() { done(err) }()
	switch job.Kind {
	case JobSiting:
		var run SitingRun
		if err := json.Unmarshal(job.Args, &run); err != nil {
			return nil, fmt.Errorf("planning: siting job %d: %w", job.ID, err)
		}
		if run.By != nil {
			ctx = WithActor(ctx, *run.By)
		}
		v, err := s.At(ctx, run.Configuration, run.Version)
		if err != nil {
			return nil, err
		}
		plan, err := s.SiteHubs(ctx, v, run.Options, run.Scenario)
		if err != nil {
			return nil, err
		}
		return json.Marshal(SitingResult{Configuration: v.Name, Version: v.Number, Scenario: run.Scenario, Plan: plan})
	case JobOptimise:
		return s.runOptimise(ctx, job)
	default:
		return nil, fmt.Errorf("planning: job %d: %w %q", job.ID, ErrUnknownJob, job.Kind)
	}
}

// queuedBy is the actor a queued job writes as: whoever queued it, from
// the job.
func (s *Service) queuedBy(ctx context.Context) *Actor {
	a := s.actor(ctx)
	a.From = "job queued from " + a.From
	return &a
}
