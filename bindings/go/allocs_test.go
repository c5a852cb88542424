package trillet_test

import (
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// A call allocates little in the binding: the request text, the result bytes (the bound leaves
// room for other Go versions' maps). A regression here (a closure or copy per call) shows up as
// a higher count. It is measured on Call, the raw path every typed method takes: the typed
// methods add the decoding into their model, which allocates per field the answer has.
func TestAGetAllocatesAFewObjectsPerCall(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := str(t, mustOK(t)(c.Agents.Create(background, typed[trillet.CreateAgent](agentBody))), "_id")
	req := trillet.Request{Path: map[string]string{"agentId": id}}
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := c.Call(background, "agents.get", req); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 6 {
		t.Fatalf("%v allocations per agents.get call, want at most 6", allocs)
	}
}
