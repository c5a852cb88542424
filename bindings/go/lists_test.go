package trillet_test

import (
	"iter"
	"net/url"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// A typed List returns the items whatever shape the API answered in; Options.Page receives what
// the answer said about paging.
func TestListsAreListsWhateverTheEnvelope(t *testing.T) {
	a, b := map[string]any{"_id": "a1", "name": "A"}, map[string]any{"_id": "b2", "name": "B"}
	yes, no := true, false
	for _, tc := range []struct {
		name    string
		body    any
		ids     []string
		key     string
		hasNext *bool
		total   int64
	}{
		{"bare array", []any{a, b}, []string{"a1", "b2"}, "", nil, 0},
		{"agents envelope", map[string]any{"agents": []any{a, b}}, []string{"a1", "b2"}, "agents", nil, 0},
		{"data envelope with pagination", map[string]any{"data": []any{a}, "pagination": map[string]any{"hasNext": true, "total": 2}}, []string{"a1"}, "data", &yes, 2},
		{"top-level hasNext", map[string]any{"items": []any{b}, "hasNext": false}, []string{"b2"}, "items", &no, 0},
		{"one object", a, []string{"a1"}, "", nil, 0},
		{"null", nil, []string{}, "", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := freshClient(t, 0, 10*time.Second)
			fault(t, "agents.list", 1, map[string]any{"type": "status", "status": 200, "body": tc.body})
			var info trillet.PageInfo
			agents, err := c.Agents.List(background, trillet.Options{Page: &info})
			if err != nil {
				t.Fatal(err)
			}
			if agents == nil {
				t.Error("a list is never nil on success")
			}
			ids := []string{}
			for _, ag := range agents {
				ids = append(ids, ag.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
				t.Errorf("items %v, want %v", ids, tc.ids)
			}
			if info.Key != tc.key {
				t.Errorf("key %q, want %q", info.Key, tc.key)
			}
			if (info.HasNext == nil) != (tc.hasNext == nil) || (info.HasNext != nil && *info.HasNext != *tc.hasNext) {
				t.Errorf("hasNext %v, want %v", info.HasNext, tc.hasNext)
			}
			if tc.total != 0 && (info.Pagination == nil || info.Pagination.Total == nil || *info.Pagination.Total != tc.total) {
				t.Errorf("pagination %+v", info.Pagination)
			}
		})
	}
}

// drain runs a pager to its end, returning the items and the errors it yielded.
func drain[T any](seq iter.Seq2[T, error]) (items []T, errs []error) {
	for r, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, r)
	}
	return items, errs
}

// idsOf is the records' ids, joined by commas.
func idsOf(records []trillet.CallHistory) string {
	ids := []string{}
	for _, r := range records {
		ids = append(ids, r.ID)
	}
	return strings.Join(ids, ",")
}

func page(ids []string, hasNext *bool) map[string]any {
	items := []any{}
	for _, id := range ids {
		items = append(items, map[string]any{"_id": id})
	}
	body := map[string]any{"calls": items}
	if hasNext != nil {
		body["pagination"] = map[string]any{"hasNext": *hasNext}
	}
	return map[string]any{"type": "status", "status": 200, "body": body}
}

// ListAll follows the core's ListAll: a short page that says hasNext: true is followed, hasNext:
// false stops, the filters ride along with page and limit on every page.
func TestListAllFollowsHasNextAndSendsEveryPage(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	yes, no := true, false
	fault(t, "call_history.list", 1, page([]string{"1"}, &yes))
	fault(t, "call_history.list", 1, page([]string{"2"}, &yes))
	fault(t, "call_history.list", 1, page([]string{"3"}, &no))
	ids, errs := drain(c.CallHistory.ListAll(background, 10, trillet.Options{Query: map[string]any{"status": "completed"}}))
	if idsOf(ids) != "1,2,3" || len(errs) != 0 {
		t.Fatalf("ids %v errs %v", idsOf(ids), errs)
	}
	rs := requests(t, "call_history.list")
	if len(rs) != 3 {
		t.Fatalf("%d requests, want 3", len(rs))
	}
	for i, r := range rs {
		q, err := url.ParseQuery(r.Query)
		if err != nil || q.Get("page") != []string{"1", "2", "3"}[i] || q.Get("limit") != "10" || q.Get("status") != "completed" {
			t.Errorf("page %d sent %v", i+1, q)
		}
	}
}

// A bare array shorter than limit ends the iteration; an empty page ends it even when it says
// hasNext: true; breaking out of the loop fetches nothing more.
func TestListAllStopsOnShortOrEmptyPagesAndOnBreak(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	fault(t, "call_history.list", 1, map[string]any{"type": "status", "status": 200, "body": []any{map[string]any{"_id": "1"}, map[string]any{"_id": "2"}}})
	fault(t, "call_history.list", 1, map[string]any{"type": "status", "status": 200, "body": []any{map[string]any{"_id": "3"}}})
	if ids, errs := drain(c.CallHistory.ListAll(background, 2)); idsOf(ids) != "1,2,3" || len(errs) != 0 {
		t.Errorf("short bare page: ids %v errs %v", idsOf(ids), errs)
	}
	c = freshClient(t, 0, 10*time.Second)
	yes := true
	fault(t, "call_history.list", 1, page(nil, &yes))
	if ids, errs := drain(c.CallHistory.ListAll(background, 5)); len(ids) != 0 || len(errs) != 0 {
		t.Errorf("empty page: ids %v errs %v", ids, errs)
	}
	if n := len(requests(t, "call_history.list")); n != 1 {
		t.Errorf("empty page: %d requests, want 1", n)
	}
	c = freshClient(t, 0, 10*time.Second)
	fault(t, "call_history.list", 1, page([]string{"1", "2"}, &yes))
	for range c.CallHistory.ListAll(background, 2) {
		break
	}
	if n := len(requests(t, "call_history.list")); n != 1 {
		t.Errorf("break: %d requests, want 1", n)
	}
}

// An error is yielded once and nothing is fetched after it; a limit below 1 is an invalid_input
// error before anything is sent.
func TestListAllYieldsAnErrorOnce(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	yes := true
	fault(t, "call_history.list", 1, page([]string{"1"}, &yes))
	fault(t, "call_history.list", 1, map[string]any{"type": "status", "status": 500})
	ids, errs := drain(c.CallHistory.ListAll(background, 1))
	if idsOf(ids) != "1" || len(errs) != 1 {
		t.Fatalf("ids %v errs %v", idsOf(ids), errs)
	}
	if n := len(requests(t, "call_history.list")); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	calls, errs := drain(c.BatchCalls.ListAllCalls(background, "b1", 0))
	if len(calls) != 0 || len(errs) != 1 {
		t.Fatalf("limit 0: ids %v errs %v", ids, errs)
	}
	if e := asError(t, errs[0]); e.Kind != trillet.KindInvalidInput {
		t.Errorf("limit 0: %#v", e)
	}
	if n := len(requests(t, "batch_calls.list_calls")); n != 0 {
		t.Errorf("limit 0 sent %d requests", n)
	}
}
