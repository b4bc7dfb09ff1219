"""Safety phrases found in a claim, and the knowledge-base harms they are judged against.

Shared by the SAFE rule modules; pure functions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from claimaudit.claims.model import Claim
from claimaudit.findings.model import EvidenceRef
from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.prefilter import fast, folded
from claimaudit.nlp.literal_trie import literal_gate, literal_source
from claimaudit.rules._pattern_table import RULE_LITERALS, PatternTable
from claimaudit.rules._rewrite import plural
from claimaudit.rules._helpers import (
    family_regex,
    focus_substances,
    load_patterns,
    name_list,
    negated_before,
    plain_text,
    regex_list,
    source_ref,
    substance_label,
)

if TYPE_CHECKING:
    from claimaudit.knowledge_base.model import AdverseEffect
    from claimaudit.rules.base import RuleContext


_plain = plain_text  # (one cache with the other rules)


@dataclass(frozen=True, slots=True)
class PhraseHit:
    kind: str  # absolute | care_promise | profile | safe_word | dependence
    text: str
    start: int  # index into claim.text
    end: int


def phrase_hits(claim: Claim, key: str) -> tuple[PhraseHit, ...]:
    """Non-negated occurrences of one phrase list of safety.yaml in the claim text."""
    return _phrase_hits(claim.text, key)


@lru_cache(maxsize=512)  # several SAFE rules ask about the same claims and keys
def _phrase_hits(original: str, key: str) -> tuple[PhraseHit, ...]:
    text = _plain(original)
    if key in _INDEXED_KEYS:
        if not _may_match_phrases((key,), folded(text), _present(text)):
            return ()  # no phrase of the list can be there
    else:
        gate = _phrase_gate((key,))
        if gate is not None and gate.search(folded(text)) is None:
            return ()  # no phrase of the list can be there
    hits = []
    for _, match in _phrase_table(key).finditer(text, (0,)):
        if negated_before(text, match.start()) or _inside_exclusion(text, match.start(), match.end()):
            continue
        if in_purpose(text, match.start()):
            continue
        hits.append(PhraseHit(key, original[match.start() : match.end()], match.start(), match.end()))
    return tuple(hits)


def dependence_hits(claim: Claim) -> tuple[PhraseHit, ...]:
    text = _plain(claim.text)
    if _dependence_table().closed(_present(text), folded(text)):
        return ()  # no dependence pattern can match
    return _dependence_hits(claim.text)


@lru_cache(maxsize=256)  # SAFE002 and SAFE003 both ask
def _dependence_hits(original: str) -> tuple[PhraseHit, ...]:
    text = _plain(original)
    hits = []
    table = _dependence_table()
    for _, match in table.finditer(text, table.candidates(text, _present(text))):
        if negated_before(text, match.start()):
            continue
        hits.append(PhraseHit("dependence", original[match.start() : match.end()], match.start(), match.end()))
    return tuple(sorted(hits, key=lambda h: h.start))


def minimising_hits(claim: Claim) -> tuple[PhraseHit, ...]:
    """Harms played down as a rule ("side effects are mild and temporary", "only minor side
    effects"); not negated."""
    text = _plain(claim.text)
    hits = []
    table = _minimising_table()
    for _, match in table.finditer(text, table.candidates(text, _present(text))):
        if not negated_before(text, match.start()):
            hits.append(PhraseHit("minimising", claim.text[match.start() : match.end()], match.start(), match.end()))
    return tuple(sorted(hits, key=lambda h: h.start))


def absence_hits(claim: Claim) -> tuple[PhraseHit, ...]:
    """Harms denied or waved away ("carries no long-term side effects", "no reports of
    lasting side effects", "very little risk"): the negation is the claim, so these hold
    whatever the claim's certainty."""
    text = _plain(claim.text)
    table = _table("absence_regex")
    hits = [
        PhraseHit("absence", claim.text[m.start() : m.end()], m.start(), m.end())
        for _, m in table.finditer(text, table.candidates(text, _present(text)))
        if not in_purpose(text, m.start()) and not _CONDITION_OPEN.search(text[: m.start()])
    ]
    return tuple(sorted(hits, key=lambda h: h.start))


_SPACE_OR_HYPHEN = compiled(r"[\s\-]+")
_CONDITION_OPEN = fast(compiled(r"\b(?:if|whether|when)\b[^,;]*$", re.I))


def may_assert_safety(claim: Claim, ctx: "RuleContext") -> bool:
    """False only when no phrase SAFE002 reports can occur in the claim: none of the literals
    that its profile, minimising, safe-word and absence phrases must contain, and no recorded
    adverse effect's name with the denial, rarity or dose wording around it (denied, called
    rare, put at high doses). The long scan for effect names runs last."""
    text = _plain(claim.text)
    haystack = folded(text)
    present = _present(text)
    gate = _assert_gate()
    if gate is not None and present.isdisjoint(gate[0]) and all(t.closed(present, haystack) for t in gate[1]):
        return False  # (most claims: none of the literals below, no phrase table open)
    if _may_hold_phrase(text, haystack, present):
        return True
    if present.isdisjoint(_HARM_LITERALS):
        return False  # no denial, rarity or dose wording
    names = _kb_gates(ctx)[0]
    return _HARM_CONTEXT.search(haystack) is not None and (names is None or _names_occur(names, haystack))


def _may_hold_phrase(text: str, haystack: str, present: frozenset[str]) -> bool:
    """False only when none of SAFE002's profile, safe-word, minimising and absence phrases can
    occur in `text` (a plain claim text; `haystack` folded, `present` its family literals): each
    list's own gate, as `phrase_hits`, `minimising_hits` and `absence_hits` apply it, rules it out."""
    for key in ("profile", "safe_word"):
        if _may_match_phrases((key,), haystack, present):
            return True
    for table in (_minimising_table(), _table("absence_regex")):
        # (`closed` first: the same answer for most texts without the table's bookkeeping)
        if not table.closed(present, haystack) and table.candidates(text, present):
            return True
    return False


@cache
def _assert_gate() -> tuple[frozenset[str], tuple[PatternTable, ...]] | None:
    """`may_assert_safety`'s first test: the literals of the profile and safe-word lists, of the
    minimising and absence tables and of the denial, rarity and dose wording, with those of the
    two tables that may be open without their literals (a digit, a pattern without literals).
    A claim holding none of them, with those tables closed, can hold no phrase SAFE002
    reports. None when a list has no literal to look for (no such shortcut)."""
    literals: set[str] = set(_HARM_LITERALS)
    for key in ("profile", "safe_word"):
        found = _phrase_literals((key,))
        if not found:
            return None
        literals |= found
    tables = (_minimising_table(), _table("absence_regex"))
    for table in tables:
        literals |= table.gate_literals()
    # a table closed whenever none of its literals is there (no digit, no pattern without
    # literals) needs no asking once the literals are known absent
    return frozenset(literals), tuple(t for t in tables if not t.closed(frozenset(), "0"))


_INDEXED_KEYS = ("absolute", "care_promise", "profile", "safe_word")  # phrase lists in the family index


def _family_literals() -> set[str]:
    """The literals the SAFE gates look for: the phrase lists', the dependence, minimising and
    absence tables', the denial, rarity and dose words."""
    literals: set[str] = set(_HARM_LITERALS)
    for keys in ((key,) for key in _INDEXED_KEYS):
        literals |= _phrase_literals(keys) or frozenset()
    literals |= _phrase_literals(("absolute", "care_promise")) or frozenset()
    for table in (_dependence_table(), _minimising_table(), _table("absence_regex")):
        literals |= table.gate_literals()
    return literals


def _present(text: str) -> frozenset[str]:
    """The family literals in a plain claim text, with other families': one scan
    (RULE_LITERALS)."""
    return RULE_LITERALS.present(folded(text))


RULE_LITERALS.register(_family_literals)


# what a denied, rare or dose-limited harm must contain besides its name (as folded): the
# denial (_denied_pattern), a rarity word (_RARE) or "dose" (_dose_limited_pattern)
_DENIAL = compiled(r"not|n't|never|no\s")
_RARITY = ("rare", "uncommon", "unusual", "infrequent", "seldom", "hardly", "unlikely")
_HARM_CONTEXT = compiled(_DENIAL.pattern + "|" + "|".join(_RARITY) + "|dose")
_HARM_LITERALS = frozenset(("no", "n't", "never", *_RARITY, "dose"))  # every match of _HARM_CONTEXT holds one


def _kb_gates(ctx: "RuleContext") -> tuple["_NameLiterals | None", frozenset[str]]:
    """SAFE002's gate of every effect name of the knowledge base (its `_names_literals`; None: it
    cannot rule out any text) and the knowledge base's substance and condition words, built once
    per knowledge base."""
    kb = ctx.kb.kb
    key = (len(kb.adverse_effects), len(kb.substances), len(kb.indications))
    if _GATE[0] is not kb or _GATE[1] != key:
        effects, topic = _gate_inputs(ctx)
        _GATE[:] = [kb, key, (_names_literals(effects, topic), topic), {}]
    return _GATE[2]  # type: ignore[no-any-return]


# the knowledge base the gates were built for, its sizes, the gates, and each substance's
# effect-name alternation and gate (by substance and common_only: the same for every document)
_GATE: list[Any] = [None, None, None, {}]


def may_promise_absolute_safety(claim: Claim) -> bool:
    """False only when neither an absolute-safety nor a care-promise phrase can occur in the
    claim (SAFE001's phrases). One scan."""
    literals = _phrase_literals(("absolute", "care_promise"))
    if not literals:
        return True
    text = _plain(claim.text)
    present = _present(text)
    return not present.isdisjoint(literals) and _may_match_phrases(("absolute", "care_promise"), folded(text), present)


def _may_match_phrases(keys: tuple[str, ...], haystack: str, present: frozenset[str]) -> bool:
    """False only when no phrase of the lists can match in the text folded to `haystack`
    (`present`: its family literals): each phrase whose literal is there is looked for by all
    its words, each of which a match holds (as `compile_phrases` joins them)."""
    by_literal = _phrase_words(keys)
    if by_literal is None:
        return True
    for literal in present & _phrase_keys(keys):  # (two sets: the smaller one is walked)
        for words in by_literal[literal]:
            for word in words:
                if word not in haystack:
                    break
            else:
                return True
    return False


@cache
def _phrase_words(keys: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]] | None:
    """The phrases of the lists filed under their first word among `_phrase_literals(keys)`,
    each as its other words (as `_cover` takes them; ASCII ones: as folded); None when the lists
    have no literals (nothing can be ruled out)."""
    literals = _phrase_literals(keys)
    if not literals:
        return None
    filed: dict[str, list[tuple[str, ...]]] = {}
    for phrase in (str(p) for key in keys for p in load_patterns("safety").get(key, [])):
        words = _phrase_word_list(phrase)
        literal = next((w for w in words if w in literals), None)
        if literal is None:
            return None  # (`_cover` gives every phrase a literal)
        filed.setdefault(literal, []).append(tuple(w for w in words if w and w != literal and w.isascii()))
    return {literal: tuple(phrases) for literal, phrases in filed.items()}


@cache
def _phrase_keys(keys: tuple[str, ...]) -> frozenset[str]:
    """The literals `_phrase_words(keys)` files phrases under (none when it is None)."""
    return frozenset(_phrase_words(keys) or ())


@cache
def _phrase_gate(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    """A literal gate for phrase lists of safety.yaml: one word of each phrase."""
    literals = _phrase_literals(keys)
    return literal_gate(literals) if literals is not None else None


@cache
def _phrase_literals(keys: tuple[str, ...]) -> frozenset[str] | None:
    """One word of each phrase of the lists (one of which every match holds), None when a
    phrase has no word to look for."""
    literals: set[str] = set()
    phrases = [str(p) for key in keys for p in load_patterns("safety").get(key, [])]
    return frozenset(literals) if _cover(phrases, literals, frozenset()) else None


def _cover(phrases: list[str], literals: set[str], topic: frozenset[str]) -> bool:
    """Add to `literals` one word of each phrase (compile_phrases: its words, a trailing *
    dropped) unless one is there already; False when a phrase has no usable word."""
    split = [_phrase_word_list(phrase) for phrase in phrases]
    shared = Counter(w for words in split for w in set(words))  # a word in many phrases covers them all
    for words in split:
        if any(w in literals for w in words):
            continue
        word = _rare_word(words, topic, shared)
        if word is None:
            return False
        literals.add(word)
    return True


def _phrase_word_list(phrase: str) -> list[str]:
    """A phrase's words (compile_phrases: a trailing * dropped), each lower-cased and without
    punctuation at its ends: a part of the word a match holds will do."""
    return [w.rstrip("*").lower().strip(",.;:!?\"()") for w in _SPACE_OR_HYPHEN.split(phrase.strip()) if w]


def _gate_inputs(ctx: "RuleContext") -> tuple[tuple[str, ...], frozenset[str]]:
    """Every adverse-effect name of the knowledge base (a superset of any one substance's), and
    the words of its substance and indication names (on nearly every claim of a page)."""
    kb = ctx.kb.kb
    effects = tuple(n for e in kb.adverse_effects.values() for n in (e.name, *e.aliases))
    names = [n for s in kb.substances.values() for n in (s.name, *s.aliases)]
    names += [i.name for i in kb.indications.values()]
    return effects, frozenset(w for n in names for w in _NON_WORD.split(n.casefold()) if w)


_NON_WORD = compiled(r"[^a-z0-9]+")


@lru_cache(maxsize=8)
def _joined(words: frozenset[str]) -> str:
    return "\0".join(sorted(words))


# frequent on health pages: a phrase's other words make better literals to look for
_FREQUENT = frozenset(
    "treatment treatments medicine symptoms experience increased feeling problems have very only "
    "because with than your the and people patients effective not can any all more most less for "
    "from are our will".split()
)


def _rare_word(words: list[str], topic: frozenset[str], shared: Counter[str] | None = None) -> str | None:
    """Of the words a match must contain, the one least likely on an unrelated claim: not a
    substance or condition name, not a frequent word, else the longest. None when no word is
    an ASCII literal of three or more characters."""
    usable = [w for w in words if len(w) >= 3 and w.isascii()]
    if not usable:
        return None
    counts: Counter[str] = shared if shared is not None else Counter()
    return min(usable, key=lambda w: (_common(w, topic), -counts[w], -len(w)))


def _common(literal: str, topic: frozenset[str]) -> int:
    """2: part of a substance or condition name; 1: a frequent word; else 0."""
    if literal in _joined(topic):  # (in one of the words: no literal holds the separator)
        return 2
    return 1 if literal in _FREQUENT else 0


def in_purpose(text: str, start: int) -> bool:
    """The safety words at `start` state the purpose of a process ("we monitor you to ensure
    your safety") or one side of a contrast ("the difference between a safe ..."), not a
    property of the drug."""
    before = text[max(0, start - 80) : start]
    return _table("purpose_regex").any_search(before)


def is_question(claim: Claim, start: int | None = None) -> bool:
    """The claim asks rather than asserts. With `start`, whether the text at `start` is in the
    asking part: a clause set before the question ("While X has been proven safe, what
    about Y?", "X is safe, so why wait?") still asserts."""
    text = _plain(claim.text).rstrip()
    if not text.endswith("?"):
        return False
    if start is None:
        return True
    if _CONDITIONAL_LEAD.match(text):
        return True
    turns = [m.start() for m in _QUESTION_TURN.finditer(text)]
    return not turns or start >= turns[-1]


# a comma, dash or semicolon, then the words that open a question
_QUESTION_TURN = compiled(
    r"[,;\u2013\u2014]\s*(?:(?:but|so|and|then)\s+)?(?:what|why|how|who|which|where|when|is|are|was|were|can|could|"
    r"do|does|did|should|would|will|isn't|aren't|doesn't|don't|have|has)\b",
    re.I,
)
_CONDITIONAL_LEAD = compiled(r"^\W*(?:if|whether|what\s+if|suppose)\b", re.I)


def denied_harm_hits(claim: Claim, ctx: "RuleContext", substance: str) -> tuple[PhraseHit, ...]:
    """A recorded adverse effect of the substance denied outright ("does not cause
    <effect>", "never leads to <effect>", "causes no <effect>"). The effect names come
    from the knowledge base, so every recorded harm is covered."""
    terms = _effect_terms(ctx, substance, common_only=False)
    text = _plain(claim.text)
    if not terms or _DENIAL.search(folded(text)) is None or not _effect_named(ctx, substance, text, common_only=False):
        return ()
    if _DENIED_ANYTHING.search(text) is None and _effects(ctx, substance, False)[2]:
        return ()  # nothing denied: the substance's own pattern need not even be compiled
    pattern = _denied_pattern(terms)
    return tuple(
        PhraseHit("denied", claim.text[m.start() : m.end()], m.start(), m.end())
        for m in pattern.finditer(text)
        if not in_purpose(text, m.start())
    )


@lru_cache(maxsize=64)
def _denied_pattern(terms: str) -> re.Pattern[str]:
    # plain: the callers' gates (context words, effect names) stand in for the prefilter
    return compiled(_denied_source(terms), re.I)  # terms: a substance's effect names


def _denied_source(terms: str) -> str:
    """A denial ("does not cause", "never leads to", "causes no"), up to two words, an effect
    name. (The two denials share the tail, so the long name alternation is compiled once; the
    order in which matches are tried is that of the two branches each with its own tail.)"""
    return (
        r"(?:\b(?:(?:does|do|did|will|would|can|could)\s*(?:not|n't)|never|won't|cannot|can't)\s+"
        r"(?:cause|causes|produce|produces|lead\s+to|leads\s+to|result\s+in|bring\s+on|trigger|induce|"
        r"suppress|depress|slow|impair|damage|harm|affect)\s+(?:any\s+|the\s+|your\s+)?"
        r"|\b(?:causes?|produces?|has|have|carries|carry)\s+no\s+)(?:[\w\-]+\s+){0,2}?(?:" + terms + r")\b"
    )


# _denied_pattern with any word character in place of the effect names: where that pattern
# matches, this one does at the same place when every name starts with a word character
_DENIED_ANYTHING = fast(compiled(_denied_source(r"\w").replace(r"(?:\w)\b", r"\w"), re.I))


def rarity_hits(claim: Claim, ctx: "RuleContext", substance: str) -> tuple[PhraseHit, ...]:
    """A common adverse effect of the substance (knowledge-base seriousness 'common') called
    rare or unusual ("<effect>, a rare side effect", "rarely causes <effect>")."""
    terms = _effect_terms(ctx, substance, common_only=True)
    text = _plain(claim.text)
    haystack = folded(text)
    if not terms or not any(w in haystack for w in _RARITY) or not _effect_named(ctx, substance, text, common_only=True):
        return ()
    hits = []
    for m in _rarity_pattern(terms).finditer(text):
        if _SEVERE_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
            continue  # "severe nausea is rare": a rare severe form
        if _NOT_RARE.search(m.group(0)):
            continue  # "not uncommon"
        if _SEVERE_FORM.search(m.group(0)):
            continue  # "rarely, nausea can become severe": a rare severe form, not the effect
        hits.append(PhraseHit("rarity", claim.text[m.start() : m.end()], m.start(), m.end()))
    return tuple(hits)


_RARE = r"(?:rare|rarely|uncommon|unusual|infrequent|seldom|hardly\s+ever|very\s+unlikely)"
_SEVERE_BEFORE = compiled(r"\b(?:serious|severe|dangerous)\s+$", re.I)
_NOT_RARE = compiled(r"\b(?:not|n't|never)\s+(?:so\s+|that\s+|very\s+|at\s+all\s+)?" + _RARE, re.I)
_SEVERE_FORM = compiled(r"\b(?:serious|severe|dangerous|life[\s\-]threatening|rare\s+cases)\b", re.I)


@lru_cache(maxsize=64)
def _rarity_pattern(terms: str) -> re.Pattern[str]:
    # plain: the callers' gates (context words, effect names) stand in for the prefilter
    return compiled(
        r"\b(?:" + terms + r")\b[^.;:()]{0,40}?\b" + _RARE + r"\b"
        r"|\b" + _RARE + r"\b[^.;:()]{0,30}?\b(?:" + terms + r")\b",
        re.I,
    )


def dose_limited_hits(claim: Claim, ctx: "RuleContext", substance: str) -> tuple[PhraseHit, ...]:
    """A common adverse effect placed at large doses only ("in high doses it can cause
    <effect>"): the knowledge base records it as common at the doses used in treatment."""
    terms = _effect_terms(ctx, substance, common_only=True)
    text = _plain(claim.text)
    if not terms or "dose" not in folded(text) or not _effect_named(ctx, substance, text, common_only=True):
        return ()
    return tuple(
        PhraseHit("dose_limited", claim.text[m.start() : m.end()], m.start(), m.end())
        for m in _dose_limited_pattern(terms).finditer(text)
        if not _STRONGER.search(m.group(0))
    )


_STRONGER = compiled(r"\b(?:more|stronger|intense|severe|greater|worse)\b", re.I)


@lru_cache(maxsize=64)
def _dose_limited_pattern(terms: str) -> re.Pattern[str]:
    # plain: the callers' gates (context words, effect names) stand in for the prefilter
    return compiled(
        r"\b(?:only\s+)?(?:in|at|with)\s+(?:very\s+|extremely\s+)?(?:large|larger|high|higher|big|excessive|"
        r"anaesthetic|anesthetic)\s+doses?\b[^.;:]{0,40}?\b(?:can|could|may|might|will|does|do)?\s*"
        r"(?:cause|causes|produce|produces|lead\s+to|leads\s+to|trigger|triggers|induce|induces)\s+"
        r"(?:an?\s+|some\s+)?(?:[\w\-]+\s+){0,2}?(?:" + terms + r")\b",
        re.I,
    )


@lru_cache(maxsize=64)
def _effect_terms_cached(names: tuple[str, ...]) -> str:
    # (ties in alphabetical order: the same pattern in every process, so its program is kept)
    ordered = sorted(sorted({n.casefold() for n in names if len(n) > 3}), key=len, reverse=True)
    return "|".join(_term_pattern(n) for n in ordered)


def _term_pattern(name: str) -> str:
    """Words of an effect name, any spacing or hyphen; a long single word also matches its
    other forms ("dissociation" -> "dissociative")."""
    words = _SPACE_OR_HYPHEN.split(name)
    if len(words) == 1 and len(name) >= 8:
        return re.escape(name[:-3]) + r"\w*"
    return r"[\s\-]+".join(map(re.escape, words))


def _effect_terms(ctx: "RuleContext", substance: str, *, common_only: bool) -> str:
    """The effect-name alternation for the substance, once per document (the context memo)."""
    return _effects(ctx, substance, common_only)[0]


def _effect_named(ctx: "RuleContext", substance: str, text: str, *, common_only: bool) -> bool:
    """False only when none of the substance's effect names can occur in `text` (a plain claim
    text): the patterns that end in one cannot match."""
    literals = _effects(ctx, substance, common_only)[1]
    return literals is None or _names_occur(literals, folded(text))


_NameLiterals = tuple[tuple[str, bool], ...]


_Effects = tuple[str, _NameLiterals | None, bool]  # names alternation, gate literals, all start with \w


def _effects(ctx: "RuleContext", substance: str, common_only: bool) -> _Effects:
    key = f"safe:effect_terms:{substance}:{common_only}"
    found: _Effects | None = ctx.memo.get(key)
    if found is None:
        topic = _kb_gates(ctx)[1]  # (and the cache below is the current knowledge base's)
        by_substance: dict[tuple[str, bool], _Effects] = _GATE[3]
        found = by_substance.get((substance, common_only))
        if found is None:
            names: list[str] = []
            for effect in ctx.kb.adverse_effects_for(substance):
                if common_only and effect.seriousness != "common":
                    continue
                names += [effect.name, *effect.aliases]
            found = by_substance[(substance, common_only)] = (
                _effect_terms_cached(tuple(names)), _names_literals(tuple(names), topic),
                all(_is_word_character(n.casefold()[:1]) for n in names if len(n) > 3))
        ctx.memo[key] = found
    return found


@lru_cache(maxsize=64)
def _names_literals(names: tuple[str, ...], topic: frozenset[str]) -> _NameLiterals | None:
    """A literal gate over the effect names: one rare word of each, as `_term_pattern` matches
    it, with whether it is looked for at a word start only (the patterns put an effect name
    after a word boundary, space or hyphen, so a word starting with a word character can only
    stand at a word start); None when some name has no literal (or none has one: nothing can
    be ruled out)."""
    literals: set[str] = set()
    for name in sorted({n.casefold() for n in names if len(n) > 3}):
        words = _SPACE_OR_HYPHEN.split(name)
        word = _rare_word([name[:-3]] if len(words) == 1 and len(name) >= 8 else words, topic)
        if word is None:
            return None
        literals.add(word)
    return tuple((w, bool(_WORD_START.match(w))) for w in sorted(literals)) or None


def _names_occur(literals: _NameLiterals, haystack: str) -> bool:
    """Does one of these literals occur in `haystack` (at a word start where it must)? One
    search (`_names_finder`)."""
    return _names_finder(literals).search(haystack) is not None


@lru_cache(maxsize=64)
def _names_finder(literals: _NameLiterals) -> re.Pattern[str]:
    """A regex that finds the literals of `_names_occur`: those looked for at a word start
    behind `(?<!\\w)` (\\b before a word character: the text's start or a non-word character
    before), the others anywhere; each set as a trie (one look per position, not one `find`
    per literal)."""
    at_start = literal_source(word for word, start in literals if start)
    anywhere = literal_source(word for word, start in literals if not start)
    parts = ([f"(?<!\\w)(?:{at_start})"] if at_start is not None else []) + ([anywhere] if anywhere is not None else [])
    return compiled("|".join(parts) if parts else "(?!)")


def _is_word_character(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a str pattern


_WORD_START = compiled(r"\w")


def subject(claim: Claim, ctx: "RuleContext") -> str | None:
    """The focus substance the safety statement is about (named, else the page's topic)."""
    named = focus_substances(claim.subject_substances, ctx)
    if named:
        return named[0]
    if claim.substances:
        return None  # about another substance (a comparator)
    # no substance named and no page topic resolved: a page that names a single focus
    # substance family ("ketamine" and its derived "esketamine" count as one) is about it
    on_page = focus_substances(ctx.facts.substances, ctx) if ctx.facts is not None else ()
    roots = {ctx.kb.substance_family(s)[-1] for s in on_page}
    return on_page[0] if len(roots) == 1 else None


def harms_summary(ctx: "RuleContext", substance: str) -> tuple[str, list[EvidenceRef]]:
    """'N known adverse effects of ketamine: a, b, c ...; contraindications: x, y' + evidence."""
    effects = ctx.kb.adverse_effects_for(substance)
    contra = ctx.kb.contraindications_for(substance)
    name = substance_label(ctx, substance)
    parts = []
    if effects:
        parts.append(
            f"{plural(len(effects), 'known adverse effect')} of {name}: {name_list([e.name for e in effects])}"
        )
    if contra:
        parts.append(f"contraindications: {name_list([c.condition for c in contra], limit=3)}")
    evidence = [source_ref(e.id, e.name, e.sources, e.frequency) for e in effects[:4]]
    evidence += [source_ref(c.id, c.condition, c.sources) for c in contra[:2]]
    return "; ".join(parts), evidence


def dependence_effects(ctx: "RuleContext", substance: str) -> tuple["AdverseEffect", ...]:
    pattern = family_regex("safety", "dependence_terms")
    return tuple(
        e for e in ctx.kb.adverse_effects_for(substance)
        if pattern.search(" ".join((e.id.replace("_", " "), e.name, *e.aliases)))
    )


# ---------------------------------------------------------------- private helpers


def _inside_exclusion(text: str, start: int, end: int) -> bool:
    for match in _phrases("not_about_treatment").finditer(text):
        if match.start() <= start and end <= match.end():
            return True
    return any(
        m.start() <= start and end <= m.end() for _, m in _table("setting_regex").finditer(text)
    )


@cache
def _phrases(key: str) -> re.Pattern[str]:
    """A phrase list of safety.yaml, behind the literal prefilter."""
    return fast(family_regex("safety", key))


@cache
def _phrase_table(key: str) -> PatternTable:
    """A phrase list of safety.yaml as a one-pattern table: its matches, as the list's regex
    finds them, tried only where a leading literal of it starts."""
    return PatternTable([family_regex("safety", key)])


@cache
def _table(key: str) -> PatternTable:
    """A regex list of safety.yaml as a table (only the patterns that can match are run)."""
    return PatternTable(regex_list("safety", key))


@cache
def _dependence_table() -> PatternTable:
    return PatternTable(_dependence_patterns())


@cache
def _minimising_table() -> PatternTable:
    return PatternTable(_minimising_patterns())


@cache
def _dependence_patterns() -> tuple[re.Pattern[str], ...]:
    raw = load_patterns("safety").get("dependence_regex", [])
    return tuple(compiled(str(r), re.IGNORECASE) for r in raw)


@cache
def _minimising_patterns() -> tuple[re.Pattern[str], ...]:
    raw = load_patterns("safety").get("minimising_regex", [])
    return tuple(compiled(str(r), re.IGNORECASE) for r in raw)
