"""Language resources bundled with the package (patterns/*.yaml), loaded once.

`pattern_file(name)` is the data of `claimaudit/nlp/patterns/<name>.yaml` as YAML's safe loader
builds it (libyaml's when installed: same data, faster). A fresh process takes it from the
pattern cache (`analysis_cache`), stored there as marshal bytes under the file's content digest,
so it neither parses the file nor imports yaml; an edited file has a new digest and is parsed
again. Data marshal cannot hold (dates ...) is parsed every time.
"""

from __future__ import annotations

import hashlib
import marshal
from functools import cache
from importlib import resources
from typing import Any

from claimaudit.nlp.analysis_cache import cached


def pattern_file(name: str) -> Any:
    """The parsed `claimaudit/nlp/patterns/<name>.yaml` (a new copy at each call)."""
    return yaml_data(f"{name}.yaml", resources.files("claimaudit.nlp.patterns").joinpath(f"{name}.yaml").read_bytes())


def yaml_data(label: str, data: bytes) -> Any:
    """`parse_yaml(data)`, kept in the pattern cache under `label` and the digest of `data`
    (a damaged entry is parsed again, as a missing one is)."""
    digest = hashlib.sha256(data).hexdigest()[:32]
    stored = cached("yaml", f"{label} {digest}", 0, lambda: _marshalled(data))
    if isinstance(stored, bytes):
        try:
            return marshal.loads(stored)
        except (EOFError, ValueError, TypeError):
            pass
    return parse_yaml(data)


def parse_yaml(data: bytes) -> Any:
    """The YAML text `data` (UTF-8) read with the safe loader."""
    import yaml  # imported here: a cached pattern file needs no YAML parser

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data.decode("utf-8"), Loader=loader)


def _marshalled(data: bytes) -> bytes | None:
    try:
        return marshal.dumps(parse_yaml(data))
    except ValueError:  # a value marshal cannot hold: parse at every load
        return None


@cache
def load_patterns(name: str) -> dict[str, Any]:
    """The parsed `claimaudit/nlp/patterns/<name>.yaml` (an empty file: `{}`), loaded once; the
    pipeline components and the rules read their phrase lists through it."""
    data = pattern_file(name) or {}
    if not isinstance(data, dict):
        raise ValueError(f"claimaudit/nlp/patterns/{name}.yaml: expected a mapping at the top level")
    return data
