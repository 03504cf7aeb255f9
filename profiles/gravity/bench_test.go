package gravity

import (
	"context"
	"testing"
)

func BenchmarkEstimate(b *testing.B) {
	p := manchesterSize.problem()
	ctx := context.Background()
	b.ReportAllocs()
	var flows *Flows
	for b.Loop() {
		var err error
		if flows, err = Estimate(ctx, p, manchesterSize.decay, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(flows.Iterations), "iterations")
	b.ReportMetric(float64(len(flows.Cells)), "cells")
}

func BenchmarkCalibrate(b *testing.B) {
	p := manchesterSize.problem()
	ctx := context.Background()
	b.ReportAllocs()
	var cal *Calibration
	for b.Loop() {
		var err error
		if cal, err = Calibrate(ctx, p, CalibrateOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cal.Evaluations), "evaluations")
	b.ReportMetric(cal.Decay, "decay/km")
}
