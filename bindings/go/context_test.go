package trillet_test

import (
	"context"
	"errors"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

var errContextDeadline = context.DeadlineExceeded

// deadlineOnly has a deadline but no Done channel, so the binding gives the call no cancel
// token: only the request's timeout_ms, taken from the deadline, can end it.
type deadlineOnly struct {
	context.Context
	at time.Time
}

func (d deadlineOnly) Deadline() (time.Time, bool) { return d.at, true }

func (d deadlineOnly) Err() error {
	if time.Now().After(d.at) {
		return context.DeadlineExceeded
	}
	return nil
}

func TestTheContextDeadlineBecomesTheRequestDeadline(t *testing.T) {
	c := freshClient(t, 2, 60*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "delay", "ms": 30000})
	ctx := deadlineOnly{Context: background, at: time.Now().Add(300 * time.Millisecond)}
	started := time.Now()
	_, err := c.Agents.List(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !trillet.IsTimeout(err) || trillet.KindOf(err) != trillet.KindTimeout {
		t.Fatalf("got %v, want a deadline error", err)
	}
	// The library itself gave up at the context's deadline (timeout_ms): nothing else could end
	// the call before the server's answer at 30 s.
	if elapsed := time.Since(started); elapsed > 15*time.Second {
		t.Errorf("the call took %v: the context deadline did not reach the library", elapsed)
	}
	if n := len(requests(t, "agents.list")); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
}

func TestAShorterRequestTimeoutWinsOverTheContextDeadline(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "delay", "ms": 1500})
	ctx, cancel := context.WithTimeout(background, 5*time.Second)
	defer cancel()
	_, err := c.Call(ctx, "agents.list", trillet.Request{Timeout: 200 * time.Millisecond})
	e := asError(t, err)
	if e.Kind != trillet.KindTimeout || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v (the context is still live: not a context deadline)", err)
	}
	if ctx.Err() != nil {
		t.Error("the context should still be live")
	}
}

func TestALiveContextWithADeadlineStillSucceeds(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	ctx, cancel := context.WithTimeout(background, 5*time.Second)
	defer cancel()
	mustOK(t)(c.Agents.List(ctx))
}
