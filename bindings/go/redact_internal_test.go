package trillet

import (
	"encoding/json"
	"os"
	"testing"
)

// redactURL shows a URL exactly as the core does: both read the same vectors.
func TestRedactURLFollowsTheCoresSharedVectors(t *testing.T) {
	raw, err := os.ReadFile("../../tests/fixtures/redacted_urls.json")
	if err != nil {
		t.Skip("tests/fixtures/redacted_urls.json is not here (module fetched alone)")
	}
	var fixture struct {
		Cases []struct {
			URL   string `json:"url"`
			Shown string `json:"shown"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &fixture); err != nil || len(fixture.Cases) < 10 {
		t.Fatalf("unreadable vectors (%d cases): %v", len(fixture.Cases), err)
	}
	for _, c := range fixture.Cases {
		if got := redactURL(c.URL); got != c.Shown {
			t.Errorf("redactURL(%q) = %q, want %q", c.URL, got, c.Shown)
		}
	}
}
