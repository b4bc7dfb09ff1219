"""Typed queries over a loaded KnowledgeBase: what the rules and the NLP components ask."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from claimaudit.knowledge_base.model import (
    RECORD_TABLES,
    AdverseEffect,
    Approval,
    Contraindication,
    EvidenceAssessment,
    Indication,
    KnowledgeBase,
    Mechanism,
    OnsetDurability,
    Regulator,
    SourceKind,
    Study,
    Substance,
)
from claimaudit.nlp import analysis_cache

_T = TypeVar("_T")
ApprovalStatus = Literal["approved", "not_approved", "approved_for_other", "unknown"]
LexiconKind = Literal["substance", "indication", "regulator", "adverse_effect", "contraindication"]

_SERIOUSNESS_ORDER = {"serious": 0, "long_term": 1, "common": 2}
# the triggers (mechanism index, terms) filed under some terms; and terms with their triggers
_Filed = tuple[tuple[int, frozenset[re.Pattern[str]]], ...]
_RunTerms = tuple[frozenset[re.Pattern[str]], _Filed]
_YEAR = analysis_cache.compiled(r"\b(19\d\d|20\d\d)[a-z]?\b")
_WORD = analysis_cache.compiled(r"[^\W\d_][^\W\d_'\u2019\-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class ApprovalAnswer:
    """Is `substance` approved for `indication` by the given regulators?

    status: "approved" (an approval for the indication or a broader one it belongs to),
    "not_approved" (an explicit not-approved row), "approved_for_other" (no row for it, but
    the substance is approved for something else), "unknown" (nothing recorded).
    """

    status: ApprovalStatus
    substance: str
    indication: str
    regulators: tuple[str, ...]
    approvals: tuple[Approval, ...] = ()  # rows for this indication (approved or not)
    approved_indications: tuple[str, ...] = ()  # what the substance IS approved for there
    narrower: tuple[Approval, ...] = ()  # approvals for more specific indications (trd for mdd)

    @property
    def approved(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One phrase that names a knowledge-base entity, for term recognition."""

    kind: LexiconKind
    entity_id: str
    phrase: str


@dataclass(frozen=True, slots=True)
class StudyMatch:
    """A fuzzy match of citation text to a study, and what it matched on."""

    study: Study
    score: float  # 0..100
    matched_on: str  # "title" | "first_author" | "author" | "given_name"
    year_matches: bool | None  # None when the text gives no year


@dataclass(frozen=True, slots=True)
class _CompiledMechanism:
    mechanism: Mechanism
    triggers: tuple[tuple[re.Pattern[str], ...], ...]
    exclude: tuple[tuple[re.Pattern[str], ...], ...]
    # each trigger (exclude) as (its set of terms, its number of terms); every trigger term
    trigger_sets: tuple[tuple[frozenset[re.Pattern[str]], int], ...] = ()
    exclude_sets: tuple[tuple[frozenset[re.Pattern[str]], int], ...] = ()
    terms: frozenset[re.Pattern[str]] = frozenset()

    @classmethod
    def build(cls, mechanism: Mechanism) -> "_CompiledMechanism":
        triggers, exclude = _compile_triggers(mechanism.triggers), _compile_triggers(mechanism.exclude)
        return cls(
            mechanism, triggers, exclude,
            tuple((frozenset(t), len(t)) for t in triggers),
            tuple((frozenset(t), len(t)) for t in exclude),
            frozenset(p for t in triggers for p in t),
        )


class KnowledgeLookup:
    """Read-only queries over one KnowledgeBase (build once, share freely)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._name_index: tuple[list[tuple[Study, str]], list[tuple[int, str, float, str]]] | None = None
        self._name_columns: dict[str, tuple[int, ...]] | None = None  # see `_study_name_columns`
        self._titles: _TitleTable | None = None  # see `_title_scores`
        self.kb = kb
        self._mechanisms = tuple(_CompiledMechanism.build(m) for m in kb.mechanisms.values())
        self._lexicon: tuple[LexiconEntry, ...] | None = None
        self._names: dict[tuple[str, str], str] | None = None
        self._term_index: _TermIndex | None = None
        # see `runs_with_terms`: the runs that bring a term with what they bring, and the runs
        # already classified (every one of those that brings a term is in the first); replaced
        # as a pair when full, never cleared, so a text being read keeps a consistent pair
        self._run_memo: tuple[dict[str, _RunTerms], set[str]] = ({}, set())
        self._run_finder: re.Pattern[str] | None = None  # see `_term_run_finder`
        self._always: _RunTerms | None = None  # see `_always_terms`
        self._scored: dict[frozenset[re.Pattern[str]], tuple[Mechanism, ...]] = {}  # see `_scored_mechanisms`
        self._by_term: tuple[
            dict[re.Pattern[str], tuple[int, ...]], dict[re.Pattern[str], _Filed]
        ] | None = None  # see `_mechanisms_by_term`
        # answers to repeated hierarchy and table queries (the base does not change after load)
        self._memo: dict[tuple[object, ...], object] = {}

    # ------------------------------------------------------------ records by id

    def substance(self, id: str) -> Substance | None:
        return self.kb.substances.get(id)

    def indication(self, id: str) -> Indication | None:
        return self.kb.indications.get(id)

    def regulator(self, id: str) -> Regulator | None:
        return self.kb.regulators.get(id)

    def study(self, id: str) -> Study | None:
        return self.kb.studies.get(id)

    def source_kind(self, id: str) -> SourceKind | None:
        return self.kb.source_kinds.get(id)

    def names_trial_control(self, text: str) -> bool:
        """`text` names, as a whole word in any case, a substance the base gives to trials'
        control arms (`Substance.trial_control`: "compared with midazolam")."""
        key = ("trial control",)
        pattern = self._memo.get(key, False)
        if pattern is False:
            names = sorted(
                {n for s in self.kb.substances.values() if s.trial_control for n in s.names() if n},
                key=lambda n: (-len(n), n),
            )
            pattern = self._memo[key] = (
                re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.I) if names else None
            )
        return pattern is not None and pattern.search(text) is not None  # type: ignore[attr-defined]

    def record(self, id: str) -> object | None:
        """Any record by id, whatever its kind."""
        for table in RECORD_TABLES:
            records: dict[str, object] = getattr(self.kb, table)
            if id in records:
                return records[id]
        return None

    # ------------------------------------------------------------ hierarchy

    def indication_ancestors(self, id: str) -> tuple[str, ...]:
        """The indication first, then its parents up to the root (trd, mdd)."""
        key = ("ancestors", id)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._indication_ancestors(id)
        return found  # type: ignore[return-value]

    def _indication_ancestors(self, id: str) -> tuple[str, ...]:
        chain: list[str] = []
        current: str | None = id
        while current and current in self.kb.indications and current not in chain:
            chain.append(current)
            current = self.kb.indications[current].parent
        return tuple(chain) if chain else ((id,) if id else ())

    def indication_descendants(self, id: str) -> tuple[str, ...]:
        """Indications below `id` (not including it)."""
        key = ("descendants", id)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._indication_descendants(id)
        return found  # type: ignore[return-value]

    def _indication_descendants(self, id: str) -> tuple[str, ...]:
        return tuple(
            other
            for other in self.kb.indications
            if other != id and id in self.indication_ancestors(other)
        )

    def substance_family(self, id: str) -> tuple[str, ...]:
        """The substance first, then what it derives from (esketamine, ketamine)."""
        key = ("family", id)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._substance_family(id)
        return found  # type: ignore[return-value]

    def _substance_family(self, id: str) -> tuple[str, ...]:
        chain: list[str] = []
        current: str | None = id
        while current and current in self.kb.substances and current not in chain:
            chain.append(current)
            current = self.kb.substances[current].parent
        return tuple(chain) if chain else ((id,) if id else ())

    # ------------------------------------------------------------ regulators and approvals

    def regulators_for_jurisdictions(self, codes: Iterable[str]) -> tuple[str, ...]:
        wanted = {code.upper() for code in codes}
        return tuple(r.id for r in self.kb.regulators.values() if r.jurisdiction.upper() in wanted)

    def approvals_for(
        self, substance: str, indication: str | None = None, regulator: str | None = None
    ) -> tuple[Approval, ...]:
        """Approval rows for exactly this substance (and indication / regulator if given)."""
        key = ("approvals", substance, indication, regulator)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._approvals_for(substance, indication, regulator)
        return found  # type: ignore[return-value]

    def _approvals_for(self, substance: str, indication: str | None, regulator: str | None) -> tuple[Approval, ...]:
        return tuple(
            a
            for a in self.kb.approvals.values()
            if a.substance == substance
            and (indication is None or a.indication == indication)
            and (regulator is None or a.regulator == regulator)
        )

    def approved_uses(
        self, substance: str, regulators: Iterable[str] | None = None
    ) -> tuple[Approval, ...]:
        """Approvals (status approved) of the substance by those regulators (all if None)."""
        allowed = self._regulator_set(regulators)
        return tuple(
            a
            for a in self.approvals_for(substance)
            if a.approved and (allowed is None or a.regulator in allowed)
        )

    def approval_status(
        self, substance: str, indication: str, regulators: Iterable[str] | None = None
    ) -> ApprovalAnswer:
        """Answer "is X approved for Y (by these regulators)?" from the approvals table."""
        chosen = None if regulators is None else tuple(regulators)
        key = ("status", substance, indication, chosen)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._approval_status(substance, indication, chosen)
        return found  # type: ignore[return-value]

    def _approval_status(
        self, substance: str, indication: str, regulators: tuple[str, ...] | None
    ) -> ApprovalAnswer:
        allowed = self._regulator_set(regulators)
        reg_tuple = tuple(sorted(allowed)) if allowed is not None else ()
        rows = [
            a for a in self.approvals_for(substance) if allowed is None or a.regulator in allowed
        ]
        approved = [a for a in rows if a.approved]
        approved_indications = tuple(dict.fromkeys(a.indication for a in approved))
        ancestors = self.indication_ancestors(indication)
        covering = tuple(a for a in approved if a.indication in ancestors)
        denied = tuple(a for a in rows if not a.approved and a.indication in ancestors)
        below = set(self.indication_descendants(indication))
        narrower = tuple(a for a in approved if a.indication in below)
        if covering:
            status: ApprovalStatus = "approved"
            matching = covering
        elif denied:
            status, matching = "not_approved", denied
        elif approved:
            status, matching = "approved_for_other", ()
        else:
            status, matching = "unknown", ()
        return ApprovalAnswer(
            status=status,
            substance=substance,
            indication=indication,
            regulators=reg_tuple,
            approvals=matching,
            approved_indications=approved_indications,
            narrower=narrower,
        )

    def _regulator_set(self, regulators: Iterable[str] | None) -> set[str] | None:
        if regulators is None:
            return None
        chosen = set(regulators)
        return chosen or None

    # ------------------------------------------------------------ evidence

    def assessment_for(self, substance: str, indication: str) -> EvidenceAssessment | None:
        """The grade for substance x indication: walk indication parents, then substance parents."""
        key = ("assessment_for", substance, indication)
        found = self._memo.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._memo[key] = self._assessment_for(substance, indication)
        return found  # type: ignore[return-value]

    def _assessment_for(self, substance: str, indication: str) -> EvidenceAssessment | None:
        table = self._memo.get(("assessments",))
        if table is None:
            table = self._memo[("assessments",)] = {(a.substance, a.indication): a for a in self.kb.assessments.values()}
        return _walk_pairs(self.substance_family(substance), self.indication_ancestors(indication), table)  # type: ignore[arg-type]

    def onset_durability_for(self, substance: str, indication: str) -> OnsetDurability | None:
        """Onset/durability for substance x indication, walking parents like assessment_for."""
        return _walk_pairs(
            self.substance_family(substance),
            self.indication_ancestors(indication),
            {(o.substance, o.indication): o for o in self.kb.onset_durability.values()},
        )

    def adverse_effects_for(self, substance: str) -> tuple[AdverseEffect, ...]:
        """Adverse effects recorded for the substance or what it derives from, serious first."""
        family = set(self.substance_family(substance))
        found = [ae for ae in self.kb.adverse_effects.values() if family & set(ae.substances)]
        return tuple(sorted(found, key=lambda ae: _SERIOUSNESS_ORDER.get(ae.seriousness, 3)))

    def contraindications_for(self, substance: str) -> tuple[Contraindication, ...]:
        """Contraindications recorded for the substance or what it derives from."""
        family = set(self.substance_family(substance))
        found = [c for c in self.kb.contraindications.values() if family & set(c.substances)]
        return tuple(sorted(found, key=lambda c: c.kind != "absolute"))

    def studies_for(self, substance: str, indication: str | None = None) -> tuple[Study, ...]:
        """Studies covering the substance (or its family) and, if given, the indication or its parents."""
        key = ("studies_for", substance, indication)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._studies_for(substance, indication)
        return found  # type: ignore[return-value]

    def _studies_for(self, substance: str, indication: str | None) -> tuple[Study, ...]:
        family = set(self.substance_family(substance))
        wanted = set(self.indication_ancestors(indication)) if indication else None
        return tuple(
            s
            for s in self.kb.studies.values()
            if family & set(s.substances) and (wanted is None or wanted & set(s.indications))
        )

    # ------------------------------------------------------------ mechanisms

    def mechanisms_matching(self, text: str) -> list[Mechanism]:
        """Mechanism entries whose triggers occur in `text` (one sentence).

        Ordered misconceptions first, then most specific (more terms in the matching
        trigger), then base order.
        """
        return list(self._mechanisms_matching_cached(text))

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - the lookup lives as long as its base
    def _mechanisms_matching_cached(self, text: str) -> tuple[Mechanism, ...]:
        lowered = _fold(text)
        runs = self.runs_with_terms(lowered)
        always, always_filed = self._always_terms()
        if not runs and not always_filed:
            return ()  # no trigger can be whole
        filed_lists = [filed for _, filed in runs.values() if filed]
        if always_filed:
            filed_lists.append(always_filed)
        if not filed_lists:
            return ()  # no trigger is filed under a term that may occur
        # the terms that may occur (a superset): those the index cannot key, and the runs' terms
        candidates = always.union(*[terms for terms, _ in runs.values()])
        # a term's pattern is run only when its trigger (or an exclusion of a mechanism with such a
        # trigger) has all its terms among the candidates: no other term can change the answer
        wanted: set[re.Pattern[str]] = set()
        possible: set[int] = set()
        for filed in filed_lists:
            for order, terms in filed:
                if terms <= candidates:
                    wanted |= terms
                    possible.add(order)
        if not wanted:
            return ()  # no trigger has all its terms among the candidates
        for order in possible:
            for terms, _ in self._mechanisms[order].exclude_sets:
                if terms <= candidates:
                    wanted |= terms
        matched = frozenset({p for p in wanted if p.search(lowered)})
        if not matched:
            return ()  # no term of any trigger occurs
        return self._scored_mechanisms(matched)

    def _always_terms(self) -> _RunTerms:
        """The terms the word-start index cannot key (candidates of every text) and the
        triggers filed under them (`_mechanisms_by_term`)."""
        if self._always is None:
            self._ensure_term_index()
            assert self._term_index is not None
            always = frozenset(self._term_index[0])
            self._always = (always, self._filed_under(always))
        return self._always

    def _filed_under(self, terms: Iterable[re.Pattern[str]]) -> _Filed:
        """The triggers (mechanism index, terms) filed under one of `terms` (`_mechanisms_by_term`)."""
        keyed = self._mechanisms_by_term()[1]
        return tuple(dict.fromkeys(filed for term in terms for filed in keyed.get(term, ())))

    def _scored_mechanisms(self, matched: frozenset[re.Pattern[str]]) -> tuple[Mechanism, ...]:
        """The mechanisms a text matches whose matching terms are `matched`, in the order of
        `mechanisms_matching`. Remembered by `matched`."""
        found = self._scored.get(matched)
        if found is not None:
            return found
        by_term, _keyed = self._mechanisms_by_term()
        hits: list[tuple[bool, int, int, Mechanism]] = []
        # only a mechanism with a trigger term among `matched` can score (an empty trigger scores 0)
        for order in {order for term in matched for order in by_term.get(term, ())}:
            compiled = self._mechanisms[order]
            best = max((size for terms, size in compiled.trigger_sets if terms <= matched), default=0)
            if best and any(terms <= matched for terms, _ in compiled.exclude_sets):
                continue
            if best:
                hits.append(
                    (not compiled.mechanism.misconception, -best, order, compiled.mechanism)
                )
        if len(self._scored) > _SCORED_MEMO_SIZE:
            self._scored.clear()
        found = self._scored[matched] = tuple(hit[3] for hit in sorted(hits, key=lambda h: h[:3]))
        return found

    def _mechanisms_by_term(
        self,
    ) -> tuple[dict[re.Pattern[str], tuple[int, ...]], dict[re.Pattern[str], _Filed]]:
        """Each trigger term -> the mechanisms (indices in `_mechanisms`) with a trigger holding
        it; and each term -> the triggers (mechanism index, terms; not empty) filed under it:
        every trigger under one of its terms, the one in fewest triggers."""
        if self._by_term is None:
            found: dict[re.Pattern[str], list[int]] = {}
            uses: dict[re.Pattern[str], int] = {}
            for order, compiled in enumerate(self._mechanisms):
                for term in compiled.terms:
                    found.setdefault(term, []).append(order)
                for terms, _ in compiled.trigger_sets:
                    for term in terms:
                        uses[term] = uses.get(term, 0) + 1
            keyed: dict[re.Pattern[str], list[tuple[int, frozenset[re.Pattern[str]]]]] = {}
            for order, compiled in enumerate(self._mechanisms):
                for terms, _ in compiled.trigger_sets:
                    if terms:
                        key = min(terms, key=lambda term: (uses[term], term.pattern))
                        keyed.setdefault(key, []).append((order, terms))
            self._by_term = (
                {term: tuple(orders) for term, orders in found.items()},
                {term: tuple(filed) for term, filed in keyed.items()},
            )
        return self._by_term

    def _ensure_term_index(self) -> None:
        """Build the word-start index of every trigger and exclude term (`_index_terms`) once."""
        if self._term_index is None:
            self._term_index = _index_terms(
                (pattern, term)
                for c in self._mechanisms
                for compiled, raw in ((c.triggers, c.mechanism.triggers), (c.exclude, c.mechanism.exclude))
                for patterns, terms in zip(compiled, raw)
                for pattern, term in zip(patterns, terms)
            )

    def runs_with_terms(self, lowered: str) -> dict[str, _RunTerms]:
        """The runs of word characters of `lowered` that may start a term, each with the terms
        it may start and the triggers filed under them. A term's match starts a run with the
        first word of one of its alternatives (`_first_words`): a run that is that word, or, for
        a prefix ("repair*"), one that starts with that word's leading word characters. What
        each run brings is remembered: runs recur from text to text."""
        memo, seen = self._run_memo
        if len(memo) > _RUN_MEMO_SIZE or len(seen) > _SEEN_RUNS_SIZE:
            memo, seen = self._run_memo = ({}, set())
        if lowered.isascii():
            # an ASCII text's runs in C: each character that is no word character made a space,
            # then split; only the runs not classified before are looked at one by one
            runs = set(lowered.encode().translate(_WORD_BYTES).decode().split())
            new = runs - seen
            if len(seen) + len(new) > _SEEN_RUNS_SIZE:
                # more runs than the memo may hold: this text is answered from scratch sets,
                # and the shared pair is left as it is
                memo, seen = dict(memo), set()
                self._classify_runs(new, memo, seen)
            elif new:
                self._classify_runs(new, memo, seen)
            return {run: memo[run] for run in memo.keys() & runs}
        finder = self._run_finder if self._run_finder is not None else self._term_run_finder()
        found: dict[str, _RunTerms] = {}
        for run in set(finder.findall(lowered)):
            entry = memo.get(run)
            if entry is None:
                terms = self._terms_of_run(run)
                if not terms:
                    continue  # (the finder finds only runs that bring a term)
                entry = memo[run] = (terms, self._filed_under(sorted(terms, key=lambda t: t.pattern)))
            found[run] = entry
        return found

    def _classify_runs(self, runs: Iterable[str], memo: dict[str, _RunTerms], seen: set[str]) -> None:
        """Put each run that brings a term in `memo` with what it brings, then each run in
        `seen` (in that order: a run in `seen` is in `memo` if it brings a term)."""
        self._ensure_term_index()
        assert self._term_index is not None
        _always, whole, by_start = self._term_index
        for run in runs:
            if run not in memo and (run in whole or run[:3] in by_start):
                terms = self._terms_of_run(run)
                if terms:
                    memo[run] = (terms, self._filed_under(sorted(terms, key=lambda t: t.pattern)))
            seen.add(run)

    def _term_run_finder(self) -> re.Pattern[str]:
        """A regex whose `findall` gives the runs of word characters (`_RUN`) that bring a term
        (`_terms_of_run`), and no other: a run that is one of the index's whole words, or that
        starts with the leading word characters of one of its prefix words. Tried at run starts."""
        from claimaudit.nlp.literal_trie import literal_source

        self._ensure_term_index()
        assert self._term_index is not None
        _always, whole, by_start = self._term_index
        heads = {head.group() for firsts in by_start.values() for first, _ in firsts if (head := _RUN.match(first))}
        words = literal_source(whole, longest=True)  # every word ending at a run's end, not the shortest
        starts = literal_source(heads)
        alternatives = [f"(?:{words})(?!\\w)"] if words is not None else []
        if starts is not None:
            alternatives.append(starts)
        source = f"(?<!\\w)(?=(?:{'|'.join(alternatives)}))\\w+" if alternatives else "(?!)"
        self._run_finder = analysis_cache.compiled(source)
        return self._run_finder

    def _terms_of_run(self, run: str) -> frozenset[re.Pattern[str]]:
        """The terms a run of word characters may start (`runs_with_terms`)."""
        assert self._term_index is not None
        _always, whole, by_start = self._term_index
        found = set(whole.get(run, ()))
        for first, terms in by_start.get(run[:3], ()):
            head = _RUN.match(first)  # its first three characters are word characters
            if head is not None and run.startswith(head.group()):
                found.update(terms)
        return frozenset(found)

    # ------------------------------------------------------------ studies by citation

    def studies_by_author(self, surname: str) -> tuple[Study, ...]:
        """Studies with this author surname (any position), oldest first; accents ignored."""
        key = _fold(surname).strip()
        found = [s for s in self.kb.studies.values() if key in {_fold(a) for a in s.authors}]
        return tuple(sorted(found, key=lambda s: (s.year, s.id)))

    def find_study(
        self, text: str, year: int | None = None, *, threshold: float = 75.0
    ) -> tuple[Study, float] | None:
        """The study a citation text most likely means, with a 0-100 score (None below threshold)."""
        match = self.match_study(text, year, threshold=threshold)
        return (match.study, match.score) if match else None

    def match_study(
        self, text: str, year: int | None = None, *, threshold: float = 75.0
    ) -> StudyMatch | None:
        """Fuzzy citation matching over titles and author names, tolerant of misspellings
        and word order; a year in the text (or `year`) confirms or penalises a candidate."""
        return self._match_study_cached(text, year, threshold)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - the lookup lives as long as its base
    def _match_study_cached(self, text: str, year: int | None, threshold: float) -> StudyMatch | None:
        years = [int(y) for y in _YEAR.findall(text)] if year is None else [year]
        folded = _fold(text)
        words = list(dict.fromkeys(w for w in _folded_words(text, folded) if len(w) >= 3))
        studies = self._study_name_index()[0]
        name_scores = self._name_scores(words, threshold, tuple(years))
        title_scores = self._title_scores(folded, threshold, years) if len(folded) >= 25 else None
        best: StudyMatch | None = None
        for index in _scored_studies(title_scores, name_scores, threshold):
            study = studies[index][0]
            score, matched_on = 0.0, ""
            if title_scores is not None:
                title_score = title_scores.get(index, 0.0)  # 0 for a study without a title
                if title_score > score:
                    score, matched_on = title_score, "title"
            for candidate, kind in name_scores[index]:
                if candidate > score:
                    score, matched_on = candidate, kind
            year_matches: bool | None = None
            if years:
                year_matches = study.year in years
                if not year_matches:
                    near = any(abs(study.year - y) == 1 for y in years)
                    score -= 8 if near else 25
            if score >= threshold and (best is None or score > best.score):
                best = StudyMatch(study, round(score, 1), matched_on, year_matches)
        return best

    def _name_scores(self, words: list[str], threshold: float, years: tuple[int, ...]) -> list[list[tuple[float, str]]]:
        """For each study (`_study_name_index` order), (score, kind) of each of its names that
        can count: the name's best `fuzz.ratio` with a word (a word or a name of three characters
        or fewer only scores, 100, when equal) times its weight, with a bonus for an early word."""
        from rapidfuzz import fuzz, process

        studies, names = self._study_name_index()
        name_scores: list[list[tuple[float, str]]] = [[] for _ in studies]
        if not words or not names:
            return name_scores
        equal_columns = self._study_name_columns()
        needs, fuzzy_columns, fuzzy_texts, cutoff = self._name_plan(years, threshold)
        best: dict[int, tuple[float, int]] = {}  # column -> (best ratio, first word with it)
        rows = [row for row, word in enumerate(words) if len(word) > 3]
        if rows and fuzzy_columns:
            matrix = process.cdist([words[row] for row in rows], fuzzy_texts, scorer=fuzz.ratio, score_cutoff=cutoff)
            hit_rows, hit_columns = matrix.nonzero()  # row by row: a column's first row first
            ratios = matrix[hit_rows, hit_columns].tolist()
            for hit_row, hit_column, ratio in zip(hit_rows.tolist(), hit_columns.tolist(), ratios):
                column = fuzzy_columns[hit_column]
                found = best.get(column)
                if found is None or ratio > found[0]:
                    best[column] = (ratio, rows[hit_row])
        for row, word in enumerate(words):  # a word equal to a name scores 100, however short
            for column in equal_columns.get(word, ()):
                found = best.get(column)
                if found is None or found[0] < 100.0 or row < found[1]:
                    best[column] = (100.0, row)
        for column in sorted(best):
            ratio, first_row = best[column]
            if ratio > 0 and ratio >= needs[column]:
                study_index, _name, weight, matched_on = names[column]
                # A name that appears earlier in the text wins a tie ("Popova V, Daly EJ, ..."
                # is Popova's paper, not Daly's): a bonus far below one fuzzy point.
                earliness = 0.01 * (1 - first_row / len(words))
                name_scores[study_index].append((ratio * weight + earliness, matched_on))
        return name_scores

    def _name_plan(self, years: tuple[int, ...], threshold: float) -> tuple[list[float], list[int], list[str], float]:
        """For citation years `years`: the least ratio with which each name (`_study_name_index`
        order) can count (its score, at most ratio * weight + 0.01, reaching `threshold` plus
        its study's year penalty); the names longer than three characters that can count
        (columns, folded texts), and the least ratio of those."""
        key = ("name_plan", years, threshold)
        found = self._memo.get(key)
        if found is None:
            penalties = self._year_penalties(years)
            names = self._study_name_index()[1]
            # 1e-6: rounding
            needs = [(threshold + penalties[study] - 0.01) / weight - 1e-6 for study, _name, weight, _kind in names]
            fuzzy = [c for c, (_study, name, _w, _k) in enumerate(names) if len(name) > 3 and needs[c] <= 100]
            cutoff = max(0.0, min((needs[c] for c in fuzzy), default=0.0))
            found = self._memo[key] = (needs, fuzzy, [names[c][1] for c in fuzzy], cutoff)
        return found  # type: ignore[return-value]

    def _title_scores(self, folded: str, threshold: float, years: Sequence[int]) -> dict[int, float]:
        """`fuzz.token_set_ratio(folded, title)` for the studies (`_study_name_index` order)
        whose title score can count; any other study's counts as 0. A study whose year's
        penalty (`_year_penalties`) leaves only a title score of 100 enough for `threshold`
        is scored only when it scores 100 (`_TitleTable.full_matches`)."""
        from rapidfuzz import fuzz

        if self._titles is None:  # the studies with a title, and their folded titles
            studies = self._study_name_index()[0]
            self._titles = _TitleTable.build([(index, title) for index, (_study, title) in enumerate(studies) if title])
        table = self._titles
        scored, only_full = self._title_plan(tuple(years), threshold)
        if only_full:
            full = table.full_matches(folded)
            scored = scored | (only_full if full is None else only_full & full)
        titled, titles, ratio = table.titled, table.titles, fuzz.token_set_ratio
        return {titled[p]: ratio(folded, titles[p]) for p in sorted(scored)}

    def _title_plan(self, years: tuple[int, ...], threshold: float) -> tuple[frozenset[int], frozenset[int]]:
        """The titles (`_TitleTable` positions) whose study a title score below 100 can bring
        to `threshold` once its year's penalty is taken (scored), and those only a score of 100
        can (scored when they score 100); a title neither can is not scored."""
        key = ("title_plan", years, threshold)
        found = self._memo.get(key)
        if found is None:
            assert self._titles is not None
            penalties = self._year_penalties(years)
            scored, only_full = set(), set()
            for position, study in enumerate(self._titles.titled):
                floor = threshold + penalties[study]  # the least title score that counts
                if floor <= _BELOW_FULL:
                    scored.add(position)
                elif floor <= 100 + 1e-6:  # 1e-6: rounding
                    only_full.add(position)
            found = self._memo[key] = (frozenset(scored), frozenset(only_full))
        return found  # type: ignore[return-value]

    def _year_penalties(self, years: tuple[int, ...]) -> tuple[int, ...]:
        """What `match_study` takes off each study's score (`_study_name_index` order) for
        citation years `years`: 0 for its year (or no year), 8 for one a year off, else 25."""
        key = ("year_penalties", years)
        found = self._memo.get(key)
        if found is None:
            found = tuple(
                0 if not years or study.year in years else 8 if any(abs(study.year - y) == 1 for y in years) else 25
                for study, _title in self._study_name_index()[0]
            )
            self._memo[key] = found
        return found  # type: ignore[return-value]

    def _study_name_columns(self) -> dict[str, tuple[int, ...]]:
        """Each folded name of `_study_name_index` -> its columns (indices in that list)."""
        if self._name_columns is None:
            columns: dict[str, list[int]] = {}
            for column, (_, name, _, _) in enumerate(self._study_name_index()[1]):
                columns.setdefault(name, []).append(column)
            self._name_columns = {name: tuple(found) for name, found in columns.items()}
        return self._name_columns

    def _study_name_index(self) -> tuple[list[tuple[Study, str]], list[tuple[int, str, float, str]]]:
        """Studies with folded titles, and every (study, folded name, weight, kind) to compare."""
        if self._name_index is None:
            studies = [(study, _fold(study.title) if study.title else "") for study in self.kb.studies.values()]
            names: list[tuple[int, str, float, str]] = []
            for index, (study, _title) in enumerate(studies):
                for position, author in enumerate(study.authors):
                    names.append((index, _fold(author), 1.0 if position == 0 else 0.85, "first_author" if position == 0 else "author"))
                for given in study.given_names:
                    names.append((index, _fold(given), 0.8, "given_name"))
            self._name_index = (studies, names)
        return self._name_index

    # ------------------------------------------------------------ term recognition

    def lexicon(self) -> list[LexiconEntry]:
        """Every phrase naming a substance, indication, regulator, adverse effect or
        contraindication, for a PhraseMatcher (case-insensitive matching is the caller's)."""
        if self._lexicon is None:
            entries: list[LexiconEntry] = []
            seen: set[tuple[str, str, str]] = set()
            groups: Sequence[tuple[LexiconKind, Iterable[tuple[str, Iterable[str]]]]] = (
                ("substance", ((s.id, s.names()) for s in self.kb.substances.values())),
                ("indication", ((i.id, i.names()) for i in self.kb.indications.values())),
                ("regulator", ((r.id, r.names()) for r in self.kb.regulators.values())),
                (
                    "adverse_effect",
                    ((a.id, (a.name, *a.aliases)) for a in self.kb.adverse_effects.values()),
                ),
                (
                    "contraindication",
                    ((c.id, (c.condition, *c.aliases)) for c in self.kb.contraindications.values()),
                ),
            )
            for kind, items in groups:
                for entity_id, phrases in items:
                    for phrase in phrases:
                        key = (kind, entity_id, phrase.casefold())
                        if phrase and key not in seen:
                            seen.add(key)
                            entries.append(LexiconEntry(kind, entity_id, phrase))
            self._lexicon = tuple(entries)
        return list(self._lexicon)

    def resolve_name(self, kind: LexiconKind, phrase: str) -> str | None:
        """The id of the entity of `kind` named by `phrase` (case-insensitive), if any."""
        if self._names is None:
            self._names = {(e.kind, _fold(e.phrase)): e.entity_id for e in self.lexicon()}
        return self._names.get((kind, _fold(phrase)))




# characters rapidfuzz splits words at in some strings but not in Latin-1 ones: the words of a
# text or title with one are not known for sure
_UNSURE_SPLIT = ("\x85", "\xa0")
# `fuzz.token_set_ratio` below 100 is at most 100 * (1 - 2 / n), n at most the two texts'
# lengths + 1: below this when neither is longer than `_LONGEST_SURE` characters
_BELOW_FULL = 99.99
_LONGEST_SURE = 4_000


@dataclass(frozen=True, slots=True)
class _TitleTable:
    """The folded titles `_title_scores` compares a text with, and their words."""

    titled: list[int]  # each title's study (index in `_study_name_index` order)
    titles: list[str]
    words: list[frozenset[str]]  # each title's words (split at whitespace, as rapidfuzz splits)
    by_word: dict[str, tuple[int, ...]]  # a word -> the titles (positions) that have it
    by_rarest: dict[str, tuple[int, ...]]  # a word -> the titles whose rarest word it is
    unsure: frozenset[int]  # titles with a character of `_UNSURE_SPLIT`, or too long

    @classmethod
    def build(cls, titles: Sequence[tuple[int, str]]) -> "_TitleTable":
        words = [frozenset(title.split()) for _study, title in titles]
        by_word: dict[str, list[int]] = {}
        for position, title_words in enumerate(words):
            for word in title_words:
                by_word.setdefault(word, []).append(position)
        by_rarest: dict[str, list[int]] = {}
        for position, title_words in enumerate(words):
            if title_words:  # ties: the first word in sorted order
                rarest = min(sorted(title_words), key=lambda w: len(by_word[w]))
                by_rarest.setdefault(rarest, []).append(position)
        unsure = frozenset(
            p for p, (_study, title) in enumerate(titles)
            if len(title) > _LONGEST_SURE or any(ch in title for ch in _UNSURE_SPLIT)
        )
        return cls(
            [study for study, _title in titles], [title for _study, title in titles], words,
            {word: tuple(found) for word, found in by_word.items()},
            {word: tuple(found) for word, found in by_rarest.items()}, unsure,
        )

    def full_matches(self, text: str) -> frozenset[int] | None:
        """The titles (positions) whose `fuzz.token_set_ratio` with `text` is 100: one's
        words are all among the other's (and there are some); also every title whose words
        are not known for sure. None when the text's words are not (score them all)."""
        if len(text) > _LONGEST_SURE or any(ch in text for ch in _UNSURE_SPLIT):
            return None
        words = set(text.split())
        if not words:
            return self.unsure
        found = set(self.unsure)
        for word in words:  # a title within the text: the text has its rarest word
            for position in self.by_rarest.get(word, ()):
                if self.words[position] <= words:
                    found.add(position)
        for position in self.by_word.get(next(iter(words)), ()):  # the text within a title
            if words <= self.words[position]:
                found.add(position)
        return frozenset(found)


def _scored_studies(
    title_scores: dict[int, float] | None, name_scores: Sequence[Sequence[object]], threshold: float
) -> Iterable[int]:
    """The studies (indices, in order) whose score can reach `threshold`: one with a name
    score, or a title score at the threshold (a year only lowers a score). All of them when
    a score of 0 can reach it."""
    if threshold <= 0:
        return range(len(name_scores))
    kept = {index for index, scores in enumerate(name_scores) if scores}
    if title_scores is not None:
        kept.update(index for index, score in title_scores.items() if score >= threshold)
    return sorted(kept)


_UNKNOWN = object()  # a memo's "not asked yet" (None is an answer)


def _walk_pairs(
    substances: Sequence[str], indications: Sequence[str], table: dict[tuple[str, str], _T]
) -> _T | None:
    for substance in substances:
        for indication in indications:
            found = table.get((substance, indication))
            if found is not None:
                return found
    return None


def _folded_words(text: str, folded: str) -> list[str]:
    """`_fold` of each `_WORD` of `text` (`folded` is `_fold(text)`: an ASCII text's words
    are found in it, as they are, lower-cased)."""
    if text.isascii():
        return _WORD.findall(folded)
    return [_fold(word) for word in _WORD.findall(text)]


def _fold(text: str) -> str:
    """Lower-case, accents removed, typographic apostrophes and dashes made plain."""
    if text.isascii():
        return text.casefold()  # nothing to replace or decompose
    text = text.replace("\u2019", "'").replace("\u2010", "-").replace("\u2011", "-")
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    decomposed = unicodedata.normalize("NFKD", text)
    # combining marks dropped; no ASCII character is one, so only non-ASCII runs are read
    return _NON_ASCII_RUN.sub(_without_combining, decomposed).casefold()


_NON_ASCII_RUN = analysis_cache.compiled(r"[^\x00-\x7f]+")
_SPACE_OR_HYPHEN = analysis_cache.compiled(r"[\s\-]+")


def _without_combining(run: re.Match[str]) -> str:
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))


def _name_ratio(word: str, surname: str) -> float:
    from rapidfuzz import fuzz

    if word == surname:
        return 100.0
    if len(surname) <= 3 or len(word) <= 3:
        return 0.0
    return float(fuzz.ratio(word, surname))


@functools.cache
def compile_term(term: str) -> re.Pattern[str]:
    """One trigger term ("revers*|repair*|brain cell*") as a word-bounded regex (its program
    kept between runs, `nlp/analysis_cache.py`; one pattern object per term, as `re`'s cache gave)."""
    alternatives = []
    for alternative in term.split("|"):
        prefix = alternative.endswith("*")
        words = _SPACE_OR_HYPHEN.split(alternative.rstrip("*").strip())
        body = r"[\s\-]+".join(re.escape(w) for w in words if w)
        alternatives.append(body + (r"[\w'\-]*" if prefix else r"\b"))
    return analysis_cache.compiled(r"\b(?:" + "|".join(alternatives) + ")")


def _compile_triggers(
    triggers: tuple[tuple[str, ...], ...],
) -> tuple[tuple[re.Pattern[str], ...], ...]:
    return tuple(tuple(compile_term(term) for term in trigger) for trigger in triggers)


# Terms the index cannot key (always searched); a whole run of word characters -> the terms with
# an alternative starting with exactly that word; and the first three characters of the first
# word of a prefix alternative ("repair*") -> (that word, the terms with such an alternative).
_TermIndex = tuple[
    tuple[re.Pattern[str], ...],
    dict[str, tuple[re.Pattern[str], ...]],
    dict[str, tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]],
]
_RUN_MEMO_SIZE = 200_000  # runs whose terms `runs_with_terms` keeps, at most
_SEEN_RUNS_SIZE = 100_000  # runs `runs_with_terms` remembers having classified, at most (a few MB)
# each ASCII byte that is no word character (`\w` of an ASCII text) -> a space
_WORD_BYTES = bytes(c if chr(c).isalnum() or c == ord("_") else ord(" ") for c in range(128)) + b" " * 128
_SCORED_MEMO_SIZE = 200_000  # sets of matched terms whose mechanisms `_scored_mechanisms` keeps
_RUN = analysis_cache.compiled(r"\w+")  # the runs of word characters a `\b` of `compile_term` starts


def _first_words(term: str) -> list[tuple[str, bool]] | None:
    """The literal each alternative of `term`'s pattern (`compile_term`) starts with, and
    whether it is a whole run of word characters in every match (a word of word characters
    followed by a space, a hyphen or `\b`), or None when one cannot be keyed (its first
    characters, up to three, are not all word characters, so it need not start a run)."""
    firsts = []
    for alternative in term.split("|"):
        words = [w for w in _SPACE_OR_HYPHEN.split(alternative.rstrip("*").strip()) if w]
        if not words:
            return None
        first = words[0]
        whole = _RUN.fullmatch(first) is not None and (len(words) > 1 or not alternative.endswith("*"))
        if not whole and (len(first) < 3 or _RUN.fullmatch(first[:3]) is None):
            return None
        firsts.append((first, whole))
    return firsts


def _index_terms(terms: Iterable[tuple[re.Pattern[str], str]]) -> _TermIndex:
    """`terms`: (compiled term, the term it was compiled from)."""
    always: list[re.Pattern[str]] = []
    whole: dict[str, list[re.Pattern[str]]] = {}
    by_first: dict[str, list[re.Pattern[str]]] = {}
    for pattern, term in dict.fromkeys(terms):
        firsts = _first_words(term)
        if firsts is None:
            always.append(pattern)
            continue
        for first, is_whole in dict.fromkeys(firsts):
            (whole if is_whole else by_first).setdefault(first, []).append(pattern)
    by_start: dict[str, list[tuple[str, tuple[re.Pattern[str], ...]]]] = {}
    for first, found_in in by_first.items():
        by_start.setdefault(first[:3], []).append((first, tuple(dict.fromkeys(found_in))))
    return (
        tuple(dict.fromkeys(always)),
        {word: tuple(dict.fromkeys(found_in)) for word, found_in in whole.items()},
        {start: tuple(n) for start, n in by_start.items()},
    )


def _trigger_matches(trigger: tuple[re.Pattern[str], ...], text: str) -> bool:
    return all(pattern.search(text) for pattern in trigger)
