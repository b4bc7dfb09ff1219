"""Every answer of the API, including routing errors, has the JSON error shape; no 500 on bad JSON."""

from __future__ import annotations

from collections.abc import Callable

from serve_fakes import TestClient
from starlette.applications import Starlette

from claimaudit.serve.app import host_name


def _error(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


def test_lone_surrogate_in_json_text_is_a_400(client: TestClient) -> None:
    body = b'{"text": "Ketamine \\ud800 is proven safe."}'
    response = client.post("/api/audit", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "SV106" and "surrogate U+D800" in error["message"]


def test_lone_surrogate_in_a_field_name_is_a_400(client: TestClient) -> None:
    body = b'{"text": "x", "\\udfff": 1}'
    response = client.post("/api/audit", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and _error(response)["code"] == "SV106"


def test_deeply_nested_json_is_a_400(client: TestClient) -> None:
    body = b"[" * 20_000 + b"]" * 20_000  # under the 50 kB limit of the fixture
    response = client.post("/api/audit", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "nested too deeply" in _error(response)["message"]


def test_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404 and _error(response)["code"] == "SV404"
    assert client.get("/static/missing.js").status_code == 404


def test_wrong_method_is_a_json_405_with_allow(client: TestClient) -> None:
    response = client.get("/api/audit")
    assert response.status_code == 405 and _error(response)["code"] == "SV405"
    assert "POST" in response.headers["allow"]


def test_foreign_host_is_a_json_400(make_app: Callable[..., Starlette]) -> None:
    app = make_app(allowed_hosts=("127.0.0.1", "localhost"))
    with TestClient(app, base_url="http://attacker.example") as client:
        response = client.get("/api/health")
    assert response.status_code == 400 and _error(response)["code"] == "SV400"
    with TestClient(app, base_url="http://LOCALHOST:8000") as client:
        assert client.get("/api/health").status_code == 200


def test_host_name_strips_the_port() -> None:
    assert host_name("127.0.0.1:8000") == "127.0.0.1"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("LocalHost") == "localhost"
    assert host_name("") == ""
