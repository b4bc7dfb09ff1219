"""The claimaudit tokenizer: spaCy's English tokens plus the glued-sentence splits, cached."""

from __future__ import annotations

import re
from typing import Any

import pytest
import spacy
from spacy.attrs import NORM, ORTH
from spacy.util import compile_infix_regex

from claimaudit.nlp.tokenizer import GLUED_SENTENCE_INFIXES, blank_english, plain_special_case

# Long enough to take the cache-filling path; special cases ("what's", "—", "e.g.", ":)")
# early on are what stop spaCy's own per-document caching.
PAGE = (
    "What's new — ketamine e.g. works fast :) for some. Studies (Glue et al., 2018Journal) report "
    "properties.Reports of 70% response; U.S. approx. 10a.m. Dr. Smith's clinic isn't FDA-approved.\n\n"
    "  Side effects: nausea, dissociation, raised blood pressure. https://pubmed.ncbi.nlm.nih.gov/1/ "
) * 3


def may_be(ends: Any, char: str) -> bool:
    """`char` can be the edge character `ends` describes (the plain reading `EdgeTest` must
    agree with)."""
    if ends is None:
        return True
    for item in ends:
        if item[0] == "literal":
            if char == item[1]:
                return True
        elif item[0] == "not literal":
            if char != item[1]:
                return True
        else:
            _, negated, characters, ranges, categories = item
            code = ord(char)
            held = (
                char in characters
                or any(low <= code <= high for low, high in ranges)
                or any(re.fullmatch(category, char) for category in categories)
            )
            if held != negated:
                return True
    return False


def _reference_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    infixes = [*nlp.Defaults.infixes, *GLUED_SENTENCE_INFIXES]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def _tokens(doc: spacy.tokens.Doc) -> list[tuple[str, int, str]]:
    return [(t.text, t.idx, t.whitespace_) for t in doc]


def test_same_tokens_as_spacy_with_the_glued_infixes_on_every_call() -> None:
    reference, nlp = _reference_nlp(), blank_english()
    for text in (PAGE, PAGE.upper(), PAGE, "fda-approved", ""):
        assert _tokens(nlp.make_doc(text)) == _tokens(reference.make_doc(text))


def test_glued_sentences_are_split() -> None:
    words = [t.text for t in blank_english().make_doc("calming properties.Reports from 2018Journal")]
    assert words == ["calming", "properties", ".", "Reports", "from", "2018", "Journal"]


def test_chunk_memory_is_bounded() -> None:
    nlp = blank_english()
    nlp.tokenizer.max_cache_size = 5
    nlp.make_doc(PAGE)
    assert len(nlp.tokenizer._seen_chunks) == 5


def test_affix_patterns_skip_words_of_ascii_letters_with_the_same_answers() -> None:
    import random
    import re

    from claimaudit.nlp.tokenizer import ClaimEnglishDefaults, LetterGuard, guarded_searchers, unguarded

    guards = list(guarded_searchers(ClaimEnglishDefaults))
    assert all(isinstance(g.__self__, LetterGuard) for g in guards)
    tokenizer = blank_english().tokenizer  # (which takes words of ASCII letters whole: no guard needed)
    def kind(method):  # type: ignore[no-untyped-def]
        return type(method.__self__), method.__self__.pattern, method.__name__

    used = [tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer, tokenizer.url_match]
    assert [kind(m) for m in used] == [kind(unguarded(g)) for g in guards]
    assert not any(isinstance(unguarded(g).__self__, LetterGuard) for g in guards)
    rng = random.Random(5)
    alphabet = "abcxyzKSQ" + "'’.-,:)(0123456789/ſ\u212a"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    words += ["ketamine", "Ketamine", "KM", "s", "a", "", "5km", "km", "U.S.", "isn't", "http", "wwwexamplecom"]
    for guard in guards:
        regex = re.compile(guard.__self__.pattern, guard.__self__.flags)
        plain = getattr(regex, guard.__name__)
        for word in words:
            found, expected = guard(word), plain(word)
            if guard.__name__ == "finditer":
                assert [m.span() for m in found] == [m.span() for m in expected], word  # type: ignore[union-attr]
            else:
                assert (found and found.span()) == (expected and expected.span()), word  # type: ignore[union-attr]


def test_letter_analysis_is_conservative() -> None:
    import re

    from claimaudit.nlp.tokenizer import letter_guarded

    never = [r"\.$", r"(?<=[0-9])(?:km|mg)$", r"^[\(\[]", r"\d+", r"'s$", r"[^\w\s]"]
    maybe = [r"[a-z]+", r"(?i:ſ)", r"[^0-9]", r"\w", r".", r"(?:\.)?x", r"(?!\.)k", r"[^\W\d]"]
    for source in never:
        assert letter_guarded(re.compile(source)) is not re.compile(source), source
    for source in maybe:
        assert letter_guarded(re.compile(source)) is re.compile(source), source
    assert letter_guarded(re.compile("s", re.IGNORECASE)) is re.compile("s", re.IGNORECASE)


def test_plain_chunks_filled_together_give_the_same_tokens() -> None:
    from claimaudit.nlp.tokenizer import plain_chunk

    reference, nlp = _reference_nlp(), blank_english()
    rules = nlp.tokenizer.rules
    words = ["ketamine", "Cannot", "Cannot,", "gonna.", "etc.", "Jan.", "works:", "dose;", "Ima", "e.g.", "x."]
    assert [plain_chunk(w, rules) for w in words] == [True, False, False, False, True, False, True, True,
                                                      False, False, False]
    text = " ".join(words * 30) + " " + PAGE
    for _ in range(2):
        assert _tokens(nlp.make_doc(text)) == _tokens(reference.make_doc(text))


def test_chunks_are_sorted_as_plain_chunk_says() -> None:
    """`sort_chunks` keeps the chunks' order and drops the special cases only."""
    from claimaudit.nlp.tokenizer import plain_chunk, sort_chunks

    rules = blank_english().tokenizer.rules
    chunks = ["ketamine", "Cannot", "etc.", "Jan.", "works:", "(don't", "café", "5mg", "x.", "a", ".", "é.", "e.g.", "Ima,"]
    plain, others = sort_chunks(chunks, rules)
    assert plain == [c for c in chunks if plain_chunk(c, rules)] == ["ketamine", "etc.", "works:", "a"]
    assert others == [c for c in chunks if not plain_chunk(c, rules) and c not in rules]
    assert set(chunks) - set(plain) - set(others) == {c for c in chunks if c in rules}


def test_affix_patterns_are_spacys() -> None:
    from spacy.util import compile_prefix_regex, compile_suffix_regex

    from claimaudit.nlp.tokenizer import ClaimEnglishDefaults, affix_regex

    defaults = ClaimEnglishDefaults
    assert affix_regex(defaults.prefixes, "^{}") == compile_prefix_regex(defaults.prefixes)
    assert affix_regex(defaults.suffixes, "{}$") == compile_suffix_regex(defaults.suffixes)
    assert affix_regex(defaults.infixes, "{}") == compile_infix_regex(defaults.infixes)


def test_suffix_search_tries_only_where_a_match_can_start() -> None:
    import random
    import re

    from spacy.util import compile_suffix_regex

    from claimaudit.nlp.tokenizer import ClaimEnglishDefaults, EndAnchored, end_anchored

    searcher = end_anchored(ClaimEnglishDefaults.suffixes)
    assert isinstance(searcher, EndAnchored) and searcher.tail is not None and 1 <= searcher.width < 10
    assert isinstance(blank_english().tokenizer.suffix_search.__self__, EndAnchored)
    plain = compile_suffix_regex(ClaimEnglishDefaults.suffixes)
    rng = random.Random(11)
    alphabet = "ab1.'’s%kmg)]\"”,:;!?…—–+$°F\n-"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16))) for _ in range(20000)]
    words += ["5km", "10mg.", "U.S.", "etc...", "word....", "a.......b..", "it's", "(2018).", "x\n", "..", "", "°F."]
    for word in words:
        found, expected = searcher.search(word), plain.search(word)
        assert (found and found.span()) == (expected and expected.span()), word
    assert searcher.ends and len(searcher._by_last) > 20  # searched by last character
    # every last character up to U+3000 and some beyond, after digits, letters, units, symbols
    heads = ("", "5", "12k", "ab", "AB", "°", "°F", "x'", "9%", "a.b", "..", "10mg", "km", "it’")
    lasts = [chr(code) for code in range(0x3000)] + ["😀", "\U0001f44d", "\ufb01", "\uff05"]
    for head in heads:
        for last in lasts:
            word = head + last
            found, expected = searcher.search(word), plain.search(word)
            assert (found and found.span()) == (expected and expected.span()), word
    assert end_anchored([r"a|b", r"\."]) is None  # "a" may match anywhere
    unbounded = end_anchored([r"x+", r"\."])
    assert unbounded is not None and unbounded.width == 1
    assert unbounded.search("yxxxx").span() == re.compile(r"x+$|\.$").search("yxxxx").span()  # type: ignore[union-attr]


def _hostile_texts(count: int, seed: int) -> list[str]:
    """Pages of odd pieces: unicode, URLs, numbers, punctuation runs, emoji, markdown, special
    cases of spaCy's rules inside and around other characters."""
    import random

    pieces = (
        "Ketamine", "ketamine,", "works.", "(don't", "isn't)", "e.g.,", "(i.e.", "U.S.-based", "a.m.", "Dr.",
        "—", "—,", "--", "...", "?!", ":)", "(:", "<3", "xD", ":-)", "'s", "’s", "Im", "(Im", "cannot.",
        "café", "naïve", "Straße", "İstanbul", "ﬁne", "Ω", "½", "²", "😀", "👍🏽", "🇺🇸", "\u200b", "\u00ad",
        "https://example.org/a?b=c&d=e#f", "www.example.com.", "user@example.com", "<b>", "</i>",
        "**bold**", "_it_", "#", "##", "- item", "* item", "> quote", "`code`", "[link](http://a.b/c)", "|",
        "50%", "5mg", "0.5-1mg/kg", "1,000", "$5.99", "€10", "10a.m.", "2018Journal", "properties.Reports",
        "95%CI", "(n=20)", "p<0.05", "3.2.", "1.", "2)", "[12]", "[1–3],", "“Quoted.”", "‘single’", "«x»",
        "#1", "#tag", "@name", "a/b", "and/or", "x\\n", "C:\\path", "e-mail", "COVID-19", "5-HT2A", "~3",
    )
    spaces = (" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u3000", "")
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randint(30, 120))) for _ in range(count)]


def test_filled_cache_gives_the_tokens_of_spacys_own_path_on_hostile_texts() -> None:
    from spacy.tokenizer import Tokenizer

    nlp, plain = blank_english(), blank_english()
    for text in [*_hostile_texts(120, 8), PAGE, PAGE.upper()]:
        ours = nlp.make_doc(text)
        theirs = Tokenizer.__call__(plain.tokenizer, text)  # spaCy's own call: no cache filling
        assert [(t.text, t.idx, t.whitespace_, t.norm_) for t in ours] == [
            (t.text, t.idx, t.whitespace_, t.norm_) for t in theirs
        ], text
    assert len(nlp.tokenizer._seen_chunks) > 100


def test_chunks_that_may_hold_a_special_case() -> None:
    from claimaudit.nlp.tokenizer import may_hold_special

    assert [may_hold_special(c) for c in ("2019", "café", "5mg", "(don't", "e.g.,", ":)")] == [
        False, False, False, True, True, True,
    ]


def test_plain_special_cases_are_those_spacys_check_passes_untouched() -> None:
    assert plain_special_case("don't", [{ORTH: "do"}, {ORTH: "n't", NORM: "not"}])
    assert plain_special_case("e.g.", ({ORTH: "e.g."},))
    assert not plain_special_case("don't", [{ORTH: "do"}, {ORTH: "nt"}])  # does not spell the chunk
    assert not plain_special_case("a", [{ORTH: "a", "number": 1}])  # spaCy's check drops the key
    assert not plain_special_case("a", [{"ORTH": "a"}])
    assert not plain_special_case("a", iter([{ORTH: "a"}]))


def test_special_cases_are_spacys_and_a_bad_one_is_still_refused() -> None:
    nlp, reference = blank_english(), _reference_nlp()
    assert nlp.tokenizer.rules == reference.tokenizer.rules
    assert len(nlp.tokenizer.rules) > 1000
    with pytest.raises(ValueError):
        nlp.tokenizer.add_special_case("don't", [{ORTH: "do"}, {ORTH: "nt"}])
    with pytest.raises(ValueError):
        nlp.tokenizer.add_special_case("a", [{ORTH: "a", "LEMMA": "b"}])


def test_tokenizer_serialised_and_restored_gives_the_same_tokens() -> None:
    """spaCy restores `token_match` from its pattern as `re.compile(pattern).match`."""
    text = "It works. See e.g. page2 now; well-known (U.S.) results: 5-10% in 2019."
    nlp, restored = blank_english(), blank_english()
    restored.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert restored.tokenizer.token_match("works.") is None
    tokens = [t.text for t in nlp.tokenizer(text)]
    assert tokens[:3] == ["It", "works", "."]
    assert [t.text for t in restored.tokenizer(text)] == tokens


def test_words_of_ascii_letters_are_taken_whole_with_the_same_tokens() -> None:
    from pathlib import Path

    from spacy.tokenizer import Tokenizer

    from claimaudit.nlp.tokenizer import ASCII_WORD

    nlp, without = blank_english(), blank_english()
    assert nlp.tokenizer.token_match == ASCII_WORD.match
    without.tokenizer.token_match = None
    corpora = Path(__file__).resolve().parents[2] / "corpora"
    paths = sorted(p for p in corpora.rglob("*") if p.suffix in (".md", ".txt", ".html"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    for text in [*_hostile_texts(60, 9), PAGE, PAGE.upper(), *texts]:
        ours = Tokenizer.__call__(nlp.tokenizer, text)
        theirs = Tokenizer.__call__(without.tokenizer, text)
        assert [(t.text, t.idx, t.whitespace_, t.norm_) for t in ours] == [
            (t.text, t.idx, t.whitespace_, t.norm_) for t in theirs
        ]


def test_end_characters_of_suffix_entries() -> None:
    from claimaudit.nlp.tokenizer import edge_characters

    ends, empty = edge_characters(r"(?<=[0-9])(?:km|mg|h)$", True)
    assert not empty and [c for c in "kmgh5." if may_be(ends, c)] == ["m", "g", "h"]
    ends, _ = edge_characters(r"[^\d\s]$", True)
    assert [c for c in "a5 ." if may_be(ends, c)] == ["a", "."]
    assert edge_characters(r"\.\.+$", True)[0] == (("literal", "."),)
    assert edge_characters(r"ab?$", True)[0] is None  # "a" may end it: not understood, any character
    assert edge_characters(r"(?i:s)$", True)[0] is None
    assert edge_characters(r"(?a:[^\w])$", True)[0] is None and edge_characters(r"(?a)x$", True)[0] is None
    assert edge_characters(r"x*$", True)[1]  # may match nothing


def test_prefix_search_tries_only_the_entries_that_can_start_with_the_first_character() -> None:
    import random

    from spacy.util import compile_prefix_regex

    from claimaudit.nlp.tokenizer import ClaimEnglishDefaults, StartAnchored, edge_characters, start_anchored

    searcher = start_anchored(ClaimEnglishDefaults.prefixes)
    assert isinstance(searcher, StartAnchored)
    assert isinstance(blank_english().tokenizer.prefix_search.__self__, StartAnchored)
    plain = compile_prefix_regex(ClaimEnglishDefaults.prefixes)
    rng = random.Random(13)
    alphabet = "aUSC$A£€(['\"“‘«‹`¡¿+-–—.…§%=#~*&12x\n /<>"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    tails = ("", "5", "x", "$", "S$5", "..", "(", "'s", "\n")
    words += [chr(code) + tail for code in range(0x3000) for tail in tails] + ["😀x", "\U0001f44d", "US$5", "C$", "A$1"]
    for word in words:
        found, expected = searcher.search(word), plain.search(word)
        assert (found and found.span()) == (expected and expected.span()), word
    assert start_anchored([r"a", r"b|c"]) is None  # "c" may match anywhere
    assert start_anchored([r"x?"]) is None  # may match nothing
    starts, _ = edge_characters(r"^(?=[0-9])(?:US\$|C\$)", False)
    assert [c for c in "UC$0" if may_be(starts, c)] == ["U", "C"]


def test_infix_search_on_hyphenated_words_and_numbers_runs_only_the_entries_that_can_match() -> None:
    import random

    from claimaudit.nlp.tokenizer import ClaimEnglishDefaults, InfixSubsets, infix_subsets

    searcher = infix_subsets(ClaimEnglishDefaults.infixes)
    assert isinstance(searcher, InfixSubsets) and all(subset is not None for _, subset in searcher.subsets)
    assert isinstance(blank_english().tokenizer.infix_finditer.__self__, InfixSubsets)
    plain = compile_infix_regex(ClaimEnglishDefaults.infixes)
    rng = random.Random(17)
    words = ["well-known", "a--b", "-", "x-", "-x", "COVID-Nineteen", "1,530", "0.5", "1..2", "2,", ".5", "3.45"]
    for alphabet in ("abcXYZ-", "ab-", "0123456789.,", "19.,", "abc", "12", "ab1-.,", "aB9-.,;/–"):
        words += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(4000)]
    for word in words:
        assert [m.span() for m in searcher.finditer(word)] == [m.span() for m in plain.finditer(word)], word


def test_edge_tests_answer_as_may_be() -> None:
    from claimaudit.nlp.tokenizer import ClaimEnglishDefaults, EdgeTest, edge_characters

    entries = [*(p + "$" for p in ClaimEnglishDefaults.suffixes), *("^" + p for p in ClaimEnglishDefaults.prefixes)]
    entries += [r"[^a-c\d]$", r"[x-z\s]$", r"[^\W\d]$", r"(?:a|[^b])$"]
    chars = [chr(code) for code in range(0, 0x3000, 3)] + ["😀", "\U0001f44d", "b", "c", "5", " "]
    for entry in entries:
        edges, _ = edge_characters(entry, entry.endswith("$"))
        test = EdgeTest(edges)
        assert [test(c) for c in chars] == [may_be(edges, c) for c in chars], entry
