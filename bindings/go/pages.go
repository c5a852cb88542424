package trillet

import (
	"context"
	"encoding/json"
	"iter"
	"maps"
)

// PageInfo is what a list answer said about paging, for a caller who passes Options{Page: &info}
// to a typed List method (which returns the items alone):
//
//	var info trillet.PageInfo
//	records, err := client.CallHistory.List(ctx, trillet.Options{Query: map[string]any{"page": 2}, Page: &info})
//	if err == nil && info.HasNext != nil && *info.HasNext { ... }
type PageInfo struct {
	// Pagination is the envelope's page metadata, when it had some.
	Pagination *Pagination
	// HasNext is whether the server says a next page exists (pagination.hasNext, or a top-level
	// hasNext); nil when it does not say (a bare array).
	HasNext *bool
	// Key is the envelope field that carried the items ("" for a bare array, one object or null).
	Key string
	// Extra holds the envelope's other fields.
	Extra map[string]json.RawMessage
}

// hasNext reads the page's hasNext: the pagination's, else a top-level one.
func hasNext[T any](l *List[T]) *bool {
	if l.Pagination != nil && l.Pagination.HasNext != nil {
		return l.Pagination.HasNext
	}
	if raw, ok := l.Extra["hasNext"]; ok {
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			return &b
		}
	}
	return nil
}

// listItems decodes a list answer (any shape) into its items, filling opts' Page when one was
// given. A list is never nil on success: an empty answer is an empty slice.
func listItems[T any](body json.RawMessage, err error, opts []Options) ([]T, error) {
	l, err := decodeAs[List[T]](body, err)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		if o.Page != nil {
			*o.Page = PageInfo{Pagination: l.Pagination, HasNext: hasNext(l), Key: l.Key, Extra: l.Extra}
		}
	}
	if l.Items == nil {
		return []T{}, nil
	}
	return l.Items, nil
}

// listAll iterates every item of a paged list operation, one page at a time, with the rules of
// the core's ListAll: pages from 1 with the same limit; it stops after a page whose hasNext is
// false, a page shorter than limit when the answer does not say hasNext (a short page that says
// hasNext: true is followed), an empty page, or an error, which is yielded once (with the zero
// item); nothing is fetched after it. A limit below 1 yields one invalid_input error.
func listAll[T any](ctx context.Context, c *Client, id string, path map[string]string, limit int, opts []Options) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if limit < 1 {
			yield(zero, &Error{Kind: KindInvalidInput, Code: "invalid_input", Message: "limit must be at least 1"})
			return
		}
		req := Request{Path: path}
		req.merge(opts)
		base := req.Query
		for page := 1; ; page++ {
			query := maps.Clone(base)
			if query == nil {
				query = map[string]any{}
			}
			query["page"], query["limit"] = page, limit
			req.Query = query
			body, err := c.Call(ctx, id, req)
			var l *List[T]
			if err == nil {
				l, err = decodeAs[List[T]](body, nil)
			}
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range l.Items {
				if !yield(item, nil) {
					return
				}
			}
			more := hasNext(l)
			switch {
			case len(l.Items) == 0:
				return
			case more != nil && !*more:
				return
			case more == nil && len(l.Items) < limit:
				return
			}
		}
	}
}
