package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

// Loopback tests of a server built exactly as serve builds it
// (api.NewHTTPServer over api.New), with its timeouts shortened, against
// slow, idle, greedy and vanishing clients. Each is bounded: a few seconds.

// loopbackServer is a running server on 127.0.0.1 and its log.
type loopbackServer struct {
	addr string
	url  string
	log  *lockedBuffer
}

// lockedBuffer collects the server's JSON log lines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startLoopback serves core with the API and server configurations given
// (their loggers are set here) on a loopback port; sendBuffer, if not
// zero, shrinks the kernel's send buffer of each accepted connection, so
// that an answer a client does not read stays in the server process.
func startLoopback(t *testing.T, core *planning.Service, cfg api.Config, scfg api.ServerConfig, sendBuffer ...int) *loopbackServer {
	t.Helper()
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	cfg.Core, cfg.Logger, scfg.Logger = core, logger, logger
	srv := api.NewHTTPServer(api.New(cfg), scfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if len(sendBuffer) > 0 {
		ln = smallSendBuffers{ln.(*net.TCPListener), sendBuffer[0]}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return &loopbackServer{addr: ln.Addr().String(), url: "http://" + ln.Addr().String(), log: logs}
}

// smallSendBuffers sets each accepted connection's send buffer.
type smallSendBuffers struct {
	*net.TCPListener
	bytes int
}

func (l smallSendBuffers) Accept() (net.Conn, error) {
	conn, err := l.AcceptTCP()
	if err != nil {
		return nil, err
	}
	_ = conn.SetWriteBuffer(l.bytes)
	return conn, nil
}

// dial opens a raw connection to the server.
func (s *loopbackServer) dial(t *testing.T) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// trickle writes b to conn every 100 ms, 30 times, until a write fails.
func trickle(conn net.Conn, b string) {
	for range 30 {
		time.Sleep(100 * time.Millisecond)
		if _, err := conn.Write([]byte(b)); err != nil {
			return
		}
	}
}

// waitClosed waits up to limit for the server to close conn (reading and
// dropping whatever it sends first) and says when it did; ok is false if
// the connection was still open at limit.
func waitClosed(conn net.Conn, limit time.Duration) (closedAt time.Time, ok bool) {
	_ = conn.SetReadDeadline(time.Now().Add(limit))
	_, err := io.Copy(io.Discard, conn)
	if ne, isNet := err.(net.Error); isNet && ne.Timeout() {
		return time.Time{}, false
	}
	return time.Now(), true // EOF, or a reset: closed by the server
}

// TestSlowAndIdleClientsAreCutOff: 200 clients that send a request's
// headers and a Content-Length and then trickle or stall the body, 50 that
// trickle their headers and 200 idle keep-alive connections are all closed
// by the server within its timeouts (1 s here) plus slack, while a normal
// read and a normal what-if (a POST with a body) are answered meanwhile,
// with the in-flight cap serve uses.
func TestSlowAndIdleClientsAreCutOff(t *testing.T) {
	if testing.Short() {
		t.Skip("loopback load test")
	}
	core, base := testCore(t, noJobs)
	const timeout = time.Second
	const slack = 2 * time.Second
	srv := startLoopback(t, core, api.Config{MaxInFlight: api.DefaultMaxInFlight(), RequestTimeout: api.DefaultRequestTimeout},
		api.ServerConfig{ReadHeaderTimeout: timeout, ReadTimeout: timeout, IdleTimeout: timeout, WriteTimeout: 5 * time.Second})
	ward := base.Localities[0].Teams[0].Wards[0]
	whatIf := `{"moves":[{"ward":"` + ward + `","team":"N2"}]}`

	type result struct {
		kind   string
		late   time.Duration // past the moment the server should have closed it
		closed bool
	}
	results := make(chan result, 500)
	var wg sync.WaitGroup
	start := func(kind string, n int, run func(conn net.Conn) (due time.Time)) {
		for range n {
			conn := srv.dial(t)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				due := run(conn)
				at, ok := waitClosed(conn, timeout+slack+time.Second)
				results <- result{kind: kind, late: at.Sub(due), closed: ok}
			}()
		}
	}
	// Slow bodies: a complete header and a body of which a few bytes come,
	// one every 100 ms.
	start("slow body", 200, func(conn net.Conn) time.Time {
		sent := time.Now()
		fmt.Fprintf(conn, "POST /api/configurations/demo-baseline/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(whatIf)+1000, whatIf[:5])
		go trickle(conn, " ")
		return sent.Add(timeout)
	})
	// Slow headers: a request line and one header line, then a byte a
	// while.
	start("slow headers", 50, func(conn net.Conn) time.Time {
		sent := time.Now()
		fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		go trickle(conn, "a")
		return sent.Add(timeout)
	})
	// Idle keep-alive connections: one request answered, then nothing.
	start("idle keep-alive", 200, func(conn net.Conn) time.Time {
		fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			return time.Now().Add(timeout)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Now().Add(timeout)
	})

	// Meanwhile, normal clients are answered.
	time.Sleep(200 * time.Millisecond)
	client := &http.Client{Timeout: 5 * time.Second}
	for _, x := range []struct{ method, path, body string }{
		{"GET", "/api/configurations/demo-baseline/profile", ""},
		{"POST", "/api/configurations/demo-baseline/evaluate", whatIf},
	} {
		t0 := time.Now()
		req, _ := http.NewRequest(x.method, srv.url+x.path, strings.NewReader(x.body))
		if x.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s among slow clients: %v", x.method, x.path, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s %s among slow clients: %d", x.method, x.path, resp.StatusCode)
		}
		t.Logf("%s %s among 450 slow and idle connections: %d in %v", x.method, x.path, resp.StatusCode, time.Since(t0))
	}
	client.CloseIdleConnections()

	wg.Wait()
	close(results)
	worst := map[string]time.Duration{}
	counts := map[string]int{}
	for r := range results {
		counts[r.kind]++
		if !r.closed {
			t.Errorf("a %s connection was still open %v after its timeout", r.kind, slack+time.Second)
			continue
		}
		if r.late > slack {
			t.Errorf("a %s connection was closed %v after its timeout", r.kind, r.late)
		}
		worst[r.kind] = max(worst[r.kind], r.late)
	}
	for kind, n := range counts {
		t.Logf("%d %s connections: the last closed %v after its timeout", n, kind, worst[kind].Round(time.Millisecond))
	}
}

// TestNonReadingClientsHoldLittleMemory: 200 clients ask for large answers
// (OGC items, a profile, flows) and never read them; the Go heap stays
// under 300 MB, and so does the process's RSS, and /healthz answers in under
// 100 ms meanwhile.
func TestNonReadingClientsHoldLittleMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("loopback load test")
	}
	core, _ := testCore(t, noJobs)
	srv := startLoopback(t, core, api.Config{MaxInFlight: 400, RequestTimeout: api.DefaultRequestTimeout},
		api.ServerConfig{WriteTimeout: 20 * time.Second}, 8<<10)
	paths := []string{
		"/collections/lsoas/items?limit=1000",
		"/collections/wards/items?limit=1000",
		"/collections/teams-demo-baseline/items?limit=1000",
		"/api/configurations/demo-baseline/profile",
		"/api/configurations/demo-baseline/flows?format=csv",
	}
	// How large the answers are, read by a normal client (this also warms
	// the caches, which are not what is measured).
	sizes := map[string]int{}
	for _, p := range paths {
		resp, err := http.Get(srv.url + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", p, resp.StatusCode)
		}
		sizes[p] = len(b)
	}
	t.Logf("answer sizes: %v", sizes)
	runtime.GC()
	before := heapInuse()

	var conns []net.Conn
	for i := range 200 {
		conn := srv.dial(t)
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetReadBuffer(4 << 10) // keep the kernel from reading for it
		}
		conns = append(conns, conn)
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", paths[i%len(paths)])
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()

	health := &http.Client{Timeout: 5 * time.Second}
	defer health.CloseIdleConnections()
	var peakHeap uint64
	var slowest time.Duration
	var peakRSS int64
	samples := 0
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		t0 := time.Now()
		resp, err := health.Get(srv.url + "/healthz")
		if err != nil {
			t.Fatalf("/healthz among non-reading clients: %v", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		slowest = max(slowest, time.Since(t0))
		samples++
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/healthz among non-reading clients: %d", resp.StatusCode)
		}
		peakHeap = max(peakHeap, heapInuse())
		peakRSS = max(peakRSS, rssBytes())
	}
	answered := strings.Count(srv.log.String(), `"msg":"request"`) - len(paths) - samples
	t.Logf("200 non-reading clients (%d answers written in full, the rest held): heap in use %d MB before, %d MB at most; RSS at most %d MB; slowest /healthz %v",
		answered, before>>20, peakHeap>>20, peakRSS>>20, slowest)
	if peakHeap > 300<<20 {
		t.Errorf("heap in use reached %d MB with 200 non-reading clients, want under 300 MB", peakHeap>>20)
	}
	if peakRSS > 300<<20 {
		t.Errorf("RSS reached %d MB with 200 non-reading clients, want under 300 MB", peakRSS>>20)
	}
	if slowest > 100*time.Millisecond {
		t.Errorf("/healthz took %v among 200 non-reading clients, want under 100 ms", slowest)
	}
}

// TestDroppedConnectionsLeaveNothingBehind: 32 clients that drop their
// connection in the middle of an answer leave no 5xx in the log and no
// goroutine or file descriptor behind.
func TestDroppedConnectionsLeaveNothingBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("loopback load test")
	}
	core, _ := testCore(t, noJobs)
	srv := startLoopback(t, core, api.Config{MaxInFlight: api.DefaultMaxInFlight(), RequestTimeout: api.DefaultRequestTimeout},
		api.ServerConfig{WriteTimeout: 10 * time.Second, IdleTimeout: 2 * time.Second})
	paths := []string{
		"/collections/lsoas/items?limit=1000",
		"/collections/wards/items?limit=1000",
		"/api/configurations/demo-baseline/profile",
		"/api/configurations/demo-baseline/flows?format=csv",
	}
	// Warm: the caches and whatever goroutines they keep exist before the
	// baseline; and the size of each whole answer, to drop inside it.
	sizes := make([]int64, len(paths))
	for i, p := range paths {
		conn := srv.dial(t)
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", p)
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := io.Copy(io.Discard, conn)
		conn.Close()
		if err != nil || n < 1000 {
			t.Fatalf("GET %s: %d bytes, %v", p, n, err)
		}
		sizes[i] = n
	}
	baseGoroutines, baseFDs := settle(0, 0, 500*time.Millisecond)

	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.DialTimeout("tcp", srv.addr, 5*time.Second)
			if err != nil {
				t.Error(err)
				return
			}
			if tcp, ok := conn.(*net.TCPConn); ok && i%2 == 1 {
				_ = tcp.SetLinger(0) // a reset, not a clean close
			}
			p := i % len(paths)
			fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", paths[p])
			// Drop after 1 byte, the headers, a quarter or three quarters
			// of the answer.
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, _ = io.CopyN(io.Discard, conn, []int64{1, 200, sizes[p] / 4, sizes[p] * 3 / 4}[(i/len(paths))%4])
			conn.Close()
		}()
	}
	wg.Wait()

	goroutines, fds := settle(baseGoroutines, baseFDs, 5*time.Second)
	t.Logf("goroutines %d → %d, file descriptors %d → %d", baseGoroutines, goroutines, baseFDs, fds)
	if goroutines > baseGoroutines+3 {
		t.Errorf("%d goroutines after the dropped connections, %d before", goroutines, baseGoroutines)
	}
	if fds > baseFDs+2 {
		t.Errorf("%d open file descriptors after the dropped connections, %d before", fds, baseFDs)
	}
	requests := 0
	for _, line := range strings.Split(strings.TrimSpace(srv.log.String()), "\n") {
		var entry struct {
			Level  string `json:"level"`
			Msg    string `json:"msg"`
			Status int    `json:"status"`
		}
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if entry.Msg == "request" {
			requests++
		}
		if entry.Status >= 500 || entry.Level == "ERROR" {
			t.Errorf("logged: %s", line)
		}
	}
	if requests < 4+32 {
		t.Errorf("%d requests logged, want %d", requests, 4+32)
	}
}

// settle polls, for up to wait, until the goroutines and open file
// descriptors are at most the numbers given, and returns them.
func settle(goroutines, fds int, wait time.Duration) (int, int) {
	deadline := time.Now().Add(wait)
	for {
		g, f := runtime.NumGoroutine(), openFDs()
		if (g <= goroutines && f <= fds) || time.Now().After(deadline) {
			return g, f
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0 // not Linux: only the goroutines are compared
	}
	return len(entries)
}

func heapInuse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// rssBytes is the process's resident set size (0 off Linux).
func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
