"""Hostile YAML in a knowledge pack: refused with KB101 in bounded time and memory."""

from __future__ import annotations

import time

import pytest
from kb_packs import SOURCE, PackWriter

from claimaudit.errors import KnowledgeBaseError
from claimaudit.knowledge_base import load as load_module
from claimaudit.knowledge_base.load import load_knowledge_base


def _alias_bomb(levels: int = 9) -> str:
    lines = ["- &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        lines.append(f"- &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _load_error(write_pack: PackWriter, files: dict[str, str]) -> str:
    pack = write_pack(files=files)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base([pack], bundled=False, cache=False)
    return caught.value.format_message()


def test_alias_bomb_is_refused_quickly(write_pack: PackWriter) -> None:
    started = time.perf_counter()
    message = _load_error(write_pack, {"studies/bomb.yaml": _alias_bomb()})
    assert time.perf_counter() - started < 5  # 9**9 values unexpanded: minutes and gigabytes
    assert "KB101" in message and "bomb.yaml" in message and "aliases" in message


def test_self_referencing_alias_is_refused(write_pack: PackWriter) -> None:
    message = _load_error(write_pack, {"studies/loop.yaml": "- &x [*x]\n"})
    assert "KB101" in message and "loop.yaml" in message


def test_oversized_file_is_refused(write_pack: PackWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 100)
    message = _load_error(write_pack, {"substances/big.yaml": f"id: big\nname: big\n{SOURCE}\n" + "#" * 200})
    assert "KB101" in message and "over the limit of 100" in message


def test_ordinary_aliases_still_load(write_pack: PackWriter) -> None:
    files = {"substances/drugy.yaml": f"id: &name drugy\nname: *name\n{SOURCE}\n"}
    pack = write_pack(files=files)
    kb = load_knowledge_base([pack], bundled=False, cache=False)
    assert "drugy" in kb.substances


@pytest.mark.parametrize("value", ["0000-00-00", "2026-02-30", "2026-13-01"])
def test_impossible_dates_are_kb101_not_a_crash(write_pack: PackWriter, value: str) -> None:
    message = _load_error(write_pack, {"substances/bad.yaml": f"id: bad\nname: bad\nreviewed: {value}\n{SOURCE}\n"})
    assert "KB101" in message and "bad.yaml" in message and "invalid YAML value" in message
