// Command trillet-bench is the benchmark's Go side (run by scripts/bench; not part of the tests):
//
//	go run . NAME URL CALLS WARMUP
//
// NAME is "trillet" (the binding, the result decoded into a struct) or "nethttp" (net/http with
// its defaults and encoding/json into the same struct). Each does WARMUP untimed, then CALLS
// timed sequential GETs of one agent with the same headers, and prints {"us_per_call": ...}.
//
//	go run . cold NAME URL CAFILE
//
// The cold path (bench/cold.py times the whole process): one GET over HTTPS, trusting the
// system's roots plus the throw-away CA in CAFILE, the way each side's users add a root:
// trillet's CABundle, net/http's x509.SystemCertPool() with the CA appended. Exits 0 once the
// answer is decoded.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

const (
	agentID   = "665a1b2c3d4e5f6a7b8c9d0e"
	key       = "sk_bench_0123456789"
	workspace = "64a1b2c3d4e5f6a7b8c9d0e1"
)

type agent struct {
	ID       string `json:"_id"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	LLMModel string `json:"llmModel"`
	Prompt   string `json:"prompt"`
}

func main() {
	if len(os.Args) == 5 && os.Args[1] == "cold" {
		cold(os.Args[2], os.Args[3], os.Args[4])
		return
	}
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: trillet-bench NAME URL CALLS WARMUP")
		os.Exit(2)
	}
	name, url := os.Args[1], os.Args[2]
	calls, _ := strconv.Atoi(os.Args[3])
	warmup, _ := strconv.Atoi(os.Args[4])
	ctx := context.Background()
	var get func() (agent, error)
	switch name {
	case "trillet":
		c, err := trillet.NewClient(trillet.Config{APIKey: key, WorkspaceID: workspace, BaseURL: url, IgnoreEnv: true})
		if err != nil {
			panic(err)
		}
		// Call and Decode into the same struct as net/http's side, so both do the same work (the
		// typed c.Agents.Get decodes into the whole generated trillet.Agent instead).
		req := trillet.Request{Path: map[string]string{"agentId": agentID}}
		get = func() (agent, error) { return trillet.Decode[agent](c.Call(ctx, "agents.get", req)) }
	case "nethttp":
		client := &http.Client{Timeout: 60 * time.Second}
		agentURL := url + "/v1/api/agents/" + agentID
		get = func() (agent, error) {
			var a agent
			req, err := http.NewRequestWithContext(ctx, "GET", agentURL, nil)
			if err != nil {
				return a, err
			}
			req.Header.Set("x-api-key", key)
			req.Header.Set("x-workspace-id", workspace)
			req.Header.Set("accept", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				return a, err
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				return a, fmt.Errorf("status %d", resp.StatusCode)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				return a, err
			}
			return a, json.Unmarshal(body, &a)
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown client %q\n", name)
		os.Exit(2)
	}
	for range warmup {
		if a, err := get(); err != nil || a.ID != agentID {
			panic(fmt.Sprint(a.ID, err))
		}
	}
	started := time.Now()
	for range calls {
		if _, err := get(); err != nil {
			panic(err)
		}
	}
	us := float64(time.Since(started).Microseconds()) / float64(max(calls, 1))
	fmt.Printf("{\"us_per_call\":%.2f,\"dns_lookups\":null}\n", us)
}

// cold makes one call in a new process, building its client first (see the package comment).
func cold(name, url, caFile string) {
	var a agent
	switch name {
	case "trillet":
		c, err := trillet.NewClient(trillet.Config{APIKey: key, WorkspaceID: workspace, BaseURL: url, CABundle: caFile, IgnoreEnv: true})
		if err != nil {
			panic(err)
		}
		a, err = trillet.Decode[agent](c.Call(context.Background(), "agents.get", trillet.Request{Path: map[string]string{"agentId": agentID}}))
		if err != nil {
			panic(err)
		}
	case "nethttp":
		pool, err := x509.SystemCertPool()
		if err != nil {
			panic(err)
		}
		pem, err := os.ReadFile(caFile)
		if err != nil || !pool.AppendCertsFromPEM(pem) {
			panic(fmt.Sprint("no CA in ", caFile, err))
		}
		client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		req, err := http.NewRequest("GET", url+"/v1/api/agents/"+agentID, nil)
		if err != nil {
			panic(err)
		}
		req.Header.Set("x-api-key", key)
		req.Header.Set("x-workspace-id", workspace)
		req.Header.Set("accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || json.Unmarshal(body, &a) != nil {
			panic(fmt.Sprint("status ", resp.StatusCode, err))
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown client %q\n", name)
		os.Exit(2)
	}
	if a.ID != agentID {
		panic("wrong agent " + a.ID)
	}
}
