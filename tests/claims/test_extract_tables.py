"""The per-document tables of claim extraction give what the spaCy objects would."""

from __future__ import annotations

from claimaudit.claims.coverage import _conditions, detect_language, unrecorded_conditions
from claimaudit.claims.extract import SPAN_KEYS, SpanTable, _clauses, _Tokens
from claimaudit.claims.model import Certainty, Claim, ClaimKind, Mention
from claimaudit.findings.model import SourceSpan
from claimaudit.nlp.spans import doc_text

TEXT = """Ketamine infusions

• Ketamine works within hours for most patients; the effect may fade after a week.
  Esketamine (Spravato) is approved by the FDA for depression.   It is safe; it is not addictive ;
- Studies show it helps 70% of patients with PTSD, migraine and bipolar depression.
"""


def _old_trim(doc, start: int, end: int):  # type: ignore[no-untyped-def]
    while start < end and (doc[start].is_space or doc[start].text in {"•", "-", "–", "*", "·"}):
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return None if end - start < 3 else doc[start:end]


def test_sentences_and_clauses_are_the_spans_spacy_gives(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    tokens = _Tokens(doc)
    sentences = list(tokens.sentences())
    assert [(s.start, s.end, s.start_char, s.end_char) for s in sentences] == [
        (s.start, s.end, s.start_char, s.end_char) for s in doc.sents
    ]
    for sentence in doc.sents:
        expected = []
        start = sentence.start
        for token in sentence:
            if token.text == ";" and token.i > start:
                expected.append(_old_trim(doc, start, token.i))
                start = token.i + 1
        expected.append(_old_trim(doc, start, sentence.end))
        found = _clauses(sentence, tokens)
        assert [(c.start, c.end, c.start_char, c.end_char) for c in found] == [
            (c.start, c.end, c.start_char, c.end_char) for c in expected if c is not None
        ]
    for token in doc:
        assert tokens.sentence_start_char(token.i) == doc[token.i : token.i + 1].sent.start_char
    from claimaudit.claims.facts import _word_count

    assert tokens.words == _word_count(doc)
    assert _Tokens(nlp("")).words == 0


def test_token_facts_are_the_tokens_own(nlp) -> None:  # type: ignore[no-untyped-def]
    """Offsets, spaces and the ";" and bullet tokens read from arrays and the text are what
    the spaCy tokens say, bullets glued to words and dashes inside words included."""
    texts = [
        TEXT,
        "* one -- two - three;four ;; well-known *bold* ·dot· – dash –\n\n  • last-  ;",
        "A tab\tand  spaces ;\n\n\n- item\n-item\n*",
        ";",
        "x",
    ]
    bullets = {"•", "-", "–", "*", "·"}
    for text in texts:
        doc = nlp(text)
        tokens = _Tokens(doc)
        assert tokens.idx == [t.idx for t in doc]
        assert tokens.ends == [t.idx + len(t) for t in doc]
        assert tokens.space == [t.is_space for t in doc]
        assert tokens.semicolons == [t.i for t in doc if t.text == ";"]
        assert [tokens.no_start(t.i) for t in doc] == [t.is_space or t.text in bullets for t in doc]
        assert tokens.sentence_starts == [s.start for s in doc.sents]


def test_span_records_read_as_the_spans(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    for key in SPAN_KEYS:
        table = SpanTable(doc.spans[key], doc_text(doc))
        spans = list(doc.spans[key])
        assert [(r.start, r.end, r.start_char, r.end_char, r.label_, r.kb_id_, r.text) for r in table.in_order] == [
            (s.start, s.end, s.start_char, s.end_char, s.label_, s.kb_id_, s.text) for s in spans
        ]
        assert [r.start for r in table.spans] == sorted(s.start for s in spans)
        assert [r.text for r in SpanTable(doc.spans[key]).in_order] == [s.text for s in spans]


def test_detect_language_counts_each_word() -> None:
    english = "The treatment is not a cure, and the evidence for it is still limited. " * 5
    spanish = "La ketamina es un tratamiento que se usa para la depresión y el dolor en los pacientes. " * 5
    assert detect_language(english)[0] == "English"
    language, share = detect_language(spanish)
    assert language == "Spanish" and 0 < share <= 1


def _claim(text: str, indications: tuple[str, ...] = ()) -> Claim:
    mentions = tuple(Mention("indication", name, name, 0, len(name)) for name in indications)
    return Claim("c1", (ClaimKind.EFFICACY,), text, SourceSpan(0, len(text), 1, 1, 1, len(text) + 1), 0, len(text),
                 Certainty.ASSERTED, mentions=mentions)


def test_unrecorded_conditions_match_every_condition_pattern() -> None:
    texts = [
        "Ketamine helps migraine and bipolar depression.",
        "Ketamine helps MIGRAINES and Fibromyalgia pain.",
        "Nothing about any condition here.",
        "Reflex sympathetic dystrophy (CRPS) responds to infusions.",
    ]
    for text in texts:
        claim = _claim(text, ("migraine",))
        known = " ".join(m.text.lower() for m in claim.mentions)
        expected = tuple(
            name for name, pattern in _conditions()
            if (match := pattern.search(text)) and match.group(0).lower() not in known
        )
        assert unrecorded_conditions(claim) == expected


def test_occurrences_within_a_range_match_a_plain_search() -> None:
    from claimaudit.claims.extract import _MECH_NEEDLES, _MECH_WORDS, _has_mech_words
    from claimaudit.claims.positions import Occurrences as _Occurrences
    from claimaudit.nlp.prefilter import fold

    text = "Ketamine rewires the BRAIN; it regrows synapses. Nothing here. NEUROplasticity? no."
    occurrences = _Occurrences(fold(text), _MECH_NEEDLES)
    for start in range(len(text)):
        for end in range(start, len(text) + 1):
            piece = text[start:end]
            assert _has_mech_words(piece, occurrences, start) == bool(_MECH_WORDS.search(piece))


def _old_detect_language(text: str) -> tuple[str, float]:
    from claimaudit.claims.coverage import _WORD, _patterns

    config = _patterns().get("language", {})
    words = [w.lower() for w in _WORD.findall(text)]
    lists = {name: frozenset(str(w).lower() for w in ws) for name, ws in config.get("stopwords", {}).items()}
    shares = {name: sum(1 for w in words if w in ws) / len(words) for name, ws in lists.items()} if words else {}
    english = shares.get("English", 0.0)
    if len(words) < int(config.get("min_words", 40)) or english >= float(config.get("english_min", 0.12)):
        return "English", english
    best = max(shares, key=lambda name: shares[name])
    return best, shares[best]


def test_detect_language_answers_as_word_by_word_counting() -> None:
    texts = [
        "",
        "Ketamine.",
        "The treatment is not a cure, and the evidence for it is still limited. " * 5,
        "La ketamina es un tratamiento que se usa para la depresión y el dolor en los pacientes. " * 5,
        "Le traitement n'est pas une cure; l'évidence reste limitée pour les patients. " * 6,
        "ΟΔΟΣ.Α ΣΟΦΟΣ'Σ İstanbul İÇİN ve bir ilaç ile tedavi edilen hastalar için. " * 8,
        "Die Behandlung ist keine Heilung und die Daten sind noch begrenzt für die Patienten. " * 6,
    ]
    for text in texts:
        assert detect_language(text) == _old_detect_language(text)


def _old_kinds(labels: set[str], term_kinds: set[str], quantity_kinds: list[str], citations: bool, mechanism: bool):  # type: ignore[no-untyped-def]
    from claimaudit.claims.extract import KIND_CUES, STAT_KINDS

    kinds = []
    for kind, wanted in KIND_CUES:
        if kind is ClaimKind.STATISTIC:
            hit = any(q in STAT_KINDS for q in quantity_kinds)
        elif kind is ClaimKind.REGULATORY:
            hit = bool(labels & wanted) or "regulator" in term_kinds
        elif kind is ClaimKind.SAFETY:
            hit = bool(labels & wanted) or bool(term_kinds & {"adverse_effect", "contraindication"})
        elif kind is ClaimKind.MECHANISM:
            hit = bool(labels & wanted) or mechanism
        elif kind is ClaimKind.CITATION:
            hit = bool(labels & wanted) or citations
        else:
            hit = bool(labels & wanted)
        if hit:
            kinds.append(kind)
    if not kinds:
        return ()
    about = bool(term_kinds) or bool(quantity_kinds) or citations or bool(labels - {"efficacy", "design", "population"})
    return tuple(kinds) if about else ()


def test_kinds_as_the_rules_of_kind_cues() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from claimaudit.claims.extract import _kinds

    class Labelled:
        def __init__(self, label: str) -> None:
            self.label_ = label

    cue_labels = ["approval", "safety", "mechanism", "onset", "cure", "history", "efficacy", "design",
                  "population", "authority", "proven", "schedule", "comparison", "other"]
    term_labels = ["substance", "indication", "regulator", "adverse_effect", "contraindication"]
    quantity_labels = ["percent", "duration", "sample_size", "dose", "year"]

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(cue_labels), max_size=4), st.lists(st.sampled_from(term_labels), max_size=3),
           st.lists(st.sampled_from(quantity_labels), max_size=2), st.booleans(), st.booleans())
    def check(cues: list[str], terms: list[str], quantities: list[str], cited: bool, mechanism: bool) -> None:
        citations = ("marker",) if cited else ()
        found = _kinds([Labelled(c) for c in cues], [Labelled(t) for t in terms], quantities, citations, mechanism)  # type: ignore[arg-type]
        assert found == _old_kinds(set(cues), set(terms), quantities, cited, mechanism)

    check()


def test_occurrences_from_a_haystack_are_the_found_ones() -> None:
    """Literals the page's single pass found give the occurrences `str.find` gives."""
    from claimaudit.claims.extract import _MECH_NEEDLES
    from claimaudit.claims.positions import Occurrences as _Occurrences
    from claimaudit.claims.facts import page_haystack
    from claimaudit.nlp.prefilter import fold

    texts = ["", "Brain brain BRAINS; neuroneuro receptor-synapse", "Discovered, invented, synthesised: rewired brains.",
             "nothing at all", "the damage, the DAMAGE and damaged glutamine veterinarian"]
    for text in texts:
        haystack = page_haystack(text, _MECH_NEEDLES)
        plain, found = _Occurrences(fold(text), _MECH_NEEDLES), _Occurrences(haystack.folded, _MECH_NEEDLES, haystack)
        assert (found.starts, found.ends) == (plain.starts, plain.ends), text
        mixed = _Occurrences(fold(text), (*_MECH_NEEDLES, "zq"), haystack)  # "zq": not in the pass, found by `find`
        direct = _Occurrences(fold(text), (*_MECH_NEEDLES, "zq"))
        assert (mixed.starts, mixed.ends) == (direct.starts, direct.ends), text


def test_certainty_without_modifiers_is_set_by_an_absolute_cue_alone() -> None:
    """`_claim` skips `_certainty` for a clause without modifiers: its answer is then this."""
    from claimaudit.claims.extract import Bounds, _certainty
    from claimaudit.claims.model import Certainty

    class Cue:
        def __init__(self, label: str) -> None:
            self.label_, self.start, self.end = label, 0, 1

    clause = Bounds(0, 5, 0, 20)
    for labels in ([], ["safety"], ["safety_absolute"], ["efficacy", "safety_absolute", "onset"]):
        expected = Certainty.ABSOLUTE if "safety_absolute" in labels else Certainty.ASSERTED
        assert _certainty(clause, [Cue(label) for label in labels], [], [], ()) == ((), expected)  # type: ignore[list-item]


def test_slot_makers_give_what_the_dataclass_constructors_give() -> None:
    from claimaudit.claims.extract import _claim_of, _mention, _qualifier, _quantity
    from claimaudit.slots import slot_maker
    from claimaudit.claims.model import Qualifier, QualifierKind, Quantity

    mention = _mention("substance", "ketamine", "Ketamine", 0, 8)
    assert mention == Mention("substance", "ketamine", "Ketamine", 0, 8)
    assert hash(mention) == hash(Mention("substance", "ketamine", "Ketamine", 0, 8))
    assert _quantity("percent", 70.0, "70%", 3, 6, None, "%") == Quantity("percent", 70.0, "70%", 3, 6, None, "%")
    assert slot_maker(Qualifier)(QualifierKind.HEDGE, "may", 1, 4) == Qualifier(QualifierKind.HEDGE, "may", 1, 4)
    from claimaudit.findings.model import SourceSpan
    from claimaudit.ingest.offsets import _source_span

    assert _source_span is not SourceSpan and _source_span(1, 2, 3, 4, 5, 6) == SourceSpan(1, 2, 3, 4, 5, 6)
    assert _qualifier(QualifierKind.NEGATION, "not", 2, 5) == Qualifier(QualifierKind.NEGATION, "not", 2, 5)
    span = SourceSpan(0, 8, 1, 1, 1, 9)
    values = ("c1", (ClaimKind.EFFICACY,), "Ketamine works", span, 0, 14, Certainty.ASSERTED, (), (mention,),
              (), (), (), "Heading", True, "Ketamine works.", "ketamine", "depression", "")
    claim = _claim_of(*values)
    assert claim == Claim(*values) and repr(claim) == repr(Claim(*values))
    assert claim.substances == ("ketamine",) and "substance" in claim._entity_ids  # the memo works
    made = _claim_of(*values)
    assert made._entity_ids is not claim._entity_ids and made._cue_labels == []  # a new one each


def test_slot_makers_are_the_classes_themselves_when_init_does_more() -> None:
    from dataclasses import dataclass

    from claimaudit.slots import slot_maker

    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value >= 0

    @dataclass(frozen=True)
    class Plain:
        value: int

    assert slot_maker(Checked) is Checked and slot_maker(Plain) is Plain


def test_slot_makers_take_fields_whose_names_the_generated_code_could_shadow() -> None:
    """Fields named like the maker's own helpers ("self", "cls", "new", "set_x") are set as
    given; a keyword-only field makes the class its own constructor."""
    from dataclasses import dataclass, field

    from claimaudit.slots import slot_maker

    @dataclass(frozen=True, slots=True)
    class Odd:
        self: int
        cls: str
        new: float
        set_self: tuple[int, ...]
        make: list[int] = field(default_factory=list)

    made = slot_maker(Odd)(1, "c", 2.5, (3,), [4])
    assert made == Odd(1, "c", 2.5, (3,), [4])
    assert slot_maker(Odd)(self=1, cls="c", new=2.5, set_self=(), make=[]) == Odd(1, "c", 2.5, (), [])

    @dataclass(frozen=True, slots=True, kw_only=True)
    class Named:
        value: int

    assert slot_maker(Named) is Named


def test_span_table_orders_spans_given_in_and_out_of_order(nlp) -> None:  # type: ignore[no-untyped-def]
    from operator import attrgetter

    from spacy.tokens import Span

    doc = nlp.make_doc("one two three four five six seven")
    orders = [
        [(0, 2), (0, 3), (1, 2), (4, 6)],  # by (start, end): kept as given
        [(0, 3), (0, 2), (1, 2), (4, 6)],  # same start, longer first
        [(4, 6), (0, 2), (1, 2)],  # later first
        [(1, 2), (1, 2), (3, 5)],  # the same span twice
        [],
    ]
    for order in orders:
        spans = [Span(doc, start, end, label=f"l{n}") for n, (start, end) in enumerate(order)]
        table = SpanTable(spans, doc_text(doc))
        assert [r.label_ for r in table.in_order] == [s.label_ for s in spans]
        expected = sorted(spans, key=attrgetter("start", "end"))
        assert [(r.start, r.end, r.label_) for r in table.spans] == [(s.start, s.end, s.label_) for s in expected]
        assert table.starts == [s.start for s in expected]


def test_sentence_starts_kept_by_the_splitter_are_the_doc_s(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.nlp.sentences import STARTS_KEY, kept_sentence_starts

    for text in ("One. Two here!\n\nA heading\n- a bullet; and more", "x", "No end here"):
        doc = nlp(text)
        assert kept_sentence_starts(doc) == [s.start for s in doc.sents]
        read = _Tokens(doc).sentence_starts
        del doc.user_data[STARTS_KEY]  # as for a doc the splitter did not set: read from SENT_START
        assert kept_sentence_starts(doc) is None
        assert _Tokens(doc).sentence_starts == read == [s.start for s in doc.sents]


def test_span_names_kept_across_docs_are_the_string_store_s(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.claims import extract

    for text in ("Ketamine may ease pain in 60% of patients.", "It is not addictive; ask your doctor."):
        doc = nlp(text)
        for key in SPAN_KEYS:
            table = SpanTable(doc.spans[key], doc_text(doc))
            assert [(r.label_, r.kb_id_) for r in table.in_order] == [(s.label_, s.kb_id_) for s in doc.spans[key]]
    from spacy.strings import get_string_id

    # kept across docs and vocabs: a key is the string's hash in any string store
    assert extract._NAMES and all(get_string_id(name) == key for key, name in extract._NAMES.items())
    assert all(nlp.vocab.strings[key] == extract._NAMES[key] for key in extract._NAMES if key in nlp.vocab.strings)


def test_the_overlap_test_answers_as_the_pairwise_test_for_few_and_many_ranges() -> None:
    """`_overlap_test` bisects when a clause has many anchors (a huge one-clause text): the same
    answers as testing every range."""
    import random
    from collections import namedtuple

    from claimaudit.claims.extract import _FEW_RANGES, _overlap_test

    Range = namedtuple("Range", "start end")
    rng = random.Random(9)
    for count in (0, 1, 3, _FEW_RANGES, _FEW_RANGES + 1, 200):
        ranges = [Range(s, s + rng.randint(1, 12)) for s in (rng.randint(0, 300) for _ in range(count))]
        overlaps = _overlap_test(ranges)
        for _ in range(300):
            start = rng.randint(0, 320)
            end = start + rng.randint(1, 6)
            assert overlaps(start, end) == any(start < r.end and r.start < end for r in ranges), (count, start, end)
