"""Every pattern behind the lazy prefilter in the package compiles.

`prefilter.compile` defers `re.compile` until a text gets past the pattern's needles, so a pattern
that no test text ever reaches would hide a syntax error until a user's page did. This walks the
package's modules and compiles every wrapped pattern held at module level (alone, or in a
tuple, list or dict)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import claimaudit
from claimaudit.nlp.prefilter import Prefiltered

SKIPPED = ("claimaudit.lsp", "claimaudit.serve", "claimaudit.learn", "claimaudit.__main__")


def wrapped_patterns(value: object, depth: int = 0) -> Iterator[Prefiltered]:
    if isinstance(value, Prefiltered):
        yield value
    elif depth < 3 and isinstance(value, (tuple, list)):
        for item in value:
            yield from wrapped_patterns(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from wrapped_patterns(item, depth + 1)


def test_every_module_level_wrapped_pattern_compiles() -> None:
    found: dict[str, Prefiltered] = {}
    for module_info in pkgutil.walk_packages(claimaudit.__path__, "claimaudit."):
        if module_info.name.startswith(SKIPPED):
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            for index, pattern in enumerate(wrapped_patterns(value)):
                found[f"{module_info.name}.{name}[{index}]"] = pattern
    assert len(found) > 50  # the rules hold many; finding none would mean the walk is broken
    for where, pattern in found.items():
        assert isinstance(pattern.regex, re.Pattern), where
