"""Configuration: find, validate and merge `[tool.claimaudit]` / `.claimaudit.toml` into Settings.

Precedence is defaults < configuration file < command line. The configuration that applies to
a file is the nearest one found by walking up from the file's directory; in one directory
`.claimaudit.toml` beats `pyproject.toml`, and a `pyproject.toml` without `[tool.claimaudit]`
is skipped.
"""

from __future__ import annotations

import fnmatch
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from claimaudit.errors import ConfigError, UsageError
from claimaudit.findings.model import Severity
from claimaudit.ingest.walk import is_directory
from claimaudit.settings import PathOverride, Settings

CONFIG_NAMES: tuple[str, ...] = (".claimaudit.toml", "pyproject.toml")

# Command-line keys and how they combine with the configuration file.
_CLI_REPLACE = ("select", "fail_on", "min_severity", "jurisdictions", "include", "exclude", "max_bytes", "model", "page_kind")
_CLI_EXTEND = ("ignore", "severity", "knowledge_dirs")
_CLI_CONTROL = ("config", "no_config", "force_exclude")


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """A validated configuration table and where it came from."""

    path: Path
    table: Mapping[str, Any]
    in_pyproject: bool

    @property
    def root_label(self) -> str:
        return "[tool.claimaudit]" if self.in_pyproject else "the top level"

    @property
    def key_prefix(self) -> str:
        return "tool.claimaudit." if self.in_pyproject else ""


def display_path(path: Path | str) -> str:
    """A path relative to the working directory when it lies below it, else absolute."""
    absolute = Path(path).absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above `start` (a file or a directory)."""
    start = start.absolute()
    directory = start if is_directory(start) else start.parent
    for candidate_dir in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if _is_file(candidate) and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _is_file(path: Path) -> bool:
    """Path.is_file, but False for a path that cannot be examined (e.g. permission denied)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _has_tool_table(pyproject: Path) -> bool:
    data = _read_toml(pyproject)
    tool = data.get("tool")
    return isinstance(tool, dict) and "claimaudit" in tool


def read_config(path: Path) -> ConfigFile:
    """Read and validate one configuration file (CF101 unknown key, CF102 bad value, CF103 TOML)."""
    path = path.absolute()
    data = _read_toml(path)
    in_pyproject = path.name == "pyproject.toml"
    if in_pyproject:
        tool = data.get("tool", {})
        table = tool.get("claimaudit", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(
                f"{display_path(path)}: tool.claimaudit: expected a table, got {_toml_type(table)}",
                code="CF102",
            )
    else:
        table = data
    config = ConfigFile(path, table, in_pyproject)
    _validate(config)
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{display_path(path)}: invalid TOML: {error}", code="CF103") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{display_path(path)}: invalid TOML: not UTF-8 (byte 0x{error.object[error.start]:02x} "
            f"at offset {error.start})",
            code="CF103",
        ) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(
            f"{display_path(path)}: cannot read configuration file: {reason}", code="CF104"
        ) from None


def config_schema() -> dict[str, Any]:
    """The JSON Schema for the configuration table (claimaudit/config.schema.json)."""
    text = resources.files("claimaudit").joinpath("config.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _validate(config: ConfigFile) -> None:
    import jsonschema

    schema = config_schema()
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(
        validator.iter_errors(dict(config.table)),
        key=lambda e: ([str(p) for p in e.absolute_path], e.validator != "additionalProperties"),
    )
    if errors:
        raise _config_error(config, errors[0], schema)


def _config_error(config: ConfigFile, error: Any, schema: Mapping[str, Any]) -> ConfigError:
    where = display_path(config.path)
    location = list(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(_schema_at(schema, location).get("properties", {}))
        unknown = min(set(error.instance) - set(allowed))
        table = config.root_label if not location else config.key_prefix + _key_path(location)
        if not location and not config.in_pyproject:
            message = f"{where}: unknown top-level key '{unknown}'"
        else:
            message = f"{where}: unknown key '{unknown}' in {table}"
        import difflib  # only for this message

        close = difflib.get_close_matches(unknown, allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        if unknown == "tool" and not config.in_pyproject:
            hint = "; in .claimaudit.toml write the keys at the top level, without [tool.claimaudit]"
        return ConfigError(f"{message}{hint} (allowed: {', '.join(allowed)})", code="CF101")
    key = config.key_prefix + _key_path(location) if location else config.root_label
    return ConfigError(f"{where}: {key}: {_problem(error)}", code="CF102")


def _schema_at(schema: Mapping[str, Any], location: Sequence[str | int]) -> Mapping[str, Any]:
    """The object schema that governs the table at `location` (root or an override table)."""
    if location and location[0] == "overrides":
        override: Mapping[str, Any] = schema["$defs"]["override"]
        return override
    return schema


def _key_path(location: Sequence[str | int]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(error: Any) -> str:
    validator, instance = error.validator, error.instance
    if validator == "type":
        expected = error.validator_value
        return f"expected {_toml_type_name(expected)}, got {_toml_type(instance)}"
    if validator == "enum":
        allowed = ", ".join(f"'{value}'" for value in error.validator_value)
        return f"expected one of {allowed}, got {_repr(instance)}"
    if validator == "pattern" and "[0-9]{0,3}" in error.validator_value:
        return (
            f"{_repr(instance)} is not a rule selector "
            "(expected a code like SAFE001, a prefix like SAFE0, or a family like SAFE)"
        )
    if validator == "pattern":
        return f"{_repr(instance)} does not match {error.validator_value}"
    if validator == "minimum":
        return f"expected at least {error.validator_value}, got {_repr(instance)}"
    if validator == "minLength":
        return "expected a non-empty string"
    if validator == "required":
        missing = [name for name in error.validator_value if name not in instance]
        return f"missing required key '{missing[0]}'"
    return str(error.message)


def _repr(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else json.dumps(value)


def _toml_type_name(expected: str | Sequence[str]) -> str:
    names = {"string": "a string", "array": "an array", "integer": "an integer",
             "object": "a table", "boolean": "a boolean", "number": "a number"}
    if isinstance(expected, str):
        return names.get(expected, expected)
    return " or ".join(names.get(name, name) for name in expected)


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def settings_from_config(config: ConfigFile | None, base: Settings | None = None) -> Settings:
    """Settings for one configuration file layered over `base` (defaults)."""
    settings = base or Settings()
    if config is None:
        return settings
    table, here = config.table, config.path.parent
    changes: dict[str, Any] = {"config_path": str(config.path)}
    if "select" in table:
        changes["select"] = _selectors(table["select"])
    if "ignore" in table:
        changes["ignore"] = _selectors(table["ignore"])
    if "severity" in table:
        changes["severity"] = _severity_pairs(table["severity"])
    if "fail-on" in table:
        changes["fail_on"] = Severity.parse(table["fail-on"])
    if "min-severity" in table:
        changes["min_severity"] = Severity.parse(table["min-severity"])
    if "jurisdictions" in table:
        changes["jurisdictions"] = tuple(code.upper() for code in table["jurisdictions"])
    if "knowledge" in table:
        changes["knowledge_dirs"] = tuple(str((here / entry).resolve()) for entry in table["knowledge"])
    if "include" in table:
        changes["include"] = tuple(table["include"])
    if "exclude" in table:
        changes["exclude"] = tuple(table["exclude"])
    if "max-bytes" in table:
        changes["max_bytes"] = int(table["max-bytes"])
    if "model" in table:
        changes["model"] = bool(table["model"])
    if "page-kind" in table:
        changes["page_kind"] = str(table["page-kind"])
    if "overrides" in table:
        changes["overrides"] = tuple(
            PathOverride(
                pattern=entry["pattern"],
                select=_selectors(entry.get("select", ())),
                ignore=_selectors(entry.get("ignore", ())),
                severity=_severity_pairs(entry.get("severity", {})),
            )
            for entry in table["overrides"]
        )
    return replace(settings, **changes)


def _selectors(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(value.strip().upper() for value in values)


def _severity_pairs(table: Mapping[str, str]) -> tuple[tuple[str, Severity], ...]:
    return tuple((key.strip().upper(), Severity.parse(value)) for key, value in table.items())


def apply_cli(settings: Settings, cli: Mapping[str, Any]) -> Settings:
    """Layer command-line values over `settings`. None (or absent) means "not given".

    select, fail_on, min_severity, jurisdictions, include, exclude and max_bytes replace the
    configured value; ignore, severity and knowledge_dirs extend it. A command-line select
    also replaces the `select` of every per-path override.
    """
    unknown = sorted(set(cli) - set(_CLI_REPLACE) - set(_CLI_EXTEND) - set(_CLI_CONTROL))
    if unknown:
        raise UsageError(f"unknown setting {unknown[0]!r}", code="US101")
    changes: dict[str, Any] = {}
    for key in _CLI_REPLACE:
        value = cli.get(key)
        if value is None:
            continue
        if key in ("fail_on", "min_severity") and not isinstance(value, Severity):
            value = Severity.parse(str(value))
        elif key == "select":
            value = _selectors(value)
        elif key == "jurisdictions":
            value = tuple(str(code).upper() for code in value)
        elif key in ("include", "exclude"):
            value = tuple(value)
        changes[key] = value
    if cli.get("ignore"):
        changes["ignore"] = settings.ignore + _selectors(cli["ignore"])
    if cli.get("severity"):
        pairs = cli["severity"].items() if isinstance(cli["severity"], Mapping) else cli["severity"]
        changes["severity"] = settings.severity + tuple(
            (str(key).upper(), value if isinstance(value, Severity) else Severity.parse(str(value)))
            for key, value in pairs
        )
    if cli.get("knowledge_dirs"):
        changes["knowledge_dirs"] = settings.knowledge_dirs + tuple(
            str(Path(entry).resolve()) for entry in cli["knowledge_dirs"]
        )
    if cli.get("select") is not None:
        changes["overrides"] = tuple(replace(o, select=()) for o in settings.overrides)
    return replace(settings, **changes)


class SettingsResolver:
    """Settings per checked file: nearest configuration (cached per directory) + command line."""

    def __init__(self, cli: Mapping[str, Any] | None = None) -> None:
        self.cli: Mapping[str, Any] = dict(cli or {})
        self._by_dir: dict[Path, ConfigFile | None] = {}
        self._by_config: dict[Path | None, Settings] = {}
        self._fixed: ConfigFile | None = None
        explicit = self.cli.get("config")
        if explicit is not None and not self.cli.get("no_config"):
            self._fixed = read_config(Path(explicit))

    @property
    def configs(self) -> tuple[ConfigFile, ...]:
        """Every configuration file read so far."""
        seen = {c.path: c for c in self._by_dir.values() if c is not None}
        if self._fixed is not None:
            seen[self._fixed.path] = self._fixed
        return tuple(seen.values())

    def config_for(self, path: Path) -> ConfigFile | None:
        if self.cli.get("no_config"):
            return None
        if self._fixed is not None:
            return self._fixed
        path = path.absolute()
        directory = path if is_directory(path) else path.parent
        if directory not in self._by_dir:
            found = find_config(directory)
            known = next((c for c in self._by_dir.values() if c and c.path == found), None)
            self._by_dir[directory] = known or (read_config(found) if found else None)
        return self._by_dir[directory]

    def settings_for(self, path: Path) -> Settings:
        """The file's settings before per-path overrides (see `selection_for`)."""
        config = self.config_for(path)
        key = config.path if config else None
        if key not in self._by_config:
            cli = {k: v for k, v in self.cli.items() if k not in _CLI_CONTROL}
            self._by_config[key] = apply_cli(settings_from_config(config), cli)
        return self._by_config[key]


def load_settings(start: Path, cli: Mapping[str, Any] | None = None) -> Settings:
    """Settings for `start` (a file or directory): defaults < nearest config file < command line.

    `cli` may hold `config` (an explicit file, no discovery) and `no_config` (defaults only)
    besides the Settings field names; see `apply_cli` for how each combines.
    """
    return SettingsResolver(cli).settings_for(start)


def override_applies(override: PathOverride, path: Path | str, base_dir: Path) -> bool:
    """Does a per-path override's glob match `path`?

    The pattern is matched against the path relative to `base_dir` (the configuration file's
    directory), `*` crossing directory separators; a pattern without '/' also matches the
    file name alone.
    """
    absolute = Path(path).absolute()
    try:
        relative = absolute.relative_to(base_dir.absolute()).as_posix()
    except ValueError:
        relative = absolute.as_posix()
    pattern = override.pattern.removeprefix("./")
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    if "/" in pattern:
        return pattern.startswith("**/") and fnmatch.fnmatchcase(relative, pattern[3:])
    return fnmatch.fnmatchcase(PurePosixPath(relative).name, pattern)


def overrides_for(settings: Settings, path: Path | str) -> tuple[PathOverride, ...]:
    """The overrides of `settings` that apply to `path`, in file order."""
    base = Path(settings.config_path).parent if settings.config_path else Path.cwd()
    return tuple(o for o in settings.overrides if override_applies(o, path, base))


def effective_config(settings: Settings) -> dict[str, Any]:
    """The effective configuration as a TOML-shaped dict (kebab-case keys)."""
    return {
        "select": list(settings.select),
        "ignore": list(settings.ignore),
        "severity": {key: level.value for key, level in settings.severity},
        "fail-on": settings.fail_on.value,
        "min-severity": settings.min_severity.value,
        "jurisdictions": list(settings.jurisdictions),
        "knowledge": list(settings.knowledge_dirs),
        "include": list(settings.include),
        "exclude": list(settings.exclude),
        "max-bytes": settings.max_bytes,
        "model": settings.model,
        "page-kind": settings.page_kind,
        "overrides": [
            {
                "pattern": o.pattern,
                "select": list(o.select),
                "ignore": list(o.ignore),
                "severity": {key: level.value for key, level in o.severity},
            }
            for o in settings.overrides
        ],
    }


def render_toml(config: Mapping[str, Any], table: str = "tool.claimaudit") -> str:
    """Render an effective configuration as TOML (strings, integers, arrays, tables)."""
    lines = [f"[{table}]"]
    nested: list[tuple[str, Mapping[str, Any]]] = []
    arrays: list[tuple[str, Sequence[Mapping[str, Any]]]] = []
    for key, value in config.items():
        if isinstance(value, Mapping):
            nested.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            arrays.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, value in nested:
        lines += ["", f"[{table}.{_toml_key(key)}]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()]
    for key, entries in arrays:
        for entry in entries:
            lines += ["", f"[[{table}.{_toml_key(key)}]]"]
            for k, v in entry.items():
                if isinstance(v, Mapping):
                    inline = ", ".join(f"{_toml_key(a)} = {_toml_value(b)}" for a, b in v.items())
                    lines.append(f"{_toml_key(k)} = {{ {inline} }}" if inline else f"{_toml_key(k)} = {{}}")
                else:
                    lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    bare = key.replace("-", "").replace("_", "").isalnum()
    return key if bare else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot render {type(value).__name__} as TOML")

