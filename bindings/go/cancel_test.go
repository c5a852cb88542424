package trillet_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// Bounds of these tests are seconds, never tens of milliseconds: the machine may be small and
// loaded (-race). What they assert is what the server saw.

// silentServer is a raw TCP server on loopback that accepts connections, reads the requests and
// never answers. It records every request head it read and every connection the client closed
// (a read returning EOF, or a reset).
type silentServer struct {
	ln     net.Listener
	heads  chan struct{} // one per request head read
	closed chan error    // one per connection ended by the client: what the read returned
	mu     sync.Mutex
	conns  int
}

func startSilentServer(t *testing.T) *silentServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &silentServer{ln: ln, heads: make(chan struct{}, 10000), closed: make(chan error, 10000)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); s.serve(c) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return s
}

func (s *silentServer) url() string { return "http://" + s.ln.Addr().String() }

func (s *silentServer) accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// serve reads until the client ends the connection; it never writes. A connection still open
// when the test ends is closed after 60 s (far beyond any bound of the tests).
func (s *silentServer) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
	var seen []byte
	buf := make([]byte, 4096)
	headRead := false
	for {
		n, err := c.Read(buf)
		if !headRead {
			seen = append(seen, buf[:n]...)
			if bytes.Contains(seen, []byte("\r\n\r\n")) {
				headRead = true
				s.heads <- struct{}{}
			}
		}
		if err != nil {
			s.closed <- err
			return
		}
	}
}

// waitHeads waits until the server has read n more request heads.
func (s *silentServer) waitHeads(t *testing.T, n int, within time.Duration) {
	t.Helper()
	timeout := time.After(within)
	for i := range n {
		select {
		case <-s.heads:
		case <-timeout:
			t.Fatalf("the server read %d request heads within %v, want %d", i, within, n)
		}
	}
}

// waitClosed waits until the client has closed n more connections, each seen as EOF (or a
// reset: the client's close, either way), never as the server's own read deadline.
func (s *silentServer) waitClosed(t *testing.T, n int, within time.Duration) {
	t.Helper()
	timeout := time.After(within)
	for i := range n {
		select {
		case err := <-s.closed:
			if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("a connection ended with %v, want EOF (closed by the client)", err)
			}
		case <-timeout:
			t.Fatalf("the client closed %d connections within %v, want %d", i, within, n)
		}
	}
}

// silentClient is a client of the silent server: a 60 s timeout, so that only a cancel or
// Close can end its calls within the tests' bounds, and no retries.
func silentClient(t *testing.T, s *silentServer) *trillet.Client {
	t.Helper()
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, WorkspaceID: sandboxWorkspace, BaseURL: s.url(),
		MaxRetries: trillet.Int(0), Timeout: 60 * time.Second, IgnoreEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// collect receives n results from errs, failing when they take longer than within.
func collect(t *testing.T, errs <-chan error, n int, within time.Duration) []error {
	t.Helper()
	timeout := time.After(within)
	out := make([]error, 0, n)
	for len(out) < n {
		select {
		case err := <-errs:
			out = append(out, err)
		case <-timeout:
			t.Fatalf("%d of %d calls returned within %v", len(out), n, within)
		}
	}
	return out
}

// osThreads is the process's thread count (Linux: /proc/self/status), or -1 elsewhere.
func osThreads(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("Threads: %q", v)
			}
			return n
		}
	}
	return -1
}

// waitGoroutines waits until at most limit goroutines run, and returns the count.
func waitGoroutines(limit int, within time.Duration) int {
	deadline := time.Now().Add(within)
	n := runtime.NumGoroutine()
	for n > limit && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// checkCancelled checks that err is what a call stopped by its context's cancellation returns.
func checkCancelled(t *testing.T, err error, code string) {
	t.Helper()
	e := asError(t, err)
	if e.Kind != trillet.KindCancelled || e.Code != code || !errors.Is(err, context.Canceled) ||
		!errors.Is(err, trillet.ErrCancelled) || errors.Is(err, trillet.ErrClosed) || trillet.IsTimeout(err) {
		t.Errorf("got %s/%s %v, want a cancelled error (%s) matching context.Canceled", e.Kind, e.Code, err, code)
	}
}

// Rounds of 100 calls cancelled while they wait for an answer: every call returns (a cancelled
// error, maybe_sent: the server had read it), the server sees every connection closed, and
// nothing stays behind: the goroutines go back to their baseline and the OS threads stop
// growing after the second round (a thread blocked in a C call would add up round after round).
func TestCancelledCallsLeaveNothingBehind(t *testing.T) {
	const rounds, calls = 5, 100
	s := startSilentServer(t)
	c := silentClient(t, s)
	baseline := runtime.NumGoroutine()
	var threads []int
	for round := range rounds {
		parent, cancel := context.WithCancel(background)
		errs := make(chan error, calls)
		for i := range calls {
			go func() {
				ctx := parent
				if i%2 == 1 { // half with a context of their own, cancelled through the parent
					var stop context.CancelFunc
					ctx, stop = context.WithCancel(parent)
					defer stop()
				}
				var err error
				if i%4 < 2 {
					_, err = c.Agents.List(ctx)
				} else {
					_, err = c.Do(ctx, "GET", "/v1/api/agents", trillet.Request{})
				}
				errs <- err
			}()
		}
		s.waitHeads(t, calls, 60*time.Second) // every request is sent and waits for its answer
		cancel()
		for _, err := range collect(t, errs, calls, 20*time.Second) {
			checkCancelled(t, err, trillet.CodeMaybeSent)
		}
		s.waitClosed(t, calls, 20*time.Second)
		if n := waitGoroutines(baseline+3, 20*time.Second); n > baseline+3 {
			t.Errorf("round %d: %d goroutines, %d before the first round", round+1, n, baseline)
		}
		threads = append(threads, osThreads(t))
	}
	if got := s.accepted(); got != rounds*calls {
		t.Errorf("the server accepted %d connections, want %d (a cancelled call is never retried)", got, rounds*calls)
	}
	if threads[0] < 0 {
		t.Logf("no /proc/self/status: thread count not checked")
		return
	}
	t.Logf("OS threads after each round: %v", threads)
	for round := 2; round < rounds; round++ {
		if threads[round] > threads[1]+8 {
			t.Errorf("OS threads after each round: %v: they keep growing after round 2", threads)
			break
		}
	}
}

// A context already done: nothing is sent, and the errors match the context's errors.
func TestADoneContextReturnsAContextErrorWithoutSending(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	cancelled, cancel := context.WithCancel(background)
	cancel()
	_, err := c.Agents.List(cancelled)
	checkCancelled(t, err, trillet.CodeNotSent)
	_, err = c.Do(cancelled, "GET", "/v1/api/agents", trillet.Request{})
	checkCancelled(t, err, trillet.CodeNotSent)

	expired, cancel2 := context.WithDeadline(background, time.Now().Add(-time.Second))
	defer cancel2()
	_, err = c.Agents.Create(expired, typed[trillet.CreateAgent](agentBody))
	if e := asError(t, err); e.Kind != trillet.KindTimeout || !errors.Is(err, context.DeadlineExceeded) ||
		!trillet.IsTimeout(err) || errors.Is(err, context.Canceled) {
		t.Errorf("expired: got %s %v, want a timeout matching context.DeadlineExceeded", e.Kind, err)
	}
	if n := len(requests(t, "")); n != 0 {
		t.Errorf("the sandbox saw %d requests, want none", n)
	}
}

// Cancelling during the call ends the request in the library: the call returns long before the
// server would answer, as a cancelled error saying the request may have been acted on (the
// sandbox had received it), and it is not retried.
func TestCancellingTheContextEndsTheRequest(t *testing.T) {
	c := freshClient(t, 2, 60*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "delay", "ms": 30000})
	ctx, cancel := context.WithCancel(background)
	defer cancel()
	errs := make(chan error, 1)
	started := time.Now()
	go func() { _, err := c.Agents.List(ctx); errs <- err }()
	waitForRequests(t, "agents.list", 1)
	cancel()
	err := collect(t, errs, 1, 10*time.Second)[0]
	checkCancelled(t, err, trillet.CodeMaybeSent)
	if elapsed := time.Since(started); elapsed > 15*time.Second {
		t.Errorf("returned after %v; the server would have answered after 30 s", elapsed)
	}
	if n := len(requests(t, "agents.list")); n != 1 {
		t.Errorf("sent %d times, want 1 (a cancelled call is never retried)", n)
	}
	_ = c.Close()
	if _, err := c.Agents.List(background); !errors.Is(err, trillet.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

// A deadline that passes during the call ends it the same way, as a timeout that matches
// context.DeadlineExceeded.
func TestAContextDeadlineEndsTheRequest(t *testing.T) {
	s := startSilentServer(t)
	c := silentClient(t, s)
	ctx, cancel := context.WithTimeout(background, 500*time.Millisecond)
	defer cancel()
	_, err := c.Agents.List(ctx)
	e := asError(t, err)
	if e.Kind != trillet.KindTimeout || !errors.Is(err, context.DeadlineExceeded) || !trillet.IsTimeout(err) ||
		errors.Is(err, context.Canceled) || errors.Is(err, trillet.ErrCancelled) {
		t.Errorf("got %s/%s %v, want a timeout matching context.DeadlineExceeded", e.Kind, e.Code, err)
	}
	s.waitClosed(t, 1, 20*time.Second)
}

// Response metadata is written when a cancelled call returns: one attempt sent, no answer.
func TestResponseMetaIsWrittenWhenACancelledCallReturns(t *testing.T) {
	c := freshClient(t, 0, 60*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "delay", "ms": 30000})
	meta := trillet.ResponseMeta{Attempts: -1, Status: -1}
	ctx, cancel := context.WithCancel(background)
	defer cancel()
	errs := make(chan error, 1)
	go func() { _, err := c.Agents.List(ctx, trillet.Options{Response: &meta}); errs <- err }()
	waitForRequests(t, "agents.list", 1)
	cancel()
	checkCancelled(t, collect(t, errs, 1, 10*time.Second)[0], trillet.CodeMaybeSent)
	if meta.Attempts != 1 || meta.Status != 0 || meta.RequestID != "" {
		t.Errorf("meta = %+v, want one attempt and no response", meta)
	}
}

// Close ends the calls in flight instead of waiting for them (the server never answers and the
// client's timeout is 60 s): they return cancelled errors matching ErrClosed, the server sees
// their connections closed, and later calls fail with ErrClosed without connecting.
func TestCloseEndsCallsInFlight(t *testing.T) {
	const calls = 9
	s := startSilentServer(t)
	c := silentClient(t, s)
	errs := make(chan error, calls)
	ctx, cancel := context.WithCancel(background) // never cancelled: a token that does not fire
	defer cancel()
	for i := range calls {
		go func() {
			var err error
			switch i % 3 {
			case 0:
				_, err = c.Agents.List(background) // no token: only Close can end it
			case 1:
				_, err = c.Agents.List(ctx)
			default:
				_, err = c.Do(background, "GET", "/v1/api/agents", trillet.Request{})
			}
			errs <- err
		}()
	}
	s.waitHeads(t, calls, 60*time.Second)
	started := time.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(started); took > 5*time.Second {
		t.Errorf("Close took %v with calls in flight (the client's timeout is 60 s)", took)
	}
	for _, err := range collect(t, errs, calls, 10*time.Second) {
		e := asError(t, err)
		if e.Kind != trillet.KindCancelled || e.Code != trillet.CodeMaybeSent || !errors.Is(err, trillet.ErrClosed) ||
			!errors.Is(err, trillet.ErrCancelled) || errors.Is(err, context.Canceled) {
			t.Errorf("got %s/%s %v, want a cancelled error (maybe_sent) matching ErrClosed", e.Kind, e.Code, err)
		}
	}
	s.waitClosed(t, calls, 20*time.Second)
	for _, call := range []func() error{
		func() error { _, err := c.Agents.List(background); return err },
		func() error { _, err := c.Agents.List(ctx); return err },
		func() error { _, err := c.Do(background, "GET", "/v1/api/agents", trillet.Request{}); return err },
	} {
		err := call()
		if e := asError(t, err); !errors.Is(err, trillet.ErrClosed) || e.Kind != trillet.KindInvalidInput || e.Code != "client_closed" {
			t.Errorf("after Close: got %s/%s %v, want ErrClosed", e.Kind, e.Code, err)
		}
	}
	if got := s.accepted(); got != calls {
		t.Errorf("the server accepted %d connections, want %d", got, calls)
	}
}

// Do's request is ended by its context like Call's: the server sees its connection closed, and
// its metadata says one attempt was sent.
func TestDoWithACancelledContextEndsItsRequest(t *testing.T) {
	s := startSilentServer(t)
	c := silentClient(t, s)
	ctx, cancel := context.WithCancel(background)
	errs := make(chan error, 1)
	meta := trillet.ResponseMeta{Attempts: -1}
	go func() {
		_, err := c.Do(ctx, "POST", "/v1/api/call", trillet.Request{Body: map[string]any{"to": "+15550100"}, Response: &meta})
		errs <- err
	}()
	s.waitHeads(t, 1, 60*time.Second)
	cancel()
	checkCancelled(t, collect(t, errs, 1, 10*time.Second)[0], trillet.CodeMaybeSent)
	s.waitClosed(t, 1, 20*time.Second)
	if meta.Attempts != 1 || meta.Status != 0 {
		t.Errorf("meta = %+v, want one attempt and no response", meta)
	}
}

// The wait for a rate-limit slot honours the context: with one call a minute, a second call
// whose context is cancelled returns a cancelled error (not_sent), and one whose deadline passes
// a timeout; neither waits the minute out, and neither is sent.
func TestTheRateLimitWaitHonoursTheContext(t *testing.T) {
	resetSandbox(t)
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, WorkspaceID: sandboxWorkspace, BaseURL: sandboxURL,
		RateLimitPerMinute: 1, MaxRetries: trillet.Int(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mustOK(t)(c.Agents.List(background)) // the minute's one slot

	ctx, cancel := context.WithCancel(background)
	time.AfterFunc(100*time.Millisecond, cancel)
	started := time.Now()
	_, err = c.Agents.List(ctx)
	checkCancelled(t, err, trillet.CodeNotSent)
	if took := time.Since(started); took > 10*time.Second {
		t.Errorf("the cancelled call returned after %v", took)
	}

	ctx2, cancel2 := context.WithTimeout(background, 200*time.Millisecond)
	defer cancel2()
	started = time.Now()
	_, err = c.Agents.List(ctx2)
	if e := asError(t, err); e.Kind != trillet.KindTimeout || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Errorf("got %s/%s %v, want a timeout matching context.DeadlineExceeded", e.Kind, e.Code, err)
	}
	if took := time.Since(started); took > 10*time.Second {
		t.Errorf("the call with a 200ms deadline returned after %v", took)
	}
	if n := len(requests(t, "agents.list")); n != 1 {
		t.Errorf("the sandbox saw %d requests, want 1 (the waiting calls are never sent)", n)
	}
}

// A call through a cancellable context costs a few allocations more than one through
// context.Background (the token and its context.AfterFunc); Background itself costs nothing
// extra (TestAGetAllocatesAFewObjectsPerCall).
func TestACancellableContextAllocatesAFewObjectsMore(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := str(t, mustOK(t)(c.Agents.Create(background, typed[trillet.CreateAgent](agentBody))), "_id")
	req := trillet.Request{Path: map[string]string{"agentId": id}}
	ctx, cancel := context.WithCancel(background)
	defer cancel()
	plain := testing.AllocsPerRun(50, func() {
		if _, err := c.Call(background, "agents.get", req); err != nil {
			t.Fatal(err)
		}
	})
	cancellable := testing.AllocsPerRun(50, func() {
		if _, err := c.Call(ctx, "agents.get", req); err != nil {
			t.Fatal(err)
		}
	})
	if cancellable > plain+6 {
		t.Errorf("%v allocations per call with a cancellable context, %v with Background: want at most 6 more", cancellable, plain)
	}
}

// waitForRequests polls the sandbox's log until it holds n requests of op.
func waitForRequests(t *testing.T, op string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := len(requests(t, op))
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sandbox saw %d %s requests within 30 s, want %d", got, op, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
