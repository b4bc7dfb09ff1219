"""Changed-lines gating (`check --diff REF`): keep only findings on lines changed since REF.

REF is compared with the working tree (`git diff --unified=0 REF --`, staged and unstaged
edits included). A finding is kept when its line range touches an added or changed line.
New files (added since REF, or untracked) keep every finding. Whole-document findings (DISC)
are kept when the file changed at all, since any edit may be the one that removed a
disclosure.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from claimaudit.errors import ClaimAuditError
from claimaudit.findings.model import Family, Finding

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class DiffError(ClaimAuditError):
    """`--diff` cannot be applied: no git, not a repository, unknown revision."""

    code = "DF100"


@dataclass(frozen=True, slots=True)
class FileChanges:
    """How one file differs from REF."""

    is_new: bool = False
    changed: bool = False  # any difference at all, deletions and mode changes included
    lines: frozenset[int] = frozenset()  # 1-based lines added or changed in the working tree

    def keeps(self, finding: Finding) -> bool:
        if self.is_new:
            return True
        if finding.is_document_level or finding.family is Family.DISC:
            return self.changed
        return any(line in self.lines for line in range(finding.span.line, finding.span.end_line + 1))


NEW_FILE = FileChanges(is_new=True, changed=True)
UNCHANGED = FileChanges()


def parse_diff(text: str) -> dict[str, FileChanges]:
    """Per new-side path (repo-relative, POSIX), what `git diff --unified=0` says changed."""
    result: dict[str, FileChanges] = {}
    current: str | None = None
    is_new = False
    lines: set[int] = set()

    def flush() -> None:
        if current is not None:
            result[current] = FileChanges(is_new=is_new, changed=True, lines=frozenset(lines))

    for raw in text.splitlines():
        if raw.startswith("diff --git "):
            flush()
            current, is_new, lines = _path_from_header(raw), False, set()
        elif raw.startswith("new file mode"):
            is_new = True
        elif raw.startswith("rename to "):
            current = _unquote(raw[len("rename to "):])
        elif raw.startswith("+++ "):
            target = raw[4:].split("\t", 1)[0]
            current = None if target == "/dev/null" else _unquote(target).removeprefix("b/")
        elif raw.startswith("@@"):
            match = _HUNK.match(raw)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                lines.update(range(start, start + count))
    flush()
    return result


def _path_from_header(line: str) -> str | None:
    """The b/ path of a `diff --git a/x b/x` line, when it is unambiguous."""
    rest = line[len("diff --git "):]
    if rest.startswith('"'):
        return None  # quoted names: the +++ or 'rename to' line will say
    half = len(rest) // 2
    if rest[half] == " " and rest[:half].removeprefix("a/") == rest[half + 1:].removeprefix("b/"):
        return rest[half + 1:].removeprefix("b/")
    return None


def _unquote(name: str) -> str:
    """Undo git's C-style quoting of unusual file names."""
    if not (name.startswith('"') and name.endswith('"')):
        return name
    body = name[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return body.encode("latin-1").decode("utf-8", "replace")


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", check=False)
    except FileNotFoundError:
        raise DiffError("--diff needs git, and git is not installed", code="DF103") from None


def repository_root(path: Path) -> Path:
    """The top of the git work tree holding `path` (DF101 when there is none)."""
    path = path.absolute()
    directory = path if path.is_dir() else path.parent
    while not directory.exists():
        directory = directory.parent
    done = _git(["rev-parse", "--show-toplevel"], directory)
    if done.returncode != 0:
        raise DiffError(f"--diff: {path} is not inside a git repository", code="DF101")
    return Path(done.stdout.strip()).absolute()


def repository_changes(root: Path, ref: str) -> dict[Path, FileChanges]:
    """Absolute path -> FileChanges for every file that differs from `ref` in one repository."""
    if ".." not in ref:
        known = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
        if known.returncode != 0:
            raise DiffError(f"--diff: unknown git revision '{ref}' in {root}", code="DF102")
    done = _git(["-c", "core.quotepath=off", "diff", "--unified=0", "--no-color", "--no-ext-diff",
                 "--no-textconv", "--find-renames", "--src-prefix=a/", "--dst-prefix=b/", ref, "--"], root)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["git diff failed"])[0]
        raise DiffError(f"--diff: git diff {ref} failed in {root}: {reason}", code="DF102")
    changes = {root / name: entry for name, entry in parse_diff(done.stdout).items()}
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for name in untracked.stdout.split("\0"):
        if name:
            changes[root / name] = NEW_FILE
    return changes


def changes_for(paths: Iterable[Path], ref: str) -> Mapping[Path, FileChanges]:
    """FileChanges for each of `paths` (absolute keys), one `git diff` per repository."""
    by_root: dict[Path, dict[Path, FileChanges]] = {}
    result: dict[Path, FileChanges] = {}
    for path in paths:
        absolute = path.absolute()
        root = repository_root(absolute)
        if root not in by_root:
            by_root[root] = {p.resolve(): c for p, c in repository_changes(root, ref).items()}
        result[absolute] = by_root[root].get(absolute.resolve(), UNCHANGED)
    return result


def keep_changed(findings: Iterable[Finding], changes: FileChanges) -> tuple[Finding, ...]:
    """The findings that `changes` keeps."""
    return tuple(f for f in findings if changes.keeps(f))
