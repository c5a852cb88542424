package trillet_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// RFC 4231, test case 2: HMAC-SHA256 with key "Jefe".
const (
	rfcKey  = "Jefe"
	rfcData = "what do ya want for nothing?"
	rfcMAC  = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
)

func TestSignWebhookMatchesAKnownHMACVector(t *testing.T) {
	sig, err := trillet.SignWebhook(rfcKey, []byte(rfcData))
	if err != nil || sig != rfcMAC {
		t.Fatalf("got %q, %v; want %s", sig, err, rfcMAC)
	}
	// An empty body is a body too (HMAC of nothing).
	empty, err := trillet.SignWebhook(rfcKey, nil)
	if err != nil || len(empty) != 64 || empty == sig {
		t.Errorf("empty body: %q, %v", empty, err)
	}
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte(rfcData)
	for _, header := range []string{rfcMAC, "sha256=" + rfcMAC, strings.ToUpper(rfcMAC), "  " + rfcMAC + "\n"} {
		if err := trillet.VerifyWebhook(rfcKey, body, header); err != nil {
			t.Errorf("%q: %v", header, err)
		}
	}
	bad := []struct{ secret, body, sig string }{
		{rfcKey, rfcData + "!", rfcMAC},           // body changed
		{"jefe", rfcData, rfcMAC},                 // secret changed
		{rfcKey, rfcData, rfcMAC[:63] + "0"},      // signature changed
		{rfcKey, rfcData, ""},                     // empty signature
		{rfcKey, rfcData, "not hex"},              // malformed
		{"", rfcData, rfcMAC},                     // empty secret
		{rfcKey + "\x00x", rfcData, rfcMAC},       // NUL: would be cut to "Jefe" by C
		{rfcKey, rfcData, rfcMAC + "\x00garbage"}, // NUL in the signature
	}
	for _, b := range bad {
		err := trillet.VerifyWebhook(b.secret, []byte(b.body), b.sig)
		if !errors.Is(err, trillet.ErrInvalidSignature) || trillet.KindOf(err) != trillet.KindInvalidInput {
			t.Errorf("%q/%q/%q: got %v, want ErrInvalidSignature", b.secret, b.body, b.sig, err)
		}
	}
}

func TestSignWebhookRefusesBadSecrets(t *testing.T) {
	for _, secret := range []string{"", rfcKey + "\x00x"} {
		if sig, err := trillet.SignWebhook(secret, []byte(rfcData)); err == nil || sig != "" {
			t.Errorf("%q: got %q, %v", secret, sig, err)
		}
	}
}

func TestSignThenVerifyRoundTrips(t *testing.T) {
	body := []byte(`{"event":"call.completed","data":{"id":"c1"}}`)
	sig, err := trillet.SignWebhook("whsec_test", body)
	if err != nil {
		t.Fatal(err)
	}
	if err := trillet.VerifyWebhook("whsec_test", body, sig); err != nil {
		t.Error(err)
	}
}

// ---- both schemes, rotation, tolerance, typed events ----------------------------------------

const stdSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var completedBody = []byte(`{"event":"call.completed","data":{"callId":"c1","agentId":"a1","duration":125,"status":"completed","metadata":{"order":"A-17"}}}`)

func TestWebhookStandardExampleVector(t *testing.T) {
	// The Standard Webhooks specification's published example.
	body := []byte(`{"test": 2432232314}`)
	h, err := trillet.SignWebhookHeaders(trillet.SchemeStandard, stdSecret, body, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Get("webhook-signature"); got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("signature %q", got)
	}
	if _, err := trillet.VerifyWebhookHeaders(body, h, []string{stdSecret}); trillet.KindOf(err) != trillet.KindInvalidInput || asError(t, err).Code != "timestamp_too_old" {
		t.Fatalf("a 2021 timestamp must be too old: %v", err)
	}
	v, err := trillet.VerifyWebhookHeaders(body, h, []string{stdSecret}, trillet.WithTolerance(100*365*24*time.Hour))
	if err != nil || v.Scheme != trillet.SchemeStandard || v.ID != "msg_p5jXN8AQM9LWM0D4loKWxJek" || v.Timestamp != 1614265330 {
		t.Fatalf("%+v %v", v, err)
	}
}

func TestConstructWebhookEventBothSchemesWithRotation(t *testing.T) {
	for _, scheme := range []string{trillet.SchemeTrillet, trillet.SchemeStandard} {
		h, err := trillet.SignWebhookHeaders(scheme, stdSecret, completedBody, "", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		event, err := trillet.ConstructWebhookEvent(completedBody, h, []string{"whsec_b2xk", stdSecret})
		if err != nil {
			t.Fatalf("%s: %v", scheme, err)
		}
		done, ok := event.Data.(*trillet.CallCompletedData)
		if event.Type != "call.completed" || !ok || done.CallID != "c1" || done.Duration != 125 || done.Metadata["order"] != "A-17" {
			t.Fatalf("%s: %+v %+v", scheme, event, event.Data)
		}
		if !bytes.Equal(event.Raw, completedBody) {
			t.Errorf("the body is passed through: %s", event.Raw)
		}
		if _, err := trillet.ConstructWebhookEvent(completedBody, h, []string{"whsec_b2xk"}); !errors.Is(err, trillet.ErrInvalidSignature) || asError(t, err).Code != "bad_signature" {
			t.Errorf("%s: wrong secret: %v", scheme, err)
		}
	}
}

func TestWebhookFailuresNameTheCheck(t *testing.T) {
	now := time.Now()
	sign := func(ts time.Time, body []byte) http.Header {
		h, err := trillet.SignWebhookHeaders(trillet.SchemeStandard, stdSecret, body, "msg_1", ts)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	v1a := sign(now, completedBody)
	v1a.Set("webhook-signature", "v1a,c29tZQ==")
	reencoded := []byte(`{"event": "call.completed", "data": {"callId": "c1", "agentId": "a1", "duration": 125, "status": "completed", "metadata": {"order": "A-17"}}}`)
	cases := []struct {
		name    string
		body    []byte
		header  http.Header
		secrets []string
		code    string
	}{
		{"re-encoded body", reencoded, sign(now, completedBody), []string{stdSecret}, "bad_signature"},
		{"too old", completedBody, sign(now.Add(-time.Hour), completedBody), []string{stdSecret}, "timestamp_too_old"},
		{"in the future", completedBody, sign(now.Add(time.Hour), completedBody), []string{stdSecret}, "timestamp_in_future"},
		{"no headers", completedBody, http.Header{}, []string{stdSecret}, "missing_signature"},
		{"v1a only", completedBody, v1a, []string{stdSecret}, "unsupported_scheme"},
		{"no secret", completedBody, sign(now, completedBody), nil, "missing_secret"},
		{"bad secret", completedBody, sign(now, completedBody), []string{"whsec_%%%"}, "invalid_secret"},
		{"not an event", []byte(`[1]`), sign(now, []byte(`[1]`)), []string{stdSecret}, "invalid_payload"},
	}
	for _, c := range cases {
		_, err := trillet.ConstructWebhookEvent(c.body, c.header, c.secrets)
		e := asError(t, err)
		if e.Kind != trillet.KindInvalidInput || e.Code != c.code {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
		if (c.code != "invalid_payload") != errors.Is(err, trillet.ErrInvalidSignature) {
			t.Errorf("%s: ErrInvalidSignature matching is wrong for %s", c.name, c.code)
		}
	}
	_, err := trillet.ConstructWebhookEvent(reencoded, sign(now, completedBody), []string{stdSecret})
	if !strings.Contains(asError(t, err).Message, "raw request bytes") {
		t.Errorf("the hint is missing: %v", err)
	}
	if _, err := trillet.ConstructWebhookEvent(completedBody, sign(now.Add(-time.Hour), completedBody), []string{stdSecret}, trillet.WithTolerance(2*time.Hour)); err != nil {
		t.Errorf("a wider tolerance accepts it: %v", err)
	}
	if _, err := trillet.SignWebhookHeaders("svix", stdSecret, completedBody, "", time.Time{}); asError(t, err).Code != "unsupported_scheme" {
		t.Errorf("unknown scheme: %v", err)
	}
}

func TestWebhookEventsOfEveryTypeAreTyped(t *testing.T) {
	want := map[string]string{
		"call.started": "*trillet.CallEventData", "call.failed": "*trillet.CallFailedData",
		"sms.sent": "*trillet.SmsEventData", "sms.delivered": "*trillet.SmsEventData",
		"agent.created": "*trillet.AgentEventData", "agent.updated": "*trillet.AgentEventData",
		"flow.created": "*trillet.FlowEventData", "flow.updated": "*trillet.FlowEventData",
		"call.transferred": "map[string]interface {}",
	}
	for typ, goType := range want {
		body := []byte(`{"event":"` + typ + `","data":{"callId":"c","messageId":"m","agentId":"a","flowId":"f","x":1}}`)
		h, _ := trillet.SignWebhookHeaders(trillet.SchemeTrillet, "k", body, "", time.Time{})
		event, err := trillet.ConstructWebhookEvent(body, h, []string{"k"})
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if got := fmt.Sprintf("%T", event.Data); got != goType || event.Type != typ {
			t.Errorf("%s: %s, want %s", typ, got, goType)
		}
	}
}
