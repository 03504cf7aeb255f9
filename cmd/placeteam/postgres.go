package main

import (
	"context"

	"github.com/placeteam/placeteam/data/pgstore"
)

func openPostgres(ctx context.Context, url string, mustExist bool) (backend, error) {
	s, err := pgstore.Open(ctx, pgstore.Config{URL: url, MustExist: mustExist})
	if err != nil {
		return nil, err
	}
	return s, nil
}
