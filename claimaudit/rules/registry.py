"""The rule registry: every rule module, listed once per family, and selectors over them.

A family package (e.g. `rules/safety/`) sets `PREFIX` and lists its rule modules in `RULES`
(module names, in code order). A rule module exports `RULE` (a Rule) and either
`check(claim, ctx)` (claim scope) or `check_document(facts, ctx)` (document scope).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

from claimaudit.rules.base import RuleModule

FAMILY_PACKAGES: tuple[str, ...] = (
    "regulatory",
    "evidence_strength",
    "statistics",
    "citation",
    "safety",
    "mechanism",
    "onset_duration",
    "scope",
    "disclosure",
)

# Retired codes redirect to their successors (codes are never reused).
REDIRECTS: dict[str, str] = {}


@lru_cache(maxsize=1)
def all_rules() -> tuple[RuleModule, ...]:
    """Every rule, in family order then code order."""
    loaded: list[RuleModule] = []
    for package_name in FAMILY_PACKAGES:
        package = importlib.import_module(f"claimaudit.rules.{package_name}")
        for module_name in getattr(package, "RULES", ()):
            module = importlib.import_module(f"claimaudit.rules.{package_name}.{module_name}")
            loaded.append(_rule_module(module))
    return tuple(sorted(loaded, key=lambda m: (FAMILY_PACKAGES_ORDER[m.rule.family.value], m.rule.code)))


FAMILY_PACKAGES_ORDER = {
    family: index
    for index, family in enumerate(("REG", "EVI", "STAT", "CITE", "SAFE", "MECH", "DUR", "SCOPE", "DISC"))
}


def _rule_module(module: object) -> RuleModule:
    rule = getattr(module, "RULE")
    if not rule.doc:
        from dataclasses import replace

        rule = replace(rule, doc=(getattr(module, "__doc__", "") or "").strip())
    return RuleModule(
        rule=rule,
        check_claim=getattr(module, "check", None),
        check_document=getattr(module, "check_document", None),
    )


def resolve_code(code: str) -> str:
    """Follow retired-code redirects."""
    return REDIRECTS.get(code.upper(), code.upper())


def matches(selector: str, code: str, family: str) -> bool:
    """A selector matches by exact code, code prefix (SAFE0) or family (SAFE)."""
    selector = resolve_code(selector.strip())
    return bool(selector) and (code.startswith(selector) or family == selector)


def split_selectors(values: Iterable[str]) -> tuple[str, ...]:
    """Flatten "SAFE,EVI001" style values into single selectors."""
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> tuple[RuleModule, ...]:
    """Rules enabled by `select` (all when empty) and not disabled by `ignore`."""
    selected = split_selectors(select)
    ignored = split_selectors(ignore)
    chosen = []
    for module in all_rules():
        code, family = module.rule.code, module.rule.family.value
        if selected and not any(matches(s, code, family) for s in selected):
            continue
        if any(matches(s, code, family) for s in ignored):
            continue
        chosen.append(module)
    return tuple(chosen)


def get_rule(code: str) -> RuleModule | None:
    wanted = resolve_code(code)
    return next((m for m in all_rules() if m.rule.code == wanted), None)
