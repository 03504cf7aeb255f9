// Package importer builds a dataset from the files a manifest names: it reads
// each file in its public format, checks it, joins the files on their codes,
// places LSOAs and practices in wards, and reports what it found. It stores
// nothing: the caller saves the result in one transaction, so a failed import
// leaves the store as it was.
package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
)

// Options configure an import.
type Options struct {
	Manifest *manifest.Manifest
	// DataRoot is the folder the manifest's file paths are relative to.
	DataRoot string
	// Progress, when set, is told after each step.
	Progress func(step string, done, total int)
	// MaxFileBytes limits each input file; zero means 2 GiB.
	MaxFileBytes int64
}

// Result is an imported dataset, its configurations and the report.
type Result struct {
	Dataset        *dataset.Dataset
	Configurations []*configuration.Configuration
	Report         *Report
}

// ErrMissingFile is wrapped when a file the manifest names cannot be read.
var ErrMissingFile = errors.New("input file not found")

// ErrOutsideDataRoot is wrapped when a manifest path is absolute, climbs out
// of the data root with "..", or reaches outside it through a symlink.
var ErrOutsideDataRoot = errors.New("path is outside the data root")

// Run imports the manifest's files.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Manifest == nil {
		return nil, errors.New("importer: no manifest")
	}
	m := opts.Manifest
	im := &importer{
		opts:  opts,
		m:     m,
		ds:    &dataset.Dataset{Name: m.Name, City: dataset.Area{Code: m.City.Code, Name: m.City.Name}, Commissioners: m.Commissioners},
		state: newState(),
	}
	root, err := os.OpenRoot(opts.DataRoot)
	if err != nil {
		return nil, fmt.Errorf("importer: data root: %w", err)
	}
	defer root.Close()
	im.root = root
	start := time.Now()
	im.report = &Report{Manifest: m.Path, DataRoot: opts.DataRoot}
	steps := len(m.Files) + 2
	done := 0
	progress := func(step string) {
		done++
		if opts.Progress != nil {
			opts.Progress(step, done, steps)
		}
	}
	for _, f := range orderFiles(m) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		if err := im.readFile(ctx, f); err != nil {
			return nil, err
		}
		progress(f.ID)
	}
	if err := im.assemble(ctx); err != nil {
		return nil, err
	}
	progress("assemble")
	if err := im.ds.Validate(); err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	configs, err := im.readConfigurations()
	if err != nil {
		return nil, err
	}
	progress("configurations")
	im.report.Summary = im.ds.Summarize()
	im.report.Warnings = append(im.warn.result(), im.ds.Check()...)
	im.report.Fallbacks = im.fallback.result()
	im.report.Gaps = Gaps(im.ds)
	for _, c := range configs {
		im.report.Configurations = append(im.report.Configurations, c.Name)
	}
	im.report.Duration = time.Since(start).Round(time.Millisecond).String()
	return &Result{Dataset: im.ds, Configurations: configs, Report: im.report}, nil
}

// orderFiles puts files in the order their joins need: boundaries and
// lookups before the tables keyed on them; postcodes before practices.
func orderFiles(m *manifest.Manifest) []*manifest.File {
	order := []manifest.Role{
		manifest.RoleDistricts, manifest.RoleWards, manifest.RoleLSOABoundaries, manifest.RoleMSOABoundaries,
		manifest.RoleAreaLookup, manifest.RoleLSOAWardLookup, manifest.RolePopulation, manifest.RoleDeprivation,
		manifest.RolePostcodes, manifest.RolePractices, manifest.RoleListSizes, manifest.RoleRegistrations,
		manifest.RoleTrusts, manifest.RoleHospitalSites, manifest.RoleCatchments,
		manifest.RoleIndicators, manifest.RolePracticeGroups,
	}
	var out []*manifest.File
	for _, r := range order {
		out = append(out, m.FilesWithRole(r)...)
	}
	return out
}

type importer struct {
	opts   Options
	m      *manifest.Manifest
	ds     *dataset.Dataset
	report *Report
	warn   warnings
	// fallback counts what was inferred because a file was missing (an
	// LSOA's MSOA by an interior point).
	fallback warnings
	state    *state
	// root is the data root: every input file is opened through it, so no
	// manifest path (absolute, "..", or a symlink) can reach outside it.
	root *os.Root
}

// open reads a file whole (public inputs are at most tens of MB), hashes it
// and records it as a source.
func (im *importer) open(f *manifest.File) (*bytes.Reader, *FileReport, error) {
	where := f.ID
	if f.Line > 0 {
		where = fmt.Sprintf("%s (%s line %d)", f.ID, im.m.Path, f.Line)
	}
	path := f.Path
	if filepath.IsAbs(path) || !filepath.IsLocal(path) {
		return nil, nil, fmt.Errorf("importer: %s: %w: %q (paths are relative to --data-root and stay inside it)", where, ErrOutsideDataRoot, path)
	}
	max := im.opts.MaxFileBytes
	if max <= 0 {
		max = 2 << 30
	}
	fh, err := im.root.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			named := ""
			if f.Line > 0 {
				named = fmt.Sprintf(" (named at %s line %d)", im.m.Path, f.Line)
			}
			return nil, nil, fmt.Errorf("importer: %s (%s): %w: %s%s", f.ID, f.Role, ErrMissingFile, filepath.Join(im.opts.DataRoot, path), named)
		}
		if escapesRoot(im.opts.DataRoot, path) {
			return nil, nil, fmt.Errorf("importer: %s: %w: %q reaches outside it through a symlink", where, ErrOutsideDataRoot, path)
		}
		return nil, nil, fmt.Errorf("importer: %s: %w", where, err)
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, max+1))
	if err != nil {
		return nil, nil, fmt.Errorf("importer: %s: read %s: %w", f.ID, path, err)
	}
	if int64(len(b)) > max {
		return nil, nil, fmt.Errorf("importer: %s: %s is larger than %d bytes", f.ID, path, max)
	}
	sum := sha256.Sum256(b)
	src := dataset.Source{
		ID: f.ID, Role: string(f.Role), Path: f.Path, Format: string(f.Format), Title: f.Title,
		Attribution: im.m.AttributionOf(f), Licence: im.m.LicenceOf(f), SHA256: hex.EncodeToString(sum[:]),
	}
	im.ds.Sources = append(im.ds.Sources, src)
	fr := &FileReport{ID: f.ID, Role: string(f.Role), Path: f.Path, SHA256: src.SHA256}
	im.report.Files = append(im.report.Files, fr)
	return bytes.NewReader(b), fr, nil
}

// escapesRoot tells, after the root refused to open a local path, whether
// the path's symlinks lead outside root (os.Root has no sentinel for that).
func escapesRoot(root, path string) bool {
	base, err := filepath.EvalSymlinks(root)
	if err != nil {
		return false
	}
	target, err := filepath.EvalSymlinks(filepath.Join(root, path))
	if err != nil {
		// A dangling link: a link whose target cannot be resolved is not
		// known to stay inside.
		_, lerr := os.Lstat(filepath.Join(root, path))
		return lerr == nil
	}
	rel, err := filepath.Rel(base, target)
	return err != nil || !filepath.IsLocal(rel)
}

func (im *importer) setRecords(id string, n int) {
	for i := range im.ds.Sources {
		if im.ds.Sources[i].ID == id {
			im.ds.Sources[i].Records = n
		}
	}
}

func (im *importer) readFile(ctx context.Context, f *manifest.File) error {
	r, fr, err := im.open(f)
	if err != nil {
		return err
	}
	name := displayName(f)
	switch f.Role {
	case manifest.RoleWards, manifest.RoleLSOABoundaries, manifest.RoleMSOABoundaries, manifest.RoleDistricts:
		err = im.readAreas(f, r, name, fr)
	case manifest.RoleLSOAWardLookup:
		err = im.readWardLookup(ctx, f, r, name, fr)
	case manifest.RoleAreaLookup:
		err = im.readAreaLookup(ctx, f, r, name, fr)
	case manifest.RolePopulation:
		err = im.readPopulation(ctx, f, r, name, fr)
	case manifest.RoleDeprivation:
		err = im.readDeprivation(ctx, f, r, name, fr)
	case manifest.RolePostcodes:
		err = im.readPostcodes(ctx, f, r, name, fr)
	case manifest.RolePractices:
		err = im.readPractices(ctx, f, r, name, fr)
	case manifest.RoleListSizes:
		err = im.readListSizes(ctx, f, r, name, fr)
	case manifest.RoleRegistrations:
		err = im.readRegistrations(ctx, f, r, name, fr)
	case manifest.RoleTrusts:
		err = im.readTrusts(ctx, f, r, name, fr)
	case manifest.RoleHospitalSites:
		err = im.readHospitalSites(f, r, name, fr)
	case manifest.RoleCatchments:
		err = im.readCatchments(ctx, f, r, name, fr)
	case manifest.RoleIndicators:
		err = im.readIndicators(ctx, f, r, name, fr)
	case manifest.RolePracticeGroups:
		err = im.readPracticeGroups(ctx, f, r, name, fr)
	default:
		err = fmt.Errorf("no reader for role %q", f.Role)
	}
	if err != nil {
		return fmt.Errorf("importer: %w", err)
	}
	im.setRecords(f.ID, fr.Records)
	return nil
}

func displayName(f *manifest.File) string { return filepath.Base(f.Path) }

func (im *importer) readConfigurations() ([]*configuration.Configuration, error) {
	wards := make(map[string]string, len(im.ds.Wards))
	for _, w := range im.ds.Wards {
		wards[w.Code] = w.Name
	}
	var out []*configuration.Configuration
	seen := map[string]string{}
	for _, p := range im.m.ConfigurationPaths() {
		c, err := configuration.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		if err := c.Validate(wards); err != nil {
			return nil, fmt.Errorf("importer: %s: %w", p, err)
		}
		if other, ok := seen[c.Name]; ok {
			return nil, fmt.Errorf("importer: %s: configuration %q is also defined in %s", p, c.Name, other)
		}
		seen[c.Name] = p
		out = append(out, c)
	}
	return out, nil
}
