"""Inline suppression directives written as comments.

    <!-- claimaudit-disable-next-line SAFE001,REG002 -- quoted from the label -->
    <!-- claimaudit-disable EVI -- testimonial section -->
    <!-- claimaudit-enable EVI -->
    <!-- claimaudit-disable-file STAT001 -- reviewed 2024-05 -->

Codes are separated by commas or spaces; the reason follows ` -- `. A missing reason
still yields a Directive (reason ""), so the suppression layer can report it. A comment that
starts with `claimaudit-` but names no known action (`claimaudit-disabel-next-line`) yields
an INVALID directive holding the word written, so a typo is reported instead of ignored.
"""

from __future__ import annotations

import re

from claimaudit.ingest.source import Directive
from claimaudit.nlp.analysis_cache import compiled

ACTIONS = ("disable-next-line", "disable-file", "disable", "enable")
INVALID = "invalid"  # action of a comment that looks like a directive but is none
_LOOKS_LIKE = compiled(r"claimaudit[-_]([\w-]+)", re.IGNORECASE)

_DIRECTIVE = compiled(
    r"claimaudit-(disable-next-line|disable-file|disable|enable)(?![\w-])(.*)", re.DOTALL
)
_COMMENT_LINE = compiled(r"[ \t]*<!--(.*?)-->[ \t]*\r?", re.DOTALL)
_SEPARATORS = compiled(r"[\s,]+")


def parse_directive(body: str, start: int, end: int, line: int) -> Directive | None:
    """A Directive from a comment's inner text, or None when it is an ordinary comment."""
    match = _DIRECTIVE.match(body.strip())
    if match is None:
        near = _LOOKS_LIKE.match(body.strip())
        if near is None:
            return None
        return Directive(INVALID, (), near.group(0), start, end, line)
    action, rest = match.groups()
    codes_part, _, reason = rest.partition("--")
    codes = tuple(code.upper() for code in _SEPARATORS.split(codes_part.strip()) if code)
    return Directive(action, codes, " ".join(reason.split()), start, end, line)


def comment_line_body(line: str) -> str | None:
    """The inner text when a whole line is one `<!-- ... -->` comment, else None."""
    match = _COMMENT_LINE.fullmatch(line)
    if match is None or "-->" in match.group(1):
        return None
    return match.group(1)
