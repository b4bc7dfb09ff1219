"""Builders for rule unit tests: fabricated Claims, a small knowledge base, a RuleContext.

Shared by the rule families' tests (add builders; do not change existing ones' behaviour).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from claimaudit.claims.model import (
    Certainty,
    CitationMarker,
    Claim,
    ClaimKind,
    DocumentFacts,
    Mention,
    Qualifier,
    QualifierKind,
    Quantity,
    Reference,
)
from claimaudit.findings.model import SourceSpan
from claimaudit.knowledge_base.lookup import KnowledgeLookup
from claimaudit.knowledge_base.model import (
    EvidenceAssessment,
    Grade,
    Indication,
    KnowledgeBase,
    Outcome,
    Source,
    SourceKind,
    Study,
    Substance,
)
from claimaudit.rules.base import RuleContext

SRC = (Source(checked="2025-01-01", url="https://example.org/source"),)


def span(start: int, end: int) -> SourceSpan:
    return SourceSpan(start, end, 1, start + 1, 1, end + 1)


def make_claim(
    text: str,
    *,
    kinds: Sequence[ClaimKind] = (ClaimKind.EFFICACY,),
    certainty: Certainty = Certainty.ASSERTED,
    substances: Iterable[str] = (),
    indications: Iterable[str] = (),
    studies: Iterable[str] = (),
    cues: Iterable[str | tuple[str, str]] = (),
    qualifiers: Iterable[tuple[QualifierKind, str]] = (),
    quantities: Iterable[Quantity] = (),
    citations: Iterable[CitationMarker] = (),
    topic_substance: str | None = "ketamine",
    topic_indication: str | None = None,
    claim_id: str = "c1",
    section: str = "",
    start: int = 0,
) -> Claim:
    """A claim whose normalized offsets start at `start`; mention offsets are found in `text`."""

    def mention(kind: str, entity_id: str, word: str | None = None) -> Mention:
        word = word or entity_id
        at = text.lower().find(word.lower())
        at = max(at, 0)
        return Mention(kind, entity_id, word, start + at, start + at + len(word))

    mentions = [mention("substance", s) for s in substances]
    mentions += [mention("indication", i) for i in indications]
    mentions += [mention("study", s) for s in studies]
    cue_mentions = []
    for cue in cues:
        label, word = cue if isinstance(cue, tuple) else (cue, cue)
        cue_mentions.append(mention(label, label, word))
    quals = []
    for kind, word in qualifiers:
        at = max(text.lower().find(word.lower()), 0)
        quals.append(Qualifier(kind, word, start + at, start + at + len(word)))
    return Claim(
        id=claim_id,
        kinds=tuple(kinds),
        text=text,
        span=span(start, start + len(text)),
        norm_start=start,
        norm_end=start + len(text),
        certainty=certainty,
        qualifiers=tuple(quals),
        mentions=tuple(mentions),
        quantities=tuple(quantities),
        citations=tuple(citations),
        cues=tuple(Mention("cue", c.entity_id, c.text, c.start, c.end) for c in cue_mentions),
        section=section,
        sentence_text=text,
        topic_substance=topic_substance,
        topic_indication=topic_indication,
    )


def quantity(text: str, snippet: str, kind: str, value: float, *, upper: float | None = None,
             unit: str = "", start: int = 0) -> Quantity:
    """A Quantity for `snippet` as it occurs in `text` (claim starting at `start`)."""
    at = text.find(snippet)
    assert at >= 0, snippet
    return Quantity(kind, value, snippet, start + at, start + at + len(snippet), upper=upper, unit=unit)


def marker(text: str, snippet: str, kind: str = "numbered", *, label: str = "", year: int | None = None,
           reference: Reference | None = None, study_id: str | None = None,
           author_matches: bool | None = None, year_matches: bool | None = None,
           start: int = 0) -> CitationMarker:
    at = text.find(snippet)
    assert at >= 0, snippet
    return CitationMarker(kind, snippet, start + at, start + at + len(snippet), label=label, year=year,
                          reference=reference, study_id=study_id, author_matches=author_matches,
                          year_matches=year_matches)


def facts(references: Sequence[Reference] = ()) -> DocumentFacts:
    return DocumentFacts(
        word_count=100, promotes_treatment=True, substances=("ketamine",), indications=(),
        mentions_off_label=False, mentions_side_effects=False, mentions_contraindications=False,
        mentions_evidence_limits=False, has_review_date=False, has_sources=bool(references),
        citation_count=0, references=tuple(references),
    )


def study(id: str, author: str, year: int, **fields: Any) -> Study:
    fields.setdefault("citation", f"{author} et al. {year}")
    fields.setdefault("authors", (author, "Second", "Third"))
    fields.setdefault("sources", SRC)
    return Study(id=id, year=year, **fields)


def small_kb(extra_studies: Sequence[Study] = (), extra_assessments: Sequence[EvidenceAssessment] = ()) -> KnowledgeBase:
    """An invented base: one focus substance and its enantiomer, a comparator, a few
    conditions, graded evidence and studies with outcomes."""
    substances = {
        "ketamine": Substance("ketamine", "ketamine", sources=SRC),
        "esketamine": Substance("esketamine", "esketamine", parent="ketamine", sources=SRC),
        "ssris": Substance("ssris", "SSRIs", focus=False, sources=SRC),
    }
    indications = {
        "anxiety_disorders": Indication("anxiety_disorders", "anxiety disorders", sources=SRC),
        "sad": Indication("sad", "social anxiety disorder", ("SAD",), parent="anxiety_disorders", sources=SRC),
        "gad": Indication("gad", "generalized anxiety disorder", ("GAD",), parent="anxiety_disorders", sources=SRC),
        "mdd": Indication("mdd", "major depressive disorder", ("MDD",), sources=SRC),
        "trd": Indication("trd", "treatment-resistant depression", ("TRD",), parent="mdd", sources=SRC),
        "ptsd": Indication("ptsd", "post-traumatic stress disorder", ("PTSD",), sources=SRC),
    }
    assessments = [
        EvidenceAssessment("a_trd", "ketamine", "trd", Grade.ESTABLISHED, ("rivera2014",), sources=SRC),
        EvidenceAssessment("a_anx", "ketamine", "anxiety_disorders", Grade.PRELIMINARY,
                           ("okafor2016", "lee2019"), summary="small early studies", sources=SRC),
        EvidenceAssessment("a_ptsd", "ketamine", "ptsd", Grade.MIXED, ("lee2019",), sources=SRC),
        *extra_assessments,
    ]
    studies = [
        study("okafor2016", "Okafor", 2016, design="open_label", n=9, substances=("ketamine",),
              indications=("gad", "sad"), population="9 adults with refractory GAD or SAD",
              outcomes=(Outcome("response", 77.8, definition="HAM-A fall >=50%", time_point="1 week"),
                        Outcome("anxiety_change", 50, definition="HAM-A fall", time_point="1 h after each dose"))),
        study("lee2019", "Lee", 2019, design="crossover_rct", randomized=True, controlled=True, blinded=True,
              n=24, substances=("ketamine",), indications=("sad",),
              outcomes=(Outcome("response", 37.5, definition="LSAS reduction >35%", comparator_value=4.2,
                                arm="ketamine", indication="sad"),)),
        study("rivera2014", "Rivera", 2014, design="open_label", n=40, substances=("ketamine",),
              indications=("trd",), outcomes=(Outcome("response", 72.5, definition="MADRS fall >=50%",
                                                      sessions=6, indication="trd"),)),
        study("novak2020", "Novak", 2020, design="retrospective", n=1500, substances=("ketamine",),
              indications=("mdd", "anxiety_disorders"), comparator="external antidepressant cohort",
              given_names=("Ilse", "Mark", "Ana"),
              outcomes=(Outcome("smd", -0.6, unit="SMD", comparator_value=0.0, indication="mdd"),
                        Outcome("within_change", 1.1, unit="d", indication="anxiety_disorders"))),
        study("brown2015", "Brown", 2015, design="meta_analysis", substances=(),
              indications=("mdd",), topics=("treatment_as_usual",)),
        study("ito1991", "Ito", 1991, design="preclinical", population="mice",
              substances=("mk801",), indications=("mdd",), topics=("mechanism",)),
        study("blog2024", "Webb", 2024, design="web_article", peer_reviewed=False,
              source_kind="society_blog", url="https://society.example.org/blog/post"),
        study("panel2021", "Panel", 2021, design="guideline", substances=("ketamine",), indications=("mdd",)),
        *extra_studies,
    ]
    kinds = {
        "society_blog": SourceKind("society_blog", "society blog post", False, False,
                                   domains=("society.example.org",), sources=SRC),
        "journal_article": SourceKind("journal_article", "journal article", True, True, sources=SRC),
        "press_release": SourceKind("press_release", "press release", False, False,
                                    domains=("newswire.example.com",), sources=SRC),
    }
    return KnowledgeBase(
        packs=(), version="test", content_hash="0",
        substances=substances, indications=indications,
        assessments={a.id: a for a in assessments},
        studies={s.id: s for s in studies},
        source_kinds=kinds,
    )


def with_control_arm_substance(base: KnowledgeBase, flagged: bool) -> KnowledgeBase:
    """`base` plus "calmazine", an invented sedative the base gives to trials' control arms
    (`Substance.trial_control`) when `flagged`."""
    from dataclasses import replace

    calmazine = Substance("calmazine", "calmazine", focus=False, trial_control=flagged, sources=SRC)
    return replace(base, substances={**base.substances, "calmazine": calmazine})


def make_ctx(claims: Sequence[Claim] = (), *, kb: KnowledgeBase | None = None,
             references: Sequence[Reference] = ()) -> RuleContext:
    from claimaudit.ingest.offsets import OffsetMap  # noqa: F401  (document is unused by these rules)
    from claimaudit.settings import Settings

    return RuleContext(
        kb=KnowledgeLookup(kb or small_kb()),
        document=None,  # type: ignore[arg-type]
        claims=tuple(claims),
        facts=facts(references),
        settings=Settings(),
    )


# ---------------------------------------------------------------- REG / SAFE / MECH / DUR / DISC


def domain_kb() -> KnowledgeBase:
    """small_kb() plus regulators, approvals, harms, mechanisms and onset/durability records
    (invented values in the shape of the real base)."""
    from dataclasses import replace

    from claimaudit.knowledge_base.model import (
        AdverseEffect,
        Approval,
        Contraindication,
        Mechanism,
        MechanismStatus,
        OnsetDurability,
        Regulator,
    )

    base = small_kb()
    indications = dict(base.indications)
    indications["anaesthesia"] = Indication(
        "anaesthesia", "anaesthesia", lay_terms=("anesthesia", "anesthetic", "anaesthetic"),
        category="anaesthesia", sources=SRC)
    indications["mdd_si"] = Indication(
        "mdd_si", "major depressive disorder with suicidal ideation", parent="mdd", sources=SRC)
    indications["panic_disorder"] = Indication(
        "panic_disorder", "panic disorder", parent="anxiety_disorders", sources=SRC)
    regulators = {
        "fda": Regulator("fda", "Food and Drug Administration", "US", ("FDA",), SRC),
        "health_canada": Regulator("health_canada", "Health Canada", "CA", (), SRC),
        "tga": Regulator("tga", "Therapeutic Goods Administration", "AU", ("TGA",), SRC),
    }
    approvals = [
        Approval("ket_fda", "ketamine", "anaesthesia", "fda", "approved", "1970", "Ketalar", sources=SRC),
        Approval("ket_hc", "ketamine", "anaesthesia", "health_canada", "approved", "", "Ketalar", sources=SRC),
        Approval("ket_fda_psych", "ketamine", "anxiety_disorders", "fda", "not_approved", sources=SRC),
        Approval("esk_fda_trd", "esketamine", "trd", "fda", "approved", "2019-03-05", "Spravato",
                 conditions=("adults", "with an oral antidepressant"), sources=SRC),
        Approval("esk_fda_si", "esketamine", "mdd_si", "fda", "approved", "2020-07-31", "Spravato", sources=SRC),
        Approval("esk_hc_trd", "esketamine", "trd", "health_canada", "approved", "2020-05-20", "Spravato",
                 sources=SRC),
    ]
    harms = [
        AdverseEffect("ae_dissociation", "dissociation", ("ketamine",), sources=SRC),
        AdverseEffect("ae_bp", "raised blood pressure", ("ketamine",), sources=SRC),
        AdverseEffect("ae_nausea", "nausea", ("ketamine",), sources=SRC),
        AdverseEffect("ae_misuse", "misuse and dependence", ("ketamine",), ("addiction",),
                      seriousness="serious", sources=SRC),
    ]
    contra = [Contraindication("ci_psychosis", "active psychosis", ("ketamine",), "absolute", sources=SRC)]
    mechanisms = [
        Mechanism("m_nmda", "Ketamine blocks NMDA receptors", MechanismStatus.ESTABLISHED,
                  (("nmda", "block*|antagon*"),), substances=("ketamine",), sources=SRC),
        Mechanism("m_synapse", "Ketamine grows new synaptic connections", MechanismStatus.PRECLINICAL,
                  (("rewir*",), ("synap*|neural connection*", "grow*|form*|creat*|new")),
                  correction="Shown in rodents; not demonstrated in patients.", substances=("ketamine",),
                  sources=SRC),
        Mechanism("m_glutamine", "Ketamine causes a glutamine surge", MechanismStatus.INCORRECT,
                  (("glutamine",),), correction="The hypothesised surge is of glutamate, not glutamine.",
                  misconception=True, sources=SRC),
        Mechanism("m_schedule", "Ketamine is a Schedule II drug", MechanismStatus.INCORRECT,
                  (("schedule ii|schedule 2",),), correction="Ketamine is Schedule III in the US.",
                  misconception=True, sources=SRC),
    ]
    onset = [
        OnsetDurability("od_anx", "ketamine", "anxiety_disorders", 1.0, 14.0, None,
                        summary="within 1 h; up to about 2 weeks", sources=SRC),
        OnsetDurability("od_trd", "ketamine", "trd", 2.0, 7.0, 27.5, sources=SRC),
    ]
    return replace(
        base,
        indications=indications,
        regulators=regulators,
        approvals={a.id: a for a in approvals},
        adverse_effects={a.id: a for a in harms},
        contraindications={c.id: c for c in contra},
        mechanisms={m.id: m for m in mechanisms},
        onset_durability={o.id: o for o in onset},
    )


def cue(claim_text: str, label: str, word: str, start: int = 0) -> Mention:
    """A cue mention of `word` (first occurrence) in the claim text."""
    at = claim_text.lower().find(word.lower())
    assert at >= 0, word
    return Mention("cue", label, claim_text[at : at + len(word)], start + at, start + at + len(word))


def domain_ctx(claims: Sequence[Claim] = (), *, document_text: str = "Title\nBody",
               page: DocumentFacts | None = None, kb: KnowledgeBase | None = None,
               jurisdictions: tuple[str, ...] = ("US", "CA")) -> RuleContext:
    """A RuleContext over domain_kb() with a real (plain-text) document."""
    from claimaudit.ingest.offsets import OffsetMap
    from claimaudit.ingest.source import Block, NormalizedDocument, SourceDocument
    from claimaudit.settings import Settings

    blocks, at = [], 0
    for line in document_text.split("\n"):
        blocks.append(Block("paragraph", at, at + len(line)))
        at += len(line) + 1
    document = NormalizedDocument(
        source=SourceDocument("page.txt", "text/plain", document_text),
        text=document_text,
        offsets=OffsetMap.identity(document_text),
        blocks=tuple(blocks),
    )
    return RuleContext(
        kb=KnowledgeLookup(kb or domain_kb()),
        document=document,
        claims=tuple(claims),
        facts=page or facts(),
        settings=Settings(jurisdictions=jurisdictions),
    )
