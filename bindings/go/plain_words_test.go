package trillet_test

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"sync"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// plainWords records the message of every error the suite makes (the core's, through the C ABI,
// and the package's own) and, once every test has passed, fails the run when one of them names a
// Rust type, Rust syntax or a ureq term: a Go user must never meet those. `nil` and `string` are
// Go's own words, so unlike the Rust suite's list (tests/plain_messages.rs) they are allowed.
var plainWords = &messageRecorder{seen: map[string]bool{}}

// rustTerm matches the words (Rust types and syntax, ureq's names, errno noise) as whole words.
var rustTerm = regexp.MustCompile(`(^|[^A-Za-z0-9_])(u8|u16|u32|u64|usize|i32|i64|f64|String|ureq|serde|PerCall)([^A-Za-z0-9_]|$)` +
	`|struct [A-Z]|enum [A-Z]|Option<|Some\(|Vec<|os error|Timeout\(|Connect\(|::`)

type messageRecorder struct {
	mu    sync.Mutex
	seen  map[string]bool
	count int
}

func (r *messageRecorder) record(e *trillet.Error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen[e.Message] = true
	r.count++
}

// check reports the offending messages on stderr; the exit code for TestMain.
func (r *messageRecorder) check() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var bad []string
	for m := range r.seen {
		if rustTerm.MatchString(m) {
			bad = append(bad, m)
		}
	}
	sort.Strings(bad)
	// A full run makes hundreds; fewer means the recorder saw nothing (a -run subset may be small).
	filtered := false
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		filtered = true
	}
	if len(bad) > 0 || (!filtered && r.count < 50) {
		fmt.Fprintf(os.Stderr, "plain words: %d errors, %d distinct messages; these name Rust terms:\n", r.count, len(r.seen))
		for _, m := range bad {
			fmt.Fprintf(os.Stderr, "  %s\n", m)
		}
		return 1
	}
	return 0
}
