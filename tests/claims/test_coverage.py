"""No silent pass: COV001-COV003 notices for what the knowledge base cannot judge."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from claimaudit.claims.coverage import detect_language
from claimaudit.cli import main

SPANISH = ("La ketamina es un tratamiento eficaz para la depresión y la ansiedad. En nuestra clínica "
           "ofrecemos infusiones que alivian los síntomas en pocas horas y los pacientes se sienten mejor "
           "después de la primera sesión, con resultados que duran meses para la mayoría de ellos.")
FRENCH = ("La kétamine est un traitement efficace de la dépression. Dans notre clinique, nous proposons "
          "des perfusions qui soulagent les symptômes en quelques heures et les patients se sentent mieux "
          "après la première séance, avec des résultats qui durent plusieurs mois pour la plupart.")
ENGLISH = ("Ketamine is an anaesthetic that is being studied for depression. In small trials, some patients "
           "felt better within a day, but the effect often faded within a week and more research is needed "
           "before it can be recommended for anyone with this condition.")


def test_language_detection_by_stopword_share():
    assert detect_language(SPANISH)[0] == "Spanish"
    assert detect_language(FRENCH)[0] == "French"
    assert detect_language(ENGLISH)[0] == "English"
    assert detect_language("Ketamina eficaz.")[0] == "English"  # too short to tell


def test_non_english_page_is_not_judged(audit):  # type: ignore[no-untyped-def]
    result = audit(SPANISH)
    assert [u.code for u in result.unjudged] == ["COV003"]
    assert "Spanish" in result.unjudged[0].message
    assert result.findings == ()


def test_condition_without_a_record_is_reported_once(audit):  # type: ignore[no-untyped-def]
    result = audit("Ketamine infusions are an effective treatment for tinnitus. "
                   "Ketamine relieves tinnitus for weeks.\n")
    names = [(u.code, u.name) for u in result.unjudged]
    assert names == [("COV001", "tinnitus")]


def test_recorded_condition_without_a_grade_is_reported(audit):  # type: ignore[no-untyped-def]
    result = audit("Ketamine is an effective treatment for addiction.\n")
    assert any(u.code == "COV001" and "no evidence grade" in u.message for u in result.unjudged)


def test_covered_claims_have_no_notice(audit):  # type: ignore[no-untyped-def]
    assert audit("Ketamine infusions are an effective treatment for PTSD.\n").unjudged == ()


def test_contraindication_sentence_is_not_a_coverage_gap(audit):  # type: ignore[no-untyped-def]
    assert audit("Ketamine is not suitable for people with schizophrenia.\n").unjudged == ()


def test_unknown_substance_benefit_sentence_is_reported(audit):  # type: ignore[no-untyped-def]
    result = audit("Psilocybin therapy heals trauma in a single session.\n")
    assert [(u.code, u.name) for u in result.unjudged] == [("COV002", "Psilocybin")]


def test_json_and_text_report_the_count_and_fail_on_unjudged(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.txt").write_text("Ketamine infusions are an effective treatment for tinnitus.\n", encoding="utf-8")
    report = CliRunner().invoke(main, ["check", "--format", "json", "--select", "REG", "page.txt"])
    data = json.loads(report.output)
    assert data["summary"]["not_judged"] == 1
    document = data["documents"][0]
    assert document["not_judged"]["count"] == 1
    assert document["not_judged"]["items"][0]["code"] == "COV001"
    assert "family" not in document["not_judged"]["items"][0]  # a notice, not a finding
    assert document["page_kind"]["kind"] == "unknown" and document["page_kind"]["forced"] is False
    text = CliRunner().invoke(main, ["check", "--select", "REG", "page.txt"])
    assert text.exit_code == 0
    assert "note COV001" in text.output and "1 thing not judged in 1 document" in text.output
    gate = CliRunner().invoke(main, ["check", "--select", "REG", "--fail-on-unjudged", "page.txt"])
    assert gate.exit_code == 1


def test_explain_documents_the_notice_codes():
    for code in ("COV001", "COV002", "COV003"):
        shown = CliRunner().invoke(main, ["explain", code.lower()])
        assert shown.exit_code == 0 and shown.output.startswith(code)
        assert "not a finding" in shown.output


def test_lower_words_equal_each_word_lower_cased() -> None:
    import random
    import sys

    from claimaudit.claims.coverage import _WORD, lower_words

    def direct(text: str) -> list[str]:
        return [w.lower() for w in _WORD.findall(text)]

    samples = ["", "Plain ASCII, it's 100% O'Neil's", "Straße İstanbul ΟΔΟΣ.Α ΟΔΟΣ x", "café’s naïve Ǆ ǅ ﬁne",
               "Schritte für die Behandlung – „Ketamin“", "ΣΊΣΥΦΟΣ's", "ᾼ ͅ Ⅷ Ⓐ _x_ 3d",
               "It’s a “quote” – dash… © 2024 • don’t", "x² and y’z ’tis", "Ⓐbc ‿de Ⓩ’s K"]
    rng = random.Random(7)
    pieces = [chr(rng.randrange(32, sys.maxunicode)) for _ in range(4000)] + list(" ’'-_.5aZΣİ")
    for _ in range(300):
        samples.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))))
    for text in samples:
        text = text.encode("utf-8", "replace").decode("utf-8", "replace")
        assert lower_words(text) == direct(text), text
    # every code point but "İ" keeps its length and its class ("a letter", "an apostrophe")
    letter = re.compile(r"[^\W\d_]")
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        if 0xD800 <= point <= 0xDFFF or char == "\u0130":
            continue
        lower = char.lower()
        assert len(lower) == 1 and bool(letter.fullmatch(char)) == bool(letter.fullmatch(lower)), hex(point)
        assert (char in "'\u2019") == (lower in "'\u2019")


def test_unknown_substance_sentences_skip_only_sentences_without_a_vocabulary_literal(auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.claims import coverage

    lookup = auditor.lookup
    from claimaudit.ingest import normalize, read_text

    texts = [
        "Psilocybin helps depression. MDMA cured my PTSD! Nothing here. Ketamine helps too.",
        "PSILOCYBIN works wonders\nfor anxiety. Ecstasy improves mood. LSD, cannabis and Ibogaine heal.",
        "Magic mushrooms relieve depression. Ayahuasca ceremonies help addiction? Esketamine (Spravato) helps.",
        "No substances at all. Just words.",
    ]
    for text in texts:
        document = normalize(read_text(text, path="t.md", media_type="text/markdown"))
        expected = {}
        for sentence in coverage._SENTENCE.finditer(document.text):
            words = sentence.group(0)
            match = coverage._regex("substances").search(words)
            if match is None or not coverage._regex("benefit_words").search(words):
                continue
            if coverage._names_known_substance(words, lookup):
                continue
            expected.setdefault(match.group(0).lower(), match.group(0))
        found = coverage.unknown_substance_sentences(document, lookup)
        assert [u.name for u in found] == list(expected.values()), text
    assert coverage.unknown_substance_sentences(normalize(read_text(texts[0], path="t.md", media_type="text/markdown")), lookup)


def test_byte_word_counts_equal_the_words() -> None:
    """Words counted over bytes are `lower_words`'s, apostrophes of both kinds included; a text
    with a non-ASCII word character is left to `lower_words`."""
    import random
    from collections import Counter

    from claimaudit.claims.coverage import _ascii_word_counts, detect_language, lower_words

    samples = ["", "'", "''x''", "It's O'Neil's rock'n'roll, isn't it? don't 'tis x'", "a’b’c ’’ ’t it’s”",
               "Tabs\tand\nnew lines—dashes – “quotes” ... 3d 100% a_b", "\x01 odd", "Café naïve", "x² y"]
    rng = random.Random(11)
    pieces = ["the", "and", "of", "la", "de", "It", "'", "’", " ", " ", "-", ".", "“", "—", "s", "don", "t", "_", "5"]
    for _ in range(400):
        samples.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))))
    for text in samples:
        counted = _ascii_word_counts(text)
        words = lower_words(text)
        if counted is None:
            assert "\x01" in text or any(c.isalnum() for c in text if not c.isascii()), text
            continue
        counts, total = counted
        spelt = Counter({k.decode("ascii").replace("\x01", "\u2019"): n for k, n in counts.items() if n})
        assert (spelt, total) == (Counter(words), len(words)), text
        assert all(n >= 0 for n in counts.values())
    for text in samples + [" ".join(samples)]:
        assert detect_language(text) == _direct_language(text), text
    english = " ".join(["the cat and the dog's bone is not for you"] * 6)
    spanish = " ".join(["el perro y la casa de los niños es para mí"] * 6)
    assert detect_language(english)[0] == "English"
    assert detect_language(english.replace("'", "\u2019") + " “ok”")[0] == "English"
    assert detect_language(spanish)[0] == "Spanish"


def _direct_language(text: str) -> tuple[str, float]:
    """`detect_language` computed from the words themselves."""
    from claimaudit.claims.coverage import _patterns, _stopwords, lower_words

    config = _patterns().get("language", {})
    words = lower_words(text)
    shares = {name: sum(1 for w in words if w in ws) / len(words) for name, ws in _stopwords().items()} if words else {}
    english = shares.get("English", 0.0)
    if len(words) < int(config.get("min_words", 40)) or english >= float(config.get("english_min", 0.12)):
        return "English", english
    best = max(shares, key=lambda name: shares[name])
    return best, shares[best]


def test_notices_from_the_page_haystack_are_the_notices(auditor) -> None:  # type: ignore[no-untyped-def]
    """Coverage reads the conditions' and substances' literals from the page haystack claim
    extraction built: the notices are those it finds by searching each claim and the page."""
    from claimaudit.claims import coverage
    from claimaudit.claims.extract import extract_claims
    from claimaudit.ingest import normalize, read_text

    pages = [
        "Ketamine relieves migraine and fibromyalgia within hours. Ketamine cures tinnitus for good.",
        "Psilocybin treats depression quickly. MDMA heals PTSD. Ketamine helps CRPS and insomnia.",
        "Nothing here is about a condition or a substance at all, just plain words.",
        "Ketamine helps depression. Ketamine helps migraine; ketamine helps migraine again.",
    ]
    for text in pages:
        document = normalize(read_text(text, path="page.md", media_type="text/markdown"))
        claims, _facts = extract_claims(auditor.nlp(document.text), document, auditor.lookup)
        shared = coverage.coverage_notices(document, claims, auditor.lookup)
        direct = {(u.code, u.name.lower()): u for u in coverage.unjudged_claims(claims, auditor.lookup)}
        for item in coverage.unknown_substance_sentences(document, auditor.lookup):
            direct.setdefault((item.code, item.name.lower()), item)
        assert shared == tuple(direct.values()), text


def test_english_share_is_the_share_of_the_counted_words() -> None:
    """`detect_language`'s quick English answer gives the share its word counts give."""
    import random

    from claimaudit.claims.coverage import _ascii_word_counts, _english_share, _stopword_bytes

    english = _stopword_bytes()["English"]
    rng = random.Random(5)
    pieces = ["the", "and", "don't", "it's", "isn't", "o'neil", "rock'n'roll", "'", "’", " ", " ", "-", ".",
              "is", "of", "you", "la", "de", "\u2019s", "x", "5", "\n"]
    samples = ["", "'", "don't don't", " ".join(["the cat and the dog's bone is not for you"] * 6)]
    samples += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 80))) for _ in range(400)]
    for text in samples:
        counted = _ascii_word_counts(text)
        quick = _english_share(text)
        assert (counted is None) == (quick is None), text
        if counted is None or quick is None:
            continue
        counts, total = counted
        share = sum(map(counts.__getitem__, counts.keys() & english)) / total if total else 0.0
        assert quick == (share, total), text
