package api

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestInFlightCap: with the cap at 2 and two requests held in their
// handlers, the next is 503 at once with Retry-After and a problem body;
// /healthz still answers; a request whose body has not arrived holds no
// place; once the held requests end, requests are answered again.
func TestInFlightCap(t *testing.T) {
	gin.SetMode(gin.TestMode)
	entered, release := make(chan struct{}), make(chan struct{})
	r := gin.New()
	r.Use(limitInFlight(2, 1<<20))
	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/slow", func(c *gin.Context) {
		entered <- struct{}{}
		<-release
		c.String(http.StatusOK, "done")
	})
	r.POST("/echo", func(c *gin.Context) {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			c.String(http.StatusBadRequest, err.Error())
			return
		}
		c.String(http.StatusOK, string(b))
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	// A client that sends the headers of a body and then stalls.
	stalled, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	fmt.Fprintf(stalled, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")

	held := make(chan int, 2)
	for range 2 {
		go func() {
			resp, err := http.Get(srv.URL + "/slow")
			if err != nil {
				held <- 0
				return
			}
			resp.Body.Close()
			held <- resp.StatusCode
		}()
	}
	for range 2 {
		select {
		case <-entered: // both places are taken, the stalled body holds none
		case <-time.After(5 * time.Second):
			t.Fatal("the held requests did not reach their handler: the stalled body holds a place")
		}
	}
	start := time.Now()
	resp, body := get("/slow")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
		resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, "2 requests, its most at once") {
		t.Errorf("past the cap: %d, Retry-After %q, %s %s", resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), body)
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("the refusal took %v: it should not queue", waited)
	}
	if resp, _ := get("/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz at the cap: %d", resp.StatusCode)
	}
	close(release)
	for range 2 {
		if code := <-held; code != http.StatusOK {
			t.Errorf("a held request ended %d", code)
		}
	}
	go func() {
		for range entered {
		}
	}()
	if resp, body := get("/slow"); resp.StatusCode != http.StatusOK || body != "done" {
		t.Errorf("after the held requests: %d %s", resp.StatusCode, body)
	}
	// The stalled body, completed, reaches its handler whole.
	fmt.Fprint(stalled, strings.Repeat("d", 97))
	answer, err := http.ReadResponse(bufio.NewReader(stalled), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(answer.Body)
	if answer.StatusCode != http.StatusOK || string(b) != "abc"+strings.Repeat("d", 97) {
		t.Errorf("the completed body: %d %q", answer.StatusCode, b)
	}
}

// TestReceiveBodyKeepsLimitsAndErrors: a body past the limit still reaches
// the handler's limit (413 there), and one cut short gives its error.
func TestReceiveBodyKeepsLimitsAndErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		body     io.Reader
		length   int64
		limit    int64
		want     string
		wantFail bool
	}{
		{"within", strings.NewReader("hello"), 5, 10, "hello", false},
		{"past the limit, length unknown", strings.NewReader("hello world"), -1, 5, "hello world", false},
		{"cut short", io.MultiReader(strings.NewReader("hel"), errReader{io.ErrUnexpectedEOF}), 5, 10, "hel", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", tc.body)
			r.ContentLength = tc.length
			if tc.length < 0 {
				r.TransferEncoding = []string{"chunked"}
			}
			receiveBody(r, tc.limit)
			got, err := io.ReadAll(r.Body)
			if string(got) != tc.want || (err != nil) != tc.wantFail {
				t.Errorf("read %q, %v; want %q (error: %v)", got, err, tc.want, tc.wantFail)
			}
		})
	}
}

// TestWriteLimiter: a burst, then a wait; refused writes are not counted;
// identities are kept apart; the map stays bounded and forgets the idle.
func TestWriteLimiter(t *testing.T) {
	l := newWriteLimiter(1, 3)
	now := time.Now()
	for i := range 3 {
		if d := l.wait("ann", now); d != 0 {
			t.Fatalf("write %d of the burst waits %v", i+1, d)
		}
	}
	for range 5 {
		if d := l.wait("ann", now); d <= 0 || d > time.Second {
			t.Fatalf("past the burst: wait %v, want (0, 1s]", d)
		}
	}
	if d := l.wait("bob", now); d != 0 {
		t.Errorf("another identity waits %v", d)
	}
	// Refused writes took nothing: one second later one write is due.
	if d := l.wait("ann", now.Add(time.Second)); d != 0 {
		t.Errorf("a second on: wait %v", d)
	}
	for i := range maxLimitedActors + 500 {
		l.wait(fmt.Sprintf("token-%d", i), now.Add(time.Second))
	}
	if n := l.len(); n > maxLimitedActors {
		t.Errorf("%d identities kept, at most %d", n, maxLimitedActors)
	}
	l.wait("late", now.Add(time.Minute))
	if n := l.len(); n != 1 {
		t.Errorf("%d identities kept after a minute idle, want 1", n)
	}
}
