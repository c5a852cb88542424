package trillet_test

import (
	"errors"
	"fmt"
	"sync"
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

// Closing a client while goroutines use it: every call either completes or reports ErrClosed,
// nothing crashes, and Close may be called from several goroutines at once.
func TestCloseWhileInUse(t *testing.T) {
	const goroutines = 20
	c := freshClient(t, 0, 10*time.Second)
	var wg sync.WaitGroup
	results := make(chan [2]int, goroutines) // calls that succeeded, calls after which it was closed
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok := 0
			for {
				_, err := c.Agents.List(background)
				switch {
				case err == nil:
					ok++
					continue
				case errors.Is(err, trillet.ErrClosed):
					results <- [2]int{ok, 1}
				default:
					t.Errorf("unexpected error: %v", err)
					results <- [2]int{ok, 0}
				}
				return
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	var closers sync.WaitGroup
	for range 3 {
		closers.Add(1)
		go func() { defer closers.Done(); _ = c.Close() }()
	}
	closers.Wait()
	wg.Wait()
	close(results)
	ok, closed := 0, 0
	for r := range results {
		ok += r[0]
		closed += r[1]
	}
	if closed != goroutines || ok == 0 {
		t.Errorf("%d calls succeeded, %d goroutines saw ErrClosed; want some successes and all %d closed", ok, closed, goroutines)
	}
	if n := len(requests(t, "agents.list")); n != ok {
		t.Errorf("the sandbox saw %d requests, the goroutines %d successes", n, ok)
	}
}
