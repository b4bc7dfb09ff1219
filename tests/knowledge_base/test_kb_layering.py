"""Layering user packs over the bundled base, the second domain pack, and the load cache."""

from __future__ import annotations

import importlib.resources
import pickle
from pathlib import Path

import pytest
from conftest import CORE_PACK, PSILOCYBIN_PACK
from kb_packs import SOURCE, PackWriter

from claimaudit.knowledge_base import load as load_module
from claimaudit.knowledge_base.load import bundled_root, load_knowledge_base
from claimaudit.knowledge_base.lookup import KnowledgeLookup
from claimaudit.knowledge_base.model import Grade

OVERRIDE_PACK = {
    "pack.yaml": "id: local\nname: Local overrides\nversion: '7'\n",
    "assessments/ketamine-gad.yaml": (
        f"id: ketamine-gad\nsubstance: ketamine\nindication: gad\ngrade: insufficient\n"
        f"summary: local reviewers disagree\n{SOURCE}\n"
    ),
}


def test_bundled_root_is_a_package_resource() -> None:
    root = bundled_root()
    assert root.joinpath("ketamine", "pack.yaml").is_file()
    assert str(importlib.resources.files("claimaudit")) in str(root)


def test_user_pack_overrides_same_id(write_pack: PackWriter) -> None:
    pack = write_pack("local", OVERRIDE_PACK, base=None)
    kb = load_knowledge_base([pack], cache=False)
    lookup = KnowledgeLookup(kb)
    assert lookup.assessment_for("ketamine", "gad").grade is Grade.INSUFFICIENT  # type: ignore[union-attr]
    assert kb.origins["ketamine-gad"] == f"{pack}/assessments/ketamine-gad.yaml"
    assert kb.version.endswith("+local@7") and "ketamine@" in kb.version
    assert len(kb.assessments) == len(load_knowledge_base(cache=False).assessments)


def test_override_must_keep_the_kind(write_pack: PackWriter) -> None:
    pack = write_pack(
        "local",
        {
            "pack.yaml": "id: local\nname: L\nversion: '1'\n",
            "studies/clash.yaml": f"id: ketamine\ncitation: x\nauthors: [X]\nyear: 2020\ndoi: 10.1000/x\n"
            f"design: rct\nsource_kind: journal_article\n{SOURCE}\n",
        },
        base=None,
    )
    with pytest.raises(Exception, match=r"KB103 .*\[ketamine\]: duplicate id"):
        load_knowledge_base([pack], cache=False)


def test_psilocybin_pack_adds_a_domain_as_data() -> None:
    kb = load_knowledge_base([PSILOCYBIN_PACK], cache=False)
    lookup = KnowledgeLookup(kb)
    assert lookup.resolve_name("substance", "magic mushrooms") == "psilocybin"
    answer = lookup.approval_status("psilocybin", "trd", ["fda"])
    # The pack's FDA rows are unverified: kept for `kb audit`, out of judgements.
    assert answer.status == "unknown" and "psilocybin-trd-fda" in kb.unverified
    assert lookup.assessment_for("psilocybin", "trd") is not None
    assert lookup.assessment_for("psilocybin", "trd").grade is Grade.MODERATE  # type: ignore[union-attr]
    assert lookup.find_study("Goodwin et al., 2022")[0].id == "goodwin2022"  # type: ignore[index]
    assert {ae.name for ae in lookup.adverse_effects_for("psilocybin")} >= {"headache", "nausea"}
    # ketamine data are untouched and not mixed in
    assert "ae-dysgeusia" not in {ae.id for ae in lookup.adverse_effects_for("psilocybin")}


def test_psilocybin_pack_stands_on_core_alone() -> None:
    kb = load_knowledge_base([CORE_PACK, PSILOCYBIN_PACK], bundled=False, cache=False)
    assert "ketamine" not in kb.substances and "psilocybin" in kb.substances
    assert kb.version == "core@2026.11.22+psilocybin@2026.11.22"


def test_psilocybin_example_page_names_known_entities() -> None:
    kb = load_knowledge_base([PSILOCYBIN_PACK], cache=False)
    page = PSILOCYBIN_PACK.parents[1] / "psilocybin-page.md"
    text = " ".join(page.read_text(encoding="utf-8").lower().split())
    phrases = {e.entity_id for e in KnowledgeLookup(kb).lexicon() if e.phrase.lower() in text}
    assert {"psilocybin", "fda", "trd"} <= phrases


def test_cache_is_written_and_reused(
    write_pack: PackWriter, _private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = write_pack()
    first = load_knowledge_base([pack], bundled=False)
    assert len(list(_private_cache.glob("kb-*.pickle"))) == 1

    def no_build(*_a: object, **_k: object) -> None:
        raise AssertionError("cache miss: the base was rebuilt")

    monkeypatch.setattr(load_module, "build_knowledge_base", no_build)
    second = load_knowledge_base([pack], bundled=False)
    assert second == first and second.content_hash == first.content_hash


def test_cache_invalidated_when_a_file_changes(
    write_pack: PackWriter, _private_cache: Path
) -> None:
    pack = write_pack()
    first = load_knowledge_base([pack], bundled=False)
    target = pack / "substances" / "drugx.yaml"
    target.write_text(target.read_text().replace("aliases: [dx]", "aliases: [dx, drug-x]"))
    second = load_knowledge_base([pack], bundled=False)
    assert second.content_hash != first.content_hash
    assert second.substances["drugx"].aliases == ("dx", "drug-x")
    assert len(list(_private_cache.glob("kb-*.pickle"))) == 2


def test_invalid_change_is_reported_even_with_a_cache(write_pack: PackWriter) -> None:
    pack = write_pack()
    load_knowledge_base([pack], bundled=False)
    (pack / "substances" / "drugx.yaml").write_text("id: drugx\nname: drugx\n")
    with pytest.raises(Exception, match="'sources' is a required property"):
        load_knowledge_base([pack], bundled=False)


def test_corrupt_or_unwritable_cache_is_ignored(
    write_pack: PackWriter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _private_cache: Path
) -> None:
    pack = write_pack()
    load_knowledge_base([pack], bundled=False)
    for cached in _private_cache.glob("kb-*.pickle"):
        cached.write_bytes(b"not a pickle")
    assert "drugx" in load_knowledge_base([pack], bundled=False).substances
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("CLAIMAUDIT_CACHE_DIR", str(blocker / "sub"))
    assert "drugx" in load_knowledge_base([pack], bundled=False).substances


def test_cache_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CLAIMAUDIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert load_module.cache_dir() == tmp_path / "claimaudit"


def test_records_survive_pickling(bundled_kb) -> None:  # type: ignore[no-untyped-def]
    assert pickle.loads(pickle.dumps(bundled_kb)) == bundled_kb
