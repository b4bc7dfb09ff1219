"""`claimaudit serve`: options, the loopback default, and a real process answering on a port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from claimaudit.cli import main
from claimaudit.commands import serve as serve_command


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Replaces uvicorn's Server.run: records the config instead of serving."""
    import uvicorn

    configs: list[Any] = []

    def fake_run(self: Any, *args: object, **kwargs: object) -> None:
        configs.append(self.config)

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    return configs


def test_serve_defaults_to_loopback_port_8000(captured: list[Any]) -> None:
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    [config] = captured
    assert (config.host, config.port) == ("127.0.0.1", 8000)
    assert config.app.state.limits.max_bytes == 2_000_000
    assert "warning" not in result.output


def test_serve_passes_options_to_the_app(captured: list[Any], tmp_path: Path) -> None:
    config_file = tmp_path / "claimaudit.toml"
    config_file.write_text('select = ["SAFE", "REG"]\nignore = ["REG002"]\n', "utf-8")
    knowledge = tmp_path / "kb"
    knowledge.mkdir()
    result = CliRunner().invoke(
        main,
        [
            "serve",
            "--port",
            "8123",
            "--max-bytes",
            "5000",
            "--knowledge",
            str(knowledge),
            "--config",
            str(config_file),
        ],
    )
    assert result.exit_code == 0, result.output
    [config] = captured
    assert config.port == 8123
    assert config.app.state.limits.max_bytes == 5000
    settings = config.app.state.settings
    assert (settings.select, settings.ignore) == (("SAFE", "REG"), ("REG002",))
    assert settings.knowledge_dirs == (str(knowledge.resolve()),)


def test_serve_reports_a_bad_config_and_exits_2(captured: list[Any], tmp_path: Path) -> None:
    config_file = tmp_path / "claimaudit.toml"
    config_file.write_text("select = [\n", "utf-8")
    result = CliRunner().invoke(main, ["serve", "--config", str(config_file)])
    assert result.exit_code == 2
    assert result.output.startswith("CF103 ")
    assert "invalid TOML" in result.output
    assert captured == []


def test_serve_warns_when_bound_beyond_loopback(captured: list[Any]) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0
    assert (
        "warning: serving on 0.0.0.0: anyone who can reach this address can use the page"
        in result.output
    )


def test_serve_rejects_a_missing_knowledge_dir(captured: list[Any], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--knowledge", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert captured == []


@pytest.mark.parametrize(
    ("host", "loopback", "allowed"),
    [
        ("127.0.0.1", True, ("127.0.0.1", "localhost")),
        ("localhost", True, ("localhost", "127.0.0.1")),
        ("127.0.0.2", True, ("127.0.0.2", "127.0.0.1", "localhost")),
        ("::1", True, None),
        ("0.0.0.0", False, None),
        ("192.168.1.5", False, None),
        ("example.org", False, None),
    ],
)
def test_loopback_detection_and_allowed_hosts(
    host: str, loopback: bool, allowed: tuple[str, ...] | None
) -> None:
    assert serve_command._is_loopback(host) is loopback
    if loopback:
        assert serve_command._allowed_hosts(host) == allowed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_serve_process_answers_health_at_once_and_guards_the_host() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "claimaudit",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{url}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[1].decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert health.status_code == 200
        assert set(health.json()) >= {"status", "version", "kb_version", "kb_hash", "ready"}
        assert health.headers["x-content-type-options"] == "nosniff"
        page = httpx.get(f"{url}/", timeout=5)
        assert page.status_code == 200 and "claimaudit" in page.text
        rebound = httpx.get(f"{url}/api/health", headers={"Host": "attacker.example"}, timeout=5)
        assert rebound.status_code == 400
    finally:
        process.terminate()
        process.communicate(timeout=15)


def test_open_flag_opens_the_bound_address(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(serve_command.webbrowser, "open", opened.append)

    class Socket:
        def getsockname(self) -> tuple[str, int]:
            return ("127.0.0.1", 8765)

    listener = SimpleNamespace(sockets=[Socket()])
    server = SimpleNamespace(started=True, servers=[listener])
    serve_command._open_when_started(server, "0.0.0.0")
    assert opened == ["http://127.0.0.1:8765/"]
