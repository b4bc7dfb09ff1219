"""A plain command-line `check` imports only what it uses (no spaCy command line, no --diff,
baseline or daemon modules), and gives the same report as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_IMPORTED = ("spacy.cli", "typer", "weasel", "requests", "httpx", "rich", "jinja2",
                "claimaudit.gate.diff", "claimaudit.resident.warm", "claimaudit.serve", "claimaudit.lsp",
                "claimaudit.review")
SCRIPT = ("import atexit, json, sys; "
          f"atexit.register(lambda: print(json.dumps([m for m in {NOT_IMPORTED!r} if m in sys.modules]), file=sys.stderr)); "
          "sys.argv = ['claimaudit', *sys.argv[1:]]; from claimaudit.cli import main; main()")


def test_a_plain_check_does_not_import_what_it_does_not_use() -> None:
    env = {**os.environ, "CLAIMAUDIT_NO_DAEMON": "1", "PYTHONPATH": str(ROOT)}
    env.pop("CLAIMAUDIT_SPACY_CLI", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT, "check", "--no-config", "--format", "json",
                           "examples/clinic-page.md"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["documents"][0]["findings"]
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


def _blas_threads(code: str, **env: str) -> str:
    environment = {**os.environ, "CLAIMAUDIT_NO_DAEMON": "1", "PYTHONPATH": str(ROOT)}
    environment.pop("OPENBLAS_NUM_THREADS", None)
    environment.update(env)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=ROOT,
                          timeout=300, input="Ketamine cures depression.\n")
    assert done.returncode in (0, 1), done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_the_command_line_asks_openblas_for_one_thread_unless_told_otherwise() -> None:
    report = "import atexit, os, sys; atexit.register(lambda: print(os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr)); "
    command = report + "sys.argv = ['claimaudit', 'check', '--no-config', '-']; from claimaudit.cli import main; main()"
    assert _blas_threads(command) == "1"
    assert _blas_threads(command, OPENBLAS_NUM_THREADS="2") == "2"
    library = report + "import claimaudit; claimaudit.audit_text('Ketamine cures depression.')"
    assert _blas_threads(library) == "None"
