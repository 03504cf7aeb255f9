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

	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/web/api"
)

func newServeCommand() *cobra.Command {
	var dbPath, addr string
	cmd := &cobra.Command{
		Use:   "serve --db FILE --addr :8080",
		Short: "Serve the HTTP API (an empty store is loaded with the demo city)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
			store, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: dbPath})
			if err != nil {
				return err
			}
			defer store.Close()
			has, err := store.HasDataset(ctx)
			if err != nil {
				return err
			}
			if !has {
				logger.Info("store is empty: generating the demo city", "db", dbPath)
				if _, err := loadDemo(ctx, store, 0); err != nil {
					return err
				}
			}
			ds, err := store.Dataset(ctx)
			if err != nil {
				return err
			}
			handler := api.New(api.Config{Summary: ds.Summarize(), Catalog: catalog{store}, Logger: logger})
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
	cmd.Flags().StringVar(&dbPath, "db", defaultDB, "store file")
	cmd.Flags().StringVar(&addr, "addr", ":8080", "listen address")
	return cmd
}

// catalog adapts the store to the API's Catalog.
type catalog struct{ store *sqlitestore.Store }

func (c catalog) Configurations(ctx context.Context) ([]api.ConfigurationInfo, error) {
	infos, err := c.store.Configurations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.ConfigurationInfo, len(infos))
	for i, x := range infos {
		out[i] = api.ConfigurationInfo{Name: x.Name, Title: x.Title, Version: x.Version, UpdatedAt: x.UpdatedAt, Teams: x.Teams, Localities: x.Localities}
	}
	return out, nil
}
