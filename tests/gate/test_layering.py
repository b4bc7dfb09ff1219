"""The finding model sits below the rules; the gate sits above them."""

import ast
from pathlib import Path

import claimaudit

PACKAGE = Path(claimaudit.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _claimaudit_imports(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        found |= {m for m in _imported_modules(path) if m.startswith("claimaudit")}
    return found


def test_finding_model_imports_nothing_above_it() -> None:
    imports = _claimaudit_imports(PACKAGE / "findings")
    assert imports <= {"claimaudit.findings", "claimaudit.findings.model"}, imports


def test_findings_package_holds_only_the_model() -> None:
    modules = {p.stem for p in (PACKAGE / "findings").glob("*.py")}
    assert modules == {"__init__", "model"}


def test_rules_and_nlp_never_import_the_gate() -> None:
    for layer in ("rules", "nlp", "claims", "ingest", "knowledge_base"):
        imports = _claimaudit_imports(PACKAGE / layer)
        assert not {m for m in imports if m.startswith("claimaudit.gate")}, layer


def test_public_api_unchanged() -> None:
    from claimaudit import Auditor, Finding, Severity, audit_paths, audit_text

    assert Finding.__module__ == "claimaudit.findings.model"
    assert Severity.ERROR.rank == 3
    assert callable(audit_text) and callable(audit_paths) and Auditor
