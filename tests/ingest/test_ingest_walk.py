"""iter_paths: explicit files, directory walks with globs, stdin."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimaudit.ingest import STDIN, iter_paths

INCLUDE = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm")


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    for name in [
        "b.md",
        "a.html",
        "notes.pdf",
        ".hidden.md",
        "sub/z.txt",
        "sub/deeper/y.md",
        "sub/drafts/x.md",
        ".git/HEAD.md",
        "node_modules/pkg/readme.md",
        ".venv/lib/site.md",
        "venv/lib/other.md",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("text", encoding="utf-8")
    return tmp_path


def _relative(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() if p != STDIN else "-" for p in paths]


def test_iter_paths_walks_sorted_skipping_hidden_and_vendored(tree: Path) -> None:
    found = list(iter_paths([str(tree)], include=INCLUDE, exclude=()))
    assert _relative(found, tree) == [
        "a.html",
        "b.md",
        "sub/deeper/y.md",
        "sub/drafts/x.md",
        "sub/z.txt",
    ]


def test_iter_paths_exclude_matches_relative_path_or_name(tree: Path) -> None:
    found = list(iter_paths([str(tree)], include=INCLUDE, exclude=("sub/drafts", "*.html")))
    assert _relative(found, tree) == ["b.md", "sub/deeper/y.md", "sub/z.txt"]
    only_sub = list(iter_paths([str(tree)], include=("sub/*.md",), exclude=()))
    assert _relative(only_sub, tree) == ["sub/deeper/y.md", "sub/drafts/x.md"]


def test_iter_paths_empty_include_takes_every_file(tree: Path) -> None:
    found = list(iter_paths([str(tree / "sub"), str(tree)], include=(), exclude=()))
    assert _relative(found, tree) == [
        "sub/deeper/y.md",
        "sub/drafts/x.md",
        "sub/z.txt",
        "a.html",
        "b.md",
        "notes.pdf",
    ]


def test_iter_paths_explicit_files_are_always_taken_once(tree: Path) -> None:
    pdf = str(tree / "notes.pdf")
    missing = str(tree / "missing.md")
    found = list(
        iter_paths(
            [pdf, "-", missing, str(tree / "b.md"), str(tree)], include=("*.md",), exclude=("*.md",)
        )
    )
    assert found[:4] == [Path(pdf), STDIN, Path(missing), tree / "b.md"]
    assert found[4:] == []  # the directory adds nothing: every .md is excluded, b.md was seen


def test_iter_paths_stdin_sentinel() -> None:
    assert list(iter_paths(["-"], include=INCLUDE, exclude=())) == [STDIN]
    assert STDIN == Path("-")
