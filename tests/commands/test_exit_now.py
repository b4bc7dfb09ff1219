"""A command-line `check` ends without the interpreter's teardown, with the same output and status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimaudit.cli import exit_now, main

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Ketamine is a proven cure for depression with no side effects.\n"
SCRIPT = ("import atexit, sys; atexit.register(lambda: print('exit handler ran')); "
          "sys.argv = ['claimaudit', *sys.argv[1:]]; from claimaudit.cli import main; main()")


def _run(*args: str, stdin: str = TEXT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAIMAUDIT_NO_DAEMON": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


def test_output_status_and_exit_handlers_are_those_of_an_ordinary_exit(tmp_path: Path) -> None:
    done = _run("check", "--no-config", "--format", "json", "-")
    in_process = CliRunner().invoke(main, ["check", "--no-config", "--format", "json", "-"], input=TEXT)
    assert done.returncode == in_process.exit_code == 1
    assert done.stdout == in_process.output + "exit handler ran\n"
    usage = _run("check", "--format", "nonsense", "-")
    assert usage.returncode == 2 and "nonsense" in usage.stderr and usage.stdout == "exit handler ran\n"


def test_what_it_does_not_handle_exits_the_ordinary_way() -> None:
    for code in ("message", 300, -1):
        with pytest.raises(SystemExit) as raised:
            exit_now(SystemExit(code))
        assert raised.value.code == code
