package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/profiles/report"
)

func newReportCommand() *cobra.Command {
	var flags engineFlags
	var configName, teamID, out, pdf, chromium string
	var version int
	cmd := &cobra.Command{
		Use:   "report --db FILE --config NAME [--team ID] [--out report.html] [--pdf report.pdf]",
		Short: "Place-profile report of a configuration (or one team) as self-contained, print-ready HTML, or PDF",
		Long: `Place-profile report of a configuration: the city, each locality and each team,
or with --team one team or locality beside the city. One self-contained HTML
file (inline CSS and SVG charts, no external resources) that prints on A4:
resident and registered population, age bands, national IMD quintiles,
registration flows, acute-trust catchments, indicators with 95% intervals, a
map of the unit among the city's wards, and the sources with their
attribution and licence. Modelled figures are marked M; unknown figures show
– with a note saying why.

Without --out the HTML goes to standard output. --pdf prints it to PDF with
headless Chromium (--chromium, $PLACETEAM_CHROMIUM, or chromium or
google-chrome on the PATH).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var browser string
			if pdf != "" {
				var err error
				if browser, err = findChromium(chromium); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			e, v, err := openEngineAt(ctx, &flags, configName, version)
			if err != nil {
				return err
			}
			defer e.Close()
			in, err := e.core.ReportInput(ctx, v, teamID)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := report.Render(&buf, in); err != nil {
				return err
			}
			if out == "" && pdf == "" {
				_, err := cmd.OutOrStdout().Write(buf.Bytes())
				return err
			}
			htmlPath := out
			if htmlPath == "" {
				dir, err := os.MkdirTemp("", "placeteam-report-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(dir)
				htmlPath = filepath.Join(dir, "report.html")
			}
			if err := os.WriteFile(htmlPath, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("report: %w", err)
			}
			w := cmd.OutOrStdout()
			if out != "" {
				fmt.Fprintf(w, "Wrote %s: the report of %s version %d\n", out, v.Name, v.Number)
			}
			if pdf != "" {
				if err := printPDF(ctx, browser, htmlPath, pdf); err != nil {
					return err
				}
				fmt.Fprintf(w, "Wrote %s (printed by %s)\n", pdf, browser)
			}
			return nil
		},
	}
	flags.register(cmd, "html")
	cmd.Flags().Lookup("format").Hidden = true
	cmd.Flags().StringVar(&configName, "config", "", "configuration name")
	cmd.Flags().IntVar(&version, "version", 0, "version to report (default: the latest)")
	cmd.Flags().StringVar(&teamID, "team", "", "report one team (or locality) beside the city")
	cmd.Flags().StringVar(&out, "out", "", "the HTML file to write (default: standard output)")
	cmd.Flags().StringVar(&pdf, "pdf", "", "also print the report to this PDF file with headless Chromium")
	cmd.Flags().StringVar(&chromium, "chromium", "", "the Chromium or Chrome executable for --pdf")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

// errNoChromium is returned by findChromium when no browser is installed.
var errNoChromium = errors.New("no Chromium found for --pdf: install chromium (apt-get install chromium) or name it with --chromium; the HTML report needs no browser")

// findChromium is the browser to print with: explicit, from
// $PLACETEAM_CHROMIUM, or the first of the usual names on the PATH.
func findChromium(explicit string) (string, error) {
	if explicit == "" {
		explicit = os.Getenv("PLACETEAM_CHROMIUM")
	}
	if explicit != "" {
		path, err := exec.LookPath(explicit)
		if err != nil {
			return "", fmt.Errorf("--chromium %q: %w", explicit, err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errNoChromium
}

// chromiumTimeout bounds one headless Chromium run.
const chromiumTimeout = 2 * time.Minute

// runChromium runs headless Chromium on the local HTML file page with
// args (--print-to-pdf=…, --screenshot=…), in a throwaway profile.
func runChromium(ctx context.Context, browser, page string, args ...string) error {
	abs, err := filepath.Abs(page)
	if err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "placeteam-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(ctx, chromiumTimeout)
	defer cancel()
	all := []string{"--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
		"--user-data-dir=" + profile}
	if os.Geteuid() == 0 {
		all = append(all, "--no-sandbox") // Chromium refuses to run as root with its sandbox
	}
	all = append(append(all, args...), "file://"+abs)
	c := exec.CommandContext(ctx, browser, all...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("chromium: %w: %s", err, lastLines(stderr.String(), 5))
	}
	return nil
}

// printPDF prints the HTML report at page to pdf (A4, from the page's
// print style sheet, without the browser's header and footer).
func printPDF(ctx context.Context, browser, page, pdf string) error {
	abs, err := filepath.Abs(pdf)
	if err != nil {
		return err
	}
	_ = os.Remove(abs)
	if err := runChromium(ctx, browser, page, "--no-pdf-header-footer", "--print-to-pdf="+abs); err != nil {
		return err
	}
	if fi, err := os.Stat(abs); err != nil || fi.Size() == 0 {
		return fmt.Errorf("chromium wrote no PDF at %s", pdf)
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := bytes.Split(bytes.TrimSpace([]byte(s)), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
