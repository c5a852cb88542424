"""TLS trust and proxy settings reach the core: ``Client(ca_bundle=..., proxy=...)``.

The TLS behaviour itself (private CA trusted through ``ca_bundle``, refused handshakes as
``connect`` errors after one attempt) is proven in the Rust tests (tests/tls.rs); here we show
the Python arguments arrive there, and that a CONNECT proxy on loopback sees the request.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Iterator, List

import pytest

import trillet
from conftest import API_KEY, WORKSPACE_ID, Sandbox

PROXY_VARS = ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy")


class ConnectProxy:
    """A CONNECT proxy on 127.0.0.1 that logs the CONNECT heads it receives and tunnels them."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.heads: List[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            byte = client.recv(1)
            if not byte:
                client.close()
                return
            head += byte
        text = head.decode("latin-1")
        self.heads.append(text)
        host, _, port = text.split()[1].rpartition(":")
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def proxy() -> Iterator[ConnectProxy]:
    p = ConnectProxy()
    yield p
    p.close()


def _dead_url() -> str:
    s = socket.create_server(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return "http://127.0.0.1:%d" % port


def test_a_missing_ca_bundle_is_invalid_input_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-ca.pem"
    for value in (str(missing), missing):
        with pytest.raises(trillet.InvalidInputError) as info:
            trillet.Client(api_key=API_KEY, ignore_env=True, ca_bundle=value)
        assert (info.value.kind, info.value.code) == ("invalid_input", "invalid_ca_bundle")
        assert str(missing) in info.value.message


def test_a_ca_bundle_without_certificates_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate\n")
    with pytest.raises(trillet.InvalidInputError) as info:
        trillet.Client(api_key=API_KEY, ignore_env=True, ca_bundle=bad)
    assert info.value.code == "invalid_ca_bundle"
    assert "no PEM certificate" in info.value.message


def test_a_wrong_ca_bundle_type_is_refused_before_the_core() -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        trillet.Client(api_key=API_KEY, ignore_env=True, ca_bundle=42)  # type: ignore[arg-type]
    assert info.value.code == "invalid_config"


def test_the_request_goes_through_the_proxy(sandbox: Sandbox, proxy: ConnectProxy) -> None:
    sandbox.reset()
    with trillet.Client(
        api_key=API_KEY, workspace_id=WORKSPACE_ID, base_url=sandbox.url, ignore_env=True, max_retries=0, proxy=proxy.url
    ) as client:
        client.agents.list()
    assert len(proxy.heads) == 1
    target = sandbox.url.split("://", 1)[1]
    assert proxy.heads[0].startswith("CONNECT %s HTTP/1.1\r\n" % target), proxy.heads[0]
    assert API_KEY not in proxy.heads[0]
    assert sandbox.count("agents.list") == 1


def test_a_dead_proxy_is_a_connection_error(sandbox: Sandbox) -> None:
    with trillet.Client(api_key=API_KEY, workspace_id=WORKSPACE_ID, base_url=sandbox.url, ignore_env=True,
                        max_retries=0, proxy=_dead_url()) as client:
        with pytest.raises(trillet.ConnectionError) as info:
            client.agents.list()
    assert info.value.kind == "connect"


def test_invalid_proxy_urls_never_show_the_password() -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        trillet.Client(api_key=API_KEY, ignore_env=True, proxy="socks5://alice:pr0xy-pw@127.0.0.1:1080")
    assert info.value.code == "invalid_proxy"
    assert "pr0xy-pw" not in str(info.value) and "pr0xy-pw" not in info.value.message


def test_the_loopback_sandbox_ignores_dead_proxies_in_the_environment(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = _dead_url()
    for name in PROXY_VARS[:6]:
        monkeypatch.setenv(name, dead)
    sandbox.reset()
    with trillet.Client(api_key=API_KEY, workspace_id=WORKSPACE_ID, base_url=sandbox.url, ignore_env=True,
                        max_retries=0) as client:
        client.agents.list()
    assert sandbox.count("agents.list") == 1
