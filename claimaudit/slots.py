"""`slot_maker`: fast constructors for frozen, slotted dataclasses built in hot loops (claims,
mentions, source spans)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")


def slot_maker(cls: type[_T]) -> Callable[..., _T]:
    """A constructor of a frozen, slotted dataclass taking every `init` field (all required, in
    order or by name) and giving what `cls(*values)` gives: it sets the slots through their descriptors,
    where the generated `__init__` calls `object.__setattr__` for each field (twice as slow).
    Fields out of `__init__` get their default factory's value; a class without slots, with a
    `__post_init__`, a keyword-only field or a field out of `__init__` without a factory is its
    own constructor."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if (
        "__slots__" not in cls.__dict__
        or hasattr(cls, "__post_init__")
        or any(not f.init and f.default_factory is dataclasses.MISSING for f in fields)
        or any(f.kw_only is True or f.name.startswith("__sm_") for f in fields)
    ):
        return cls
    names = [f.name for f in fields if f.init]
    # the helpers' names start with "__sm_", which no field's name does: no field shadows them
    scope: dict[str, object] = {"__sm_new": object.__new__, "__sm_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    __sm_self = __sm_new(__sm_cls)"]
    for number, f in enumerate(fields):
        scope[f"__sm_set{number}"] = getattr(cls, f.name).__set__
        if f.init:
            lines.append(f"    __sm_set{number}(__sm_self, {f.name})")
        else:
            scope[f"__sm_factory{number}"] = f.default_factory
            lines.append(f"    __sm_set{number}(__sm_self, __sm_factory{number}())")
    lines.append("    return __sm_self")
    exec("\n".join(lines), scope)  # noqa: S102 - code built from the dataclass's own field names
    return scope["make"]  # type: ignore[return-value]
