"""Gates and shared matchers of the SAFE, DUR and MECH families answer as the direct computation."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.rules import _helpers  # noqa: E402
from claimaudit.rules.safety import _phrases  # noqa: E402

TEXTS = [
    "Ketamine is not addictive and does not rewire the brain.",
    "Ketamine rewires the brain within minutes.",
    "It was never a horse tranquilizer, but it rewires the brain.",
    "A knot of worry; ketamine rewires the brain.",
    "It isn\u2019t a horse tranquilizer; it won\u2019t cause side effects.",
    "Without doubt it regrows synapses in the brain.",
    "Nothing but hope: it regrows synapses.",
    "NO ONE says it regrows synapses; it is NEVER a cure.",
    "Ketamine is safe, gentle and has fewer side effects than SSRIs.",
    "Side effects are mild and temporary for most people.",
    "There are no reports of any lasting side effects.",
    "It never causes raised blood pressure or nausea.",
    "Nausea is a rare side effect; in high doses it can cause dissociation.",
    "Book a consultation with our team today.",
    "The clinic is open on weekends and the parking is free.",
    "Patients rate their mood each week on a questionnaire.",
    "Ketamine has an excellent safety profile.",
    "Our staff will ensure your safety at every step.",
    "Nobody asked, but after many months of careful study in several clinics ketamine rewires the brain.",
    "It is not a horse tranquilizer, and over the following decades it regrows synapses in the brain.",
    "Not a cure: it REWIRES THE BRAIN, say some; others disagree about whether it regrows synapses.",
    "Ketamine never rewires the brain’s circuits, nor is it a horse tranquilizer.",
]
TRIGGERS = [
    (("rewire*|rewires the brain", "brain"),),
    (("horse tranquili*",),),
    (("regrow*|grows new", "synapse*"),),
    (("cure",),),
]


def _direct_negated(triggers, text: str) -> bool:  # type: ignore[no-untyped-def]
    for trigger in triggers:
        for group in trigger:
            pattern = _helpers.compile_phrases(group.split("|"))
            if any(_helpers.negated_before(text, m.start()) for m in pattern.finditer(text)):
                return True
    return False


@pytest.mark.parametrize("text", TEXTS)
def test_trigger_terms_negated_equals_direct(text: str) -> None:
    plain = _helpers.plain(text)
    for triggers in TRIGGERS:
        assert _helpers.trigger_terms_negated(triggers, plain) == _direct_negated(triggers, plain)


CTX = domain_ctx([])


@pytest.mark.parametrize("text", TEXTS)
def test_safe002_gate_closed_only_without_any_hit(text: str) -> None:
    claim = make_claim(text, substances=["ketamine"])
    hits = (
        _phrases.absence_hits(claim) + _phrases.minimising_hits(claim)
        + _phrases.phrase_hits(claim, "profile") + _phrases.phrase_hits(claim, "safe_word")
        + _phrases.denied_harm_hits(claim, CTX, "ketamine") + _phrases.rarity_hits(claim, CTX, "ketamine")
        + _phrases.dose_limited_hits(claim, CTX, "ketamine")
    )
    if hits:
        assert _phrases.may_assert_safety(claim, CTX)


def test_safe002_gate_closes_on_unrelated_risk_wording() -> None:
    claim = make_claim("We talk about risk at the first visit.", substances=["ketamine"])
    assert not re.search(r"\bno\b|not|never|rare|dose", claim.text)
    assert "risk" in _phrases._present(claim.text)  # a literal of the absence phrases is there
    assert not _phrases.may_assert_safety(claim, CTX)


@pytest.mark.parametrize("text", TEXTS + ["Risk is low at 5 mg.", "Mild nausea, 12 sessions, no problem."])
def test_safe002_first_gate_answers_as_the_full_gate(text: str) -> None:
    """The literal shortcut of `may_assert_safety` closes only where the full test says no."""
    claim = make_claim(text, substances=["ketamine"])
    plain = _phrases._plain(text)
    present, haystack = _phrases._present(plain), _phrases.folded(plain)
    gate = _phrases._assert_gate()
    assert gate is not None  # every list has literals: the shortcut is in use
    if present.isdisjoint(gate[0]) and all(t.closed(present, haystack) for t in gate[1]):
        assert not _phrases._may_hold_phrase(plain, haystack, present)
        assert present.isdisjoint(_phrases._HARM_LITERALS)
        assert not _phrases.may_assert_safety(claim, CTX)


@pytest.mark.parametrize("key", ["absolute", "care_promise", "profile", "safe_word"])
def test_phrase_table_finds_the_phrase_regex_matches(key: str) -> None:
    texts = [_helpers.plain(t) for t in TEXTS] + [
        "Completely safe, 100% safe and SAFE; safer than ever, safe-ish.", "Unsafe? No: perfectly safe.",
        "It is totally harmless and risk-free, with no side effects whatsoever.",
    ]
    table = _phrases._phrase_table(key)
    pattern = _helpers.family_regex("safety", key)
    for text in texts:
        assert [m.span() for _, m in table.finditer(text, (0,))] == [m.span() for m in pattern.finditer(text)]


def test_phrase_words_gate_opens_wherever_a_phrase_matches() -> None:
    """`_may_match_phrases` says no only where no phrase of the lists matches: on every phrase
    itself (as written, in capitals, with hyphens and typographic apostrophes), inside other
    words, and on texts made of the lists' words in random order."""
    import random

    from claimaudit.nlp.prefilter import fold

    rng = random.Random(3)
    for keys in (("absolute", "care_promise"), ("absolute",), ("care_promise",), ("profile",), ("safe_word",)):
        phrases = [str(p) for key in keys for p in _helpers.load_patterns("safety").get(key, [])]
        pattern = _helpers.compile_phrases(phrases)
        words = [w for p in phrases for w in p.replace("*", "").split()]
        texts = [f"We say: {p.replace('*', 'ing')}." for p in phrases] + [p.upper().replace(" ", "-") for p in phrases]
        texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(400)]
        texts += [t.replace("'", "\u2019") for t in texts[:50]] + TEXTS
        for text in texts:
            plain = _helpers.plain(text)
            opened = _phrases._may_match_phrases(keys, fold(plain), _phrases._present(plain))
            assert opened or pattern.search(plain) is None, (keys, text)


def test_pattern_table_candidates_memo_answers_for_each_text() -> None:
    from claimaudit.rules.onset_duration._time import _onset_table

    table = _onset_table()[0]
    texts = [_helpers.plain(t) for t in TEXTS] + ["Relief within minutes of the first infusion.", "Right away."]
    for text in texts * 2:
        assert table.candidates(text) == table._candidates(text)
        assert table.candidates(text) == table._candidates(text)  # asked again: the remembered answer


@pytest.mark.parametrize("text", TEXTS + ["Relief within 5 minutes, lasting for months.", "It works right away, forever."])
def test_family_gates_answer_as_each_gate(text: str) -> None:
    from claimaudit.nlp.prefilter import fold
    from claimaudit.rules.onset_duration import _time

    plain = _helpers.plain(text)
    onset, qualitative, units = _time._gates(text)
    words = _time._onset_gate()  # the onset gate: the table's literals, then one search at word starts
    assert onset == (_time._onset_table()[0].may_match(plain) and (words is None or words.may_match(fold(plain))))
    assert qualitative == _time._qualitative_table()[0].may_match(plain)
    assert units == any(unit in fold(plain) for unit in _time._UNITS)
    claim = make_claim(text, substances=["ketamine"])
    gate = _phrases._phrase_gate(("absolute", "care_promise"))
    literal_open = gate is None or gate.search(fold(plain)) is not None
    matched = any(_helpers.family_regex("safety", key).search(plain) for key in ("absolute", "care_promise"))
    # the literal gate, then each phrase by all its words: open wherever a phrase matches
    assert literal_open >= _phrases.may_promise_absolute_safety(claim) >= matched
    assert bool(_phrases.dependence_hits(claim)) == bool(_phrases._dependence_hits(text))
    for table in (_phrases._dependence_table(), _phrases._minimising_table(), _phrases._table("absence_regex")):
        assert table.closed(_phrases._present(plain), fold(plain)) == (not table.may_match(plain))


def _names_gate(literals: tuple[tuple[str, bool], ...]) -> re.Pattern[str] | None:
    """The effect-name literals as one regex: those at a word start behind \\b (the reference)."""
    from claimaudit.nlp.literal_trie import literal_gate

    starts = literal_gate(w for w, at_start in literals if at_start)
    others = literal_gate(w for w, at_start in literals if not at_start)
    parts = ([r"\b(?:" + starts.pattern + ")"] if starts else []) + ([others.pattern] if others else [])
    return re.compile("|".join(parts)) if parts else None


def test_effect_name_literals_answer_as_the_compiled_gate() -> None:
    import random

    topic = _phrases._kb_gates(CTX)[1]
    rng = random.Random(3)
    for substance in ("ketamine", "esketamine"):
        for common_only in (False, True):
            names = tuple(n for e in CTX.kb.adverse_effects_for(substance)
                          if not common_only or e.seriousness == "common" for n in (e.name, *e.aliases))
            literals = _phrases._names_literals(names, topic)
            assert literals is not None or substance == "esketamine"
            if literals is None:
                continue
            gate = _names_gate(literals)
            assert gate is not None
            words = [w for w, _ in literals] + ["_", "é", "x", " ", "-", "1", "ka", "\u00b2"]
            for _ in range(500):
                text = "".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
                assert _phrases._names_occur(literals, text) == (gate.search(text) is not None), text


@pytest.mark.parametrize(("text", "denies"), [
    ("It will not lead to any lasting nausea.", True),
    ("It never causes raised blood pressure.", True),
    ("This treatment has no reported dissociation.", True),
    ("Ketamine does not cause - nausea.", True),
    # not denials of a known effect of this context's substances: the gate may pass them, the
    # pattern must not match
    ("Ketamine does not cause respiratory depression.", False),
    ("It carries no risk of bladder damage.", False),
    ("It does not affect your 2nd dose.", False),
])
def test_denial_without_effect_names_finds_every_denial(text: str, denies: bool) -> None:
    for substance in ("ketamine", "esketamine"):
        terms, _, word_start = _phrases._effects(CTX, substance, False)
        assert word_start
        assert bool(_phrases._denied_pattern(terms).search(text)) is denies
        assert _phrases._DENIED_ANYTHING.search(text)  # the gate never rules out a denial


def test_shared_literals_answer_for_every_family_registered() -> None:
    from claimaudit.rules._pattern_table import RULE_LITERALS, SharedLiterals
    from claimaudit.rules.onset_duration import _time

    shared = SharedLiterals()
    shared.register(lambda: ("min", "safe"))
    assert shared.present("ketamine is safe") == {"min", "safe"}
    shared.register(lambda: ("keta", "never"))  # registered after a scan: the index is rebuilt
    assert shared.present("ketamine is safe") == {"min", "safe", "keta"}
    everything = set(_time._family_literals()) | _phrases._family_literals()
    for text in TEXTS:
        haystack = _helpers.plain(text).lower()
        assert RULE_LITERALS.present(haystack) == {literal for literal in everything if literal in haystack}


def test_with_trigger_equals_dataclasses_replace() -> None:
    from dataclasses import fields, replace

    from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity, SourceSpan
    from claimaudit.rules.triggers import with_trigger

    finding = Finding(
        code="SAFE002", family=Family.SAFE, severity=Severity.INFO, span=SourceSpan(3, 9, 1, 4, 1, 10),
        text="is safe", message="asserts 'safe'", evidence=(EvidenceRef(id="e", label="l"),), suggestion="S.",
        omits=None, claim_id="c1", fingerprint="fp", advice="a", note="n", trigger_norm=(4, 8),
    )
    span = SourceSpan(4, 8, 1, 5, 1, 9)
    made, expected = with_trigger(finding, span, "safe"), replace(finding, trigger=span, trigger_text="safe")
    for field in fields(Finding):
        assert getattr(made, field.name) == getattr(expected, field.name), field.name


def _denied_two_tails(terms: str) -> str:
    """The denied-harm pattern as written before its two branches shared their tail."""
    return (
        r"\b(?:(?:does|do|did|will|would|can|could)\s*(?:not|n't)|never|won't|cannot|can't)\s+"
        r"(?:cause|causes|produce|produces|lead\s+to|leads\s+to|result\s+in|bring\s+on|trigger|induce|"
        r"suppress|depress|slow|impair|damage|harm|affect)\s+(?:any\s+|the\s+|your\s+)?(?:[\w\-]+\s+){0,2}?"
        r"(?:" + terms + r")\b"
        r"|\b(?:causes?|produces?|has|have|carries|carry)\s+no\s+(?:[\w\-]+\s+){0,2}?(?:" + terms + r")\b"
    )


def test_denied_pattern_matches_as_with_two_tails() -> None:
    import random

    terms = _phrases._effects(CTX, "ketamine", False)[0]
    shared, separate = _phrases._denied_pattern(terms), re.compile(_denied_two_tails(terms), re.I)
    pieces = ["does not cause", "never leads to", "causes no", "has no", "carries no", "won't trigger",
              "any", "the", "your", "lasting", "serious", "nausea", "dissociation", "raised blood pressure",
              "blood", "side effects", "and", ",", ".", "no", "cause"]
    rng = random.Random(5)
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    found = 0
    for text in texts:
        spans = [m.span() for m in shared.finditer(text)]
        assert spans == [m.span() for m in separate.finditer(text)], text
        found += bool(spans)
    assert found > 100  # the texts do exercise the pattern


def test_may_state_duration_answers_as_the_explicit_pattern() -> None:
    """`may_state_duration` says no only where the explicit-duration pattern cannot match."""
    import random

    from claimaudit.rules.onset_duration import _time

    rng = random.Random(9)
    pieces = ["ketamine", " a", "a", " an", "one", "two", "few", "for", "up to", "lasting", " ", "-", "\u2013", "~",
              "o", "min", "mins", "minutes", "day", "days", "week", "today", "holiday", "5", "2-3", " to ", "ten",
              "seven", "hours", "year", "month", "second", "x", "\u00a0", "several", "many", "a couple of"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))) for _ in range(4000)]
    texts += ["for a day", "lasting aday", "for twodays", "ketamine", "for ~a week", "up to oa year", "Relief for 5 mins"]
    for text in texts:
        if _time._EXPLICIT.search(text) is not None:
            assert _time.may_state_duration(text), text
