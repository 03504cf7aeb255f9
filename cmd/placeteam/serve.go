package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/jobqueue"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

func newServeCommand() *cobra.Command {
	var dbPath, addr, assetsDir string
	var origins []string
	var maxBody, tileCacheBytes int64
	var jobWorkers int
	var publicRead, allowOpen bool
	var hostOpts hostFlags
	var limits serveLimits
	var oidcOpts oidcFlags
	cmd := &cobra.Command{
		Use:   "serve --db FILE [--addr 127.0.0.1:8080]",
		Short: "Serve the HTTP API (an empty store is loaded with the demo city)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
			store, err := openStore(ctx, dbPath, false)
			if err != nil {
				return err
			}
			defer store.Close()
			has, err := store.HasDataset(ctx)
			if err != nil {
				return err
			}
			if !has {
				logger.Info("store is empty: generating the demo city", "db", redact(dbPath))
				if _, err := loadDemo(ctx, store, 0); err != nil {
					return err
				}
			}
			// The job queue runs the core's jobs, and the core queues on it.
			var core *planning.Service
			jobCfg := jobqueue.Config{Workers: jobWorkers, Logger: logger}
			if jobWorkers > 0 {
				jobCfg.Handler = func(ctx context.Context, j jobqueue.Job) (json.RawMessage, error) { return core.RunJob(ctx, j) }
			}
			queue, err := store.JobQueue(ctx, jobCfg)
			if err != nil {
				return err
			}
			if tileCacheBytes < 0 {
				return fmt.Errorf("--tile-cache-bytes %d: give a size in bytes, or 0 for no tile cache", tileCacheBytes)
			}
			if tileCacheBytes == 0 {
				tileCacheBytes = -1 // the core's "off"; its 0 is the default size
			}
			pcfg := planning.Config{Store: store, Logger: logger, TileCacheBytes: tileCacheBytes, Jobs: queue}
			verifier, err := oidcOpts.verifier(ctx)
			if err != nil {
				return err
			}
			if verifier != nil {
				pcfg.Verifier = verifier
			}
			core, err = planning.New(ctx, pcfg)
			if err != nil {
				return err
			}
			defer core.Close()
			if jobWorkers > 0 {
				if err := queue.Start(ctx); err != nil {
					return err
				}
				defer func() {
					// Running jobs get a while to finish; after that they are
					// cancelled and go back to the queue for another replica.
					stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					if err := queue.Stop(stopCtx); err != nil {
						logger.Error("stopping the job queue", "err", err)
					}
				}()
			}
			ds := core.Dataset()
			access, mode, err := accessMode(ctx, core, addr, publicRead, allowOpen)
			if err != nil {
				return err
			}
			logger.Info("access", "mode", mode)
			hosts, err := hostOpts.hosts(access, loopback(addr))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "placeteam: %s\n", mode)
			handler := api.New(api.Config{Core: core, Logger: logger, AllowedOrigins: origins, MaxBodyBytes: maxBody, Access: access, Hosts: hosts,
				MaxInFlight: limits.maxInFlight, RequestTimeout: limits.requestTimeout, WriteRate: limits.writeRate, WriteBurst: limits.writeBurst,
				Page: mapPage(assetsDir, logger)})
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			// Slow and idle clients are cut off (see api.ServerConfig).
			srv := api.NewHTTPServer(handler, api.ServerConfig{Logger: logger})
			logger.Info("serving", "addr", ln.Addr().String(), "dataset", ds.Name)
			fmt.Fprintf(cmd.OutOrStdout(), "placeteam: serving %s on http://%s\n", ds.Name, ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			logger.Info("shutting down")
			if err := srv.Shutdown(shutdownCtx); err != nil {
				return err
			}
			if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", dbDefault(), dbUsage)
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "listen address (another than loopback needs tokens, an identity provider, or --allow-open)")
	cmd.Flags().StringVar(&assetsDir, "assets", "", "node_modules directory holding maplibre-gl for the map page (default: the nearest node_modules above the working directory)")
	cmd.Flags().BoolVar(&publicRead, "public-read", false, "let requests without a token read (writes still need one)")
	hostOpts.register(cmd)
	cmd.Flags().BoolVar(&allowOpen, "allow-open", false, "accept serving with no tokens on a non-loopback address: anyone who reaches it may change and delete everything")
	cmd.Flags().StringSliceVar(&origins, "cors-origin", nil, "allow cross-origin requests from these origins (\"*\" for any)")
	cmd.Flags().Int64Var(&maxBody, "max-body", api.DefaultMaxBodyBytes, "largest request body accepted, in bytes")
	cmd.Flags().IntVar(&jobWorkers, "job-workers", 1, "queued jobs (siting runs) this process runs at once; 0 runs none (it still queues them)")
	cmd.Flags().Int64Var(&tileCacheBytes, "tile-cache-bytes", planning.DefaultTileCacheBytes, "memory for encoded tiles, in bytes; 0 keeps none (every request cuts its tile: for measuring)")
	limits.flags(cmd)
	oidcOpts.register(cmd)
	return cmd
}

// accessMode decides who may do what: with tokens in the store or an
// identity provider, a token (viewer, editor, admin) for everything but
// reads under --public-read; with neither, single-user mode, but only on a
// loopback address unless --allow-open says so.
func accessMode(ctx context.Context, core *planning.Service, addr string, publicRead, allowOpen bool) (*api.Access, string, error) {
	tokens, err := core.HasActiveTokens(ctx)
	if err != nil {
		return nil, "", err
	}
	if tokens || core.VerifiesExternal() {
		mode := "tokens required (Authorization: Bearer …)"
		if core.VerifiesExternal() {
			mode += "; OIDC tokens accepted"
		}
		if publicRead {
			mode += "; reads open to anyone (--public-read)"
		}
		return &api.Access{PublicRead: publicRead}, mode, nil
	}
	if loopback(addr) {
		return &api.Access{Local: true}, "local single-user mode: no tokens, every request is allowed and written as \"local\" (create a token to require one: placeteam token create --name NAME --role admin)", nil
	}
	if !allowOpen {
		return nil, "", fmt.Errorf("serve: refusing to listen on %s with no tokens: anyone who reaches it could change or delete every configuration. Create a token (placeteam token create --db … --name NAME --role admin), trust an identity provider (--oidc-issuer, --oidc-audience), listen on 127.0.0.1, or pass --allow-open", addr)
	}
	return &api.Access{Local: true}, "OPEN server (--allow-open): no tokens, every request from anywhere is allowed and written as \"local\"", nil
}

// loopback reports whether addr listens on a loopback address only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
