"""Memoized and indexed lookups answer exactly as the direct computations over the base do."""

from __future__ import annotations

import itertools
import random

import pytest

from claimaudit.knowledge_base.lookup import KnowledgeLookup, _fold, _trigger_matches
from claimaudit.knowledge_base.model import Mechanism


def _direct_mechanisms(lookup: KnowledgeLookup, text: str) -> tuple[Mechanism, ...]:
    """mechanisms_matching as a plain search of every trigger and exclude term."""
    lowered = _fold(text)
    hits = []
    for order, compiled in enumerate(lookup._mechanisms):
        if any(_trigger_matches(t, lowered) for t in compiled.exclude):
            continue
        best = max((len(t) for t in compiled.triggers if _trigger_matches(t, lowered)), default=0)
        if best:
            hits.append((not compiled.mechanism.misconception, -best, order, compiled.mechanism))
    return tuple(hit[3] for hit in sorted(hits, key=lambda h: h[:3]))


def _texts(lookup: KnowledgeLookup) -> list[str]:
    """Sentences made of the base's own trigger words, with accents, capitals and dashes."""
    words = sorted(
        {w.replace("*", "") for m in lookup.kb.mechanisms.values() for t in (*m.triggers, *m.exclude)
         for term in t for w in term.split("|")}
    )
    rng = random.Random(12)
    texts = ["", "Nothing to see here.", "Ketamine café – naïve Ḱetamine", "FDA-approved, Schedule III"]
    for _ in range(300):
        picked = rng.sample(words, rng.randint(1, 5))
        joiner = rng.choice([" ", "-", " and ", ", "])
        text = joiner.join(picked)
        texts.append(text.upper() if rng.random() < 0.2 else text.capitalize() + " helps.")
    return texts


def _candidate_terms(lookup: KnowledgeLookup, lowered: str) -> set[object]:
    """The terms `mechanisms_matching` takes as candidates in `lowered`: those the word-start
    index cannot key, and those of the runs `runs_with_terms` finds."""
    always, _ = lookup._always_terms()
    return set(always).union(*[terms for terms, _ in lookup.runs_with_terms(lowered).values()])


def test_mechanisms_matching_equals_direct_search(lookup: KnowledgeLookup) -> None:
    for text in _texts(lookup):
        assert tuple(lookup.mechanisms_matching(text)) == _direct_mechanisms(lookup, text), text


def test_fold_ascii_shortcut_equals_full_fold() -> None:
    import unicodedata

    def full(text: str) -> str:
        text = text.replace("\u2019", "'").replace("\u2010", "-").replace("\u2011", "-")
        text = text.replace("\u2013", "-").replace("\u2014", "-")
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()

    for text in ("Plain ASCII Text, 100%", "Straße Ǆ ǅ", "café – it’s", "İstanbul ﬁne", ""):
        assert _fold(text) == full(text)


def test_memoized_queries_equal_fresh_lookup(lookup: KnowledgeLookup) -> None:
    fresh = KnowledgeLookup(lookup.kb)
    indications = [*lookup.kb.indications, "unknown_condition", ""]
    substances = [*lookup.kb.substances, "unknown_drug"]
    regulator_sets = [None, (), tuple(lookup.kb.regulators)[:1], tuple(lookup.kb.regulators)]
    for _ in range(2):  # the second round answers from the memo
        for indication in indications:
            assert lookup.indication_ancestors(indication) == fresh._indication_ancestors(indication)
            assert lookup.indication_descendants(indication) == fresh._indication_descendants(indication)
        for substance in substances:
            assert lookup.substance_family(substance) == fresh._substance_family(substance)
            assert lookup.approvals_for(substance) == fresh._approvals_for(substance, None, None)
            for indication in indications[:6]:
                assert lookup.studies_for(substance, indication) == fresh._studies_for(substance, indication)
                assert lookup.assessment_for(substance, indication) == fresh._assessment_for(substance, indication)
                for regulators in regulator_sets:
                    assert lookup.approval_status(substance, indication, regulators) == fresh._approval_status(
                        substance, indication, regulators
                    )
    # a generator of regulators is read once, like a tuple
    first = next(itertools.islice(lookup.kb.regulators, 1), None)
    if first:
        answer = lookup.approval_status("ketamine", "mdd", (r for r in [first]))
        assert answer == fresh._approval_status("ketamine", "mdd", (first,))


def test_candidate_terms_hold_every_matching_term(lookup: KnowledgeLookup) -> None:
    """The word-start index keeps every term that occurs, whatever stands around the words."""
    terms = {p for c in lookup._mechanisms for t in (*c.triggers, *c.exclude) for p in t}
    rng = random.Random(5)
    texts = _texts(lookup)
    for text in list(texts):
        glue = rng.choice(["_", "'", "2", "x", "é", "-", "’s "])
        texts.append(glue.join(text.split(" ")))
        texts.append(glue + text + glue)
    for text in texts:
        lowered = _fold(text)
        candidates = _candidate_terms(lookup, lowered)
        for term in terms:
            if term.search(lowered):
                assert term in candidates, (text, term.pattern)



def _direct_study_match(lookup: KnowledgeLookup, text: str, year: int | None, threshold: float) -> object:
    """match_study scoring every study in turn, its title with one `fuzz.token_set_ratio` call."""
    import numpy
    from rapidfuzz import fuzz, process

    from claimaudit.knowledge_base.lookup import _WORD, _YEAR, StudyMatch

    years = [int(y) for y in _YEAR.findall(text)] if year is None else [year]
    folded = _fold(text)
    words = list(dict.fromkeys(w for w in (_fold(m) for m in _WORD.findall(text)) if len(w) >= 3))
    studies, names = lookup._study_name_index()
    name_scores: list[list[tuple[float, str]]] = [[] for _ in studies]
    if words and names:
        name_texts = [name for _study, name, _weight, _kind in names]
        short_names = numpy.array([len(name) <= 3 for name in name_texts], dtype=bool)
        columns = lookup._study_name_columns()
        matrix = numpy.asarray(process.cdist(words, name_texts, scorer=fuzz.ratio), dtype=float)
        matrix[numpy.array([len(w) <= 3 for w in words])[:, None] | short_names[None, :]] = 0.0
        for row, word in enumerate(words):
            for name_column in columns.get(word, ()):
                matrix[row, name_column] = 100.0
        best_ratios, first_row = matrix.max(axis=0), matrix.argmax(axis=0)
        for column in range(len(names)):
            if best_ratios[column] > 0:  # every name that scores at all (no pruning by threshold)
                study_index, _name, weight, matched_on = names[column]
                earliness = 0.01 * (1 - int(first_row[column]) / len(words))
                name_scores[study_index].append((float(best_ratios[column]) * weight + earliness, matched_on))
    best = None
    for index, (study, folded_title) in enumerate(studies):
        score, matched_on = 0.0, ""
        if folded_title and len(folded) >= 25:
            title_score = fuzz.token_set_ratio(folded, folded_title)
            if title_score > score:
                score, matched_on = title_score, "title"
        for candidate, kind in name_scores[index]:
            if candidate > score:
                score, matched_on = candidate, kind
        year_matches = None
        if years:
            year_matches = study.year in years
            if not year_matches:
                score -= 8 if any(abs(study.year - y) == 1 for y in years) else 25
        if score >= threshold and (best is None or score > best.score):
            best = StudyMatch(study, round(score, 1), matched_on, year_matches)
    return best


def test_match_study_equals_scoring_every_study(lookup: KnowledgeLookup) -> None:
    """Titles scored in one call, and only the studies that can reach the threshold looked at:
    the same match as scoring every study in turn."""
    rng = random.Random(7)
    studies = list(lookup.kb.studies.values())
    texts = ["", "Smith 2020", "a randomized trial of something else entirely, 2019"]
    for study in rng.sample(studies, min(len(studies), 25)):
        words = (study.title or "").split()
        rng.shuffle(words)
        author = study.authors[0] if study.authors else "Nobody"
        texts.append(f"{author} et al. ({study.year + rng.choice([0, 0, 1, 3])}). {' '.join(words[:8])}")
        texts.append(" ".join(words[: rng.randint(2, 12)]).lower())
        texts.append(f"{author[:-1]}x and colleagues, {study.year}")
        # titles that score high but not 100: a word changed, words added, a far or near year
        title = (study.title or "").split()
        if len(title) > 2:
            changed = [*title[:-1], title[-1][::-1]]
            texts.append(f"{' '.join(changed)}. {study.year + rng.choice([0, 1, -1, 5])}")
            texts.append(f"{author} X, Doe Y. {' '.join(title)}. Some Journal {study.year + rng.choice([0, 2, 9])}")
            texts.append(" ".join([*title[1:], "revisited"]))
            texts.append(" ".join(w + w[-1] for w in title))  # no word shared, letters close
            texts.append(" ".join(title).replace(" ", "\xa0", 1) + f" ({study.year})")
    for text in texts:
        for year, threshold in (
            (None, 75.0), (None, 40.0), (2019, 60.0), (None, 0.0), (None, -5.0), (None, 85.0), (2001, 75.0),
        ):
            wrapped = KnowledgeLookup._match_study_cached.__wrapped__  # type: ignore[attr-defined]
            assert wrapped(lookup, text, year, threshold) == _direct_study_match(lookup, text, year, threshold), text


def test_candidate_terms_do_not_depend_on_texts_seen_before(lookup: KnowledgeLookup) -> None:
    """What each run of word characters brings is remembered: a lookup that has read other
    texts first gives each text the candidates a new lookup gives it."""
    texts = _texts(lookup)
    for text in texts:
        _candidate_terms(lookup, _fold(text))
    for text in texts[::7]:
        fresh = KnowledgeLookup(lookup.kb)
        assert _candidate_terms(lookup, _fold(text)) == _candidate_terms(fresh, _fold(text)), text


def test_runs_read_before_the_memo_is_cleared_keep_their_terms(
    lookup: KnowledgeLookup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text's runs come with their own terms and triggers: a memo cleared by another text
    (another thread) meanwhile changes nothing in what the first text was given."""
    import claimaudit.knowledge_base.lookup as module

    monkeypatch.setattr(module, "_RUN_MEMO_SIZE", 0)
    small = KnowledgeLookup(lookup.kb)
    first = small.runs_with_terms(_fold("Ketamine reduces inflammation and rewires the brain"))
    small.runs_with_terms(_fold("serotonin receptor neurogenesis"))
    assert first and first == lookup.runs_with_terms(_fold("Ketamine reduces inflammation and rewires the brain"))


def test_mechanisms_matching_equals_direct_search_with_memos_cleared(
    lookup: KnowledgeLookup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run and score memos, cleared when full, give the direct answers
    whatever was read before (texts twice: the second round answers from the memos)."""
    import claimaudit.knowledge_base.lookup as module

    monkeypatch.setattr(module, "_RUN_MEMO_SIZE", 3)
    monkeypatch.setattr(module, "_SCORED_MEMO_SIZE", 3)
    small = KnowledgeLookup(lookup.kb)
    texts = _texts(lookup)
    for text in [*texts, *texts[::-1]]:
        wrapped = KnowledgeLookup._mechanisms_matching_cached.__wrapped__  # type: ignore[attr-defined]
        assert wrapped(small, text) == _direct_mechanisms(lookup, text), text
        assert _candidate_terms(small, _fold(text)) == _candidate_terms(lookup, _fold(text)), text


def test_term_runs_are_the_runs_that_bring_a_term(lookup: KnowledgeLookup) -> None:
    """The run finder's runs are exactly the text's runs of word characters whose terms are not
    empty: whole words (also when a longer word starts with one), prefixes, runs glued to them."""
    from claimaudit.knowledge_base.lookup import _RUN

    texts = _texts(lookup)
    texts += [t.replace(" ", "s ") for t in texts[:100]] + [t.replace(" ", "_x ") for t in texts[:100]]
    texts += ["pain painful painkillers", "x" + texts[5], "é" + texts[6] + "é", "2" + texts[7]]
    fresh = KnowledgeLookup(lookup.kb)
    for text in texts:
        lowered = _fold(text)
        fresh._ensure_term_index()
        expected = {run for run in set(_RUN.findall(lowered)) if fresh._terms_of_run(run)}
        assert set(lookup.runs_with_terms(lowered)) == expected, text


def test_ascii_runs_equal_the_finder_s_runs_whatever_the_memos_hold(
    lookup: KnowledgeLookup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ASCII text's runs (split in C, `_WORD_BYTES`) are the finder's: the same runs with
    the same terms, around every kind of separator, with the memos fresh, shared or replaced
    between texts (a pair that is full is replaced, not cleared)."""
    import claimaudit.knowledge_base.lookup as module

    texts = [_fold(t) for t in _texts(lookup) if t.isascii()]
    texts += ["", " ", "_", "brain_cells rewired", "rewired\tbrain\x1cneurons\x0bglutamate", "nmda2 2nmda nmda",
              "re-wire the brain's cells", "(brain)[synapses]{repair}", "brains/brain\\brain|brain"]
    finder = lookup._term_run_finder()

    def expected(lowered: str) -> dict[str, object]:
        runs = set(finder.findall(lowered))
        return {run: (terms, lookup._filed_under(sorted(terms, key=lambda t: t.pattern)))
                for run in runs if (terms := lookup._terms_of_run(run))}

    lookup._ensure_term_index()
    for size in (0, 2, 1_000_000):
        monkeypatch.setattr(module, "_SEEN_RUNS_SIZE", size)
        fresh = KnowledgeLookup(lookup.kb)
        for lowered in texts + texts[::-1]:
            found = fresh.runs_with_terms(lowered)
            assert found == expected(lowered), lowered
            assert len(fresh._run_memo[1]) <= size, lowered
            # a non-ASCII character sends the same runs through the regex finder
            assert found == fresh.runs_with_terms(lowered + " é"), lowered


def test_a_text_with_more_runs_than_the_memo_holds_leaves_it_bounded(
    lookup: KnowledgeLookup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One text with more distinct words than `_SEEN_RUNS_SIZE` is answered in full without the
    shared set growing past the limit."""
    import claimaudit.knowledge_base.lookup as module

    monkeypatch.setattr(module, "_SEEN_RUNS_SIZE", 50)
    fresh = KnowledgeLookup(lookup.kb)
    filler = " ".join(f"w{number}x" for number in range(200))
    text = f"ketamine rewires the brain and repairs synapses {filler}"
    found = fresh.runs_with_terms(text)
    assert len(fresh._run_memo[1]) <= 50
    assert found == KnowledgeLookup(lookup.kb).runs_with_terms(text + " é")
    assert found  # the mechanism words bring terms



def test_full_matches_are_the_titles_that_score_100() -> None:
    """`_TitleTable.full_matches`: exactly the titles `fuzz.token_set_ratio` gives 100, on
    invented texts with repeated words, several kinds of spacing and accented letters; a
    title or text whose words rapidfuzz might split otherwise than `str.split` is never left out."""
    from rapidfuzz import fuzz

    from claimaudit.knowledge_base.lookup import _TitleTable

    rng = random.Random(3)
    vocabulary = ["of", "a", "in", "zorbel", "quinta", "mavrex", "lumo", "tesk", "ferrin", "ça", "ngo", "x"]
    spaces = [" ", "  ", "\t", "\n ", " \x1c"]

    def invented(most: int) -> str:
        return "".join(rng.choice(vocabulary) + rng.choice(spaces) for _ in range(rng.randint(0, most)))

    titles = [invented(5) for _ in range(40)] + ["of a\xa0mavrex", "   "]
    table = _TitleTable.build(list(enumerate(titles)))
    for _ in range(1500):
        text = invented(9)
        found = table.full_matches(text)
        assert found is not None
        full = {p for p, title in enumerate(titles) if fuzz.token_set_ratio(text, title) == 100}
        assert found - {40} == full - {40}, text
        assert 40 in found  # its title has a no-break space
    assert table.full_matches("zorbel\xa0quinta") is None
    assert table.full_matches("zorbel " * 1000) is None  # too long to be sure a score below 100 is below 99.99


def test_name_scores_hold_every_name_score_that_can_count(lookup: KnowledgeLookup) -> None:
    """`_name_scores` gives each name score the full word-by-name matrix gives (same value,
    same earliest word), at least every one that reaches the threshold plus its study's year
    penalty; words that tie on a name (two misspellings of it) credit the first one."""
    import numpy
    from rapidfuzz import fuzz, process

    studies, names = lookup._study_name_index()
    name_texts = [name for _study, name, _weight, _kind in names]
    short_names = numpy.array([len(name) <= 3 for name in name_texts], dtype=bool)
    columns = lookup._study_name_columns()
    rng = random.Random(5)
    surnames = sorted({name for _study, name, _weight, _kind in names})
    for _ in range(300):
        picked = rng.sample(surnames, 3)
        words = [picked[0][:-1] + "x", picked[0][:-1] + "z", picked[1], picked[2][::-1], "and", picked[1][:3], "zorbel"]
        words = list(dict.fromkeys(w for w in rng.sample(words, rng.randint(1, len(words))) if len(w) >= 3))
        years = rng.choice([(), (2019,), (2013, 2022), (1990,)])
        threshold = rng.choice([75.0, 60.0, 0.0])
        matrix = numpy.asarray(process.cdist(words, name_texts, scorer=fuzz.ratio), dtype=float)
        matrix[numpy.array([len(w) <= 3 for w in words])[:, None] | short_names[None, :]] = 0.0
        for row, word in enumerate(words):
            for column in columns.get(word, ()):
                matrix[row, column] = 100.0
        penalties = lookup._year_penalties(years)
        direct: list[list[tuple[float, str]]] = [[] for _ in studies]
        must: list[list[tuple[float, str]]] = [[] for _ in studies]
        for column, (study, _name, weight, kind) in enumerate(names):
            best = float(matrix[:, column].max())
            if best > 0:
                entry = (best * weight + 0.01 * (1 - int(matrix[:, column].argmax()) / len(words)), kind)
                direct[study].append(entry)
                if entry[0] >= threshold + penalties[study]:
                    must[study].append(entry)
        found = lookup._name_scores(words, threshold, years)
        for study in range(len(studies)):
            assert set(must[study]) <= set(found[study]) <= set(direct[study]), (words, study)
            assert [e for e in direct[study] if e in found[study]] == found[study]  # in column order


def test_folded_words_of_an_ascii_text_are_its_words_folded_one_by_one() -> None:
    from claimaudit.knowledge_base.lookup import _WORD, _folded_words

    for text in ["Zorbel QX, Mavrex-Lumo T. Tesk's trial (2019)", "ALL CAPS_and_under 3rd x2y", "", "Ça va, Ñandú"]:
        assert _folded_words(text, _fold(text)) == [_fold(w) for w in _WORD.findall(text)], text
