package trillet

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The path-only fast path of Request.encode must say exactly what json.Marshal of the wire
// request says, for hostile strings too.
func TestPathOnlyEncodingMatchesJSONMarshal(t *testing.T) {
	cases := []Request{
		{},
		{Path: map[string]string{}},
		{Path: map[string]string{"agentId": "665a1b2c3d4e5f6a7b8c9d0e"}},
		{Path: map[string]string{"a": `q"uo\te`, "b": "line\nbreak\ttab\x00nul\x1f\x7f", "c": "ünïcødé ✓ \u2028 <&>"}},
		{Path: map[string]string{"workspaceId": "w", "agentId": "a/b?c#d"}},
	}
	for _, timeout := range []int64{0, 1500} {
		for _, req := range cases {
			text, err := req.encode(timeout)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(wireRequest{Path: req.Path, TimeoutMS: timeout})
			var got, expected any
			if err := json.Unmarshal([]byte(text), &got); err != nil {
				t.Fatalf("%q is not JSON: %v", text, err)
			}
			_ = json.Unmarshal(want, &expected)
			if !reflect.DeepEqual(got, expected) {
				t.Errorf("encode(%v, %d) = %s, json.Marshal says %s", req.Path, timeout, text, want)
			}
		}
	}
}

func TestPathOnlyEncodingFallsBackOnInvalidUTF8(t *testing.T) {
	if _, ok := encodePathOnly(map[string]string{"agentId": "bad\xff"}, 0); ok {
		t.Fatal("invalid UTF-8 took the fast path")
	}
	req := Request{Path: map[string]string{"agentId": "bad\xff"}}
	text, err := req.encode(0)
	if err != nil {
		t.Fatal(err)
	}
	if text != `{"path":{"agentId":"bad\ufffd"}}` {
		t.Fatalf("got %s", text)
	}
}

func TestPathOnlyEncodingAllocatesOnce(t *testing.T) {
	req := Request{Path: map[string]string{"agentId": "665a1b2c3d4e5f6a7b8c9d0e"}}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := req.encode(0); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 1 {
		t.Fatalf("%v allocations per encode, want 1", allocs)
	}
}
