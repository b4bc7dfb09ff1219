"""Resident mode: `claimaudit daemon` and `check` forwarded to it give the in-process bytes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from claimaudit.resident import client, warm

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


# ---------------------------------------------------------------- helpers without a daemon


@pytest.mark.parametrize(("argv0", "package"), [
    ("/usr/bin/claimaudit", None), ("claimaudit", ""), ("/x/claimaudit/__main__.py", "claimaudit"),
    ("/x/tool.py", "pkg"),
])
def test_program_name_is_what_click_shows(argv0: str, package: str | None) -> None:
    main_module = type(sys)("__main__")
    main_module.__package__ = package
    expected = click.utils._detect_program_name(argv0, _main=main_module)
    assert client.program_name(argv0, package) == expected


def test_daemon_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(client.DISABLE_ENV, raising=False)
    assert client.daemon_choice(["x.md"]) == "auto"
    assert client.daemon_choice(["--daemon", "x.md"]) == "always"
    assert client.daemon_choice(["--daemon", "--no-daemon"]) == "never"
    assert client.daemon_choice(["--", "--daemon"]) == "auto"  # a file named --daemon
    monkeypatch.setenv(client.DISABLE_ENV, "1")
    assert client.daemon_choice(["--daemon"]) == "never"
    monkeypatch.setenv(client.DISABLE_ENV, "0")
    assert client.daemon_choice([]) == "auto"


def test_runtime_dir_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    folder = client.runtime_dir()
    assert folder == str(tmp_path / "claimaudit") and (os.stat(folder).st_mode & 0o777) == 0o700
    os.chmod(folder, 0o755)  # opened to others: not used
    assert client.runtime_dir() is None and client.socket_path() is None


def test_a_dead_socket_means_no_daemon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.delenv(client.DISABLE_ENV, raising=False)
    path = client.socket_path()
    assert path is not None
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)
    dead.close()  # the file stays, nobody listens
    assert client.request("status") is None
    assert client.forward_check(["claimaudit", "check", "x.md"]) is None


def test_knowledge_hash_is_the_loaded_content_hash(tmp_path: Path) -> None:
    from claimaudit.knowledge_base.load import knowledge_hash, load_knowledge_base

    extra = tmp_path / "knowledge"
    shutil.copytree(EXAMPLES / "knowledge", extra)
    assert knowledge_hash() == load_knowledge_base().content_hash
    assert knowledge_hash([extra]) == load_knowledge_base([extra]).content_hash
    assert knowledge_hash([extra]) != knowledge_hash()


def test_a_warm_auditor_is_taken_only_while_its_knowledge_is_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimaudit.commands.check import _auditor_key
    from claimaudit.settings import Settings

    extra = tmp_path / "knowledge"
    shutil.copytree(EXAMPLES / "knowledge", extra)
    monkeypatch.chdir(tmp_path)
    settings = Settings(knowledge_dirs=("knowledge",))
    key = _auditor_key(settings)
    fake = type("FakeAuditor", (), {"kb": type("KB", (), {"content_hash": warm.current_hash(settings)})()})()
    monkeypatch.setattr(warm, "_WARM", {})
    warm.keep(key, fake, settings)  # type: ignore[arg-type]
    assert warm.take(key, settings) is fake
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copytree(extra, other / "knowledge")
    monkeypatch.chdir(other)  # the same relative directory names another folder
    assert warm.take(key, settings) is None
    monkeypatch.chdir(tmp_path)
    record = next(p for p in extra.rglob("*.yaml") if p.name != "pack.yaml")
    record.write_text(record.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert warm.take(key, settings) is None


def test_preload_imports_the_check_modules_and_compiles_lazy_patterns() -> None:
    import importlib

    from claimaudit.nlp import prefilter

    lazy = prefilter.compile(r"\bpreload[- ]test\b")
    bad = prefilter.compile(r"(unclosed preload")
    assert lazy._regex is None  # type: ignore[attr-defined]
    warm.preload()
    assert lazy._regex is not None  # type: ignore[attr-defined]
    assert lazy.search("a preload-test here")
    assert bad._regex is None  # type: ignore[attr-defined]  # its error still shows where it is used
    assert all(importlib.util.find_spec(name) for name in warm.CHECK_MODULES)


def test_warmup_text_is_built_from_the_rule_examples() -> None:
    text = warm.warmup_text()
    assert text.startswith("# Warm-up") and text.count("\n\n") > 20


# ---------------------------------------------------------------- a real daemon


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimaudit", *args]


@pytest.fixture(scope="module")
def daemon_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    runtime = tmp_path_factory.mktemp("runtime")
    env = {k: v for k, v in os.environ.items() if k != client.DISABLE_ENV}
    env |= {"XDG_RUNTIME_DIR": str(runtime), "CLAIMAUDIT_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    started = subprocess.run(_command("daemon", "start", "--idle-timeout", "300"), env=env, capture_output=True,
                             text=True, timeout=300)
    assert started.returncode == 0, started.stderr
    yield env
    subprocess.run(_command("daemon", "stop"), env=env, capture_output=True, timeout=60)


def _both(env: dict[str, str], args: list[str], cwd: Path, stdin: bytes = b"") -> tuple[object, object]:
    def one(extra: dict[str, str]) -> tuple[int, bytes, bytes]:
        done = subprocess.run(_command("check", *args), env=env | extra, cwd=cwd, input=stdin, capture_output=True,
                              timeout=300)
        return done.returncode, done.stdout, done.stderr

    return one({}), one({client.DISABLE_ENV: "1"})


def _served(env: dict[str, str]) -> int:
    done = subprocess.run(_command("daemon", "status", "--format", "json"), env=env, capture_output=True, text=True,
                          timeout=60)
    import json

    return int(json.loads(done.stdout).get("requests", -1))


@pytest.mark.parametrize("args", [
    ["clinic-page.md", "--format", "json"],
    ["clinic-page.md", "psilocybin-page.md", "-v", "-j", "2"],
    [".", "--format", "sarif", "--knowledge", "knowledge"],
    ["-", "--stdin-filename", "pasted.md", "--format", "csv"],
    ["missing.md"],
    ["--select", "NOPE", "clinic-page.md"],
    ["--no-such-option"],
    ["clinic-page.md", "--daemon", "--format", "markdown", "--exit-zero"],
])
def test_forwarded_check_prints_the_in_process_bytes(daemon_env: dict[str, str], args: list[str]) -> None:
    before = _served(daemon_env)
    stdin = (EXAMPLES / "psilocybin-page.md").read_bytes()
    forwarded, in_process = _both(daemon_env, args, EXAMPLES, stdin)
    assert forwarded == in_process
    assert _served(daemon_env) == before + 1  # it really ran in the daemon


def test_the_client_imports_nothing_heavy(daemon_env: dict[str, str]) -> None:
    probe = ("import sys\nsys.argv = ['claimaudit', 'check', 'clinic-page.md']\nfrom claimaudit.cli import main\n"
             "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'numpy', 'claimaudit') "
             "and m not in ('claimaudit', 'claimaudit.spacy_import', 'claimaudit.cli', 'claimaudit.resident', "
             "'claimaudit.resident.client'))\n"
             "sys.stderr.write(repr((code, heavy)))\n")
    done = subprocess.run([sys.executable, "-c", probe], env=daemon_env, cwd=EXAMPLES, capture_output=True, text=True,
                          timeout=300)
    assert done.stderr.endswith("(1, [])")


def test_no_daemon_option_stays_in_process(daemon_env: dict[str, str]) -> None:
    before = _served(daemon_env)
    forwarded, in_process = _both(daemon_env, ["clinic-page.md", "--no-daemon"], EXAMPLES)
    assert forwarded == in_process and _served(daemon_env) == before


def test_an_edited_knowledge_base_is_read_afresh(daemon_env: dict[str, str], tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "knowledge", tmp_path / "knowledge")
    shutil.copy(EXAMPLES / "clinic-page.md", tmp_path / "page.md")
    args = ["page.md", "--format", "json", "--knowledge", "knowledge"]
    first, expected = _both(daemon_env, args, tmp_path)
    assert first == expected
    record = next(p for p in (tmp_path / "knowledge").rglob("*.yaml") if p.name != "pack.yaml")
    record.write_text(record.read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8")
    again, expected_again = _both(daemon_env, args, tmp_path)
    assert again == expected_again


def test_a_daemon_refuses_and_exits_once_the_code_changes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != client.DISABLE_ENV} | {"XDG_RUNTIME_DIR": str(tmp_path)}
    started = subprocess.run(_command("daemon", "start", "--idle-timeout", "120"), env=env, capture_output=True,
                             text=True, timeout=300)
    assert started.returncode == 0, started.stderr
    try:
        marker = Path(client.package_dir()) / "resident" / "__init__.py"
        stamp = marker.stat()
        os.utime(marker, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))  # "edited"
        try:
            forwarded, in_process = _both(env, ["clinic-page.md", "--format", "json"], EXAMPLES)
        finally:
            os.utime(marker, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        assert forwarded == in_process  # run in process after the refusal
        status = subprocess.run(_command("daemon", "status"), env=env, capture_output=True, text=True, timeout=60)
        assert status.returncode == 1  # the stale daemon has gone
    finally:
        subprocess.run(_command("daemon", "stop"), env=env, capture_output=True, timeout=60)


def test_daemon_option_starts_one_when_none_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != client.DISABLE_ENV} | {"XDG_RUNTIME_DIR": str(tmp_path)}
    try:
        forwarded, in_process = _both(env, ["clinic-page.md", "--daemon", "-q"], EXAMPLES)
        assert forwarded == in_process
        assert _served(env) == 1
    finally:
        subprocess.run(_command("daemon", "stop"), env=env, capture_output=True, timeout=60)
