package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/placeteam/placeteam/profiles/planning"
)

// unmatchedRoute is the route label of requests no route matched, so that
// arbitrary paths cannot grow the label set.
const unmatchedRoute = "unmatched"

// Metrics are the server's Prometheus metrics, in a registry of their own
// (never the global default): requests, latency and in-flight requests by
// route template, the core's cache and job counters, and the Go runtime
// and process collectors.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// NewMetrics builds the metrics of a server over core (nil: no core
// counters).
func NewMetrics(core *planning.Service) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "placeteam_http_requests_total",
			Help: "HTTP requests answered, by route template (\"unmatched\" for no route), method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "placeteam_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "placeteam_http_requests_in_flight",
			Help: "HTTP requests being answered now.",
		}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.inFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if core != nil {
		m.registry.MustRegister(coreCollector{core})
	}
	return m
}

// Registry is where the metrics are registered (to add more, or gather).
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// observe is the middleware that counts and times every request. It runs
// first, so it sees the status of requests the later middleware refuses.
func (m *Metrics) observe(c *gin.Context) {
	m.inFlight.Inc()
	start := time.Now()
	defer m.inFlight.Dec()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = unmatchedRoute
	}
	method := c.Request.Method
	if !knownMethod(method) {
		method = "other"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(c.Writer.Status())).Inc()
	m.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
}

// knownMethod keeps the method label bounded.
func knownMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// coreCollector exposes the core's counters (planning.Service.Stats) at
// each scrape: the core keeps them and knows nothing of Prometheus.
type coreCollector struct{ core *planning.Service }

var (
	cacheLookupsDesc = prometheus.NewDesc("placeteam_cache_lookups_total",
		"Lookups in the core's caches, by cache and result (hit or miss).", []string{"cache", "result"}, nil)
	cacheBuildsDesc = prometheus.NewDesc("placeteam_cache_builds_total",
		"Values the core's per-version caches computed.", []string{"cache"}, nil)
	cacheEntriesDesc = prometheus.NewDesc("placeteam_cache_entries",
		"Values held in the core's per-version caches.", []string{"cache"}, nil)
	tileEventsDesc = prometheus.NewDesc("placeteam_tile_cache_events_total",
		"Tile cache events besides lookups: tiles generated, evicted and carried to a new version.", []string{"event"}, nil)
	jobsDesc = prometheus.NewDesc("placeteam_jobs_total",
		"Jobs this process queued, and runs it finished, by kind and state (queued, completed, failed, cancelled).", []string{"kind", "state"}, nil)
	jobsRunningDesc = prometheus.NewDesc("placeteam_jobs_running",
		"Job runs this process is working now, by kind.", []string{"kind"}, nil)
)

func (coreCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cacheLookupsDesc, cacheBuildsDesc, cacheEntriesDesc, tileEventsDesc, jobsDesc, jobsRunningDesc} {
		ch <- d
	}
}

func (cc coreCollector) Collect(ch chan<- prometheus.Metric) {
	st := cc.core.Stats()
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter(cacheLookupsDesc, float64(st.Tiles.Hits), "tiles", "hit")
	counter(cacheLookupsDesc, float64(st.Tiles.Misses), "tiles", "miss")
	counter(tileEventsDesc, float64(st.Tiles.Generated), "generated")
	counter(tileEventsDesc, float64(st.Tiles.Evictions), "evicted")
	counter(tileEventsDesc, float64(st.Tiles.Carried), "carried")
	for name, c := range st.Caches {
		counter(cacheLookupsDesc, float64(c.Hits), name, "hit")
		counter(cacheLookupsDesc, float64(c.Misses), name, "miss")
		counter(cacheBuildsDesc, float64(c.Builds), name)
		gauge(cacheEntriesDesc, float64(c.Entries), name)
	}
	for kind, j := range st.Jobs {
		counter(jobsDesc, float64(j.Queued), kind, "queued")
		counter(jobsDesc, float64(j.Completed), kind, "completed")
		counter(jobsDesc, float64(j.Failed), kind, "failed")
		counter(jobsDesc, float64(j.Cancelled), kind, "cancelled")
		gauge(jobsRunningDesc, float64(j.Running), kind)
	}
}
