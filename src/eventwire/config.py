"""One configuration for the pipeline: shipped defaults, overridden by a user file.

The defaults are ``eventwire/data/config.toml`` (every setting, with what it means).  A user
config (a TOML file, or a mapping of the same shape) names only what it changes::

    [nlp]
    model = "en_core_web_md"

    [stages.events]
    historical_after_days = 730

    [stages.geo]
    factory = "my_places"      # a stage registered by name (eventwire.registry.stages)

``Pipeline(config=...)`` takes a path or a mapping; without one, the file named by the
``EVENTWIRE_CONFIG`` environment variable is read, if set (worker processes inherit it).
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

ENV_VAR = "EVENTWIRE_CONFIG"
# settings that are paths: relative ones in a user file are read from the file's folder
PATH_KEYS = frozenset({("nlp", "model"), ("geo", "gazetteer"), ("coding", "triggers"), ("words", "folder")})

ConfigSource = str | os.PathLike[str] | Mapping[str, Any] | None


class ConfigError(ValueError):
    """A config file or mapping that cannot be used: the message names it and the problem."""


@dataclass(frozen=True)
class Config:
    """The merged configuration (read it with ``section`` and ``stage``)."""

    data: Mapping[str, Any]
    source: str = "defaults"

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.data.get(name, {}))

    def get(self, section: str, key: str) -> Any:
        return self.data.get(section, {}).get(key)

    def path(self, section: str, key: str) -> Path | None:
        """A path setting, or None for the shipped data."""
        value = self.get(section, key)
        return Path(value) if value else None

    @property
    def stage_names(self) -> list[str]:
        return list(self.data["pipeline"]["stages"])

    def stage(self, name: str) -> tuple[str, dict[str, Any]]:
        """The factory name and settings of stage ``name`` (a stage with no section of its own
        is made by the factory of its name, with no settings)."""
        section = dict(self.data.get("stages", {}).get(name, {}))
        factory = section.pop("factory", name)
        return str(factory), section


def defaults() -> dict[str, Any]:
    """The shipped configuration (``eventwire/data/config.toml``)."""
    text = resources.files("eventwire").joinpath("data/config.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_config(source: ConfigSource | Config = None) -> Config:
    """The shipped defaults overridden by ``source`` (a TOML file or a mapping), else by the
    file named in ``EVENTWIRE_CONFIG``, else the defaults alone."""
    if isinstance(source, Config):
        return source
    if source is None:
        env = os.environ.get(ENV_VAR)
        if not env:
            return Config(defaults())
        source = env
    if isinstance(source, Mapping):
        return Config(merge(defaults(), source, "config"), "config")
    path = Path(source)
    try:
        user = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"config {path}: cannot read it ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config {path}: not valid TOML ({exc})") from exc
    user = _resolve_paths(user, path.parent)
    return Config(merge(defaults(), user, str(path)), str(path))


def merge(base: Mapping[str, Any], user: Mapping[str, Any], name: str) -> dict[str, Any]:
    """``base`` with ``user``'s settings in place of its own.

    Sections and keys must exist in ``base`` (with a value of the same kind) except under
    ``stages``, where a section may add a stage; a stage section that names another factory
    replaces the shipped one whole (the settings belong to the factory)."""
    out = copy.deepcopy(dict(base))
    for section, values in user.items():
        if section not in out:
            raise ConfigError(f"{name}: unknown section [{section}] (known: {', '.join(sorted(out))})")
        if not isinstance(values, Mapping):
            raise ConfigError(f"{name}: [{section}] must be a table of settings")
        if section == "stages":
            for stage, settings in values.items():
                if not isinstance(settings, Mapping):
                    raise ConfigError(f"{name}: [stages.{stage}] must be a table of settings")
                shipped = out["stages"].get(stage, {})
                if "factory" in settings and settings["factory"] != shipped.get("factory"):
                    out["stages"][stage] = dict(settings)
                else:
                    out["stages"][stage] = {**shipped, **settings}
                _check_values(out["stages"][stage], shipped, f"{name}: [stages.{stage}]")
            continue
        for key in values:
            if key not in out[section]:
                known = ", ".join(sorted(out[section]))
                raise ConfigError(f"{name}: unknown setting {section}.{key} (known: {known})")
        _check_values(values, out[section], f"{name}: [{section}]")
        out[section].update(values)
    for stage in out["pipeline"]["stages"]:
        if not isinstance(stage, str) or not stage:
            raise ConfigError(f"{name}: pipeline.stages must be a list of stage names")
    return out


def _check_values(values: Mapping[str, Any], shipped: Mapping[str, Any], where: str) -> None:
    for key, value in values.items():
        if key not in shipped:
            continue
        want = shipped[key]
        if isinstance(want, bool) or isinstance(value, bool):
            ok = isinstance(value, bool) and isinstance(want, bool)
        elif isinstance(want, (int, float)):
            ok = isinstance(value, (int, float))
        else:
            ok = isinstance(value, type(want))
        if not ok:
            raise ConfigError(f"{where}: {key} must be {type(want).__name__}, not {value!r}")


def _resolve_paths(user: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Relative paths of a user file, read from the file's folder (a model name stays a name
    unless such a folder exists)."""
    out = copy.deepcopy(user)
    for section, key in PATH_KEYS:
        value = out.get(section, {}).get(key) if isinstance(out.get(section), dict) else None
        if not isinstance(value, str) or not value or Path(value).is_absolute():
            continue
        candidate = folder / value
        if key == "model" and not candidate.exists():
            continue
        out[section][key] = str(candidate)
    return out
