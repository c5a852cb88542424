package trillet_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// receiverSecret signs what the sandbox sends to the receiver below.
const receiverSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// webhookHandler is the receiver example: a net/http handler that reads the raw body and hands
// it, with the request's headers, to ConstructWebhookEvent.
func webhookHandler(got chan<- *trillet.WebhookEvent, refused chan<- string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body) // the raw bytes: never decode and re-encode before verifying
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		event, err := trillet.ConstructWebhookEvent(body, r.Header, []string{receiverSecret})
		if err != nil {
			var e *trillet.Error
			code := err.Error()
			if errorsAs(err, &e) {
				code = e.Code // bad_signature, timestamp_too_old, ...
			}
			refused <- code
			http.Error(w, code, http.StatusBadRequest)
			return
		}
		got <- event
		w.WriteHeader(http.StatusNoContent)
	})
}

func TestWebhookReceiverGetsTheSandboxsSignedEvents(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	got := make(chan *trillet.WebhookEvent, 16)
	refused := make(chan string, 16)
	server := httptest.NewServer(webhookHandler(got, refused))
	defer server.Close()
	defer resetSandbox(t)
	var added struct {
		Endpoint struct{ ID string } `json:"endpoint"`
	}
	control(t, "POST", "/__sandbox/webhooks", map[string]any{
		"url": server.URL + "/webhooks", "secret": receiverSecret, "scheme": "standard",
		"events": []string{"call.started", "call.completed"}, "retry_schedule_ms": []int{10},
	}, &added)
	if added.Endpoint.ID == "" {
		t.Fatal("no endpoint id")
	}

	ctx := context.Background()
	agent, err := c.Call(ctx, "agents.create", trillet.Request{Body: map[string]any{"name": "Go receiver", "ttsModel": agentBody["ttsModel"]}})
	if err != nil {
		t.Fatal(err)
	}
	placed, err := c.Call(ctx, "calls.initiate", trillet.Request{Body: map[string]any{
		"to": "+14155550123", "call_agent_id": str(t, agent, "_id"), "metadata": map[string]any{"order": "A-17"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	callID := str(t, placed, "call_id")
	record, err := c.Call(ctx, "call_history.get", trillet.Request{Path: map[string]string{"callHistoryId": callID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "active_calls.end_call", trillet.Request{Path: map[string]string{"roomName": str(t, record, "roomName")}}); err != nil {
		t.Fatal(err)
	}

	seen := map[string]*trillet.WebhookEvent{}
	deadline := time.After(30 * time.Second) // a bound on a hang, not a timing claim
	for len(seen) < 2 {
		select {
		case e := <-got:
			seen[e.Type] = e
		case code := <-refused:
			t.Fatalf("the receiver refused a delivery: %s", code)
		case <-deadline:
			t.Fatalf("timed out; got %v", seen)
		}
	}
	done, ok := seen["call.completed"].Data.(*trillet.CallCompletedData)
	if !ok || done.CallID != callID || done.Status != "completed" || done.Metadata["order"] != "A-17" {
		t.Fatalf("call.completed: %+v", seen["call.completed"].Data)
	}
	if started, ok := seen["call.started"].Data.(*trillet.CallEventData); !ok || started.CallID != callID {
		t.Fatalf("call.started: %+v", seen["call.started"].Data)
	}
	var deliveries []struct {
		Event  string `json:"event"`
		Status int    `json:"status"`
		OK     bool   `json:"ok"`
	}
	// The sandbox logs an attempt once it has read the answer: wait for both (a bound on a hang).
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		control(t, "GET", "/__sandbox/webhooks/deliveries", nil, &deliveries)
		if len(deliveries) >= 2 || time.Since(start) > 30*time.Second {
			break
		}
	}
	if len(deliveries) != 2 {
		t.Fatalf("deliveries: %+v", deliveries)
	}
	for _, d := range deliveries {
		if d.Status != http.StatusNoContent || !d.OK {
			t.Errorf("delivery %+v", d)
		}
	}
}

func TestWebhookReceiverRefusesATamperedDelivery(t *testing.T) {
	got := make(chan *trillet.WebhookEvent, 1)
	refused := make(chan string, 1)
	server := httptest.NewServer(webhookHandler(got, refused))
	defer server.Close()
	h, err := trillet.SignWebhookHeaders(trillet.SchemeStandard, receiverSecret, completedBody, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	tampered := []byte(`{"event":"call.completed","data":{"callId":"c1","duration":1}}`)
	req, _ := http.NewRequest("POST", server.URL, bytesReader(tampered))
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || <-refused != "bad_signature" {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func errorsAs(err error, target **trillet.Error) bool { return errors.As(err, target) }

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
