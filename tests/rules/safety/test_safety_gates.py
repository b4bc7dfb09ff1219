"""The literal gates of SAFE001/SAFE002 let through every text their phrases can match."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.rules._helpers import load_patterns  # noqa: E402
from claimaudit.rules.safety import _phrases  # noqa: E402

CTX = domain_ctx([])


def _claim(text: str):  # type: ignore[no-untyped-def]
    return make_claim(text, substances=["ketamine"])


@pytest.mark.parametrize("key", ["absolute", "care_promise"])
def test_absolute_gate_passes_every_phrase(key: str) -> None:
    for phrase in load_patterns("safety")[key]:
        assert _phrases.may_promise_absolute_safety(_claim(f"Our care is {phrase.upper()}."))


@pytest.mark.parametrize("key", ["profile", "safe_word"])
def test_assertion_gate_passes_every_phrase(key: str) -> None:
    for phrase in load_patterns("safety")[key]:
        assert _phrases.may_assert_safety(_claim(f"Ketamine is {phrase.replace('*', '')}."), CTX)


def test_assertion_gate_passes_every_effect_name() -> None:
    for effect in CTX.kb.kb.adverse_effects.values():
        for name in (effect.name, *effect.aliases):
            assert _phrases.may_assert_safety(_claim(f"It never causes {name}."), CTX), name


@pytest.mark.parametrize("text", [
    "There are no reports of any lasting side effects.",
    "No known long-term harms have been found.",
    "It does not have any of the side effects of older drugs.",
    "Ketamine will not suppress your breathing.",
    "There is very little risk.",
    "You can enjoy the benefits without the usual side effects.",
    "The side effects are pleasant.",
    "Side effects are mild and temporary.",
    "Only a few mild side effects.",
    "The only side effect most people notice is tiredness.",
])
def test_assertion_gate_passes_absence_and_minimising_wording(text: str) -> None:
    claim = _claim(text)
    assert _phrases.absence_hits(claim) or _phrases.minimising_hits(claim), text
    assert _phrases.may_assert_safety(claim, CTX)


def test_gates_reject_unrelated_text() -> None:
    claim = _claim("Book a consultation with our team today.")
    assert not _phrases.may_assert_safety(claim, CTX)
    assert not _phrases.may_promise_absolute_safety(claim)


@pytest.mark.parametrize("key", ["absolute", "care_promise", "profile", "safe_word", "not_about_treatment"])
def test_each_phrase_list_gate_passes_its_phrases(key: str) -> None:
    gate = _phrases._phrase_gate((key,))
    for phrase in load_patterns("safety")[key]:
        text = f"We say: {phrase.replace('*', 'ing').upper()}!"
        assert gate is None or gate.search(text.lower()), phrase


def test_effect_name_gate_passes_every_name_of_the_substance() -> None:
    for effect in CTX.kb.adverse_effects_for("ketamine"):
        for name in (effect.name, *effect.aliases):
            assert _phrases._effect_named(CTX, "ketamine", f"It never causes {name}.", common_only=False), name


@pytest.mark.parametrize("wording", [
    "never causes {}", "won't cause {}", "cannot cause any {}", "does NOT lead to {}", "has no {}",
    "{}, a rare side effect", "rarely causes {}", "{} is uncommon", "{} is hardly ever seen",
    "is very unlikely to bring {}", "only in high doses can it cause {}",
])
def test_assertion_gate_passes_each_harm_wording_with_every_effect_name(wording: str) -> None:
    for effect in CTX.kb.kb.adverse_effects.values():
        for name in (effect.name, *effect.aliases):
            assert _phrases.may_assert_safety(_claim("It " + wording.format(name) + "."), CTX), (wording, name)


def test_harm_context_is_needed_by_the_harm_patterns() -> None:
    """Each of the denied, rarity and dose-limited patterns matches only with its context word."""
    terms = _phrases._effect_terms(CTX, "ketamine", common_only=False)
    texts = ["It never causes nausea.", "It causes no nausea.", "Nausea is rare.", "Rarely, nausea.",
             "In high doses it can cause nausea.", "It causes nausea.", "Nausea is common.", "In small amounts, nausea."]
    for text in texts:
        haystack = text.lower()
        if _phrases._denied_pattern(terms).search(text):
            assert _phrases._DENIAL.search(haystack)
        if _phrases._rarity_pattern(terms).search(text):
            assert any(w in haystack for w in _phrases._RARITY)
        if _phrases._dose_limited_pattern(terms).search(text):
            assert "dose" in haystack
        if not _phrases._HARM_CONTEXT.search(haystack):
            assert not _phrases.may_assert_safety(_claim(text), CTX) or _phrases._may_hold_phrase(
                text, haystack, _phrases._present(text))


@pytest.mark.parametrize("common_only", [False, True])
def test_effect_terms_kept_per_knowledge_base_match_a_direct_build(common_only: bool) -> None:
    """Each document's context gets the same effect-name alternation as built from the knowledge base."""
    names: list[str] = []
    for effect in CTX.kb.adverse_effects_for("ketamine"):
        if not common_only or effect.seriousness == "common":
            names += [effect.name, *effect.aliases]
    for ctx in (CTX, domain_ctx([])):  # a second document: its own memo, the same knowledge base
        assert _phrases._effect_terms(ctx, "ketamine", common_only=common_only) == _phrases._effect_terms_cached(tuple(names))


def test_effect_terms_do_not_depend_on_the_order_of_names() -> None:
    """Names of one length are ordered alphabetically: the same alternation in every process
    (whatever the hash seed), so its compiled program can be kept between runs."""
    names = ("nausea", "dizziness", "headache", "sedation", "vomiting", "k hole")
    built = {_phrases._effect_terms_cached.__wrapped__(tuple(order))
             for order in (names, names[::-1], names[2:] + names[:2])}
    assert len(built) == 1
    assert built.pop().split("|")[:3] == ["dizzin\\w*", "heada\\w*", "sedat\\w*"]
