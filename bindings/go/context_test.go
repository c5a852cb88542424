package trillet_test

import (
	"context"
	"errors"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

var errContextDeadline = context.DeadlineExceeded

func TestADoneContextReturnsItsErrorWithoutSending(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	cancelled, cancel := context.WithCancel(background)
	cancel()
	if _, err := c.Agents.List(cancelled); err != context.Canceled {
		t.Errorf("cancelled: got %v, want context.Canceled itself", err)
	}
	expired, cancel2 := context.WithDeadline(background, time.Now().Add(-time.Second))
	defer cancel2()
	if _, err := c.Agents.Create(expired, agentBody); err != context.DeadlineExceeded {
		t.Errorf("expired: got %v, want context.DeadlineExceeded itself", err)
	}
	if n := len(requests(t, "")); n != 0 {
		t.Errorf("the sandbox saw %d requests, want none", n)
	}
}

func TestTheContextDeadlineBecomesTheRequestDeadline(t *testing.T) {
	c := freshClient(t, 2, 10*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "delay", "ms": 1500})
	ctx, cancel := context.WithTimeout(background, 300*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := c.Agents.List(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !trillet.IsTimeout(err) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	// Close waits for calls in flight: it returns early only if the library itself gave up at
	// the context's deadline (timeout_ms), rather than waiting out the 1.5 s delay.
	_ = c.Close()
	if elapsed := time.Since(started); elapsed > 1100*time.Millisecond {
		t.Errorf("the call and Close took %v: the context deadline did not reach the library", elapsed)
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

func TestCancellingTheContextReturnsAtOnce(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "delay", "ms": 1500})
	ctx, cancel := context.WithCancel(background)
	time.AfterFunc(100*time.Millisecond, cancel)
	started := time.Now()
	_, err := c.Agents.List(ctx)
	if err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if elapsed := time.Since(started); elapsed > 700*time.Millisecond {
		t.Errorf("returned after %v, want soon after the cancel at 100ms", elapsed)
	}
	// The request itself was sent (and runs on until the server answers).
	if n := len(requests(t, "agents.list")); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
	// Close waits for it; afterwards the client is closed.
	_ = c.Close()
	if _, err := c.Agents.List(background); !errors.Is(err, trillet.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func TestALiveContextWithADeadlineStillSucceeds(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	ctx, cancel := context.WithTimeout(background, 5*time.Second)
	defer cancel()
	mustOK(t)(c.Agents.List(ctx))
}
