package trillet_test

import (
	"fmt"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// Verify a delivery in either scheme and read its typed data.
func ExampleConstructWebhookEvent() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"event":"call.completed","data":{"callId":"c1","duration":125}}`)
	// What a sender adds (Trillet, the sandbox); a receiver has r.Header instead.
	header, _ := trillet.SignWebhookHeaders(trillet.SchemeStandard, secret, body, "", time.Time{})

	event, err := trillet.ConstructWebhookEvent(body, header, []string{secret})
	if err != nil {
		fmt.Println(err)
		return
	}
	if done, ok := event.Data.(*trillet.CallCompletedData); ok {
		fmt.Println(event.Type, done.CallID, done.Duration)
	}
	// Output: call.completed c1 125
}
