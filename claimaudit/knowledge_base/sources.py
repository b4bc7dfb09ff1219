"""Source policy: which kinds of source a record may rest on, and from which domains.

Every source has a kind (regulator, registry, paper, guideline, secondary) and a tier that
follows from it. The rules, enforced by `kb validate` (codes in problems.py):

- KB109 a URL anywhere in a record (source url, study url, a note) is on an aggregator or
  marketing domain, or a source's URL is not on a domain its kind allows;
- KB110 a paper has neither PMID nor DOI, or its URL is not the canonical PubMed/DOI address;
- KB111 an approval does not rest on a regulator record or label; an evidence grade does not
  rest on a peer-reviewed paper (its own sources, or a study it lists that has a PMID/DOI).

Records marked `unverified` must still avoid aggregator and marketing domains, but need no
primary basis and may cite other sites: they stay out of judgements until someone ties them to
a primary record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any
from urllib.parse import urlsplit

from claimaudit.knowledge_base.model import (
    RECORD_TABLES,
    KnowledgeBase,
    Source,
    SourceKindName,
)
from claimaudit.knowledge_base.problems import Problem

# Domains a source of each kind may point at (a host matches a domain or any sub-domain of it).
ALLOWED_DOMAINS: dict[SourceKindName, tuple[str, ...]] = {
    SourceKindName.REGULATOR: (
        "fda.gov",  # Drugs@FDA (accessdata.fda.gov), labels, REMS, safety communications, openFDA
        "dailymed.nlm.nih.gov",  # FDA-submitted labels
        "health-products.canada.ca",  # Health Canada Drug Product Database
        "hpfb-dgpsa.ca",  # Health Canada Drug and Health Product Portal (decision summaries)
        "gc.ca",  # Government of Canada (Canada Gazette, recalls)
        "pdf.hres.ca",  # Health Canada product monographs
        "canada.ca",
        "ema.europa.eu",  # EPAR
        "ec.europa.eu",  # Union Register of medicinal products
        "gov.uk",  # MHRA
        "nice.org.uk",
        "tga.gov.au",  # ARTG, AusPAR
        "govinfo.gov",  # Federal Register (DEA scheduling)
        "federalregister.gov",
        "deadiversion.usdoj.gov",
        "dea.gov",
        "laws-lois.justice.gc.ca",  # Canadian statutes (CDSA schedules)
    ),
    SourceKindName.REGISTRY: (
        "clinicaltrials.gov",
        "anzctr.org.au",
        "isrctn.com",
        "trialsearch.who.int",
        "clinicaltrialsregister.eu",
        "euclinicaltrials.eu",
    ),
    SourceKindName.PAPER: ("pubmed.ncbi.nlm.nih.gov", "doi.org", "pmc.ncbi.nlm.nih.gov"),
    SourceKindName.GUIDELINE: (
        "nice.org.uk",
        "healthquality.va.gov",
        "psychiatry.org",
        "canmat.org",
        "who.int",
        "pubmed.ncbi.nlm.nih.gov",
        "doi.org",
    ),
    SourceKindName.SECONDARY: (
        "nih.gov",  # NIMH, NIDA, NIAAA information pages
        "medlineplus.gov",
        "cdc.gov",
        "nhs.uk",
        "who.int",
        "ftc.gov",
        "icmje.org",
        "cochrane.org",  # Cochrane Handbook (methods)
    ),
}

# Aggregators, reprint mirrors, marketing and clinic sites: refused anywhere in a record.
BLOCKED_DOMAINS: tuple[str, ...] = (
    "moreblossom.com",
    "blossomanalysis.com",
    "scrippsnews.com",
    "popular-pharma.com",
    "zendy.io",
    "vdocuments.mx",
    "peeref.com",
    "drugs-library.com",
    "myhealthbox.eu",
    "ketwell.com",
    "wcmedicine.com",
    "spravatohcp.com",
    "spravato.com",
    "melakarnets.com",
    "scribd.com",
    "healthdocbox.com",
    "omicsdi.org",
    "semanticscholar.org",
    "researchgate.net",
    "medicinenet.com",
    "drugs.com",
    "webmd.com",
    "oindpnews.com",
    "thepharmaletter.com",
    "beckershospitalreview.com",
    "openminds.com",
    "slashgear.com",
    "120ty.net",
    "ablesci.com",
    "booksci.cn",
    "globalauthorid.com",
    "primidi.com",
    "biomed.reviewer.ly",
    "psychjournalclub.com",
    "psychedelicreview.com",
    "cliniquecme.com",
    "citclinics.com",
    "avyia.com",
    "betterucare.com",
    "gatewaypsychiatric.com",
    "healthesystems.com",
    "togetherforshortlives.org.uk",
    "ouci.dntb.gov.ua",
    "nomos.is.cuni.cz",
    "katalog.lib.cas.cz",
    "m2.mtmt.hu",
    "doaj.org",
    "core.ac.uk",
)

_ANY_ALLOWED: tuple[str, ...] = tuple(sorted({d for ds in ALLOWED_DOMAINS.values() for d in ds}))
_URL = re.compile(r"https?://[^\s)\"'<>\]]+", re.I)
_PUBMED = re.compile(r"^https://pubmed\.ncbi\.nlm\.nih\.gov/(\d+)/?$")
_DOI_URL = re.compile(r"^https://doi\.org/(10\.\S+)$")


def host(url: str) -> str:
    """Lower-case host of a URL without a leading 'www.'."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def on_domain(url: str, domains: Iterable[str]) -> bool:
    """True when the URL's host is one of `domains` or a sub-domain of one."""
    name = host(url)
    return any(name == d or name.endswith("." + d) for d in domains)


def blocked(url: str) -> bool:
    return on_domain(url, BLOCKED_DOMAINS)


def canonical_paper_url(source: Source) -> str:
    """The canonical address of a paper source: PubMed when a PMID is known, else doi.org."""
    if source.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"
    if source.doi:
        return f"https://doi.org/{source.doi}"
    if source.pmcid:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{source.pmcid}/"
    return ""


def source_problems(source: Source) -> list[str]:
    """What is wrong with one source on its own (messages without location)."""
    problems: list[str] = []
    if source.url and not on_domain(source.url, ALLOWED_DOMAINS[source.kind]):
        problems.append(
            f"{host(source.url)} is not an allowed domain for a {source.kind.value} source "
            f"(allowed: {', '.join(ALLOWED_DOMAINS[source.kind])})"
        )
    if source.kind is SourceKindName.PAPER:
        if not (source.pmid or source.doi or source.pmcid):
            problems.append("a paper source needs a pmid, a doi or a pmcid")
        elif source.url and not _canonical(source):
            problems.append(
                f"a paper's url must be its canonical address ({canonical_paper_url(source)})"
            )
    return problems


def _canonical(source: Source) -> bool:
    url = source.url or ""
    pubmed, doi = _PUBMED.match(url), _DOI_URL.match(url)
    if pubmed:
        return source.pmid is None or pubmed.group(1) == source.pmid
    if doi:
        return source.doi is None or doi.group(1).lower() == source.doi.lower()
    return url.rstrip("/") == canonical_paper_url(source).rstrip("/")


def check_sources(kb: KnowledgeBase) -> list[Problem]:
    """Every source-policy problem of the base (judged and unverified records)."""
    problems: list[Problem] = []
    for table, rid, record, verified in _records(kb):
        path = kb.origins.get(rid, table)
        problems.extend(_blocked_urls(record, path, rid))
        for index, source in enumerate(getattr(record, "sources", ()) if verified else ()):
            for message in source_problems(source):
                code = "KB110" if message.startswith("a paper") else "KB109"
                problems.append(Problem(code, path, message, entry=rid, pointer=f"/sources/{index}"))
        url = getattr(record, "url", None) if table == "studies" else None
        if verified and url and not blocked(url) and not on_domain(url, _ANY_ALLOWED):
            problems.append(
                Problem("KB109", path, f"{host(url)} is not a primary-record domain", entry=rid, pointer="/url")
            )
        if verified:
            problems.extend(_basis(kb, table, rid, record, path))
    return problems


def _records(kb: KnowledgeBase) -> Iterator[tuple[str, str, Any, bool]]:
    for table in RECORD_TABLES:
        for rid, record in getattr(kb, table).items():
            yield table, rid, record, True
    for rid, item in kb.unverified.items():
        yield item.kind, rid, item.record, False


def _blocked_urls(record: Any, path: str, rid: str) -> Iterator[Problem]:
    for pointer, text in _strings(record, ""):
        for url in _URL.findall(text):
            if blocked(url):
                yield Problem(
                    "KB109",
                    path,
                    f"{host(url)} is an aggregator or marketing site; cite the primary record",
                    entry=rid,
                    pointer=pointer,
                )


def _strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """(JSON pointer, text) for every string inside a record."""
    if isinstance(value, str):
        yield pointer, value
    elif is_dataclass(value):
        for item in fields(value):
            yield from _strings(getattr(value, item.name), f"{pointer}/{item.name}")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{pointer}/{index}")


def _basis(kb: KnowledgeBase, table: str, rid: str, record: Any, path: str) -> Iterator[Problem]:
    kinds = {source.kind for source in record.sources}
    if table == "approvals" and SourceKindName.REGULATOR not in kinds:
        yield Problem(
            "KB111",
            path,
            "an approval must rest on a regulator record or label (a source of kind regulator)",
            entry=rid,
            pointer="/sources",
        )
    if table == "assessments" and SourceKindName.PAPER not in kinds:
        if not any(_peer_reviewed(kb, study) for study in record.studies):
            yield Problem(
                "KB111",
                path,
                "an evidence grade must rest on a peer-reviewed paper (a paper source, or a "
                "listed study with a pmid or doi)",
                entry=rid,
                pointer="/sources",
            )


def _peer_reviewed(kb: KnowledgeBase, study_id: str) -> bool:
    study = kb.studies.get(study_id)
    return bool(study and study.peer_reviewed and (study.pmid or study.doi))
