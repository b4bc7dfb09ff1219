"""LSP conversions (UTF-16 positions, rewrites vs advice, suppression comments) and lazy imports."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lsprotocol import types

from claimaudit.findings.model import Family, Finding, Severity, SourceSpan
from claimaudit.lsp.convert import (
    ActionContext,
    Positions,
    code_actions,
    rewrite,
    suppression_comment,
)
from claimaudit.lsp.engine import media_type_for


def _finding(suggestion: str | None, *, omits: str | None = None, start: int = 4, end: int = 15) -> Finding:
    return Finding("SAFE001", Family.SAFE, Severity.ERROR, SourceSpan(start, end, 1, 5, 1, 16), "proven safe",
                   "absolute safety claim", suggestion=suggestion, omits=omits, fingerprint="fp:0")


@pytest.mark.parametrize("text", ["plain ascii\nline two", "a😀b\n𝔘x\n\nend😀", ""])
def test_positions_round_trip_in_utf16_units(text: str) -> None:
    positions = Positions(text)
    for offset in range(len(text) + 1):
        assert positions.offset(positions.position(offset)) == offset
    if "😀" in text:
        assert positions.position(text.index("b")) == types.Position(line=0, character=3)


def test_only_replacement_wording_becomes_a_rewrite() -> None:
    assert rewrite(_finding("has a well-studied safety profile")) == (4, 15, "has a well-studied safety profile")
    assert rewrite(_finding("State the risks plainly: name the common side effects.")) is None
    assert rewrite(_finding("Cite the study the figure comes from.")) is None
    assert rewrite(_finding("Rewrite it", omits="side_effects")) is None
    assert rewrite(_finding(None)) is None


def test_suppression_actions_insert_a_comment_above_the_line() -> None:
    text = "Intro.\nIt is proven safe.\n"
    finding = _finding(None, start=text.index("proven"), end=text.index("proven") + 11)
    [action] = code_actions([finding], ActionContext("file:///p.md", Positions(text)), reason="quoted label")
    [edit] = action.edit.changes["file:///p.md"]  # type: ignore[union-attr]
    assert edit.range.start == edit.range.end == types.Position(line=1, character=0)
    assert edit.new_text == "<!-- claimaudit-disable-next-line SAFE001 -- quoted label -->\n"
    page = _finding(None, omits="side_effects")
    assert suppression_comment(page, "r") == "<!-- claimaudit-disable-file SAFE001 -- r -->"


def test_media_types_from_language_or_extension() -> None:
    assert media_type_for("file:///a/b.txt", "markdown") == "text/markdown"
    assert media_type_for("file:///a/b.htm", None) == "text/html"
    assert media_type_for("untitled:Untitled-1", "plaintext") == "text/plain"
    assert media_type_for("file:///a/b.py", "python") is None


def test_cli_startup_does_not_import_the_lsp_docx_or_xlsx_stacks() -> None:
    code = ("import sys; from click.testing import CliRunner; from claimaudit.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
            "assert 'lsp' in r.output and 'review' in r.output; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pygls', 'lsprotocol', 'openpyxl', 'docx', 'cattrs', 'sqlite3')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
