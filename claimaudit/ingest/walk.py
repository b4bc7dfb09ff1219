"""Finding the documents to read: explicit files, directories walked with globs, or stdin."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path

STDIN = Path("-")  # yielded for "-": read sys.stdin with read_text() instead of a file
SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})


def is_directory(path: str | Path) -> bool:
    """Path.is_dir, but False (the reader then reports why) when the path cannot be examined."""
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def iter_paths(
    paths: Sequence[str], *, include: Sequence[str], exclude: Sequence[str]
) -> Iterator[Path]:
    """Files to read, each once, in a deterministic order.

    A path given explicitly is always taken (even if missing, so the reader can report it);
    "-" yields STDIN. Directories are walked recursively, skipping hidden directories and
    node_modules/__pycache__/venv; a file is taken when its path relative to the directory
    or its name matches an `include` glob (all files when `include` is empty) and no
    `exclude` glob. Excluded directories are not entered. Within a directory, files come in
    sorted order of their relative path. A directory that cannot be listed (permission
    denied) is yielded itself, so the reader reports it (IN107) instead of skipping it.
    """
    seen: set[Path] = set()
    for raw in paths:
        if raw == "-":
            yield STDIN
            continue
        path = Path(raw)
        if is_directory(path):
            found: Iterator[Path] = _walk(path, include, exclude)
        else:
            found = iter((path,))
        for item in found:
            key = _identity(item)
            if key not in seen:
                seen.add(key)
                yield item


def _walk(root: Path, include: Sequence[str], exclude: Sequence[str]) -> Iterator[Path]:
    found: list[tuple[str, Path]] = []
    unreadable: list[Path] = []

    def note(error: OSError) -> None:
        if error.filename is not None:
            unreadable.append(Path(os.fsdecode(error.filename)))

    for directory, dirnames, filenames in os.walk(root, onerror=note):
        base = Path(directory)
        relative_dir = base.relative_to(root)
        dirnames[:] = [
            name
            for name in dirnames
            if not _hidden_or_vendored(name)
            and not _matches((relative_dir / name).as_posix(), name, exclude)
        ]
        for name in filenames:
            if name.startswith("."):
                continue
            relative = (relative_dir / name).as_posix()
            if include and not _matches(relative, name, include):
                continue
            if _matches(relative, name, exclude):
                continue
            found.append((relative, base / name))
    for path in unreadable:
        found.append((path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path), path))
    for _, path in sorted(found):
        yield path


def _hidden_or_vendored(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRECTORIES


def _matches(relative: str, name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch(relative, pattern) or fnmatch(name, pattern) for pattern in patterns)


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return path.absolute()
