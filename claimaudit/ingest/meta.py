"""Document metadata: the publication, update and review dates a page declares."""

from __future__ import annotations

from claimaudit.nlp.analysis_cache import compiled

# Names (lower case, letters and digits only) under which pages declare their dates:
# front-matter keys, <meta name/property/itemprop> and JSON-LD properties.
_DATE_KEYS: dict[str, str] = {
    **dict.fromkeys(
        (
            "date",
            "published",
            "publishdate",
            "publisheddate",
            "publishedat",
            "publishedtime",
            "datepublished",
            "pubdate",
            "publicationdate",
            "articlepublishedtime",
            "dcdate",
            "dctermsdate",
            "dctermscreated",
            "created",
        ),
        "published",
    ),
    **dict.fromkeys(
        (
            "updated",
            "modified",
            "lastmod",
            "lastmodified",
            "lastupdated",
            "updatedat",
            "updateddate",
            "datemodified",
            "articlemodifiedtime",
            "ogupdatedtime",
            "dctermsmodified",
        ),
        "modified",
    ),
    **dict.fromkeys(
        (
            "reviewed",
            "lastreviewed",
            "reviewdate",
            "reviewedon",
            "reviewedat",
            "datereviewed",
            "medicallyreviewed",
            "medicallyreviewedon",
        ),
        "reviewed",
    ),
}

_NOT_ALNUM = compiled(r"[^a-z0-9]")


def date_key(name: str) -> str | None:
    """ "published", "modified" or "reviewed" when `name` declares such a date, else None.

    >>> date_key("article:published_time"), date_key("Last-Reviewed"), date_key("author")
    ('published', 'reviewed', None)
    """
    return _DATE_KEYS.get(_NOT_ALNUM.sub("", name.lower()))


def add_meta(meta: list[tuple[str, str]], key: str, value: str) -> None:
    """Append (key, value) unless the same pair is already there or the value is blank."""
    value = " ".join(value.split())
    if value and (key, value) not in meta:
        meta.append((key, value))
