import subprocess
from pathlib import Path

import pytest

from claimaudit.gate.diff import DiffError, FileChanges, changes_for, keep_changed, parse_diff
from claimaudit.findings.model import Family, Finding, Severity, SourceSpan

SAMPLE = """\
diff --git a/docs/a.md b/docs/a.md
index 1111111..2222222 100644
--- a/docs/a.md
+++ b/docs/a.md
@@ -2 +2 @@ heading
-old
+new
@@ -10,0 +11,3 @@
+x
+y
+z
@@ -20,2 +22,0 @@
-gone
-gone
diff --git a/new file.md b/new file.md
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/new file.md\t
@@ -0,0 +1,2 @@
+one
+two
diff --git a/only-deletes.md b/only-deletes.md
--- a/only-deletes.md
+++ b/only-deletes.md
@@ -3 +2,0 @@
-x
diff --git a/removed.md b/removed.md
deleted file mode 100644
--- a/removed.md
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/old.md b/renamed.md
similarity index 100%
rename from old.md
rename to renamed.md
diff --git "a/caf\\303\\251.md" "b/caf\\303\\251.md"
--- "a/caf\\303\\251.md"
+++ "b/caf\\303\\251.md"
@@ -1 +1 @@
-a
+b
"""


def test_parse_diff_lines_new_files_renames_and_quoting():
    changes = parse_diff(SAMPLE)
    assert changes["docs/a.md"] == FileChanges(False, True, frozenset({2, 11, 12, 13}))
    assert changes["new file.md"].is_new and changes["new file.md"].lines == {1, 2}
    assert changes["only-deletes.md"] == FileChanges(False, True, frozenset())
    assert "removed.md" not in changes
    assert changes["renamed.md"] == FileChanges(False, True, frozenset())
    assert changes["café.md"].lines == {1}


def finding(line: int, end_line: int | None = None, *, family: Family = Family.SAFE, whole: bool = False) -> Finding:
    span = SourceSpan(0, 1, line, 1, end_line or line, 2)
    return Finding("DISC001" if whole else "SAFE001", Family.DISC if whole else family, Severity.ERROR, span, "t", "m",
                   omits="side_effects" if whole else None)


def test_keep_changed_by_line_range_and_document_level_rule():
    changes = FileChanges(False, True, frozenset({5}))
    kept = keep_changed([finding(4), finding(3, 5), finding(6), finding(1, whole=True)], changes)
    assert [(f.span.line, f.code) for f in kept] == [(3, "SAFE001"), (1, "DISC001")]
    untouched = FileChanges()
    assert keep_changed([finding(1), finding(1, whole=True)], untouched) == ()
    new = FileChanges(is_new=True, changed=True)
    assert len(keep_changed([finding(1), finding(9, whole=True)], new)) == 2


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                          capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "a.md").write_text("one\ntwo\nthree\n")
    (root / "b.md").write_text("same\n")
    (root / "c.md").write_text("keep\ndrop\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    (root / "a.md").write_text("one\nTWO\nthree\n")
    (root / "c.md").write_text("keep\n")
    (root / "d.md").write_text("untracked\n")
    (root / "e.md").write_text("staged\n")
    git(root, "add", "e.md")
    return root


@pytest.mark.slow
def test_changes_for_a_scratch_repository(repo: Path):
    names = ["a.md", "b.md", "c.md", "d.md", "e.md"]
    changes = changes_for([repo / name for name in names], "HEAD")
    a, b, c, d, e = (changes[(repo / name).absolute()] for name in names)
    assert a == FileChanges(False, True, frozenset({2}))
    assert b == FileChanges()
    assert c.changed and not c.lines and not c.is_new
    assert d.is_new and e.is_new


@pytest.mark.slow
def test_unknown_revision_is_a_clear_error(repo: Path):
    with pytest.raises(DiffError) as caught:
        changes_for([repo / "a.md"], "no-such-branch")
    assert caught.value.format_message() == f"DF102 --diff: unknown git revision 'no-such-branch' in {repo}"


@pytest.mark.slow
def test_outside_a_repository_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    lonely = tmp_path / "lonely" / "page.md"
    lonely.parent.mkdir()
    lonely.write_text("x\n")
    with pytest.raises(DiffError) as caught:
        changes_for([lonely], "HEAD")
    assert caught.value.format_message() == f"DF101 --diff: {lonely} is not inside a git repository"
