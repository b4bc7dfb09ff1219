"""The `model` switch: config key, command-line flag, default."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimaudit.config import apply_cli, effective_config, read_config, settings_from_config
from claimaudit.errors import ConfigError
from claimaudit.settings import Settings


def test_model_is_off_by_default() -> None:
    assert Settings().model is False


def test_config_key_turns_the_model_on(tmp_path: Path) -> None:
    path = tmp_path / ".claimaudit.toml"
    path.write_text("model = true\n", encoding="utf-8")
    settings = settings_from_config(read_config(path))
    assert settings.model is True
    assert effective_config(settings)["model"] is True


def test_config_key_must_be_a_boolean(tmp_path: Path) -> None:
    path = tmp_path / ".claimaudit.toml"
    path.write_text('model = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_config(path)
    assert error.value.code == "CF102" and "model" in str(error.value)


def test_command_line_overrides_the_config() -> None:
    assert apply_cli(Settings(model=True), {"model": False}).model is False
    assert apply_cli(Settings(), {"model": None}).model is False
