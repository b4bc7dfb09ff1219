"""Pattern analyses kept between runs, so a fresh process does not re-read every pattern's syntax.

The literal prefilter (`nlp/prefilter.py`) and the pattern tables of the rules work out, once per
pattern, which literals its matches need. That costs about a quarter of a second over all the
rules' patterns: at start-up, every time. `cached(kind, pattern, flags, compute)` answers from a
table read once from the user cache directory (`knowledge_base.load.cache_dir()`, where the
validated knowledge base is cached too) and remembers new answers; the table is written back at
exit when it grew.

The file name carries a digest of the package version, the Python version and the source of
every module whose analysis it stores (`ANALYZERS`), so a changed analysis never reads an old
answer. A missing, unreadable or corrupt file is the same as an empty one; a cache that cannot
be written is skipped. `CLAIMAUDIT_NO_PATTERN_CACHE=1` turns the file off (answers are still
memoized in the process).

`compiled(pattern, flags)` is `re.compile` from the same table: it keeps the program `re`
compiles a pattern to (the code list `_sre.compile` takes, as re's own compiler builds it), so
a fresh process skips parsing and compiling patterns it has compiled before (the Python version
is in the file name; a program `_sre` rejects is compiled again).
"""

from __future__ import annotations

import _sre
import atexit
import hashlib
import importlib.resources
import os
import pickle
import re
import sys
from array import array
from collections.abc import Callable
from pathlib import Path
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, TypeVar

T = TypeVar("T")

ANALYZERS = (
    ("claimaudit.nlp", "prefilter.py"),
    ("claimaudit.nlp", "leading.py"),
    ("claimaudit.nlp", "literal_trie.py"),
    ("claimaudit.nlp", "scan.py"),
    ("claimaudit.nlp", "tokenizer.py"),
    ("claimaudit.nlp", "resources.py"),
    ("claimaudit.nlp", "analysis_cache.py"),
    ("claimaudit.rules", "_pattern_table.py"),
)
DISABLE = "CLAIMAUDIT_NO_PATTERN_CACHE"

_table: dict[tuple[str, str, int], Any] | None = None
_loaded_count = 0
_owner = 0  # the process that read the table writes it back


def cached(kind: str, pattern: str, flags: int, compute: Callable[[], T]) -> T:
    """`compute()`, remembered under (kind, pattern, flags) in this process and between runs."""
    table = _load()
    key = (kind, pattern, flags)
    try:
        return table[key]  # type: ignore[no-any-return]
    except KeyError:
        pass
    value = compute()
    table[key] = value
    return value


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, built from its program when the table holds it."""
    table = _load()
    key = ("program", pattern, int(flags))
    program = table.get(key)
    if program is not None:
        try:
            return _from_program(pattern, program)
        except Exception:  # noqa: BLE001 - not a program of this `re`: compile it again
            pass
    if not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    program = _program(pattern, flags)
    regex = _from_program(pattern, program)
    table[key] = program
    return regex


# A compiled pattern's program: its flags, code, group count - 1, group index and names.
_Program = tuple[int, "array[int]", int, dict[str, int], tuple[str | None, ...]]


def _program(pattern: str, flags: int) -> _Program:
    """What `re._compiler.compile` hands to `_sre.compile` for the pattern."""
    tree = sre_parse.parse(pattern, flags)
    code = sre_compile._code(tree, flags)
    groupindex = dict(tree.state.groupdict)
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | tree.state.flags), array("I", code), tree.state.groups - 1, groupindex, tuple(indexgroup))


def _from_program(pattern: str, program: _Program) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = program
    regex: re.Pattern[str] = _sre.compile(pattern, flags, code.tolist(), groups, groupindex, indexgroup)
    return regex


def cache_file() -> Path | None:
    """This code's cache file, or None when disabled or its place cannot be worked out."""
    if os.environ.get(DISABLE):
        return None
    try:
        from claimaudit import __version__
        from claimaudit.knowledge_base.load import cache_dir

        digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
        for package, name in ANALYZERS:
            digest.update(importlib.resources.files(package).joinpath(name).read_bytes())
        return cache_dir() / f"patterns-{digest.hexdigest()[:32]}.pickle"
    except Exception:  # noqa: BLE001 - a cache problem must never stop an audit
        return None


def _load() -> dict[tuple[str, str, int], Any]:
    global _table, _loaded_count, _owner
    if _table is not None:
        return _table
    _table = {}
    path = cache_file()
    if path is not None:
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)
            if isinstance(stored, dict):
                _table.update(stored)
        except Exception:  # noqa: BLE001 - missing, stale or corrupt: start empty
            pass
        _loaded_count = len(_table)
        _owner = os.getpid()
        atexit.register(save)
    return _table


def save(keep: int = 4) -> bool:
    """Write the table back if it grew in this process; True when written."""
    if _table is None or len(_table) <= _loaded_count or os.getpid() != _owner:
        return False
    path = cache_file()
    if path is None:
        return False
    from claimaudit.knowledge_base.load import write_cache_pickle

    return write_cache_pickle(path, _table, "patterns-*.pickle", keep)


def reset() -> None:
    """Forget the in-process table (tests)."""
    global _table, _loaded_count, _owner
    _table, _loaded_count, _owner = None, 0, 0
