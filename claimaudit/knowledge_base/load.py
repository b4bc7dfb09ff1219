"""Read knowledge packs (YAML), validate them, and build the typed KnowledgeBase.

A *layer* is a directory: either one pack (it holds `pack.yaml`) or a folder of packs.
The bundled layer (shipped inside the package) comes first; user directories layer over
it in order. A record whose id repeats in a later layer replaces the earlier one; the same
id twice within one layer is an error. Validated bases are cached as a pickle keyed by a
hash of every file read and of the loader code, so a warm load skips YAML and validation.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.resources
import os
import pickle
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from claimaudit.knowledge_base.model import (
    AdverseEffect,
    Approval,
    Contraindication,
    EvidenceAssessment,
    Grade,
    Indication,
    KnowledgeBase,
    Mechanism,
    MechanismStatus,
    OnsetDurability,
    Outcome,
    Pack,
    Regulator,
    Source,
    SourceKind,
    SourceKindName,
    Study,
    Substance,
    UnverifiedRecord,
)
from claimaudit.knowledge_base.problems import KnowledgeBaseProblems, Problem

CACHE_FORMAT = "kb-cache-1"
PACK_FILE = "pack.yaml"
MAX_FILE_BYTES = 2_000_000  # one knowledge file; the largest bundled one is under 20 kB
MAX_NODES = 200_000  # values in one file after expanding YAML aliases
BUNDLED_DISPLAY = "knowledge"

# folder name (= KnowledgeBase attribute) -> (schema name, record class)
KINDS: dict[str, tuple[str, type[Any]]] = {
    "substances": ("substance", Substance),
    "indications": ("indication", Indication),
    "regulators": ("regulator", Regulator),
    "approvals": ("approval", Approval),
    "assessments": ("assessment", EvidenceAssessment),
    "studies": ("study", Study),
    "mechanisms": ("mechanism", Mechanism),
    "adverse_effects": ("adverse_effect", AdverseEffect),
    "contraindications": ("contraindication", Contraindication),
    "onset_durability": ("onset_durability", OnsetDurability),
    "source_kinds": ("source_kind", SourceKind),
}
_YAML_SUFFIXES = (".yaml", ".yml")
_IGNORED_PREFIXES = (".", "_", "README", "readme", "LICENSE")


class _Node(Protocol):
    """The part of importlib.resources.abc.Traversable (and pathlib.Path) used here."""

    @property
    def name(self) -> str: ...

    def iterdir(self) -> Iterator[Any]: ...

    def is_dir(self) -> bool: ...

    def is_file(self) -> bool: ...

    def read_bytes(self) -> bytes: ...

    def joinpath(self, *child: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class _File:
    layer: int
    key: str  # stable path for hashing: "<pack dir>/<kind>/<file>"
    display: str  # path shown in messages
    kind: str  # a KINDS key, or "pack"
    data: bytes


@dataclass(frozen=True, slots=True)
class _Entry:
    layer: int
    display: str
    kind: str
    record: Any
    unverified: str = ""  # reason, for records kept out of judgements


# ---------------------------------------------------------------- public API


def bundled_root() -> _Node:
    """The knowledge folder shipped with the package (a resource, also inside wheels/zips)."""
    node: _Node = importlib.resources.files("claimaudit").joinpath("bundled_knowledge")
    return node


def load_knowledge_base(
    dirs: Sequence[str | Path] | None = None,
    *,
    bundled: bool = True,
    cache: bool = True,
) -> KnowledgeBase:
    """Load, validate and layer the bundled base and any user directories (in order).

    Raises KnowledgeBaseError (a KnowledgeBaseProblems listing every defect found).
    """
    files = _files(dirs, bundled)
    content_hash = _content_hash(files)
    cache_file = _cache_file(files) if cache else None
    if cache_file is not None:
        cached = _read_cache(cache_file)
        if cached is not None:
            return cached
    kb = build_knowledge_base(files, content_hash)
    if cache_file is not None:
        _write_cache(cache_file, kb)
    return kb


def knowledge_hash(dirs: Sequence[str | Path] | None = None, *, bundled: bool = True) -> str:
    """The content hash `load_knowledge_base(dirs, bundled=bundled).content_hash` would have,
    from reading the files only (no parsing). Raises KnowledgeBaseError as the load would."""
    return _content_hash(_files(dirs, bundled))


def _files(dirs: Sequence[str | Path] | None, bundled: bool) -> list[_File]:
    """Every knowledge file of the bundled layer (if `bundled`) and of `dirs`, in layer order."""
    layers: list[tuple[_Node, str]] = []
    if bundled:
        layers.append((bundled_root(), BUNDLED_DISPLAY))
    for directory in dirs or ():
        path = Path(directory)
        if not path.is_dir():
            raise KnowledgeBaseProblems(
                [Problem("KB106", str(directory), "knowledge directory not found")]
            )
        layers.append((path, str(directory)))
    files, problems = _collect(layers)
    if problems:
        raise KnowledgeBaseProblems(problems)
    return files


def build_knowledge_base(files: Sequence[_File], content_hash: str) -> KnowledgeBase:
    """Parse, validate, layer and cross-check already collected files."""
    from claimaudit.knowledge_base import checks, schema
    from claimaudit.knowledge_base import sources as source_rules

    validators = schema.validators()
    problems: list[Problem] = []
    packs: dict[str, Pack] = {}
    entries: list[_Entry] = []
    for file in files:
        for index, raw in enumerate(_parse(file, problems)):
            entry_id = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index}"
            schema_name = "pack" if file.kind == "pack" else KINDS[file.kind][0]
            found = schema.check(validators[schema_name], raw, file.display, str(entry_id))
            if found:
                problems.extend(found)
                continue
            if file.kind == "pack":
                pack = _pack(raw)
                packs.pop(pack.id, None)
                packs[pack.id] = pack
            else:
                reason = raw.pop("unverified", "")
                record = _record(file.kind, raw)
                entries.append(_Entry(file.layer, file.display, file.kind, record, reason))
    if problems:
        raise KnowledgeBaseProblems(problems)
    tables, unverified, origins, problems = _layer(entries)
    if problems:
        raise KnowledgeBaseProblems(problems)
    kb = KnowledgeBase(
        packs=tuple(packs.values()),
        version="+".join(f"{p.id}@{p.version}" for p in packs.values()),
        content_hash=content_hash,
        origins=origins,
        unverified=unverified,
        **tables,
    )
    problems = [*checks.cross_check(kb), *source_rules.check_sources(kb)]
    if problems:
        raise KnowledgeBaseProblems(problems)
    return kb


def cache_dir() -> Path:
    """Where validated bases are cached: $CLAIMAUDIT_CACHE_DIR, else the user cache dir."""
    explicit = os.environ.get("CLAIMAUDIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "claimaudit"


# ---------------------------------------------------------------- collecting files


def _collect(layers: Sequence[tuple[_Node, str]]) -> tuple[list[_File], list[Problem]]:
    files: list[_File] = []
    problems: list[Problem] = []
    for layer, (root, display) in enumerate(layers):
        packs = _pack_dirs(root)
        if not packs:
            problems.append(
                Problem("KB106", display, f"no {PACK_FILE} found (not a pack or a folder of packs)")
            )
        for pack_node, pack_rel in packs:
            pack_display = _join(display, pack_rel)
            files.extend(
                _pack_files(layer, pack_node, pack_rel or root.name, pack_display, problems)
            )
    return files, problems


def _pack_dirs(root: _Node) -> list[tuple[_Node, str]]:
    if root.joinpath(PACK_FILE).is_file():
        return [(root, "")]
    return [
        (child, child.name)
        for child in sorted(root.iterdir(), key=lambda c: c.name)
        if child.is_dir() and not child.name.startswith(".") and child.joinpath(PACK_FILE).is_file()
    ]


def _pack_files(
    layer: int, pack: _Node, key_prefix: str, display: str, problems: list[Problem]
) -> Iterator[_File]:
    yield _File(
        layer,
        f"{key_prefix}/{PACK_FILE}",
        _join(display, PACK_FILE),
        "pack",
        pack.joinpath(PACK_FILE).read_bytes(),
    )
    for child in sorted(pack.iterdir(), key=lambda c: c.name):
        name = child.name
        if name == PACK_FILE or name.startswith(_IGNORED_PREFIXES):
            continue
        if child.is_dir() and name in KINDS:
            for item in sorted(child.iterdir(), key=lambda c: c.name):
                if (
                    item.is_file()
                    and item.name.endswith(_YAML_SUFFIXES)
                    and not item.name.startswith(".")
                ):
                    rel = f"{name}/{item.name}"
                    yield _File(
                        layer, f"{key_prefix}/{rel}", _join(display, rel), name, item.read_bytes()
                    )
                elif item.is_dir() and not item.name.startswith("."):
                    problems.append(
                        Problem(
                            "KB106",
                            _join(display, f"{name}/{item.name}"),
                            "sub-folders are not read inside a kind folder",
                        )
                    )
        elif child.is_dir() or name.endswith(_YAML_SUFFIXES):
            problems.append(
                Problem(
                    "KB106",
                    _join(display, name),
                    f"unknown folder or file; allowed folders: {', '.join(KINDS)}",
                )
            )


def _join(display: str, rel: str) -> str:
    if not rel:
        return display
    return f"{display.rstrip('/')}/{rel}" if display else rel


# ---------------------------------------------------------------- hashing and cache


def _content_hash(files: Sequence[_File]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(f"{file.layer}:{file.key}\0".encode())
        digest.update(file.data)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _code_digest() -> bytes:
    package = importlib.resources.files("claimaudit.knowledge_base")
    digest = hashlib.sha256(CACHE_FORMAT.encode() + sys.version.encode())
    for name in ("model.py", "load.py", "checks.py", "schema.py", "sources.py"):
        digest.update(package.joinpath(name).read_bytes())
    schemas = package.joinpath("schemas")
    for node in sorted(schemas.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".json"):
            digest.update(node.read_bytes())
    return digest.digest()


def _cache_file(files: Sequence[_File]) -> Path | None:
    try:
        digest = hashlib.sha256(_code_digest())
        for file in files:
            digest.update(f"{file.layer}:{file.display}\0".encode())
            digest.update(file.data)
            digest.update(b"\0")
        return cache_dir() / f"kb-{digest.hexdigest()[:32]}.pickle"
    except Exception:  # noqa: BLE001 - a cache problem must never stop a load
        return None


def _read_cache(path: Path) -> KnowledgeBase | None:
    try:
        with path.open("rb") as handle:
            kb = pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing, stale or corrupt: rebuild
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _write_cache(path: Path, kb: KnowledgeBase, keep: int = 8) -> None:
    write_cache_pickle(path, kb, "kb-*.pickle", keep)


def write_cache_pickle(path: Path, value: object, family: str, keep: int) -> bool:
    """Pickle `value` to `path` atomically, keep the `keep` newest files matching the glob
    `family` beside it, and say whether it was written (a cache that cannot be written is skipped)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        old = sorted(path.parent.glob(family), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[keep:]:
            stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - read-only home, full disk ...: just do not cache
        return False
    return True


# ---------------------------------------------------------------- parsing


def _parse(file: _File, problems: list[Problem]) -> list[dict[str, Any]]:
    """The file's records: one mapping, or a list of mappings."""
    import yaml  # imported here: a warm (cached) load never parses YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if len(file.data) > MAX_FILE_BYTES:
        problems.append(Problem("KB101", file.display,
                                f"file is {len(file.data):,} bytes, over the limit of {MAX_FILE_BYTES:,}"))
        return []
    try:
        data = _plain(yaml.load(file.data.decode("utf-8"), Loader=loader), [MAX_NODES])
    except _TooLarge:
        problems.append(Problem("KB101", file.display,
                                f"YAML expands to more than {MAX_NODES:,} values (aliases nest too deep)"))
        return []
    except RecursionError:
        problems.append(Problem("KB101", file.display, "YAML nests too deep (or an alias refers to itself)"))
        return []
    except (ValueError, OverflowError) as exc:  # a scalar PyYAML cannot build: 0000-00-00, ...
        problems.append(Problem("KB101", file.display, f"invalid YAML value: {exc}"))
        return []
    except UnicodeDecodeError as exc:
        problems.append(Problem("KB101", file.display, f"not UTF-8 text ({exc.reason})"))
        return []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file.display}:{mark.line + 1}:{mark.column + 1}" if mark else file.display
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.append(Problem("KB101", where, f"invalid YAML: {what}"))
        return []
    except yaml.YAMLError as exc:
        problems.append(Problem("KB101", file.display, f"invalid YAML: {exc}"))
        return []
    if data is None:
        problems.append(Problem("KB102", file.display, "empty file"))
        return []
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list) and file.kind != "pack" and all(isinstance(d, dict) for d in data):
        return data
    expected = "a mapping" if file.kind == "pack" else "a mapping or a list of mappings"
    problems.append(
        Problem("KB102", file.display, f"expected {expected}, found {type(data).__name__}")
    )
    return []


class _TooLarge(Exception):
    """The YAML expands (through aliases) to more values than MAX_NODES."""


def _plain(value: Any, budget: list[int]) -> Any:
    """YAML dates become ISO strings (the schemas expect strings).

    Expanding aliases copies values; `budget` (one counter, shared) bounds the copies so an
    alias bomb ("billion laughs") is refused instead of exhausting memory.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(value, dict):
        return {key: _plain(item, budget) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item, budget) for item in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------- building records


def _pack(raw: dict[str, Any]) -> Pack:
    return Pack(
        id=raw["id"],
        name=raw["name"],
        version=raw["version"],
        description=raw.get("description", ""),
        default_jurisdictions=tuple(raw.get("default_jurisdictions", ("US",))),
    )


def _source(raw: dict[str, Any]) -> Source:
    pmid = raw.get("pmid")
    return Source(
        checked=raw["checked"],
        pmid=str(pmid) if pmid is not None else None,
        doi=raw.get("doi"),
        url=raw.get("url"),
        note=raw.get("note", ""),
        kind=SourceKindName(raw["kind"]),
        pmcid=raw.get("pmcid"),
    )


def _outcome(raw: dict[str, Any]) -> Outcome:
    values = dict(raw)
    for key in ("value", "comparator_value", "ci_low", "ci_high", "p_value"):
        if values.get(key) is not None:
            values[key] = float(values[key])
    return Outcome(**values)


def _record(kind: str, raw: dict[str, Any]) -> Any:
    cls = KINDS[kind][1]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "sources":
            value = tuple(_source(s) for s in value)
        elif key == "outcomes":
            value = tuple(_outcome(o) for o in value)
        elif key in ("triggers", "exclude"):
            value = tuple(tuple(term) for term in value)
        elif key == "grade":
            value = Grade(value)
        elif key == "status" and cls is Mechanism:
            value = MechanismStatus(value)
        elif key == "pmid" and value is not None:
            value = str(value)
        elif isinstance(value, list):
            value = tuple(value)
        values[key] = value
    return cls(**values)


# ---------------------------------------------------------------- layering


def _layer(
    entries: Iterable[_Entry],
) -> tuple[dict[str, dict[str, Any]], dict[str, UnverifiedRecord], dict[str, str], list[Problem]]:
    """Merge records: later layers override the same id; duplicates within a layer are errors.

    Records marked `unverified` go to their own table, so no lookup (and no rule) sees them."""
    tables: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    unverified: dict[str, UnverifiedRecord] = {}
    seen: dict[str, _Entry] = {}
    problems: list[Problem] = []
    for entry in entries:
        rid = entry.record.id
        earlier = seen.get(rid)
        if earlier is not None:
            if earlier.layer == entry.layer or earlier.kind != entry.kind:
                problems.append(
                    Problem(
                        "KB103",
                        entry.display,
                        f"duplicate id (also in {earlier.display})",
                        entry=rid,
                    )
                )
                continue
            tables[earlier.kind].pop(rid, None)
            unverified.pop(rid, None)
        seen[rid] = entry
        if entry.unverified:
            unverified[rid] = UnverifiedRecord(entry.kind, entry.record, entry.unverified)
        else:
            tables[entry.kind][rid] = entry.record
    origins = {rid: entry.display for rid, entry in seen.items()}
    return tables, unverified, origins, problems
