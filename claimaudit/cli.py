"""The `claimaudit` command: a click group whose subcommands are imported only when used."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from claimaudit import __version__, spacy_import

# The command line's first import of spaCy skips spaCy's own command line (see spacy_import.py);
# a program importing claimaudit as a library keeps its import system untouched.
spacy_import.install()

# name -> "module:attribute". Each command lives in claimaudit/commands/ and is imported lazily,
# so `claimaudit --help` and `claimaudit rules` never pay for spaCy.
COMMANDS: dict[str, str] = {
    "check": "claimaudit.commands.check:check",
    "claims": "claimaudit.commands.claims:claims",
    "rules": "claimaudit.commands.rules:rules",
    "explain": "claimaudit.commands.rules:explain",
    "eval": "claimaudit.commands.evaluate:evaluate",
    "kb": "claimaudit.commands.kb:kb",
    "baseline": "claimaudit.commands.baseline:baseline",
    "config": "claimaudit.commands.config:config",
    "scan": "claimaudit.commands.scan:scan",
    "serve": "claimaudit.commands.serve:serve",
    "review": "claimaudit.commands.review:review",
    "lsp": "claimaudit.commands.lsp:lsp",
    "train": "claimaudit.commands.train:train",
    "daemon": "claimaudit.commands.daemon:daemon",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _module_exists(COMMANDS[name]))

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             **extra: Any) -> Any:
        """From the real command line (`args` None), `check` goes to a running daemon if there
        is one (see claimaudit/resident); otherwise, and when called with `args`, as usual."""
        if args is None:
            single_threaded_blas()
        if args is None and len(sys.argv) > 1 and sys.argv[1] == "check":
            from claimaudit.resident.client import forward_check

            code = forward_check(sys.argv)
            if code is not None:
                sys.exit(code)
            try:
                return super().main(args, prog_name, **extra)
            except SystemExit as done:
                exit_now(done)
        return super().main(args, prog_name, **extra)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not _module_exists(target):
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


def exit_now(done: SystemExit) -> NoReturn:
    """End the process as `done` would, without the interpreter's teardown (freeing spaCy's
    vocabulary, the knowledge base and every module one object at a time costs a few tenths of
    a CPU second): the standard streams are flushed and the exit handlers run first. Falls back
    to the ordinary exit when the status is not a number, another thread runs, or a stream
    cannot be flushed (a closed pipe is then reported as usual)."""
    import atexit
    import os
    import threading

    code = 0 if done.code is None else done.code
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if not isinstance(code, int) or not 0 <= code <= 255 or threading.active_count() > 1 or run_exit_handlers is None:
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - let the ordinary exit report it
        raise done from None
    run_exit_handlers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001
        raise done from None
    os._exit(code)


def single_threaded_blas() -> None:
    """One OpenBLAS thread unless the user chose otherwise. claimaudit never multiplies matrices
    (spaCy's blank pipeline, sparse counts in `learn/`), but numpy's OpenBLAS starts a thread pool
    per core when spaCy imports it: about 40 CPU ms of every command-line run. Read when numpy
    is first imported, so set before; only from the command line, never on `import claimaudit`."""
    import os

    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _module_exists(target: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(target.split(":")[0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimaudit")
def main(**_: Any) -> None:
    """Audit health-content claims against a sourced evidence knowledge base."""


def exit_with_error(error: Exception) -> NoReturn:
    """Print a ClaimAuditError's message on stderr and exit 2 (usage, input, config or KB error)."""
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)
