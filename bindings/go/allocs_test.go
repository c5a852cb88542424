package trillet_test

import (
	"testing"
	"time"
)

// A call through a typed method allocates little in the binding: the path map, the request
// text, the result bytes (4 with Go 1.26; the bound leaves room for other Go versions' maps).
// A regression here (a closure or copy per call) shows up as a higher count.
func TestAGetAllocatesAFewObjectsPerCall(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := str(t, mustOK(t)(c.Agents.Create(background, agentBody)), "_id")
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := c.Agents.Get(background, id); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 6 {
		t.Fatalf("%v allocations per Agents.Get, want at most 6", allocs)
	}
}
