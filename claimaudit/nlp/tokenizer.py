"""The tokenizer: spaCy's English rules plus two infixes for text glued by a lost space.

`ClaimEnglish` builds its tokenizer once with the extra infixes (changing infixes after
creation would recompile the regex and reload every special case). `ChunkCachingTokenizer`
is spaCy's tokenizer with its chunk cache filled chunk by chunk: spaCy stops caching a
document's chunks after the first special case ("—", "what's"), so long pages would be
re-split by the affix regexes on every call. The tokens are the same either way. It also keeps
the text in `doc.user_data[TEXT_KEY]` (spaCy's tokens reproduce it exactly), so `doc_text`
need not rebuild it from the tokens.
"""

from __future__ import annotations

from typing import ClassVar

from spacy.lang.en import English, EnglishDefaults
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from claimaudit.nlp.spans import TEXT_KEY

GLUED_SENTENCE_INFIXES: tuple[str, ...] = (
    r"(?<=[a-z]{2})\.(?=[A-Z][a-z])",  # "properties.Reports"
    r"(?<=(?:19|20)\d\d)(?=[A-Z][a-z])",  # "2018Journal" (a year glued to a title)
)


class ChunkCachingTokenizer(Tokenizer):  # type: ignore[misc]
    """spaCy's Tokenizer that tokenizes each whitespace-separated chunk it has not seen alone
    first, so spaCy caches it; remembers at most `max_cache_size` chunks. Short texts (phrases
    of the pattern files and the lexicon) are tokenized directly."""

    MIN_FILL_LENGTH: ClassVar[int] = 200

    def __call__(self, text: str) -> Doc:
        if len(text) >= self.MIN_FILL_LENGTH:
            self._fill_cache(text)
        doc: Doc = super().__call__(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def _fill_cache(self, text: str) -> None:
        seen: set[str] = self.__dict__.setdefault("_seen_chunks", set())
        room = self.max_cache_size - len(seen)
        if room <= 0:
            return
        for chunk in set(text.split()) - seen:
            if room <= 0:
                break
            super().__call__(chunk)
            seen.add(chunk)
            room -= 1


def create_tokenizer(nlp: Language) -> ChunkCachingTokenizer:
    """spaCy's default tokenizer factory (`spacy.Tokenizer.v1`), as a ChunkCachingTokenizer."""
    defaults = nlp.Defaults
    return ChunkCachingTokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(defaults.prefixes or ()).search,
        suffix_search=compile_suffix_regex(defaults.suffixes or ()).search,
        infix_finditer=compile_infix_regex(defaults.infixes or ()).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


class ClaimEnglishDefaults(EnglishDefaults):
    infixes = [*EnglishDefaults.infixes, *GLUED_SENTENCE_INFIXES]  # noqa: RUF012 - spaCy's Defaults are class lists


class ClaimEnglish(English):  # type: ignore[no-untyped-call]
    """Blank English whose tokenizer also splits "properties.Reports" and "2018Journal"."""

    Defaults = ClaimEnglishDefaults


def blank_english() -> ClaimEnglish:
    """A blank pipeline (like `spacy.blank("en")`) with the claimaudit tokenizer."""
    return ClaimEnglish(create_tokenizer=create_tokenizer)
