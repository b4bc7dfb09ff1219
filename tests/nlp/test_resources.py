"""Bundled pattern files: the same data from the pattern cache as from a direct parse."""

from __future__ import annotations

import datetime as dt
from importlib import resources as importlib_resources
from pathlib import Path

import pytest
import yaml

from claimaudit.nlp import analysis_cache, resources

NAMES = sorted(
    entry.name[: -len(".yaml")]
    for entry in importlib_resources.files("claimaudit.nlp.patterns").iterdir()
    if entry.name.endswith(".yaml")
)


def direct(name: str) -> object:
    text = importlib_resources.files("claimaudit.nlp.patterns").joinpath(f"{name}.yaml").read_text("utf-8")
    return yaml.load(text, Loader=yaml.SafeLoader)


def no_parse(data: bytes) -> object:
    raise AssertionError("parsed although cached")


@pytest.mark.parametrize("name", NAMES)
def test_every_pattern_file_is_the_data_of_a_direct_parse(cache_dir: Path, name: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    expected = direct(name)
    assert resources.pattern_file(name) == expected  # parsed, then remembered
    assert analysis_cache.save()
    analysis_cache.reset()  # as a fresh process would start
    monkeypatch.setattr(resources, "parse_yaml", no_parse)
    again = resources.pattern_file(name)
    assert again == expected
    assert repr(again) == repr(expected)  # same types and key order


def test_each_call_returns_a_new_copy(cache_dir: Path) -> None:
    first = resources.pattern_file("subjects")
    first.clear()
    assert resources.pattern_file("subjects") == direct("subjects")


def test_changed_text_is_parsed_again(cache_dir: Path) -> None:
    assert resources.yaml_data("x.yaml", b"a: [1, 2]\n") == {"a": [1, 2]}
    assert resources.yaml_data("x.yaml", b"a: [3]\nb: yes\n") == {"a": [3], "b": True}
    assert resources.yaml_data("x.yaml", b"a: [1, 2]\n") == {"a": [1, 2]}


def test_data_marshal_cannot_hold_is_parsed_every_time(cache_dir: Path) -> None:
    text = b"when: 2020-01-02\n"
    assert resources.yaml_data("d.yaml", text) == {"when": dt.date(2020, 1, 2)}
    assert resources.yaml_data("d.yaml", text) == {"when": dt.date(2020, 1, 2)}


def test_a_corrupt_or_missing_cache_file_still_gives_the_data(cache_dir: Path) -> None:
    path = analysis_cache.cache_file()
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x80\x05 broken")
    assert resources.pattern_file("regulatory") == direct("regulatory")
    analysis_cache.reset()
    path.unlink()
    assert resources.pattern_file("regulatory") == direct("regulatory")


def test_a_damaged_entry_in_a_readable_cache_file_is_parsed_again(cache_dir: Path) -> None:
    data = b"one: [a, b]\ntwo: {x: 1}\n"
    assert resources.yaml_data("e.yaml", data) == {"one": ["a", "b"], "two": {"x": 1}}
    table = analysis_cache._load()
    (key,) = [k for k in table if k[0] == "yaml" and k[1].startswith("e.yaml ")]
    for damaged in (table[key][: len(table[key]) // 2], b"", "not bytes"):
        table[key] = damaged
        assert resources.yaml_data("e.yaml", data) == {"one": ["a", "b"], "two": {"x": 1}}


def test_with_the_pattern_cache_off_the_data_is_parsed(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(analysis_cache.DISABLE, "1")
    analysis_cache.reset()
    assert resources.pattern_file("safety") == direct("safety")
    assert not analysis_cache.save()
    assert not list(cache_dir.iterdir())


def test_the_pipeline_and_the_rules_read_one_loader_which_names_a_file_that_is_no_mapping(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from claimaudit.rules import _helpers

    assert _helpers.load_patterns is resources.load_patterns
    resources.load_patterns.cache_clear()
    try:
        monkeypatch.setattr(resources, "pattern_file", lambda name: None)
        assert resources.load_patterns("empty") == {}
        monkeypatch.setattr(resources, "pattern_file", lambda name: ["a", "list"])
        with pytest.raises(ValueError, match=r"claimaudit/nlp/patterns/listed\.yaml: expected a mapping"):
            resources.load_patterns("listed")
    finally:
        resources.load_patterns.cache_clear()
