"""The Python API behaves like the command line: suppressions apply, bad selectors are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimaudit
from claimaudit.errors import ConfigError
from claimaudit.settings import Settings

SUPPRESSED = "<!-- claimaudit-disable-next-line SAFE001 -- quoted from the label -->\nKetamine is proven safe.\n"


def test_audit_text_applies_inline_suppressions(auditor) -> None:  # type: ignore[no-untyped-def]
    plain = claimaudit.audit_text("Ketamine is proven safe.\n", media_type="text/markdown", auditor=auditor)
    assert "SAFE001" in {f.code for f in plain.findings}
    document = claimaudit.audit_text(SUPPRESSED, media_type="text/markdown", auditor=auditor)
    assert "SAFE001" not in {f.code for f in document.findings}
    assert document.suppressed >= 1


def test_audit_paths_applies_inline_suppressions(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(SUPPRESSED, encoding="utf-8")
    result = claimaudit.audit_paths([page])
    assert "SAFE001" not in {f.code for f in result.findings}
    assert result.documents[0].suppressed >= 1


@pytest.mark.parametrize("field", ["select", "ignore"])
def test_unknown_selector_in_settings_is_cf105(field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        claimaudit.Auditor(Settings(**{field: ("SAFE9",)}))
    assert caught.value.code == "CF105" and "SAFE9" in caught.value.message


def test_known_selectors_are_accepted() -> None:
    chosen = claimaudit.Auditor(Settings(select=("SAFE", "SUP", "DISC001"))).rules
    assert {m.rule.code for m in chosen} >= {"SAFE001", "DISC001"}


def test_package_is_marked_typed() -> None:
    assert (Path(claimaudit.__file__).parent / "py.typed").is_file()
