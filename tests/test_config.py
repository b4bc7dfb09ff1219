import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimaudit.commands.config import config as config_command
from claimaudit.config import (
    SettingsResolver,
    apply_cli,
    effective_config,
    find_config,
    load_settings,
    read_config,
    render_toml,
    settings_from_config,
)
from claimaudit.errors import ConfigError
from claimaudit.findings.model import Severity
from claimaudit.settings import PathOverride, Settings

ALLOWED = ("exclude, fail-on, ignore, include, jurisdictions, knowledge, max-bytes, min-severity, model, overrides, page-kind, "
           "select, severity")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_discovery_nearest_wins_and_claimaudit_toml_beats_pyproject(project: Path):
    write(project / "pyproject.toml", '[tool.claimaudit]\nselect = ["SAFE"]\n')
    write(project / "docs" / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.claimaudit]: skipped
    write(project / "site" / "pyproject.toml", '[tool.claimaudit]\nselect = ["REG"]\n')
    write(project / "site" / ".claimaudit.toml", 'select = ["EVI"]\n')
    page = write(project / "docs" / "deep" / "page.md", "text\n")
    assert find_config(page) == project / "pyproject.toml"
    assert find_config(project / "site" / "page.md") == project / "site" / ".claimaudit.toml"
    assert load_settings(page).select == ("SAFE",)
    assert load_settings(project / "site" / "x.md").select == ("EVI",)


def test_every_key_is_read(project: Path):
    write(project / "kb-extra" / "x.yaml", "")
    write(project / ".claimaudit.toml", """
select = ["safe", "EVI001"]
ignore = ["DISC"]
fail-on = "error"
min-severity = "warning"
jurisdictions = ["us", "EU"]
knowledge = ["kb-extra"]
include = ["*.md"]
exclude = ["drafts/*"]
max-bytes = 1000

[severity]
EVI = "info"

[[overrides]]
pattern = "legal/*.md"
ignore = ["REG"]
severity = { SAFE = "info" }
""")
    settings = load_settings(project / "page.md")
    assert settings == Settings(
        select=("SAFE", "EVI001"), ignore=("DISC",), severity=(("EVI", Severity.INFO),),
        fail_on=Severity.ERROR, min_severity=Severity.WARNING, jurisdictions=("US", "EU"),
        knowledge_dirs=(str(project / "kb-extra"),), include=("*.md",), exclude=("drafts/*",), max_bytes=1000,
        overrides=(PathOverride("legal/*.md", ignore=("REG",), severity=(("SAFE", Severity.INFO),)),),
        config_path=str(project / ".claimaudit.toml"),
    )


def test_command_line_beats_configuration(project: Path):
    write(project / ".claimaudit.toml", 'select = ["SAFE"]\nignore = ["DISC"]\nfail-on = "error"\n'
                                        '[[overrides]]\npattern = "*.html"\nselect = ["REG"]\n')
    settings = load_settings(project, {"select": ["EVI"], "ignore": ["STAT"], "fail_on": "info",
                                       "severity": [("EVI", "error")], "knowledge_dirs": ["extra"]})
    assert settings.select == ("EVI",)  # replaces
    assert settings.ignore == ("DISC", "STAT")  # extends
    assert settings.fail_on is Severity.INFO
    assert settings.severity == (("EVI", Severity.ERROR),)
    assert settings.knowledge_dirs == (str(project / "extra"),)
    assert settings.overrides[0].select == ()  # a command-line select wins over per-path selects


def test_no_config_and_explicit_config(project: Path):
    write(project / ".claimaudit.toml", 'select = ["SAFE"]\n')
    other = write(project / "ci" / "strict.toml", 'select = ["REG"]\n')
    assert load_settings(project, {"no_config": True}) == Settings()
    explicit = load_settings(project / "docs" / "x.md", {"config": str(other)})
    assert explicit.select == ("REG",) and explicit.config_path == str(other)


@pytest.mark.parametrize(("name", "text", "message"), [
    (".claimaudit.toml", 'selec = ["SAFE"]\n',
     f"CF101 .claimaudit.toml: unknown top-level key 'selec'; did you mean 'select'? (allowed: {ALLOWED})"),
    ("pyproject.toml", '[tool.claimaudit]\nselec = ["SAFE"]\n',
     f"CF101 pyproject.toml: unknown key 'selec' in [tool.claimaudit]; did you mean 'select'? (allowed: {ALLOWED})"),
    (".claimaudit.toml", '[tool.claimaudit]\nselect = ["SAFE"]\n',
     ("CF101 .claimaudit.toml: unknown top-level key 'tool'; in .claimaudit.toml write the keys at the top level, "
      f"without [tool.claimaudit] (allowed: {ALLOWED})")),
    ("pyproject.toml", '[tool.claimaudit]\n[[tool.claimaudit.overrides]]\npattern = "*.md"\nignor = ["SAFE"]\n',
     ("CF101 pyproject.toml: unknown key 'ignor' in tool.claimaudit.overrides[0]; did you mean 'ignore'? "
      "(allowed: ignore, pattern, select, severity)")),
    ("pyproject.toml", '[tool.claimaudit]\nfail-on = "fatal"\n',
     "CF102 pyproject.toml: tool.claimaudit.fail-on: expected one of 'error', 'warning', 'info', got 'fatal'"),
    (".claimaudit.toml", 'select = "SAFE"\n', "CF102 .claimaudit.toml: select: expected an array, got string"),
    (".claimaudit.toml", 'ignore = ["SAFE", "no way"]\n',
     ("CF102 .claimaudit.toml: ignore[1]: 'no way' is not a rule selector "
      "(expected a code like SAFE001, a prefix like SAFE0, or a family like SAFE)")),
    (".claimaudit.toml", "max-bytes = 0\n", "CF102 .claimaudit.toml: max-bytes: expected at least 1, got 0"),
    (".claimaudit.toml", '[severity]\nSAFE = "fatal"\n',
     "CF102 .claimaudit.toml: severity.SAFE: expected one of 'error', 'warning', 'info', got 'fatal'"),
    (".claimaudit.toml", '[[overrides]]\nignore = ["SAFE"]\n',
     "CF102 .claimaudit.toml: overrides[0]: missing required key 'pattern'"),
    ("pyproject.toml", '[tool]\nclaimaudit = ["SAFE"]\n',
     "CF102 pyproject.toml: tool.claimaudit: expected a table, got array"),
])
def test_invalid_configuration_messages(project: Path, name: str, text: str, message: str):
    path = write(project / name, text)
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert caught.value.format_message() == message
    assert caught.value.exit_code == 2


def test_toml_syntax_error_names_the_file_and_place(project: Path):
    path = write(project / ".claimaudit.toml", 'select = ["SAFE"]\nfail-on = error\n')
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert caught.value.format_message().startswith("CF103 .claimaudit.toml: invalid TOML: ")
    assert "line 2" in caught.value.message


def test_missing_explicit_config_file(project: Path):
    with pytest.raises(ConfigError) as caught:
        SettingsResolver({"config": "nope.toml"})
    assert caught.value.format_message() == "CF104 nope.toml: cannot read configuration file: No such file or directory"


def test_rendered_toml_reads_back_to_the_same_settings(project: Path):
    settings = Settings(select=("SAFE",), ignore=("DISC001",), severity=(("EVI", Severity.INFO),),
                        overrides=(PathOverride("legal/*.md", ignore=("REG",), severity=(("SAFE", Severity.INFO),)),),
                        jurisdictions=("US",), max_bytes=123)
    text = render_toml(effective_config(settings))
    write(project / "pyproject.toml", text)
    again = settings_from_config(read_config(project / "pyproject.toml"))
    assert again == Settings(**{**{f: getattr(settings, f) for f in Settings.__slots__}, "config_path": again.config_path})
    assert tomllib.loads(text)["tool"]["claimaudit"] == effective_config(settings)


def test_apply_cli_rejects_unknown_keys():
    with pytest.raises(Exception) as caught:
        apply_cli(Settings(), {"selec": ["SAFE"]})
    assert "unknown setting 'selec'" in str(caught.value)


def test_config_command_shows_effective_configuration_and_its_origin(project: Path):
    write(project / "pyproject.toml", '[tool.claimaudit]\nselect = ["SAFE"]\n'
                                      '[[tool.claimaudit.overrides]]\npattern = "legal/*.md"\nignore = ["REG"]\n')
    write(project / "legal" / "terms.md", "x\n")
    result = CliRunner().invoke(config_command, ["legal/terms.md"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == ["# claimaudit configuration for legal/terms.md", "# from: pyproject.toml",
                         "# applies to this file: overrides[0] (pattern 'legal/*.md')"]
    shown = tomllib.loads(result.output)["tool"]["claimaudit"]
    assert shown["select"] == ["SAFE"] and shown["overrides"][0]["ignore"] == ["REG"]
    as_json = json.loads(CliRunner().invoke(config_command, [".", "--format", "json"]).output)
    assert as_json["config_file"] == "pyproject.toml" and as_json["settings"]["select"] == ["SAFE"]
    assert as_json["applied_overrides"] == []


def test_config_command_without_any_file_shows_defaults(project: Path):
    result = CliRunner().invoke(config_command, ["--no-config"])
    assert result.exit_code == 0
    assert "# from: defaults (--no-config)" in result.output
    assert tomllib.loads(result.output)["tool"]["claimaudit"] == effective_config(Settings())


def test_config_command_reports_invalid_files(project: Path):
    write(project / ".claimaudit.toml", 'fail-on = "fatal"\n')
    result = CliRunner().invoke(config_command, [])
    assert result.exit_code == 2
    assert result.output == ("CF102 .claimaudit.toml: fail-on: expected one of 'error', 'warning', 'info', "
                             "got 'fatal'\n")
