"""Malformed knowledge must fail loudly, naming file, entry and field."""

from __future__ import annotations

import textwrap

import pytest
from kb_packs import SOURCE, PackWriter

from claimaudit.errors import KnowledgeBaseError
from claimaudit.knowledge_base.load import load_knowledge_base

CASES = [
    pytest.param(
        {"substances/drugy.yaml": "id: drugy\nname: drugy\n"},
        "KB102 {pack}/substances/drugy.yaml [drugy] /: 'sources' is a required property",
        id="missing-sources",
    ),
    pytest.param(
        {
            "substances/drugy.yaml": "id: drugy\nname: drugy\nsources: [{kind: paper, checked: 2026-11-22, note: x}]\n"
        },
        "KB102 {pack}/substances/drugy.yaml [drugy] /sources/0: a source needs at least one of pmid, doi, pmcid or url",
        id="source-without-link",
    ),
    pytest.param(
        {"substances/drugy.yaml": "id: drugy\nname: drugy\nsources: [{url: 'https://x.org'}]\n"},
        "KB102 {pack}/substances/drugy.yaml [drugy] /sources/0: 'checked' is a required property",
        id="missing-checked-date",
    ),
    pytest.param(
        {
            "substances/drugy.yaml": "id: drugy\nname: drugy\nsources: [{url: 'https://x.org', checked: 22/11/2026}]\n"
        },
        "KB102 {pack}/substances/drugy.yaml [drugy] /sources/0/checked: '22/11/2026' does not match",
        id="checked-not-iso",
    ),
    pytest.param(
        {
            "assessments/g.yaml": f"id: g1\nsubstance: drugx\nindication: cond\ngrade: strong\nsummary: x\n{SOURCE}\n"
        },
        "KB102 {pack}/assessments/g.yaml [g1] /grade: 'strong' is not one of: established, moderate,",
        id="bad-grade-enum",
    ),
    pytest.param(
        {"substances/drugy.yaml": f"id: drugy\nname: drugy\ncolour: blue\n{SOURCE}\n"},
        "KB102 {pack}/substances/drugy.yaml [drugy] /: Additional properties are not allowed "
        "('colour' was unexpected); allowed keys: id, name, aliases",
        id="unknown-key",
    ),
    pytest.param(
        {
            "studies/s1.yaml": textwrap.dedent(f"""\
            id: s1
            citation: Smith A. 2020.
            authors: [Smith]
            year: 2020
            pmid: 123
            design: rct
            source_kind: journal_article
            outcomes: [{{measure: response, value: abc}}]
            {SOURCE}
            """)
        },
        "KB102 {pack}/studies/s1.yaml [s1] /outcomes/0/value: 'abc' is not of type 'number'",
        id="wrong-type",
    ),
    pytest.param(
        {
            "studies/s1.yaml": f"id: s1\ncitation: x\nauthors: [A]\nyear: 2020\ndesign: rct\nsource_kind: journal_article\n{SOURCE}\n",
            "assessments/g.yaml": None,
        },
        "KB102 {pack}/studies/s1.yaml [s1] /: a study needs at least one of pmid, doi or url",
        id="study-without-identifier",
    ),
    pytest.param(
        {"substances/again.yaml": f"id: drugx\nname: other drug\n{SOURCE}\n"},
        "KB103 {pack}/substances/drugx.yaml [drugx]: duplicate id (also in {pack}/substances/again.yaml)",
        id="duplicate-id",
    ),
    pytest.param(
        {"indications/other.yaml": f"id: drugx\nname: other\n{SOURCE}\n"},
        "KB103 {pack}/substances/drugx.yaml [drugx]: duplicate id (also in {pack}/indications/other.yaml)",
        id="duplicate-id-across-kinds",
    ),
    pytest.param(
        {
            "approvals/a.yaml": f"- id: a1\n  substance: drugx\n  indication: nope\n  regulator: reg\n  status: approved\n  {SOURCE}\n"
        },
        "KB104 {pack}/approvals/a.yaml [a1] /indication: unknown indication id 'nope'",
        id="dangling-reference",
    ),
    pytest.param(
        {
            "assessments/g.yaml": f"id: g1\nsubstance: drugx\nindication: cond\ngrade: moderate\nsummary: x\nstudies: [s1, s9]\n{SOURCE}\n"
        },
        "KB104 {pack}/assessments/g.yaml [g1] /studies/1: unknown study id 's9'",
        id="dangling-study",
    ),
    pytest.param(
        {"substances/drugy.yaml": f"id: drugy\nname: drugy\naliases: [DX]\n{SOURCE}\n"},
        "KB105 {pack}/substances/drugy.yaml [drugy] /aliases: 'DX' is already a name of 'drugx'",
        id="alias-claimed-twice",
    ),
    pytest.param(
        {"indications/cond.yaml": f"id: cond\nname: condition\nparent: subcond\n{SOURCE}\n"},
        "KB107 {pack}/indications/cond.yaml [cond] /parent: parent chain loops: cond -> subcond -> cond",
        id="parent-cycle",
    ),
    pytest.param(
        {
            "assessments/h.yaml": f"id: g2\nsubstance: drugx\nindication: cond\ngrade: moderate\nsummary: x\n{SOURCE}\n"
        },
        "KB108 {pack}/assessments/h.yaml [g2]: assessments for drugx x cond already given by 'g1'",
        id="duplicate-assessment-pair",
    ),
    pytest.param(
        {"substances/bad.yaml": "id: bad\nname: [unclosed\n"},
        "KB101 {pack}/substances/bad.yaml:3:1: invalid YAML:",
        id="broken-yaml",
    ),
    pytest.param(
        {"drugs/x.yaml": "id: x\n"},
        "KB106 {pack}/drugs: unknown folder or file; allowed folders: substances, indications",
        id="unknown-folder",
    ),
    pytest.param(
        {"pack.yaml": None},
        "KB106 {pack}: no pack.yaml found",
        id="missing-pack-file",
    ),
    pytest.param(
        {"substances/empty.yaml": ""},
        "KB102 {pack}/substances/empty.yaml: empty file",
        id="empty-file",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_load_malformed_pack_names_the_place(
    write_pack: PackWriter, files: dict[str, str | None], expected: str
) -> None:
    pack = write_pack(files=files)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base([pack], bundled=False, cache=False)
    message = caught.value.format_message()
    assert expected.format(pack=pack) in message, message


def test_load_minimal_pack_is_valid(write_pack: PackWriter) -> None:
    kb = load_knowledge_base([write_pack()], bundled=False, cache=False)
    assert set(kb.substances) == {"drugx"}
    assert kb.studies["s1"].outcomes[0].value == 40.0
    assert kb.studies["s1"].pmid == "123"


def test_load_reports_every_problem_not_just_the_first(write_pack: PackWriter) -> None:
    pack = write_pack(
        files={
            "substances/a.yaml": "id: a\nname: a\n",
            "substances/b.yaml": "id: b\nname: b\n",
        }
    )
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base([pack], bundled=False, cache=False)
    lines = caught.value.format_message().splitlines()
    assert [line.split()[2] for line in lines] == ["[a]", "[b]"]
    assert caught.value.exit_code == 2


def test_load_missing_directory_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KnowledgeBaseError, match="knowledge directory not found"):
        load_knowledge_base([tmp_path / "nope"], bundled=False)


def test_adverse_effect_name_may_repeat_for_other_substances(write_pack: PackWriter) -> None:
    pack = write_pack(
        files={
            "substances/drugy.yaml": f"id: drugy\nname: drugy\n{SOURCE}\n",
            "adverse_effects/ae1.yaml": f"id: ae1\nname: headache\nsubstances: [drugx]\n{SOURCE}\n",
            # same name for a different substance is fine ...
            "adverse_effects/ae2.yaml": f"id: ae2\nname: Headache\nsubstances: [drugy]\n{SOURCE}\n",
        }
    )
    load_knowledge_base([pack], bundled=False, cache=False)
    # ... but not twice for the same substance
    (pack / "adverse_effects/ae3.yaml").write_text(
        f"id: ae3\nname: headache\nsubstances: [drugx]\n{SOURCE}\n", encoding="utf-8"
    )
    with pytest.raises(
        KnowledgeBaseError, match="KB105 .*'headache' is already a name of 'ae1' for drugx"
    ):
        load_knowledge_base([pack], bundled=False, cache=False)
