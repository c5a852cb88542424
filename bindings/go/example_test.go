package trillet_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// Create a client from the environment (TRILLET_API_KEY, TRILLET_WORKSPACE_ID) and use the typed
// namespaces.
func ExampleNewClient() {
	client, err := trillet.NewClient(trillet.Config{MaxRetries: trillet.Int(1), Timeout: 30 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var meta trillet.ResponseMeta
	created, err := client.Agents.Create(ctx, trillet.CreateAgent{
		Name:     "Support",
		LLMModel: "gpt-4o-mini",
		TTSModel: trillet.TTSModel{Provider: "rime", VoiceID: "mistv2_Wildflower"},
	}, trillet.Options{Response: &meta})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.ID, created.Name, meta.RequestID) // typed fields; the request id for support
	_, err = client.Agents.Get(ctx, created.ID)
	var apiErr *trillet.Error
	switch {
	case trillet.IsNotFound(err):
		fmt.Println("gone already")
	case errors.As(err, &apiErr):
		fmt.Println(apiErr.Kind, apiErr.Code, apiErr.Status, apiErr.RequestID)
	}
}

// Any operation by id, with the request in the shape every language shares.
func ExampleClient_Call() {
	client, err := trillet.NewClient(trillet.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	page, err := client.Call(context.Background(), "call_history.list", trillet.Request{
		Query: map[string]any{"page": 2, "limit": 50, "status": "completed"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(page))
}

// Check a webhook's signature before trusting its body.
func ExampleVerifyWebhook() {
	body := []byte(`{"event":"call.completed"}`)
	signature, _ := trillet.SignWebhook("whsec_example", body) // what Trillet sends in the header
	fmt.Println(trillet.VerifyWebhook("whsec_example", body, "sha256="+signature) == nil)
	fmt.Println(errors.Is(trillet.VerifyWebhook("whsec_example", []byte("tampered"), signature), trillet.ErrInvalidSignature))
	// Output:
	// true
	// true
}
