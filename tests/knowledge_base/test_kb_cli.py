"""`claimaudit kb validate | show | search` through click's CliRunner."""

from __future__ import annotations

import re

from click.testing import CliRunner
from conftest import PSILOCYBIN_PACK
from kb_packs import PackWriter

from claimaudit.cli import main


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["kb", *args])


def test_validate_bundled_exits_zero_with_summary() -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("knowledge base OK: core@") and "(hash " in lines[0]
    counts = dict(line.split() for line in lines[1:])
    assert int(counts["studies"]) >= 40 and int(counts["approvals"]) >= 35


def test_validate_layered_pack() -> None:
    result = run("validate", str(PSILOCYBIN_PACK))
    assert result.exit_code == 0, result.output
    assert "+psilocybin@" in result.output


def test_validate_broken_pack_exits_two_with_precise_message(write_pack: PackWriter) -> None:
    pack = write_pack(files={"substances/drugy.yaml": "id: drugy\nname: drugy\n"})
    result = run("validate", "--no-bundled", str(pack))
    assert result.exit_code == 2
    assert (
        f"KB102 {pack}/substances/drugy.yaml [drugy] /: 'sources' is a required property"
        in result.output
    )


def test_validate_missing_dir_exits_two(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", "--knowledge", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "knowledge directory not found" in result.output


def test_show_prints_record_and_sources() -> None:
    result = run("show", "taylor2018")
    assert result.exit_code == 0
    assert result.output.startswith("# Study from knowledge/ketamine/studies/taylor2018.yaml")
    assert "definition: LSAS reduction greater than 35%" in result.output
    assert "sources:" in result.output and re.search(r"checked: \d{4}-\d{2}-\d{2}", result.output)
    assert "kind: paper" in result.output


def test_show_unknown_id_exits_two() -> None:
    result = run("show", "no-such-record")
    assert result.exit_code == 2 and "KB200 no record with id 'no-such-record'" in result.output


def test_search_ranks_names_and_citations() -> None:
    result = run("search", "Spravato")
    assert result.exit_code == 0
    first = result.output.splitlines()[0].split()
    assert first[1:3] == ["substances", "esketamine"]
    cited = run("search", "Hietamies")
    assert "hietamies2023" in cited.output.splitlines()[0]
