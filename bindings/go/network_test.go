package trillet_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// connectProxy is a CONNECT proxy on loopback that records the CONNECT heads it receives.
type connectProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	heads []string
}

func startConnectProxy(t *testing.T) *connectProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.tunnel(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return p
}

func (p *connectProxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *connectProxy) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.heads...)
}

func (p *connectProxy) tunnel(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	var head strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		head.WriteString(line)
		if line == "\r\n" {
			break
		}
	}
	p.mu.Lock()
	p.heads = append(p.heads, head.String())
	p.mu.Unlock()
	fields := strings.Fields(head.String())
	if len(fields) < 2 || fields[0] != "CONNECT" {
		return
	}
	up, err := net.Dial("tcp", fields[1])
	if err != nil {
		fmt.Fprint(c, "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
		return
	}
	defer up.Close()
	fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	go func() { _, _ = io.Copy(up, r); up.(*net.TCPConn).CloseWrite() }()
	_, _ = io.Copy(c, up)
}

func deadURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestMissingCABundleIsInvalidInputNamingThePath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-ca.pem")
	_, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, IgnoreEnv: true, CABundle: missing})
	e := asError(t, err)
	if e.Kind != trillet.KindInvalidInput || e.Code != "invalid_ca_bundle" || !strings.Contains(e.Message, missing) {
		t.Fatalf("got %s / %s / %q", e.Kind, e.Code, e.Message)
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = trillet.NewClient(trillet.Config{APIKey: sandboxKey, IgnoreEnv: true, CABundle: bad})
	if e := asError(t, err); e.Code != "invalid_ca_bundle" || !strings.Contains(e.Message, "no PEM certificate") {
		t.Fatalf("got %s / %q", e.Code, e.Message)
	}
}

func TestRequestsGoThroughTheProxy(t *testing.T) {
	resetSandbox(t)
	p := startConnectProxy(t)
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, WorkspaceID: sandboxWorkspace, BaseURL: sandboxURL,
		MaxRetries: trillet.Int(0), IgnoreEnv: true, Proxy: p.url()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mustOK(t)(c.Agents.List(background))
	heads := p.seen()
	target := strings.TrimPrefix(sandboxURL, "http://")
	if len(heads) != 1 || !strings.HasPrefix(heads[0], "CONNECT "+target+" HTTP/1.1\r\n") {
		t.Fatalf("proxy saw %q, want one CONNECT %s", heads, target)
	}
	if strings.Contains(heads[0], sandboxKey) {
		t.Fatalf("the CONNECT head carries the key: %q", heads[0])
	}
	if n := len(requests(t, "agents.list")); n != 1 {
		t.Fatalf("sandbox saw %d agents.list", n)
	}
}

func TestDeadProxyIsAConnectError(t *testing.T) {
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, WorkspaceID: sandboxWorkspace, BaseURL: sandboxURL,
		MaxRetries: trillet.Int(0), IgnoreEnv: true, Proxy: deadURL(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Agents.List(background)
	if e := asError(t, err); e.Kind != trillet.KindConnect {
		t.Fatalf("got %s: %v", e.Kind, e)
	}
}

func TestProxyCredentialsAreNeverPrinted(t *testing.T) {
	cfg := trillet.Config{APIKey: sandboxKey, Proxy: "http://alice:pr0xy-pw@127.0.0.1:3128"}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg)} {
		if strings.Contains(s, "pr0xy-pw") || strings.Contains(s, sandboxKey) {
			t.Fatalf("printed secrets: %s", s)
		}
		if !strings.Contains(s, `Proxy:"http://<redacted>@127.0.0.1:3128"`) {
			t.Fatalf("want the redacted proxy in %s", s)
		}
	}
	_, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, IgnoreEnv: true,
		Proxy: "socks5://alice:pr0xy-pw@127.0.0.1:1080"})
	e := asError(t, err)
	if e.Code != "invalid_proxy" || strings.Contains(e.Error(), "pr0xy-pw") {
		t.Fatalf("got %s: %v", e.Code, e)
	}
}

func TestLoopbackSandboxIgnoresDeadProxiesInTheEnvironment(t *testing.T) {
	resetSandbox(t)
	dead := deadURL(t)
	for _, v := range []string{"ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY", "all_proxy", "https_proxy", "http_proxy"} {
		t.Setenv(v, dead)
	}
	c := newClient(t, 0, 0)
	mustOK(t)(c.Agents.List(background))
}
