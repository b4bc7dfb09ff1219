"""The fast indented JSON writer gives exactly what json.dumps(indent=2, ensure_ascii=False) gives."""

from __future__ import annotations

import enum
import json
import math

import pytest

from claimaudit.reporters.indented_json import dumps


class Level(enum.IntEnum):
    LOW = 1


class Name(str, enum.Enum):
    A = "a\u00e9"


VALUES = [
    None, True, False, 0, -7, 2**70, 1.5, -0.0, 1e300, 3.14159, math.inf, -math.inf, "", "plain",
    "quote \" back \\ nl \n tab \t bell \x07 \u2028 \u00e9 \U0001f600", [], {}, (), [[]], [{}], {"a": []},
    {"a": {"b": {"c": [1, 2.5, None, "x"]}}}, [1, [2, [3, [4]]]], ({"t": (1, 2)},),
    {"k": True, "n": None, "f": False, "s": "\u00fc"}, {3: "int key", 2.5: "float key", True: "t", None: "n"},
    Level.LOW, [Level.LOW], Name.A, {Name.A: Name.A},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_same_text_as_json_dumps(value: object) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_nan_and_a_whole_report_shape() -> None:
    assert dumps([math.nan]) == json.dumps([math.nan], indent=2, ensure_ascii=False)
    report = {"documents": [{"path": "a.md", "findings": [{"start": 1, "evidence": [{"id": "x", "url": None}]}],
                             "not_judged": {"count": 0, "items": []}}], "summary": {"by_severity": {}}}
    assert dumps(report) == json.dumps(report, indent=2, ensure_ascii=False)


def test_what_it_does_not_handle_is_left_to_json_dumps() -> None:
    with pytest.raises(TypeError):
        dumps({"a": object()})
    with pytest.raises(TypeError):
        dumps({(1, 2): "tuple key"})
    cycle: list[object] = []
    cycle.append(cycle)
    with pytest.raises(ValueError):
        dumps(cycle)


@pytest.mark.parametrize("value", [VALUES[21], VALUES[25], [], {"a": object()}], ids=range(4))
def test_written_nested_deeper(value: object) -> None:
    try:
        expected = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n    ")
    except TypeError:
        with pytest.raises(TypeError):
            dumps(value, depth=2)
        return
    assert dumps(value, depth=2) == expected
