"""spaCy imported after claimaudit skips its command line, which still imports and works later."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Ketamine is a proven cure for depression with no side effects.\n"
CLI_MODULES = ("spacy.cli", "typer", "weasel", "requests")


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CLAIMAUDIT_NO_DAEMON": "1", "PYTHONPATH": str(ROOT)}
    environment.pop("CLAIMAUDIT_SPACY_CLI", None)
    environment.update(env)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                          cwd=ROOT, timeout=300, input=TEXT)
    assert done.returncode in (0, 1), done.stderr
    return done


def test_spacy_imports_without_its_command_line_which_still_loads_on_demand() -> None:
    code = f"""
import json, sys
import claimaudit.cli, spacy
from claimaudit import spacy_import
report = {{"loaded": [m for m in {CLI_MODULES!r} if m in sys.modules],
           "finder_left": spacy_import._FINDER in sys.meta_path,
           "own_loader": type(spacy.__loader__).__name__ == type(spacy.__spec__.loader).__name__ == "SourceFileLoader",
           "blank": [t.text for t in spacy.blank("en")("It works, doesn't it?")]}}
import spacy.cli
from spacy.cli.info import info
report["real_cli"] = spacy.cli.__file__.endswith("cli/__init__.py") and spacy.cli.info is info
report["app"] = type(spacy.cli.app).__name__
report["info"] = sorted(spacy.info(silent=True))[:3] == sorted(info(silent=True))[:3]
print(json.dumps(report))
"""
    report = json.loads(_python(code).stdout)
    assert report["loaded"] == [] and report["finder_left"] is False and report["own_loader"] is True
    assert report["blank"] == ["It", "works", ",", "does", "n't", "it", "?"]
    assert report["real_cli"] is True and report["app"] == "Typer" and report["info"] is True


def test_spacy_cli_as_an_attribute_is_imported_when_first_read() -> None:
    code = "import claimaudit.cli, spacy; print(spacy.cli.download.__module__, 'typer' in __import__('sys').modules)"
    assert _python(code).stdout.split() == ["spacy.cli.download", "True"]


def test_nothing_changes_when_spacy_came_first_or_when_turned_off() -> None:
    code = "import sys, spacy, claimaudit.cli; from claimaudit import spacy_import as s; print('spacy.cli' in sys.modules, s._FINDER in sys.meta_path)"
    assert _python(code).stdout.split() == ["True", "False"]
    code = "import sys, claimaudit.cli, spacy; print('spacy.cli' in sys.modules)"
    assert _python(code, CLAIMAUDIT_SPACY_CLI="1").stdout.split() == ["True"]


def test_a_library_import_of_claimaudit_leaves_spacy_s_import_alone() -> None:
    code = "import sys, claimaudit, claimaudit.audit; print('spacy.cli' in sys.modules, len(sys.meta_path))"
    plain = "import sys; print(True, len(sys.meta_path))"
    assert _python(code).stdout.split() == _python(plain).stdout.split()


def test_check_gives_the_same_report_with_and_without_spacy_cli() -> None:
    code = "import sys; sys.argv = ['claimaudit', 'check', '--no-config', '--format', 'json', '-']; from claimaudit.cli import main; main()"
    assert _python(code).stdout == _python(code, CLAIMAUDIT_SPACY_CLI="1").stdout != ""


def test_a_stand_in_asked_for_anything_but_info_gives_the_real_module_s_value() -> None:
    code = """
import sys
import claimaudit.cli, spacy
from claimaudit.spacy_import import _StandIns
stand_ins = _StandIns()
assert sys.modules["spacy.cli"] is stand_ins.modules["spacy.cli"]
app = stand_ins.modules["spacy.cli"].app
real = sys.modules["spacy.cli"]
print(type(app).__name__, real is not stand_ins.modules["spacy.cli"], real.app is app, "spacy.cli.info" in sys.modules)
"""
    assert _python(code).stdout.split() == ["Typer", "True", "True", "True"]
