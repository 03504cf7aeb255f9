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
	var dbPath, addr string
	var origins []string
	var maxBody, tileCacheBytes int64
	var jobWorkers int
	cmd := &cobra.Command{
		Use:   "serve --db FILE --addr :8080",
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
			core, err = planning.New(ctx, planning.Config{Store: store, Logger: logger, TileCacheBytes: tileCacheBytes, Jobs: queue})
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
			handler := api.New(api.Config{Core: core, Logger: logger, AllowedOrigins: origins, MaxBodyBytes: maxBody})
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
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
	cmd.Flags().StringVar(&addr, "addr", ":8080", "listen address")
	cmd.Flags().StringSliceVar(&origins, "cors-origin", nil, "allow cross-origin requests from these origins (\"*\" for any)")
	cmd.Flags().Int64Var(&maxBody, "max-body", api.DefaultMaxBodyBytes, "largest request body accepted, in bytes")
	cmd.Flags().IntVar(&jobWorkers, "job-workers", 1, "queued jobs (siting runs) this process runs at once; 0 runs none (it still queues them)")
	cmd.Flags().Int64Var(&tileCacheBytes, "tile-cache-bytes", planning.DefaultTileCacheBytes, "memory for encoded tiles, in bytes")
	return cmd
}
