"""Language resources bundled with the package (patterns/*.yaml), loaded once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_patterns(name: str) -> dict[str, Any]:
    """The parsed `claimaudit/nlp/patterns/<name>.yaml`."""
    text = resources.files("claimaudit.nlp").joinpath("patterns", f"{name}.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=_Loader)
    if not isinstance(data, dict):
        raise ValueError(f"patterns/{name}.yaml: expected a mapping at the top level")
    return data
