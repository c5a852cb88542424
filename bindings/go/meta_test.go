package trillet_test

import (
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

func TestResponseMetaCountsAttemptsAndNamesTheRequest(t *testing.T) {
	c := freshClient(t, 2, 10*time.Second)
	fault(t, "agents.list", 2, retryNow503)
	var meta trillet.ResponseMeta
	if _, err := c.Agents.List(background, trillet.Options{Response: &meta}); err != nil {
		t.Fatal(err)
	}
	if meta.Status != 200 || meta.Attempts != 3 || !strings.HasPrefix(meta.RequestID, "req_") || meta.Elapsed < 0 {
		t.Errorf("meta = %+v", meta)
	}
	if n := len(requests(t, "agents.list")); n != 3 {
		t.Errorf("the sandbox saw %d requests, want 3", n)
	}

	// A failure reports its last status and request id, the same as the error.
	fault(t, "agents.get", 1, map[string]any{"type": "delay", "ms": 60})
	_, err := c.Call(background, "agents.get", trillet.Request{Path: map[string]string{"agentId": unknownID}, Response: &meta})
	e := asError(t, err)
	if meta.Status != 404 || meta.Attempts != 1 || meta.RequestID != e.RequestID || meta.Elapsed < 60*time.Millisecond {
		t.Errorf("meta = %+v, error request id %q", meta, e.RequestID)
	}

	// Refused before sending: nothing was sent.
	_, err = c.Call(background, "agents.get", trillet.Request{Response: &meta})
	if asError(t, err).Kind != trillet.KindInvalidInput || meta != (trillet.ResponseMeta{}) {
		t.Errorf("meta = %+v", meta)
	}
}
