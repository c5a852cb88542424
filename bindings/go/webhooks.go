package trillet

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/trillet-ai/trillet/bindings/go/internal/capi"
)

// Webhook signing schemes (see [ConstructWebhookEvent]).
const (
	// SchemeTrillet is the documented scheme: X-Trillet-Signature, the hex HMAC-SHA256 of the
	// raw body keyed with the secret as issued (whsec_ included).
	SchemeTrillet = "trillet"
	// SchemeStandard is Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature
	// ("v1,<base64>" entries), keyed with the base64 after whsec_, with a timestamp tolerance.
	SchemeStandard = "standard"
	// SignatureHeader is the header of the trillet scheme.
	SignatureHeader = "X-Trillet-Signature"
	// DefaultWebhookTolerance is how far a standard webhook-timestamp may be from now by default.
	DefaultWebhookTolerance = 300 * time.Second
)

// SignWebhook returns the signature Trillet sends for body: the lower-case hex HMAC-SHA256 of
// the raw body keyed with secret. It fails for an empty secret or one holding a NUL byte.
func SignWebhook(secret string, body []byte) (string, error) {
	if secret == "" || capi.HasNUL(secret) {
		return "", invalid(codeInvalidArgument, "the webhook secret must be non-empty text without NUL bytes")
	}
	sig, ok := capi.WebhookSign(secret, body)
	if !ok {
		return "", invalid(codeInvalidArgument, "the library refused the webhook secret")
	}
	return sig, nil
}

// VerifyWebhook checks an X-Trillet-Signature value (the trillet scheme) against the raw body
// with one secret, in constant time: exactly 64 hex digits in either case after an optional
// "sha256=", surrounding white space ignored. It returns nil when the signature matches, else an
// *[Error] matching [ErrInvalidSignature] (also for an empty secret or a malformed signature).
// [ConstructWebhookEvent] checks both schemes, several secrets, and says which check failed.
func VerifyWebhook(secret string, body []byte, signature string) error {
	if capi.HasNUL(secret) || capi.HasNUL(signature) {
		return invalid(codeInvalidSignature, "the webhook signature does not match the body")
	}
	switch capi.WebhookVerify(secret, body, signature) {
	case capi.StatusOK:
		return nil
	case capi.StatusPanic:
		return &Error{Kind: KindPanic, Code: "panic", Message: "internal error in the trillet library while verifying a webhook"}
	default:
		return invalid(codeInvalidSignature, "the webhook signature does not match the body")
	}
}

// WebhookOption changes how a webhook is verified.
type WebhookOption func(*webhookOptions)

type webhookOptions struct {
	tolerance time.Duration
	set       bool
}

// WithTolerance sets how far a standard webhook-timestamp may be from now, in either direction
// (default [DefaultWebhookTolerance]; whole seconds).
func WithTolerance(d time.Duration) WebhookOption {
	return func(o *webhookOptions) { o.tolerance, o.set = d, true }
}

// WebhookVerification is what a successful [VerifyWebhookHeaders] found.
type WebhookVerification struct {
	// Scheme is SchemeTrillet or SchemeStandard.
	Scheme string `json:"scheme"`
	// ID is the webhook-id (standard scheme): the same for every retry of one message.
	ID string `json:"id"`
	// Timestamp is the webhook-timestamp in Unix seconds (standard scheme), else 0.
	Timestamp int64 `json:"timestamp"`
}

// WebhookEvent is a verified delivery: {"event": "...", "data": {...}}.
type WebhookEvent struct {
	// Type is the event type ("call.completed", ...), kept as sent for types this version does
	// not know.
	Type string
	// Data is the typed data: *CallEventData (call.started), *CallCompletedData,
	// *CallFailedData, *SmsEventData (sms.sent, sms.delivered), *AgentEventData
	// (agent.created, agent.updated), *FlowEventData (flow.created, flow.updated), or
	// map[string]any for an unknown type (nil when the payload has no data).
	Data any
	// RawData is the data object as sent.
	RawData json.RawMessage
	// Raw is the whole body as sent.
	Raw []byte
}

// CallEventData is the data of call.started (and the part the other call events share). Only
// call.completed's CallID, AgentID, Duration and Status are documented by the API; the other
// fields are what the sandbox sends.
type CallEventData struct {
	CallID      string         `json:"callId"`
	AgentID     string         `json:"agentId,omitempty"`
	WorkspaceID string         `json:"workspaceId,omitempty"`
	Status      string         `json:"status,omitempty"`
	Direction   string         `json:"direction,omitempty"`
	Type        string         `json:"type,omitempty"`
	To          string         `json:"to,omitempty"`
	From        string         `json:"from,omitempty"`
	RoomName    string         `json:"roomName,omitempty"`
	Metadata    map[string]any `json:"metadata,omitempty"`
}

// CallCompletedData is the data of call.completed.
type CallCompletedData struct {
	CallEventData
	// Duration in seconds.
	Duration     int64   `json:"duration"`
	EndTime      int64   `json:"endTime,omitempty"`
	Cost         float64 `json:"cost,omitempty"`
	Summary      string  `json:"summary,omitempty"`
	RecordingURL string  `json:"recordingUrl,omitempty"`
}

// CallFailedData is the data of call.failed.
type CallFailedData struct {
	CallEventData
	Reason  string `json:"reason,omitempty"`
	BatchID string `json:"batchId,omitempty"`
}

// SmsEventData is the data of sms.sent and sms.delivered.
type SmsEventData struct {
	MessageID      string         `json:"messageId"`
	ConversationID string         `json:"conversationId,omitempty"`
	FlowID         string         `json:"flowId,omitempty"`
	AgentID        string         `json:"agentId,omitempty"`
	WorkspaceID    string         `json:"workspaceId,omitempty"`
	To             string         `json:"to,omitempty"`
	Message        string         `json:"message,omitempty"`
	Status         string         `json:"status,omitempty"`
	Metadata       map[string]any `json:"metadata,omitempty"`
}

// AgentEventData is the data of agent.created and agent.updated.
type AgentEventData struct {
	AgentID     string `json:"agentId"`
	Name        string `json:"name,omitempty"`
	AgentType   string `json:"agentType,omitempty"`
	WorkspaceID string `json:"workspaceId,omitempty"`
}

// FlowEventData is the data of flow.created and flow.updated.
type FlowEventData struct {
	FlowID      string `json:"flowId"`
	Name        string `json:"name,omitempty"`
	FlowType    string `json:"flowType,omitempty"`
	AgentID     string `json:"agentId,omitempty"`
	WorkspaceID string `json:"workspaceId,omitempty"`
}

// webhookInputs encodes the secrets and headers for the C ABI.
func webhookInputs(secrets []string, header http.Header) (string, string, error) {
	for _, s := range secrets {
		if capi.HasNUL(s) {
			return "", "", invalid(codeInvalidArgument, "a webhook secret holds a NUL byte")
		}
	}
	if secrets == nil {
		secrets = []string{}
	}
	pairs := [][2]string{}
	for name, values := range header {
		for _, v := range values {
			if !capi.HasNUL(name) && !capi.HasNUL(v) {
				pairs = append(pairs, [2]string{name, v})
			}
		}
	}
	s, err := json.Marshal(secrets)
	if err != nil {
		return "", "", err
	}
	h, err := json.Marshal(pairs)
	if err != nil {
		return "", "", err
	}
	return string(s), string(h), nil
}

func webhookCheck(construct bool, body []byte, header http.Header, secrets []string, opts []WebhookOption) (string, error) {
	var o webhookOptions
	for _, opt := range opts {
		opt(&o)
	}
	tolerance := int64(-1)
	if o.set {
		if o.tolerance < 0 {
			return "", invalid(codeInvalidArgument, "the webhook tolerance must not be negative")
		}
		tolerance = int64(o.tolerance / time.Second)
	}
	s, h, err := webhookInputs(secrets, header)
	if err != nil {
		return "", err
	}
	status, text := capi.WebhookCheck(construct, s, h, body, tolerance)
	if status != capi.StatusOK {
		return "", parseError(status, text)
	}
	return text, nil
}

// VerifyWebhookHeaders checks a webhook in either scheme (picked from header: X-Trillet-Signature,
// or webhook-id + webhook-timestamp + webhook-signature) against secrets (several during a
// rotation: any one matching passes), with the raw body.
//
// A refusal is an *[Error] of kind invalid_input matching [ErrInvalidSignature], whose Code names
// the check that failed (missing_signature, bad_signature, timestamp_too_old,
// timestamp_in_future, unsupported_scheme, missing_secret, invalid_secret) and whose Message
// carries a hint.
func VerifyWebhookHeaders(body []byte, header http.Header, secrets []string, opts ...WebhookOption) (*WebhookVerification, error) {
	text, err := webhookCheck(false, body, header, secrets, opts)
	if err != nil {
		return nil, err
	}
	var v WebhookVerification
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, &Error{Kind: KindDecode, Code: "invalid_json", Message: err.Error()}
	}
	return &v, nil
}

// ConstructWebhookEvent verifies a webhook like [VerifyWebhookHeaders], then parses the payload
// into a [WebhookEvent] with typed Data. A body that verifies but is not an event fails with code
// invalid_payload.
//
//	func handle(w http.ResponseWriter, r *http.Request) {
//		body, _ := io.ReadAll(r.Body) // the raw bytes, never a re-encoded value
//		event, err := trillet.ConstructWebhookEvent(body, r.Header, []string{secret})
//		if err != nil { // errors.Is(err, trillet.ErrInvalidSignature); its Code says which check failed
//			http.Error(w, err.Error(), http.StatusBadRequest)
//			return
//		}
//		if done, ok := event.Data.(*trillet.CallCompletedData); ok {
//			log.Printf("call %s took %d s", done.CallID, done.Duration)
//		}
//	}
func ConstructWebhookEvent(body []byte, header http.Header, secrets []string, opts ...WebhookOption) (*WebhookEvent, error) {
	text, err := webhookCheck(true, body, header, secrets, opts)
	if err != nil {
		return nil, err
	}
	return parseWebhookEvent([]byte(text))
}

func parseWebhookEvent(raw []byte) (*WebhookEvent, error) {
	var envelope struct {
		Event string          `json:"event"`
		Data  json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &envelope); err != nil {
		return nil, invalid("invalid_payload", "invalid webhook payload: %v", err)
	}
	event := &WebhookEvent{Type: envelope.Event, RawData: envelope.Data, Raw: raw}
	if len(envelope.Data) == 0 || string(envelope.Data) == "null" {
		return event, nil
	}
	var target any
	switch envelope.Event {
	case "call.started":
		target = &CallEventData{}
	case "call.completed":
		target = &CallCompletedData{}
	case "call.failed":
		target = &CallFailedData{}
	case "sms.sent", "sms.delivered":
		target = &SmsEventData{}
	case "agent.created", "agent.updated":
		target = &AgentEventData{}
	case "flow.created", "flow.updated":
		target = &FlowEventData{}
	default:
		target = &map[string]any{}
	}
	if err := json.Unmarshal(envelope.Data, target); err != nil {
		return nil, invalid("invalid_payload", "invalid %s data: %v", envelope.Event, err)
	}
	if m, ok := target.(*map[string]any); ok {
		event.Data = *m
	} else {
		event.Data = target
	}
	return event, nil
}

// SignWebhookHeaders returns the headers a sender adds for body in scheme (SchemeTrillet or
// SchemeStandard): X-Trillet-Signature, or webhook-id (id; "" for a fresh msg_ id),
// webhook-timestamp (timestamp; the zero time for now) and webhook-signature. For tests and
// local tools; a standard secret must be base64 after whsec_ (code invalid_secret).
func SignWebhookHeaders(scheme, secret string, body []byte, id string, timestamp time.Time) (http.Header, error) {
	if capi.HasNUL(scheme) || capi.HasNUL(secret) || capi.HasNUL(id) {
		return nil, invalid(codeInvalidArgument, "the webhook scheme, secret and id must not hold NUL bytes")
	}
	ts := int64(-1)
	if !timestamp.IsZero() {
		ts = timestamp.Unix()
	}
	status, text := capi.WebhookSignHeaders(secret, scheme, id, ts, body)
	if status != capi.StatusOK {
		return nil, parseError(status, text)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return nil, &Error{Kind: KindDecode, Code: "invalid_json", Message: err.Error()}
	}
	h := http.Header{}
	for k, v := range m {
		h.Set(k, v)
	}
	return h, nil
}
