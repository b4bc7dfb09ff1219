"""Assertion modifiers with scope, in the manner of medspaCy's ConText.

Each modifier phrase (patterns/context.yaml) has a category (negation, hedge, hypothetical,
booster, absolute, attribution, rebuttal, limitation) and a direction. Its scope runs from the
phrase forward (or backward) to the clause edge or the nearest terminator ("but", "however",
";" ...). The claim extractor asks which modifiers govern a claim's anchor cues.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

import re

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.phrases import PhraseIndex, phrase_regex
from claimaudit.nlp.resources import load_patterns
from claimaudit.nlp.scan import LiteralStarts, lower_text
from claimaudit.nlp.spans import CharIndex, doc_text, extend_group, set_group

DIRECTIONS = ("forward", "backward", "bidirectional")


@Language.factory(
    "claimaudit_context",
    assigns=["doc.spans"],
    default_config={"spans_key": "modifiers", "patterns": "context"},
)
def make_context(nlp: Language, name: str, spans_key: str, patterns: str) -> "ContextComponent":
    return ContextComponent(nlp, spans_key=spans_key, patterns=patterns)


class ContextComponent:
    """Marks modifiers in `doc.spans[spans_key]`: label = category, kb_id = direction.

    Terminators go to `doc.spans[spans_key + "_terminators"]`. Where modifiers overlap, the
    longest wins ("has been shown" over "shown").
    """

    def __init__(self, nlp: Language, *, spans_key: str = "modifiers", patterns: str = "context") -> None:
        self.spans_key = spans_key
        phrases_by_label: dict[str, list[str]] = {}
        for category, rules in load_patterns(patterns).items():
            if category == "frames":
                continue
            if category == "terminate":
                phrases_by_label["terminate|"] = list(rules or ())
                continue
            for direction, phrases in (rules or {}).items():
                if direction not in DIRECTIONS:
                    raise ValueError(f"patterns/{patterns}.yaml: {category}: unknown direction {direction!r}")
                phrases_by_label[f"{category}|{direction}"] = list(phrases or ())
        self.index = PhraseIndex(nlp, phrases_by_label)
        self._parts: dict[int, tuple[int, int, bool]] = {}  # label hash: category, direction hashes
        frames = load_patterns(patterns).get("frames")
        self.frames = LiteralStarts(compile_frames(frames)) if frames else None

    def __call__(self, doc: Doc) -> Doc:
        chars = CharIndex.of(doc)
        modifiers: list[Span] = []
        terminators: list[Span] = []
        strings = doc.vocab.strings
        for label, start, end, is_char in self.index.label_matches(doc, doc_text(doc)):
            parts = self._parts.get(label)
            if parts is None:
                category, direction = strings[label].split("|")
                parts = self._parts[label] = (strings.add(category), strings.add(direction), category == "terminate")
            category_id, direction_id, terminates = parts
            if is_char:
                span = chars.span(start, end, label=category_id, kb_id=direction_id)
            else:
                span = Span(doc, start, end, label=category_id, kb_id=direction_id)
            if span is None:
                continue
            (terminators if terminates else modifiers).append(span)
        if self.frames is not None:
            framed = attribution_frames(doc_text(doc), self.frames, lower_text(doc))
            backed: list[Span] = []  # cues of the assertive frames, after the cue matcher's
            for start, end, assertive in framed:
                span = chars.span(start, end, label="attribution" if assertive else "neutral", kb_id="forward")
                if span is None:
                    continue
                modifiers.append(span)
                if assertive:
                    backed.append(Span(doc, span.start, span.end, label="research_backed"))
            if backed and "cues" in doc.spans:
                extend_group(doc, "cues", backed)  # in place: no Span made for the cues there
        set_group(doc, self.spans_key, _drop_contained(modifiers))
        set_group(doc, self.spans_key + "_terminators", terminators)
        return doc


def _drop_contained(spans: list[Span]) -> list[Span]:
    """Drop a modifier strictly contained in a longer one."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    reach_start, reach_end = -1, -1
    for span in ordered:
        inside = reach_start <= span.start and span.end <= reach_end and (span.end - span.start) < (reach_end - reach_start)
        if inside:
            continue
        kept.append(span)
        if span.end > reach_end:
            reach_start, reach_end = span.start, span.end
    return kept


def compile_frames(frames: dict[str, object]) -> "re.Pattern[str]":
    """One regular expression for the attribution frames of patterns/context.yaml: a source,
    up to `max_gap` plain words (none of `gap_stops`), then a reporting or a neutral verb."""

    def alternation(key: str) -> str:
        phrases = frames.get(key) or []
        assert isinstance(phrases, list), f"frames.{key} must be a list"
        return "|".join(phrase_regex(str(p)) for p in phrases)

    stop_words = frames.get("gap_stops") or []
    assert isinstance(stop_words, list), "frames.gap_stops must be a list"
    stops = "|".join(re.escape(str(w)) for w in stop_words)
    gap = int(frames.get("max_gap", 3))  # type: ignore[call-overload]
    word = rf"(?:(?!(?:{stops})(?![\w'’-]))[\w'’-]+)" if stops else r"[\w'’-]+"
    # not a question about the evidence ("What does the research show?")
    not_asked = "".join(rf"(?<!\b{w}\s)(?<!\b{w} the\s)" for w in ("what", "how", "does", "do", "did"))
    # a report of the writer's own results ("our data show") is not an appeal to research
    not_own = "".join(rf"(?<!\b{w}\s)" for w in ("our", "my"))
    return compiled(
        not_asked + not_own + rf"(?:{alternation('sources')})(?:[^\S\n]+{word}){{0,{gap}}}?[^\S\n]+"
        rf"(?:(?P<verb>{alternation('verbs')})|(?P<neutral>{alternation('neutral_verbs')}))",
        re.IGNORECASE,
    )


def attribution_frames(
    text: str, pattern: "re.Pattern[str] | LiteralStarts", lowered: str | None = None
) -> list[tuple[int, int, bool]]:
    """(start, end, assertive) for every attribution frame in the text ("findings show" is
    assertive; "studies have focused on" is not). With the pattern as `LiteralStarts` and the
    exact lower-cased text (`lower_text`) it is tried only where a source word starts."""
    if isinstance(pattern, LiteralStarts):
        matches = pattern.finditer(text, lowered)
    else:
        matches = pattern.finditer(text)
    return [(m.start(), m.end(), m.group("verb") is not None) for m in matches]
