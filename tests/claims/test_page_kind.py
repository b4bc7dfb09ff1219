"""Page kind: promotional, informational or unknown, from cues in the text."""

from __future__ import annotations

from claimaudit.claims.page_kind import classify_page, cue_counts, forced_page_kind

CLINIC = """Ketamine Infusions for Anxiety | Harbourside Wellness

At Harbourside Wellness we offer IV ketamine infusions in a calm, private suite.
Our team will design a plan around your goals, and your first consultation is free.
Packages start at $450 per infusion, and we accept most insurance plans for the consultation.
Book a free consultation today or call us to find out if ketamine is right for you.
"""

ABSTRACT = """Original Research

Ketamine for treatment-refractory panic disorder: a randomised crossover pilot

Background
Panic disorder often fails to respond to first-line care.

Methods
We randomised 24 adults to ketamine or midazolam and measured panic severity at day 7.

Results
We found lower panic severity after ketamine than after midazolam.

Conclusions
Larger trials are needed. doi: 10.1016/j.example.2024.01.002
"""

NEWS = """Clinic offers ketamine to people with PTSD

By Maria Lopez, Health Correspondent

A new clinic in the city centre is offering ketamine to people with post-traumatic stress.
"It is not a cure-all," said Dr. Anil Mehta, a psychiatrist who was not involved with the clinic.
Researchers caution that the evidence is still limited, she said.
"""


def test_clinic_page_is_promotional_with_its_cues():
    page = classify_page(CLINIC)
    assert page.kind == "promotional"
    names = dict(page.cues)
    assert {"call_to_action", "price", "clinic_voice"} <= set(names)
    assert "call_to_action" in page.evidence()


def test_research_abstract_is_informational():
    page = classify_page(ABSTRACT)
    assert page.kind == "informational"
    assert dict(page.cues)["research_headings"] >= 2


def test_research_we_is_not_clinic_voice():
    assert "clinic_voice" not in cue_counts(ABSTRACT)


def test_news_report_is_informational():
    page = classify_page(NEWS)
    assert page.kind == "informational"
    assert "news" in dict(page.cues)


def test_plain_explainer_without_cues_is_unknown():
    page = classify_page("Ketamine is an anaesthetic. Some studies look at it for depression.\n")
    assert page.kind == "unknown" and page.promotional == 0 and page.informational == 0


def test_reference_list_dois_do_not_make_a_clinic_blog_informational():
    blog = CLINIC + "\n" + "\n".join(
        f"{i}. Author A, et al. Journal of Affective Disorders. 2021. doi:10.1016/j.jad.2021.0{i}.001"
        for i in range(1, 6)
    )
    assert classify_page(blog).kind == "promotional"


def test_configured_kind_overrides_detection():
    detected = classify_page(ABSTRACT)
    forced = forced_page_kind("promotional", detected)
    assert forced.kind == "promotional" and forced.forced
    assert "set by configuration" in forced.evidence()
    assert forced_page_kind("auto", detected) is detected


def test_health_media_report_on_a_clinic_is_informational():
    text = ("Ketamine clinics spread, but questions remain\n\nMedically reviewed by Dr. Ruth Okafor\n\n"
            "A private clinic in Bristol has opened its doors to people with severe depression, and similar "
            "clinics across the country report long waiting lists. The evidence is still limited.\n")
    page = classify_page(text)
    assert page.kind == "informational"
    assert {"institution_voice", "news"} <= set(dict(page.cues))


def test_facts_from_the_shared_page_haystack_are_the_facts(auditor) -> None:  # type: ignore[no-untyped-def]
    """Claim extraction builds the page's haystack once (with the mechanism words' literals)
    and hands it to `gather_facts`: the facts are those it gathers on its own."""
    from claimaudit.claims import extract
    from claimaudit.claims.facts import gather_facts
    from claimaudit.ingest import normalize, read_text

    for text in (CLINIC, ABSTRACT, NEWS, "Ketamine rewires the brain. Reviewed 3 March 2024."):
        document = normalize(read_text(text, path="page.md", media_type="text/markdown"))
        doc = auditor.nlp(document.text)
        claims, facts = extract.extract_claims(doc, document, auditor.lookup)
        references = extract.resolve_references(doc.spans["references"], auditor.lookup)
        markers = extract.resolve_citations(doc.spans["citations"], references, auditor.lookup, extract._links(document))
        assert facts == gather_facts(doc, document, claims, references, markers, auditor.lookup)


def test_calls_to_action_name_any_treatment_not_only_the_base_s() -> None:
    for line in ("Is TMS right for you? We can help.", "Find out if psilocybin could help you.",
                 "Find out if neurofeedback therapy suits you."):
        assert "call_to_action" in cue_counts(line) or "service_experience" in cue_counts(line), line
    assert not cue_counts("Researchers tried to find out why the drug works.")
    for warning in ("Ketamine is not right for you if you have uncontrolled high blood pressure.",
                    "Treatment is rarely right for you during pregnancy."):
        assert "service_experience" not in cue_counts(warning), warning  # a warning, not a sales line


def test_page_haystack_finds_the_cue_prefixes_and_decides_alike() -> None:
    """The page haystack also finds the cue patterns' longer prefixes in its one pass; the
    counts are those of a haystack that looks each prefix up on its own."""
    from claimaudit.claims.anchored import Haystack
    from claimaudit.claims.facts import page_haystack
    from claimaudit.claims.page_kind import _cues

    from claimaudit.claims.facts import _TOO_COMMON

    prefixes = {p for cue in _cues() for a in cue.anchored for p in a.prefixes or () if len(p) >= 3 and p.isascii()}
    assert {"our", "free", "schedule", "the"} <= prefixes
    for text in (CLINIC, ABSTRACT, NEWS, "Schedule your FREE visit. Our Clinic, our team.", "", "The leaflet; the Lancet"):
        shared = page_haystack(text)
        assert prefixes - _TOO_COMMON <= shared.universe
        assert cue_counts(text, shared) == cue_counts(text, Haystack(text)), text


def test_page_haystack_reads_the_components_page_pass_alike(nlp) -> None:  # type: ignore[no-untyped-def]
    """Once the page literals are shared with the components' page pass, a page haystack built
    after the pipeline ran on the page reads that pass's offsets: the ones its own pass finds."""
    from claimaudit.claims.anchored import Haystack
    from claimaudit.claims.facts import _page_literals, page_haystack
    from claimaudit.nlp import scan
    from claimaudit.nlp.literal_trie import Literals

    literals = _page_literals(("owl",))
    assert literals.universe <= scan._PAGE_LITERALS
    for text in (CLINIC, ABSTRACT, NEWS, "Schedule your free visit: three owls, one third of the data."):
        doc = nlp(text)  # the components scan the page
        assert scan.lower_text(doc) is not None
        assert scan.last_page_offsets(text.lower(), literals.universe) is not None
        shared = page_haystack(text, ("owl",))
        alone = Haystack(text, Literals([], literals.literals))
        assert shared._offsets == alone._offsets and shared.present == alone.present, text
        assert cue_counts(text, shared) == cue_counts(text, alone), text


def test_research_narration_with_find_out_if_is_no_call_to_action() -> None:
    assert "call_to_action" not in cue_counts("A 2019 trial set out to find out if patients could keep their gains.")
    assert "call_to_action" in cue_counts("Find out if esketamine could help you.")


def test_a_page_reader_registered_after_an_audit_is_asked_at_the_next_page(auditor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`facts.read_from_page` readers are asked again when one is added: a rule module imported
    after the first audit still finds its literals in the next page's haystack."""
    from claimaudit.claims import facts
    from claimaudit.ingest import read_text

    auditor.audit_source(read_text("A first page.\n", path="first.md", media_type="text/markdown"))
    monkeypatch.setattr(facts, "_PAGE_READERS", [*facts._PAGE_READERS])  # (restored after the test)
    facts.read_from_page(lambda: ("zzqxlate",))
    page = "Our clinic offers zzqxlate sessions to adults.\n"
    auditor.audit_source(read_text(page, path="next.md", media_type="text/markdown"))
    [haystack] = facts._last_page  # the page's, built by claim extraction
    assert haystack.text.strip() == page.strip()
    assert "zzqxlate" in haystack.universe and "zzqxlate" in haystack.present


def test_density_counts_words_only_as_far_as_needed():
    from claimaudit.claims.page_kind import dense

    for words in (0, 1, 10, 49, 50, 51, 99, 100, 101, 400):
        text = " ".join(["word"] * words) + "\n"
        for found in (1, 2, 5):
            for density in (20.0, 7.5, 0.0, 1000.0, -1.0, 1e-310, float("nan"), float("inf")):
                assert dense(text, found, density) == (1000 * found / max(len(text.split()), 1) >= density)


def _counts_by_findall(text):
    """`cue_counts` from its definition: each cue's matches (`findall`) on the page or its head."""
    from claimaudit.claims.page_kind import _cues

    counts = {}
    for cue in _cues():
        searched = text[: cue.head] if cue.head else text
        found = sum(len(pattern.findall(searched)) for pattern in cue.patterns)
        if cue.density is not None and found:
            found = int(1000 * found / max(len(text.split()), 1) >= cue.density)
        if found:
            counts[cue.name] = min(found, cue.cap)
    return counts


def test_cue_counts_with_the_page_haystack_are_the_findall_counts():
    from claimaudit.claims.anchored import Haystack
    from claimaudit.claims.facts import _page_literals

    pages = [
        "Book your free consultation today! Our team and our nurses will call you. We offer infusions.\n"
        "Prices from $300 per session; payment plans available. Your first visit takes an hour.",
        "Abstract\nBackground: a trial of a new drug.\nMethods: adults were randomised.\nResults\n"
        "Journal of Invented Medicine, vol. 3, issue 2. doi: 10.1234/abcd. We found no effect.",
        "Dr. Ann Smith, who leads the unit, said the clinic in Leeds has opened. Experts warn, "
        '"it is early," she said. At Harbour Health, we tailor care.',
        "",
        "you " * 30 + "and some other words here",
    ]
    for text in pages:
        expected = _counts_by_findall(text)
        assert cue_counts(text) == expected
        assert cue_counts(text, Haystack(text, _page_literals())) == expected
        assert cue_counts(text, Haystack(text)) == expected
