"""Citation markers resolve to the page's reference list and to knowledge-base studies."""

from __future__ import annotations


PAGE = """Ketamine and social anxiety
A crossover trial found ketamine reduced social anxiety scores [1].
An open pilot reported rapid relief (Glue et al., 2017).
Another claim cites a missing source [7].
References
[1] Taylor JH, et al. Ketamine for Social Anxiety Disorder: A Randomized, Placebo-Controlled Crossover Trial. Neuropsychopharmacology. 2018;43(2):325-333.
"""


def test_numbered_marker_resolves_to_reference_and_study(audit):  # type: ignore[no-untyped-def]
    result = audit(PAGE)
    markers = {c.text: c for claim in result.claims for c in claim.citations}
    assert markers["[1]"].reference is not None
    assert markers["[1]"].study_id == "taylor2018"
    assert markers["[7]"].reference is None


def test_author_year_marker_matches_study_and_author(audit):  # type: ignore[no-untyped-def]
    result = audit(PAGE)
    marker = next(c for claim in result.claims for c in claim.citations if c.kind == "author_year")
    assert marker.study_id == "glue2017"
    assert marker.author_matches is True
    assert marker.year_matches is True


def test_misspelled_author_still_finds_the_study(audit):  # type: ignore[no-untyped-def]
    result = audit("Real-world data were encouraging (Hietamis et al., 2023).")
    marker = next(c for claim in result.claims for c in claim.citations)
    assert marker.study_id == "hietamies2023"


def test_reference_list_lines_are_not_claims(audit):  # type: ignore[no-untyped-def]
    result = audit(PAGE)
    assert not any("Neuropsychopharmacology. 2018" in c.text for c in result.claims)


def test_inline_links_become_link_citations(audit):  # type: ignore[no-untyped-def]
    text = "# Ketamine\n\nKetamine relieved social anxiety in a small trial ([study](https://pubmed.ncbi.nlm.nih.gov/28849779/)).\n"
    result = audit(text, media_type="text/markdown")
    links = [c for claim in result.claims for c in claim.citations if c.kind == "link" and c.text.startswith("http")]
    assert links and links[0].text == "https://pubmed.ncbi.nlm.nih.gov/28849779/"
    assert links[0].study_id == "taylor2018"  # PMID 28849779 in the knowledge base


def test_a_claim_without_a_named_substance_is_about_the_previous_sentence_subject(audit):  # type: ignore[no-untyped-def]
    text = (
        "Ketamine has been used in anaesthesia for decades.\n"
        "Esketamine (Spravato) is a nasal spray made from one form of ketamine. "
        "In the US it is approved for adults with treatment-resistant depression.\n"
    )
    result = audit(text)
    claim = next(c for c in result.claims if c.text.startswith("In the US it is approved"))
    # "it" becomes an inferred mention of the previous sentence's subject
    assert [(m.entity_id, m.text) for m in claim.mentions if m.kind == "substance"] == [("esketamine", "it")]
    assert claim.subject_substances == ("esketamine",)
    assert not any(f.code == "REG001" for f in result.findings)


def test_a_study_named_by_description_is_identified(audit):  # type: ignore[no-untyped-def]
    result = audit(
        "Ketamine and social anxiety\n"
        "A 2018 randomized trial found that ketamine lowered social anxiety scores.\n"
        "A 2021 study showed ketamine helps everyone.\n"
    )
    described, ambiguous = result.claims[-2], result.claims[-1]
    assert described.studies == ("taylor2018",)
    # several 2021 studies of ketamine fit "a 2021 study": the description names none
    assert ambiguous.studies == ()


def test_reference_and_marker_texts_are_the_spans_text(nlp):  # type: ignore[no-untyped-def]
    """Texts are sliced from the doc's text: what `Span.text` joins from the tokens."""
    from claimaudit.claims.references import _text

    doc = nlp(PAGE + "\n  Smith  et al.\t2020 ; (Lee, 2019) [2-4]  \n")
    spans = [*doc.spans["references"], *doc.spans["citations"]]
    assert spans
    for span in spans:
        assert _text(span) == span.text
