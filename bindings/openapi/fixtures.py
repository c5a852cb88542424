#!/usr/bin/env python3
"""Creates one document of each kind in a running sandbox, so that schemathesis reaches the
operations that take an id (get, update, delete, ...) with ids that exist, not only 404s.

    python3 fixtures.py URL KEY WORKSPACE    prints `NAME=id` lines (read by run-tests.sh)

Each id is exported as ``TRILLET_FIXTURE_<NAME>`` and used by ``schemathesis.toml``. Every request
goes through the API itself, so this also checks the happy path of each create operation.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from typing import Any, Dict

# Loopback only, never through a proxy from the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Api:
    def __init__(self, url: str, key: str, workspace: str) -> None:
        self.url, self.key, self.workspace = url, key, workspace

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        return self.send(method, path, data, "application/json")

    def upload(self, path: str, fields: Dict[str, str], filename: str, content: bytes) -> Any:
        """A multipart POST: text `fields`, plus the file in the `file` part."""
        boundary = "trilletfixtureboundary"
        parts = [
            f'--{boundary}\r\ncontent-disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\ncontent-disposition: form-data; name="file"; filename="{filename}"\r\n'
            "content-type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n"
        )
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.send("POST", path, data, f"multipart/form-data; boundary={boundary}")

    def send(self, method: str, path: str, data: Any, content_type: str) -> Any:
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("x-api-key", self.key)
        req.add_header("x-workspace-id", self.workspace)
        if data is not None:
            req.add_header("content-type", content_type)
        with _opener.open(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")


def create(api: Api) -> Dict[str, str]:
    ids: Dict[str, str] = {"WORKSPACE": api.workspace}
    tts = {"provider": "rime", "voiceId": "mistv2_Wildflower"}
    ids["AGENT"] = api.call("POST", "/v1/api/agents", {"name": "Fixture", "ttsModel": tts, "llmModel": "gpt-4o-mini"})["_id"]
    ids["CALL_FLOW"] = api.call("POST", "/v1/api/call-flows", {"name": "Fixture flow"})["_id"]
    ids["OMNI_AGENT"] = api.call("POST", "/v1/api/omni-flow-agents", {"name": "Fixture omni"})["_id"]
    flow = {"name": "Fixture messages", "agent": ids["OMNI_AGENT"], "initiationMessage": "Hi {{name}}"}
    ids["MESSAGE_FLOW"] = api.call("POST", "/v1/api/message-flows", flow)["_id"]
    ids["FOLDER"] = api.call("POST", "/v1/api/flow-folders", {"name": "Fixture folder"})["_id"]
    ids["KNOWLEDGE_BASE"] = api.call("POST", "/v1/api/knowledgebase", {"name": "Fixture KB"})["_id"]
    number = {"country": "US", "type": "local", "phoneNumber": "+14155550123"}
    ids["PHONE_NUMBER"] = api.call("POST", "/v1/api/twilio/purchase-number", number)["phoneNumber"]["_id"]
    message = {"flowId": ids["MESSAGE_FLOW"], "to": "+14155550124"}
    generated = api.call("POST", "/v1/api/conversations/message/generate", message)
    ids["CONVERSATION"], ids["MESSAGE"] = generated["conversation_id"], generated["message_id"]
    call = api.call("POST", "/v1/api/call", {"to": "+14155550125", "call_agent_id": ids["AGENT"]})
    ids["CALL"] = call["call_id"]
    ids["ROOM"] = api.call("GET", f"/v2/api/call-history/{ids['CALL']}").get("roomName") or ids["CALL"]
    csv = b"phone_number\n+14155550126\n+14155550127\n"
    ids["BATCH"] = api.upload("/v1/api/batch-calls", {"agentId": ids["AGENT"]}, "calls.csv", csv)["batchId"]
    flow = api.upload(f"/v1/api/call-flows/{ids['CALL_FLOW']}/knowledge-base", {}, "faq.txt", b"Opening hours: 9-5")
    ids["FILE_KEY"] = flow["settings"]["knowledgeBaseFiles"][-1]["key"]
    voices = api.call("GET", "/v1/api/voices/mistv2_Wildflower")
    ids["VOICE"] = voices.get("_id") or "mistv2_Wildflower"
    return ids


def main(argv: list[str]) -> int:
    url, key, workspace = argv
    for name, value in create(Api(url, key, workspace)).items():
        print(f"{name}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
