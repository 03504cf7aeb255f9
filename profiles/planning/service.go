// Package planning is placeteam's service core, HTTP-free: it owns one
// dataset with its ward tables, the store, and every figure and map derived
// from a configuration version — profile, dissolved teams and localities,
// indicator properties, tileset and tiles — each computed once per version
// (concurrent first requests share one computation) in bounded caches. The
// command line and the HTTP API (web/api) both call it; neither keeps
// domain state of its own.
//
// Versions are immutable, so everything derived from one is cached by
// (configuration, version) and never invalidated. Only "the latest version
// of a name" moves: it is held in memory, dropped at once when this process
// saves or deletes, when a shared store tells of another process's write
// (PostgreSQL LISTEN/NOTIFY, see Watcher), and in any case after
// Config.LatestTTL.
//
// It sits at the top of profiles/: nothing else in profiles imports it.
package planning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/geo/tiles"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// DatasetStore loads the stored dataset.
type DatasetStore interface {
	HasDataset(ctx context.Context) (bool, error)
	Dataset(ctx context.Context) (*dataset.Dataset, error)
}

// ConfigurationStore keeps configurations and their versions. A save or
// delete with an expected version fails with store.ErrConflict when the
// latest is another; a configuration that does not fit the stored wards
// fails with configuration.ErrInvalid.
type ConfigurationStore interface {
	Configurations(ctx context.Context) ([]store.ConfigurationInfo, error)
	Configuration(ctx context.Context, name string) (*configuration.Configuration, int, error)
	ConfigurationVersion(ctx context.Context, name string, version int) (*configuration.Configuration, store.VersionMeta, error)
	ConfigurationHistory(ctx context.Context, name string) ([]store.VersionInfo, error)
	SaveConfigurationIf(ctx context.Context, c *configuration.Configuration, meta store.VersionMeta, expect int) (int, error)
	// DeleteConfigurationBy hides a configuration, keeping its versions in
	// a tombstone naming who deleted it; RestoreConfiguration brings back
	// the newest tombstone of a name.
	DeleteConfigurationBy(ctx context.Context, name string, expect int, by string) error
	DeletedConfigurations(ctx context.Context) ([]store.DeletedConfiguration, error)
	RestoreConfiguration(ctx context.Context, name string) (int, error)
}

// ScenarioStore keeps named hub-siting scenarios.
type ScenarioStore interface {
	SaveScenario(ctx context.Context, name, configuration string, body json.RawMessage) error
	Scenario(ctx context.Context, name string) (json.RawMessage, error)
	Scenarios(ctx context.Context) ([]store.ScenarioInfo, error)
}

// Store is every concern the core needs from a backend.
type Store interface {
	DatasetStore
	ConfigurationStore
	ScenarioStore
	AccessStore
}

// Watcher is implemented by stores that several processes share
// (PostgreSQL): Watch calls fn for every committed configuration write,
// an empty Configuration meaning "anything may have changed" (after a
// reconnect or a dataset replacement), until ctx ends.
type Watcher interface {
	Watch(ctx context.Context, fn func(store.Change)) error
}

// maxShapes bounds the dissolved unit geometries kept (a few hundred KB
// each at most): the teams and localities of many versions.
const maxShapes = 1024

// Defaults for zero Config fields.
const (
	DefaultMaxVersions    = 32
	DefaultLatestTTL      = time.Second
	DefaultWatchedTTL     = time.Minute
	DefaultTileCacheBytes = 256 << 20
)

// Config configures a Service. Zero values are the defaults.
type Config struct {
	Store Store
	// Dataset, when set, is used instead of loading the store's (the store
	// must hold the same dataset).
	Dataset *dataset.Dataset
	// Tables are the ward-table options: registration date and gravity
	// decay (zero: the latest date, the calibrated decay).
	Tables wardtables.Options
	// MaxVersions bounds each per-version cache (profiles, dissolved
	// units, indicator properties, tilesets).
	MaxVersions int
	// LatestTTL is how long the latest version of a name is trusted
	// without a save by this process or a notification from the store:
	// the bound on how stale another process's write may look (default 1 s;
	// a minute when the store is a Watcher).
	LatestTTL time.Duration
	// TileCacheBytes bounds the encoded-tile cache (default 256 MiB); a
	// negative value turns it off (every tile request cuts its tile).
	TileCacheBytes int64
	// Jobs, when set, is the durable queue long runs go on (QueueSiting);
	// its handler should be the core's RunJob.
	Jobs Jobs
	// Verifier, when set, accepts bearer tokens from an identity provider
	// (OIDC) beside the store's tokens.
	Verifier Verifier
	Logger   *slog.Logger
}

// Service is the core. It is safe for concurrent use.
type Service struct {
	store    Store
	jobs     Jobs
	verifier Verifier
	ds       *dataset.Dataset
	tables   *wardtables.Tables
	summary  dataset.Summary
	logger   *slog.Logger
	ttl      time.Duration

	// tablesOptions built tables; dated holds the tables of other dates
	// (TablesAt).
	tablesOptions wardtables.Options
	dated         *flightCache[*wardtables.Tables]

	latestMu sync.Mutex
	latest   map[string]latestEntry
	// changes counts the store's change notifications: a store read that
	// began before one is not remembered (it may predate the change).
	changes uint64

	versions   *flightCache[*configuration.Configuration]
	profiles   *flightCache[*placeprofile.Profile]
	units      *flightCache[*FeatureSet]
	indicators *flightCache[map[string]map[string]any]
	tilesets   *flightCache[*tiles.Tileset]
	checks     *flightCache[*plancheck.Report]
	checkCity  checkCity
	optCity    optimiseCity
	// shapes are dissolved unit geometries by their sorted ward codes.
	shapes    *flightCache[orb.Geometry]
	wardIndex map[string]int // ward code → index in ds.Wards
	responses *responseCache
	// staticTiles are the static layers' tile features, indexed once
	// (per tile variant).
	staticTiles *flightCache[*tiles.IndexedLayer]
	assignAreas assignAreas
	// wardSumsCache holds the indicators' per-ward sums by id and lens.
	wardSumsCache *flightCache[*indicatorprofile.WardSums]

	staticOnce sync.Once
	static     staticCollections
	wardInd    wardIndicators

	tileSvc *tiles.Service

	jobStats jobCounters

	watchCancel context.CancelFunc
	watchDone   chan struct{}
}

type latestEntry struct {
	version int
	at      time.Time
}

// ErrNoDataset is wrapped when the store holds no dataset.
var ErrNoDataset = store.ErrNoDataset

// New loads the dataset (unless given), builds its ward tables and, when
// the store is a Watcher, starts watching it; Close stops that.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("planning: no store")
	}
	ds := cfg.Dataset
	if ds == nil {
		var err error
		if ds, err = cfg.Store.Dataset(ctx); err != nil {
			return nil, fmt.Errorf("planning: %w", err)
		}
	}
	tables, err := wardtables.Build(ctx, ds, cfg.Tables)
	if err != nil {
		return nil, fmt.Errorf("planning: ward tables: %w", err)
	}
	maxVersions := cfg.MaxVersions
	if maxVersions <= 0 {
		maxVersions = DefaultMaxVersions
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		store: cfg.Store, jobs: cfg.Jobs, verifier: cfg.Verifier, ds: ds, tables: tables, summary: ds.Summarize(), logger: logger,
		latest:     map[string]latestEntry{},
		versions:   newFlightCache[*configuration.Configuration](8 * maxVersions),
		profiles:   newFlightCache[*placeprofile.Profile](maxVersions),
		units:      newFlightCache[*FeatureSet](4 * maxVersions), // teams and localities, full and shapes only
		indicators: newFlightCache[map[string]map[string]any](maxVersions),
		tilesets:   newFlightCache[*tiles.Tileset](2 * maxVersions), // lean and full
		shapes:     newFlightCache[orb.Geometry](maxShapes),
		wardIndex:  make(map[string]int, len(ds.Wards)),
		responses:  newResponseCache(DefaultResponseCacheBytes),
		// Bounds that hold every static layer in both variants and every
		// indicator in both lenses: nothing is evicted.
		staticTiles:   newFlightCache[*tiles.IndexedLayer](2 * len(MapLayers)),
		wardSumsCache: newFlightCache[*indicatorprofile.WardSums](2*len(ds.Indicators) + 1),
		checks:        newFlightCache[*plancheck.Report](maxVersions),
	}
	s.tablesOptions, s.dated = cfg.Tables, newFlightCache[*wardtables.Tables](maxDatedTables)
	for i, w := range ds.Wards {
		s.wardIndex[w.Code] = i
	}
	s.jobs = countJobs(cfg.Jobs, &s.jobStats)
	tileBytes := cfg.TileCacheBytes
	if tileBytes == 0 {
		tileBytes = DefaultTileCacheBytes
	}
	if s.tileSvc, err = tiles.NewService(tiles.ServiceConfig{
		Tilesets:     tiles.TilesetsFunc(s.tilesetByKey),
		Cache:        tiles.NewCache(tiles.CacheConfig{MaxBytes: tileBytes, Off: tileBytes < 0}),
		CacheControl: TileCacheControl,
	}); err != nil {
		return nil, fmt.Errorf("planning: %w", err)
	}
	s.ttl = cfg.LatestTTL
	if w, ok := cfg.Store.(Watcher); ok {
		if s.ttl <= 0 {
			s.ttl = DefaultWatchedTTL
		}
		s.startWatch(w)
	} else if s.ttl <= 0 {
		s.ttl = DefaultLatestTTL
	}
	return s, nil
}

// startWatch follows the store's change notifications until Close.
func (s *Service) startWatch(w Watcher) {
	ctx, cancel := context.WithCancel(context.Background())
	s.watchCancel, s.watchDone = cancel, make(chan struct{})
	go func() {
		defer close(s.watchDone)
		if err := w.Watch(ctx, s.changed); err != nil && ctx.Err() == nil {
			s.logger.Error("store watch ended; latest versions now expire after their TTL only", "err", err)
		}
	}()
}

// changed drops what a write elsewhere made stale.
func (s *Service) changed(ch store.Change) {
	s.latestMu.Lock()
	s.changes++
	if ch.Configuration == "" {
		clear(s.latest)
	} else {
		delete(s.latest, ch.Configuration)
	}
	s.latestMu.Unlock()
}

// Close stops watching the store (the store itself is the caller's).
func (s *Service) Close() error {
	if s.watchCancel != nil {
		s.watchCancel()
		<-s.watchDone
	}
	return nil
}

// Dataset is the loaded dataset (read-only).
func (s *Service) Dataset() *dataset.Dataset { return s.ds }

// Tables are the dataset's ward tables (read-only).
func (s *Service) Tables() *wardtables.Tables { return s.tables }

// Summary counts what the dataset holds.
func (s *Service) Summary() dataset.Summary { return s.summary }

// Sources lists the files behind every figure.
func (s *Service) Sources() []dataset.Source {
	if s.ds.Sources == nil {
		return []dataset.Source{}
	}
	return s.ds.Sources
}

// City is the city unit configurations are drawn in.
func (s *Service) City() configuration.Unit {
	return configuration.Unit{ID: s.ds.City.Code, Name: s.ds.City.Name}
}

// Stats are the core's cache figures.
type Stats struct {
	// Computations per cache since start.
	ProfileBuilds, UnitBuilds, IndicatorBuilds, TilesetBuilds int64
	Tiles                                                     tiles.Stats
	// Caches are every per-version cache's counters by name (versions,
	// profiles, units, indicators, tilesets, checks).
	Caches map[string]CacheStats
	// Jobs are this process's job counters by kind (see JobStats).
	Jobs map[string]JobStats
}

// CacheStats are one cache's cumulative counters and its current size.
type CacheStats struct {
	Hits, Misses, Builds int64
	Entries              int
}

// Stats reports how often each cache was asked, hit and computed, and the
// jobs this process queued and ran.
func (s *Service) Stats() Stats {
	return Stats{
		ProfileBuilds: s.profiles.builds.Load(), UnitBuilds: s.units.builds.Load(),
		IndicatorBuilds: s.indicators.builds.Load(), TilesetBuilds: s.tilesets.builds.Load(),
		Tiles: s.tileSvc.Stats(),
		Caches: map[string]CacheStats{
			"versions": s.versions.counts(), "profiles": s.profiles.counts(), "units": s.units.counts(),
			"indicators": s.indicators.counts(), "tilesets": s.tilesets.counts(), "checks": s.checks.counts(),
			"responses": s.responses.counts(),
		},
		Jobs: s.jobStats.snapshot(),
	}
}
