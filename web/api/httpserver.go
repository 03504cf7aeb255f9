package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// ServerConfig sets the connection limits of the HTTP server serve runs;
// zero fields take the defaults below.
type ServerConfig struct {
	// ReadHeaderTimeout is how long a client may take to send a request's
	// headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long it may take to send a whole request, headers
	// and body.
	ReadTimeout time.Duration
	// WriteTimeout is how long an answer may take to be written, from the
	// end of the request's headers (job endpoints answer at once; long runs
	// are jobs).
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection with no request for this
	// long.
	IdleTimeout time.Duration
	// MaxHeaderBytes is the largest request line and headers accepted:
	// beyond it, 431 with a problem body (see headerLimit).
	MaxHeaderBytes int
	// Logger gets net/http's own complaints (a handler's misuse of the
	// connection, failed TLS handshakes); nil discards them.
	Logger *slog.Logger
}

// The defaults serve uses.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 120 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
)

// withDefaults fills the zero fields.
func (cfg ServerConfig) withDefaults() ServerConfig {
	set := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	set(&cfg.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	set(&cfg.ReadTimeout, DefaultReadTimeout)
	set(&cfg.WriteTimeout, DefaultWriteTimeout)
	set(&cfg.IdleTimeout, DefaultIdleTimeout)
	if cfg.MaxHeaderBytes <= 0 {
		cfg.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// NewHTTPServer is the server serve runs handler with: slow and idle
// clients are cut off by the timeouts, and oversized headers are refused.
// The caller sets Addr or calls Serve with a listener.
func NewHTTPServer(handler http.Handler, cfg ServerConfig) *http.Server {
	cfg = cfg.withDefaults()
	return &http.Server{
		Handler:           headerLimit(handler, cfg.MaxHeaderBytes),
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		// net/http answers headers past its own limit itself, before any
		// handler, as text/plain; it is set at twice ours so that headers
		// just past ours get the problem body from headerLimit.
		MaxHeaderBytes: headerHardLimit(cfg.MaxHeaderBytes),
		ErrorLog:       slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
}

// headerHardLimit is the limit net/http enforces for a limit of ours.
func headerHardLimit(limit int) int { return 2 * limit }

// headerLimit refuses a request whose request line and headers exceed
// limit bytes (as sent, near enough: each line with its separators) with
// 431 and a problem body.
func headerLimit(next http.Handler, limit int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := headerSize(r); n > limit {
			writePlainProblem(w, r, problem{Status: http.StatusRequestHeaderFieldsTooLarge,
				Detail: fmt.Sprintf("the request line and headers are %d bytes; at most %d are accepted", n, limit)})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// headerSize is the size of r's request line and headers on the wire.
func headerSize(r *http.Request) int {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2
	if r.Host != "" {
		n += len("Host: ") + len(r.Host) + 2
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n + 2
}

// writePlainProblem is writeProblem outside gin, for the wrappers around
// the engine; the connection is closed after it.
func writePlainProblem(w http.ResponseWriter, r *http.Request, p problem) {
	p.Type = "about:blank"
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	p.Instance = r.URL.Path
	body, err := json.Marshal(p)
	if err != nil {
		http.Error(w, p.Title, p.Status) // a problem of plain strings always encodes
		return
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Connection", "close")
	w.WriteHeader(p.Status)
	_, _ = w.Write(body)
}
