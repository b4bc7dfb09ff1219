"""JSON Schema validation of raw records (schemas live in `schemas/*.schema.json`)."""

from __future__ import annotations

import importlib.resources
import json
from functools import lru_cache
from typing import Any

from claimaudit.knowledge_base.problems import Problem

SCHEMA_PREFIX = "urn:claimaudit:schema:"


def load_schemas() -> dict[str, dict[str, Any]]:
    """The schema files by name (common, pack, substance, study ...)."""
    folder = importlib.resources.files("claimaudit.knowledge_base").joinpath("schemas")
    schemas: dict[str, dict[str, Any]] = {}
    for node in folder.iterdir():
        if node.name.endswith(".schema.json"):
            schemas[node.name.removesuffix(".schema.json")] = json.loads(node.read_text("utf-8"))
    return schemas


@lru_cache(maxsize=1)
def validators() -> dict[str, Any]:
    """One Draft 2020-12 validator per record schema, with every $ref inlined.

    Inlining keeps validation fast ($ref lookups dominate otherwise); the files keep their refs.
    """
    from jsonschema import Draft202012Validator

    schemas = load_schemas()
    by_id = {schema["$id"]: schema for schema in schemas.values()}
    return {
        name: Draft202012Validator(_inline(schema, schema, by_id))
        for name, schema in schemas.items()
        if name != "common"
    }


def _inline(node: Any, document: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> Any:
    """Replace {"$ref": ...} by the referenced subschema (schemas here are not recursive)."""
    if isinstance(node, list):
        return [_inline(item, document, by_id) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        base, _, pointer = ref.partition("#")
        target_doc = by_id[base] if base else document
        target: Any = target_doc
        for part in pointer.strip("/").split("/") if pointer.strip("/") else ():
            target = target[part]
        resolved = _inline(target, target_doc, by_id)
        rest = {k: v for k, v in node.items() if k != "$ref"}
        if not rest:
            return resolved
        return {"allOf": [resolved], **_inline(rest, document, by_id)}
    return {
        key: (value if key in ("$defs", "$id", "$schema") else _inline(value, document, by_id))
        for key, value in node.items()
        if key != "$defs"
    }


def allowed_keys(schema_name: str) -> tuple[str, ...]:
    """The keys a record of this kind may carry (for messages and docs)."""
    schema = validators()[schema_name].schema
    return tuple(schema.get("properties", {}))


def check(validator: Any, raw: dict[str, Any], path: str, entry: str) -> list[Problem]:
    """Every schema violation of one record, as Problems with a JSON pointer."""
    problems = []
    for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path))):
        pointer = "/" + "/".join(str(part) for part in error.absolute_path)
        problems.append(Problem("KB102", path, _message(error), entry=entry, pointer=pointer))
    return problems


def _message(error: Any) -> str:
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    if custom and error.validator in ("anyOf", "pattern"):
        return f"{custom} (got {_short(error.instance)})"
    if error.validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        return f"{error.message}; allowed keys: {allowed}"
    if error.validator == "enum":
        return (
            f"{_short(error.instance)} is not one of: {', '.join(map(str, error.validator_value))}"
        )
    return str(error.message)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
