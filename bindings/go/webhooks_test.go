package trillet_test

import (
	"errors"
	"strings"
	"testing"

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
