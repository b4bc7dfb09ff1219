"""`claimaudit kb`: validate, show and search the evidence knowledge base."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from typing import Any

import click

from claimaudit.errors import KnowledgeBaseError

_knowledge_option = click.option(
    "--knowledge",
    "knowledge_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra knowledge directory layered over the bundled base (repeatable).",
)
_no_bundled_option = click.option(
    "--no-bundled", is_flag=True, help="Do not load the knowledge base shipped with claimaudit."
)


@click.group()
def kb() -> None:
    """Validate, inspect and search the evidence knowledge base."""


@kb.command()
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False))
@_knowledge_option
@_no_bundled_option
def validate(dirs: tuple[str, ...], knowledge_dirs: tuple[str, ...], no_bundled: bool) -> None:
    """Validate the knowledge base (bundled plus DIRS) and print a summary.

    Exits 0 when valid, 2 with one line per problem (code, file, entry, field) when not.
    """
    from claimaudit.knowledge_base.load import KINDS

    base = _load([*knowledge_dirs, *dirs], no_bundled, cache=False)
    click.echo(f"knowledge base OK: {base.version} (hash {base.content_hash})")
    for kind in KINDS:
        click.echo(f"  {kind:<18} {len(getattr(base, kind)):>4}")


@kb.command()
@click.option(
    "--max-age",
    default="12m",
    show_default=True,
    help="Oldest acceptable `checked` date, as an age: 90d, 8w, 12m or 1y.",
)
@click.option("--as-of", default=None, help="Judge ages as of this ISO date (default: today).")
@_knowledge_option
@_no_bundled_option
def audit(max_age: str, as_of: str | None, knowledge_dirs: tuple[str, ...], no_bundled: bool) -> None:
    """List stale and unverified records; exit 1 when there is any, 0 when none.

    A record is stale when its `checked` date (the oldest check among its sources) is older
    than --max-age. Unverified records are kept out of judgements until tied to a primary source.
    """
    import datetime as dt

    from claimaudit.knowledge_base.freshness import audit_records, parse_age

    try:
        age = parse_age(max_age)
        today = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError as error:
        click.echo(f"KB201 {error}", err=True)
        raise click.exceptions.Exit(2) from None
    base = _load(knowledge_dirs, no_bundled, cache=False)
    report = audit_records(base, today - age)
    for item in report.items:
        click.echo(item.format())
    click.echo(
        f"{len(report.stale)} stale (checked before {today - age}), {len(report.unverified)} "
        f"unverified, of {report.total} records; oldest checked {report.oldest or 'n/a'}"
    )
    if report.items:
        raise click.exceptions.Exit(1)


@kb.command()
@click.argument("record_id")
@_knowledge_option
@_no_bundled_option
def show(record_id: str, knowledge_dirs: tuple[str, ...], no_bundled: bool) -> None:
    """Print one record (any kind) with its sources."""
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

    base = _load(knowledge_dirs, no_bundled)
    record = KnowledgeLookup(base).record(record_id)
    if record is None:
        click.echo(f"KB200 no record with id {record_id!r}; try `claimaudit kb search`", err=True)
        raise click.exceptions.Exit(2)
    click.echo(f"# {type(record).__name__} from {base.origins.get(record_id, '?')}")
    for line in _render(dataclasses.asdict(record)):  # type: ignore[call-overload]
        click.echo(line)


@kb.command()
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", default=10, show_default=True, help="How many results to show.")
@_knowledge_option
@_no_bundled_option
def search(
    text: tuple[str, ...], limit: int, knowledge_dirs: tuple[str, ...], no_bundled: bool
) -> None:
    """Fuzzy search over names, aliases, citations and statements."""
    from claimaudit.knowledge_base.search import search_records

    base = _load(knowledge_dirs, no_bundled)
    hits = search_records(base, " ".join(text), limit=limit)
    if not hits:
        click.echo("no match")
        return
    for hit in hits:
        click.echo(f"{hit.score:5.1f}  {hit.kind:<18} {hit.record_id:<34} {hit.label}")


def _load(dirs: Sequence[str], no_bundled: bool, *, cache: bool = True) -> Any:
    from claimaudit.knowledge_base.load import load_knowledge_base

    try:
        return load_knowledge_base(list(dirs), bundled=not no_bundled, cache=cache)
    except KnowledgeBaseError as error:
        click.echo(error.format_message(), err=True)
        raise click.exceptions.Exit(error.exit_code) from None


def _render(value: Any, indent: str = "") -> list[str]:
    """YAML-like lines for a record dict; empty values are skipped."""
    lines: list[str] = []
    for key, item in value.items():
        if item in (None, "", (), [], {}):
            continue
        if isinstance(item, enum.Enum):
            item = item.value
        if isinstance(item, dict):
            lines.append(f"{indent}{key}:")
            lines.extend(_render(item, indent + "  "))
        elif isinstance(item, (list, tuple)) and item and isinstance(item[0], dict):
            lines.append(f"{indent}{key}:")
            for element in item:
                sub = _render(element, indent + "    ")
                if sub:
                    lines.append(f"{indent}  - {sub[0].strip()}")
                    lines.extend(sub[1:])
        elif isinstance(item, (list, tuple)):
            lines.append(f"{indent}{key}: [{', '.join(_flat(i) for i in item)}]")
        else:
            lines.append(f"{indent}{key}: {_flat(item)}")
    return lines


def _flat(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(_flat(i) for i in item) + "]"
    if isinstance(item, float) and item.is_integer():
        return str(int(item))
    return " ".join(str(item).split())
