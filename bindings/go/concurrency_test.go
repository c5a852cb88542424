package trillet_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// Fifty goroutines share one client: every call gets its own result or error (errors of one
// goroutine never show up in another's call), and the sandbox sees every request.
func TestFiftyGoroutinesShareOneClient(t *testing.T) {
	const goroutines, calls = 50, 4
	c := freshClient(t, 0, 30*time.Second)
	id := createAgent(t, c)
	var wg sync.WaitGroup
	failures := make(chan string, goroutines*calls)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				if g%2 == 1 { // odd goroutines ask for unknown agents
					missing := fmt.Sprintf("0123456789abcdef0123%04d", g*10+i)
					if _, err := c.Agents.Get(background, missing); !trillet.IsNotFound(err) {
						failures <- fmt.Sprintf("goroutine %d: get %s: %v", g, missing, err)
					}
					continue
				}
				agent, err := c.Agents.Get(background, id)
				if err != nil || agent.ID != id {
					failures <- fmt.Sprintf("goroutine %d: %v %+v", g, err, agent)
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if n := len(requests(t, "agents.get")); n != goroutines*calls {
		t.Errorf("the sandbox saw %d requests, want %d", n, goroutines*calls)
	}
}

// Closing a client while goroutines use it: every call either completes or reports ErrClosed
// (a call in flight when Close ran returns a cancelled error that matches ErrClosed), nothing
// crashes, and Close may be called from several goroutines at once.
func TestCloseWhileInUse(t *testing.T) {
	const goroutines = 20
	c := freshClient(t, 0, 10*time.Second)
	var wg sync.WaitGroup
	type result struct{ ok, closed, maybeSent int }
	results := make(chan result, goroutines)
	var succeeded atomic.Int64
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := result{}
			for {
				_, err := c.Agents.List(background)
				switch {
				case err == nil:
					r.ok++
					succeeded.Add(1)
					continue
				case errors.Is(err, trillet.ErrClosed):
					r.closed = 1
					var e *trillet.Error
					if errors.As(err, &e) && e.Code == trillet.CodeMaybeSent {
						r.maybeSent = 1
					}
				default:
					t.Errorf("unexpected error: %v", err)
				}
				results <- r
				return
			}
		}()
	}
	// Close once calls are under way (some have succeeded), however slow the machine.
	for deadline := time.Now().Add(30 * time.Second); succeeded.Load() < goroutines && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	var closers sync.WaitGroup
	for range 3 {
		closers.Add(1)
		go func() { defer closers.Done(); _ = c.Close() }()
	}
	closers.Wait()
	wg.Wait()
	close(results)
	var total result
	for r := range results {
		total.ok += r.ok
		total.closed += r.closed
		total.maybeSent += r.maybeSent
	}
	if total.closed != goroutines || total.ok == 0 {
		t.Errorf("%d calls succeeded, %d goroutines saw ErrClosed; want some successes and all %d closed", total.ok, total.closed, goroutines)
	}
	// The sandbox saw every call that succeeded, none that was not sent, and maybe those
	// that Close ended after sending them.
	if n := len(requests(t, "agents.list")); n < total.ok || n > total.ok+total.maybeSent {
		t.Errorf("the sandbox saw %d requests; the goroutines had %d successes and %d calls ended after sending",
			n, total.ok, total.maybeSent)
	}
}
