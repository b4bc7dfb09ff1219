"""Import spaCy without its command line.

`spacy/__init__.py` runs `from .cli.info import info`, which imports all of `spacy.cli`: typer,
weasel, requests, httpx, rich, jinja2 and every spaCy subcommand, about 0.2 s of a cold
`claimaudit check` that claimaudit never uses. `install()` (run by `claimaudit/cli.py`, so
only the command line, never a program importing claimaudit as a library)
puts a finder on `sys.meta_path` that steps in once, when `spacy` itself is first imported:
while spaCy's `__init__` runs, `spacy.cli` and `spacy.cli.info` are stand-in modules whose
`info` imports the real one when called (any other name asked of a stand-in imports the real
module on the spot, as spaCy's `__init__` would have); right after, the stand-ins are removed
and the finder takes itself off, so `import spacy.cli` (or `spacy.cli` as an attribute, through
a module `__getattr__`) loads the real command line as before. Nothing happens when spaCy or
`spacy.cli` is already imported, or when `CLAIMAUDIT_SPACY_CLI=1` is set.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

DISABLE = "CLAIMAUDIT_SPACY_CLI"
_STAND_INS = ("spacy.cli", "spacy.cli.info")


def info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`: spaCy's own `spacy.cli.info.info`, imported when first called."""
    from spacy.cli.info import info as real_info

    return real_info(*args, **kwargs)


def _module_getattr(name: str) -> Any:
    """`spacy.<name>` for a name spaCy's `__init__` did not set: `cli` is imported on demand."""
    if name == "cli":
        return importlib.import_module("spacy.cli")
    raise AttributeError(f"module 'spacy' has no attribute {name!r}")


class _StandIns:
    """The stand-in modules of one import of spaCy, in `sys.modules` until `remove()`."""

    def __init__(self) -> None:
        self.modules = {name: self._module(name) for name in _STAND_INS if name not in sys.modules}
        sys.modules.update(self.modules)

    def _module(self, name: str) -> types.ModuleType:
        module = types.ModuleType(name, "Stand-in while spaCy's __init__ runs (claimaudit.spacy_import).")
        module.info = info  # type: ignore[attr-defined]
        if name == "spacy.cli":
            module.__path__ = []

        def real_attribute(attribute: str) -> Any:
            if attribute.startswith("__"):
                raise AttributeError(attribute)
            self.remove()
            return getattr(importlib.import_module(name), attribute)

        module.__getattr__ = real_attribute  # type: ignore[method-assign]
        return module

    def remove(self) -> None:
        for name, module in self.modules.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


class _Loader:
    """spaCy's own loader, with the stand-ins in place while the package's `__init__` runs
    (plain classes: `importlib.abc` would import `importlib.resources` for every command)."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> Any:  # get_resource_reader, get_source, is_package ...
        return getattr(self.loader, name)

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        stand_ins = _StandIns()
        try:
            self.loader.exec_module(module)
        finally:
            module.__loader__ = self.loader  # spaCy keeps its own loader from here on
            if module.__spec__ is not None:
                module.__spec__.loader = self.loader
            stand_ins.remove()
            if module.__dict__.get("cli") is stand_ins.modules.get("spacy.cli", False):
                del module.__dict__["cli"]
        if stand_ins.modules and "__getattr__" not in module.__dict__:
            module.__dict__["__getattr__"] = _module_getattr


class _Finder:
    """Finds `spacy` as the rest of `sys.meta_path` would, with `_Loader` around its loader."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: types.ModuleType | None = None) -> ModuleSpec | None:
        if fullname != "spacy":
            return None
        uninstall()
        if "spacy.cli" in sys.modules or os.environ.get(DISABLE):
            return None
        spec = importlib.util.find_spec(fullname)  # the other finders, in their order
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None  # the other finders answer as usual
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]
        return spec


_FINDER = _Finder()


def install() -> None:
    """Step in at spaCy's first import (nothing to do when spaCy is already imported)."""
    if "spacy" not in sys.modules and _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def uninstall() -> None:
    while _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
