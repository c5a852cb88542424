package trillet

import (
	"github.com/trillet-ai/trillet/bindings/go/internal/capi"
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

// VerifyWebhook checks a webhook's signature header against its raw body, in constant time. It
// accepts an optional "sha256=" prefix, upper- or lower-case hex and surrounding white space.
// It returns nil when the signature matches, else an *[Error] matching [ErrInvalidSignature]
// (also for an empty secret or a malformed signature).
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
