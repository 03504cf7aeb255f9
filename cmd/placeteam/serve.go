package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

func newServeCommand() *cobra.Command {
	var dbPath, addr string
	var origins []string
	var maxBody, tileCacheBytes int64
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
			core, err := planning.New(ctx, planning.Config{Store: store, Logger: logger, TileCacheBytes: tileCacheBytes})
			if err != nil {
				return err
			}
			defer core.Close()
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
	cmd.Flags().Int64Var(&tileCacheBytes, "tile-cache-bytes", planning.DefaultTileCacheBytes, "memory for encoded tiles, in bytes")
	return cmd
}
