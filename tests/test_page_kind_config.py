"""The `page-kind` configuration key and the --page-kind option."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from claimaudit.cli import main
from claimaudit.config import read_config, settings_from_config
from claimaudit.errors import ConfigError

ABSTRACT = ("Original Research\n\nBackground\nPanic disorder is common.\n\nMethods\nAdults received ketamine.\n\n"
            "Results\nKetamine infusions relieve panic attacks quickly. Ketamine calms panic disorder for weeks. "
            "Ketamine infusions work for panic disorder.\n")


def test_page_kind_key_sets_the_setting(tmp_path: Path):
    path = tmp_path / ".claimaudit.toml"
    path.write_text('page-kind = "informational"\n', encoding="utf-8")
    assert settings_from_config(read_config(path)).page_kind == "informational"


def test_page_kind_key_rejects_other_values(tmp_path: Path):
    path = tmp_path / ".claimaudit.toml"
    path.write_text('page-kind = "marketing"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert caught.value.code == "CF102" and "page-kind" in caught.value.format_message()


def test_configured_kind_decides_disc(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "abstract.txt").write_text(ABSTRACT, encoding="utf-8")
    auto = CliRunner().invoke(main, ["check", "--select", "DISC001", "abstract.txt"])
    assert "DISC001" not in auto.output
    (tmp_path / ".claimaudit.toml").write_text('page-kind = "promotional"\n', encoding="utf-8")
    forced = CliRunner().invoke(main, ["check", "--select", "DISC001", "abstract.txt"])
    assert "DISC001" in forced.output and "set by configuration" in forced.output
    back = CliRunner().invoke(main, ["check", "--select", "DISC001", "--page-kind", "auto", "abstract.txt"])
    assert "DISC001" not in back.output
