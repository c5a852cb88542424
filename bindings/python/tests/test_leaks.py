"""No leaks: making and closing 1000 clients and making 10,000 calls keeps the process's resident
memory and open file descriptors bounded. Every returned string must be freed with
trillet_string_free and every handle with trillet_client_free for this to hold: the responses
here are about 5 KB each, so leaking them would add tens of megabytes."""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

import pytest

import trillet
from conftest import AGENT_BODY, Sandbox

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")

MB = 1024 * 1024


def rss() -> int:
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_1000_clients_made_and_closed(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()

    def churn(n: int) -> None:
        for i in range(n):
            client = make_client()
            if i % 10 == 0:
                client.agents.list()  # a pooled connection too, every tenth client
            if i % 2:
                client.close()
            else:
                with client:
                    pass
            del client

    churn(100)  # warm-up: allocator pools, lazy statics
    before, fds = rss(), open_fds()
    churn(1000)
    grown = rss() - before
    print(f"RSS grew by {grown / MB:.2f} MB over 1000 clients")
    assert grown < 5 * MB, f"RSS grew by {grown / MB:.1f} MB over 1000 clients"
    assert open_fds() <= fds + 4, "connections of closed clients stayed open"


def test_10k_calls(client: trillet.Client, sandbox: Sandbox) -> None:
    # 1,000 calls over the network (half answered with a 20 KB agent, half with a 404 whose error
    # JSON repeats a 4,000-character id) and 9,000 refused inside the library (each error string
    # echoes a 2,000-character unknown operation id). All 10,000 go through trillet_call and hand
    # back a string to free: leaking the successes alone would add 10 MB, the errors another 25 MB.
    agent = client.agents.create(body=dict(AGENT_BODY, prompt="p" * 20_000))["_id"]
    missing = "m" * 4000
    unknown = "agents." + "x" * 2000

    def calls(network: int, local: int) -> None:
        for i in range(network):
            if i % 2:
                assert len(client.agents.get(agent)["prompt"]) == 20_000
            else:
                with pytest.raises(trillet.NotFoundError):
                    client.agents.get(missing)
        for _ in range(local):
            with pytest.raises(trillet.InvalidInputError):
                client.call(unknown)
        sandbox.clear_log()

    calls(200, 1000)  # warm-up
    before, fds = rss(), open_fds()
    calls(1000, 9000)
    grown = rss() - before
    print(f"RSS grew by {grown / MB:.2f} MB over 10,000 calls")
    assert grown < 5 * MB, f"RSS grew by {grown / MB:.1f} MB over 10,000 calls"
    assert open_fds() <= fds + 2
