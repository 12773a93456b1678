"""The one configuration: shipped defaults, a user file or mapping over them, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.config import ENV_VAR, ConfigError, defaults, load_config
from eventwire.registry import UnknownStageError, get_factory


def test_defaults_name_every_builtin_stage_and_its_factory() -> None:
    config = load_config({})
    assert config.stage_names == ["geo", "time", "coding", "events"]
    for name in config.stage_names:
        factory, _ = config.stage(name)
        assert callable(get_factory(factory))
    assert config.stage("events")[1] == {
        "historical_after_days": 365,
        "background_after_days": 30,
        "speech_date_window": 2,
    }


def test_a_user_file_changes_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[stages.events]\nhistorical_after_days = 730\n[geo]\ngazetteer = "places.sqlite"\n')
    config = load_config(path)
    assert config.stage("events")[1]["historical_after_days"] == 730
    assert config.stage("events")[1]["speech_date_window"] == 2  # shipped value kept
    assert config.path("geo", "gazetteer") == tmp_path / "places.sqlite"  # read from the file's folder
    assert config.get("nlp", "model") == defaults()["nlp"]["model"]
    assert config.source == str(path)


def test_the_environment_names_the_file_when_none_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.toml"
    path.write_text('[pipeline]\nstages = ["geo", "time"]\n')
    monkeypatch.setenv(ENV_VAR, str(path))
    assert load_config().stage_names == ["geo", "time"]
    monkeypatch.delenv(ENV_VAR)
    assert load_config().stage_names == ["geo", "time", "coding", "events"]


def test_a_stage_section_naming_another_factory_replaces_the_shipped_settings() -> None:
    config = load_config({"stages": {"events": {"factory": "my_events", "window": 3}}})
    assert config.stage("events") == ("my_events", {"window": 3})
    # a stage with no section of its own is made by the factory of its name
    assert load_config({"pipeline": {"stages": ["geo", "extra"]}}).stage("extra") == ("extra", {})


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[colours]\nred = 1\n", "unknown section [colours]"),
        ('[nlp]\nmodle = "x"\n', "unknown setting nlp.modle"),
        ('[stages.events]\nhistorical_after_days = "a year"\n', "historical_after_days must be int"),
        ("[pipeline]\nstages = [1, 2]\n", "pipeline.stages must be a list of stage names"),
        ("[nlp\nmodel = 1\n", "not valid TOML"),
    ],
)
def test_a_bad_file_is_named_with_its_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert problem in str(err.value)
    assert "\n" not in str(err.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nowhere\.toml: cannot read it"):
        load_config(tmp_path / "nowhere.toml")


def test_an_unknown_factory_lists_the_registered_ones() -> None:
    with pytest.raises(UnknownStageError, match=r"'no_such_stage'.*registered: .*coding, events, geo"):
        get_factory("no_such_stage")
