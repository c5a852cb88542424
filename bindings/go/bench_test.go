package trillet_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// benchSetup creates an agent in the sandbox and returns a client, the agent id and a net/http
// request doing the same GET with the same headers.
// getReq is agents.get's request: the benchmarks go through Call, the raw path every typed
// method takes, so that both sides do the same work (read the body, check it is JSON); the
// typed Agents.Get decodes into the whole generated Agent on top.
func getReq(id string) trillet.Request {
	return trillet.Request{Path: map[string]string{"agentId": id}}
}

func benchSetup(b *testing.B) (*trillet.Client, string, func() error) {
	b.Helper()
	c := freshClient(b, 0, 10*time.Second)
	id := str(b, mustOK(b)(c.Agents.Create(background, typed[trillet.CreateAgent](agentBody))), "_id")
	httpClient := &http.Client{Timeout: 10 * time.Second}
	url := sandboxURL + "/v1/api/agents/" + id
	plain := func() error {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("x-api-key", sandboxKey)
		req.Header.Set("x-workspace-id", sandboxWorkspace)
		req.Header.Set("accept", "application/json")
		resp, err := httpClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != 200 || !json.Valid(body) { // the binding validates the JSON too
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	return c, id, plain
}

// BenchmarkGet: the same GET (agents.get on the sandbox, keep-alive) through trillet and
// through net/http.
func BenchmarkGet(b *testing.B) {
	c, id, plain := benchSetup(b)
	b.Run("trillet", func(b *testing.B) {
		for range b.N {
			if _, err := c.Call(background, "agents.get", getReq(id)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net_http", func(b *testing.B) {
		for range b.N {
			if err := plain(); err != nil {
				b.Fatal(err)
			}
		}
	})
	control(b, "DELETE", "/__sandbox/requests", nil, nil)
}

// BenchmarkGetRatio interleaves the two (so that load on the machine hits both alike) and
// reports each one's time per GET and the ratio trillet/net_http.
func BenchmarkGetRatio(b *testing.B) {
	c, id, plain := benchSetup(b)
	// Warm both connection pools.
	for range 10 {
		_, _ = c.Call(background, "agents.get", getReq(id))
		_ = plain()
	}
	var viaTrillet, viaHTTP time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if _, err := c.Call(background, "agents.get", getReq(id)); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := plain(); err != nil {
			b.Fatal(err)
		}
		viaTrillet += t1.Sub(t0)
		viaHTTP += time.Since(t1)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(viaTrillet.Nanoseconds())/n, "trillet-ns/get")
	b.ReportMetric(float64(viaHTTP.Nanoseconds())/n, "nethttp-ns/get")
	b.ReportMetric(float64(viaTrillet)/float64(viaHTTP), "trillet/nethttp")
	control(b, "DELETE", "/__sandbox/requests", nil, nil)
}

// BenchmarkBindingRoundTrip is the Go binding's own cost per call, with no network: encoding the
// request JSON, the cgo call, the library refusing the request (a missing path parameter) and
// decoding its error JSON into an *Error.
func BenchmarkBindingRoundTrip(b *testing.B) {
	c := newClient(b, 0, 10*time.Second)
	req := trillet.Request{Query: map[string]any{"page": 1}}
	b.ReportAllocs()
	for range b.N {
		if _, err := c.Call(background, "agents.get", req); trillet.KindOf(err) != trillet.KindInvalidInput {
			b.Fatal(err)
		}
	}
}
