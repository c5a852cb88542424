"""The ``Client`` keyword arguments come from the library's settings table: each one reaches the
C config JSON under its key, they are keyword-only, and the generated file does not drift."""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

import trillet
from trillet import _native, _settings
from conftest import API_KEY, WORKSPACE_ID, Sandbox

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def catalog_settings() -> List[Dict[str, Any]]:
    settings: List[Dict[str, Any]] = json.loads(_native.operations_json())["settings"]
    return settings


def render_settings(catalog: Dict[str, Any]) -> str:
    sys.path.insert(0, str(TOOLS))
    try:
        spec = importlib.util.spec_from_file_location("trillet_settings_codegen", TOOLS / "settings_codegen.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        text: str = module.render_settings(catalog)
        return text
    finally:
        sys.path.remove(str(TOOLS))


def test_the_generated_settings_match_the_library() -> None:
    catalog = json.loads(_native.operations_json())
    assert Path(_settings.__file__).read_text(encoding="utf-8") == render_settings(catalog), (
        "trillet/_settings.py is out of date with the library's settings: run `python3 bindings/python/tools/generate.py`"
    )
    catalog["settings"][0]["doc"] = "Something else."
    assert render_settings(catalog) != Path(_settings.__file__).read_text(encoding="utf-8")


def test_every_setting_is_a_keyword_only_argument() -> None:
    params = inspect.signature(trillet.Client).parameters
    names = [s["key"][: -len("_ms")] if s["kind"] == "millis" else s["key"] for s in catalog_settings()]
    assert list(params) == names
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    with pytest.raises(TypeError):
        trillet.Client("sk_positional")  # type: ignore[misc]


def test_every_argument_reaches_the_config_json_under_its_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: List[Dict[str, Any]] = []

    def fake_client_new(config: bytes) -> Any:
        seen.append(json.loads(config))
        return None, b'{"error":{"kind":"invalid_input","code":"stop","message":"stopped by the test"}}'

    monkeypatch.setattr(_native, "client_new", fake_client_new)
    samples = {"text": "x", "secret": "sk_x", "url": "http://127.0.0.1:9", "path": tmp_path / "ca.pem",
               "millis": 1.5, "count": 0, "flag": True}
    kwargs = {}
    for s in catalog_settings():
        name = s["key"][: -len("_ms")] if s["kind"] == "millis" else s["key"]
        kwargs[name] = samples[s["kind"]]
    with pytest.raises(trillet.InvalidInputError, match="stopped by the test"):
        trillet.Client(**kwargs)
    (config,) = seen
    assert sorted(config) == sorted(s["key"] for s in catalog_settings())
    assert config["timeout_ms"] == 1500 and config["max_retries"] == 0 and config["ignore_env"] is True
    assert config["ca_bundle"] == str(tmp_path / "ca.pem")
    assert config["user_agent_suffix"] == f"python/{sys.version_info.major}.{sys.version_info.minor} x"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"timeout": "5"}, "`timeout` must be a number of seconds"),
        ({"max_retries": -1}, "`max_retries` must not be negative"),
        ({"allow_insecure_http": 1}, "`allow_insecure_http` must be a bool"),
        ({"proxy": 3128}, "`proxy` must be a str"),
        ({"ca_bundle": b"/etc/ca.pem"}, "`ca_bundle` must be a path"),
        ({"user_agent_suffix": "a\x00b"}, "`user_agent_suffix` must not contain a NUL"),
    ],
)
def test_a_wrong_value_is_refused_naming_the_argument(kwargs: Dict[str, Any], message: str) -> None:
    with pytest.raises(trillet.InvalidInputError, match=message):
        trillet.Client(ignore_env=True, **kwargs)


def test_the_user_agent_suffix_follows_python(sandbox: Sandbox) -> None:
    sandbox.reset()
    with trillet.Client(api_key=API_KEY, workspace_id=WORKSPACE_ID, base_url=sandbox.url, ignore_env=True,
                        user_agent_suffix="my-app/2.0") as client:
        client.agents.list()
    (sent,) = sandbox.requests("agents.list")
    assert sent["headers"]["user-agent"].endswith(f" python/{sys.version_info.major}.{sys.version_info.minor} my-app/2.0")
