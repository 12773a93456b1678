"""No ``Any`` at a stage boundary: what a stage exports (its package ``__init__``'s names, and
the methods of the classes among them) is typed, so that mypy checks every call one stage makes
into another.

The only exceptions are the edges where JSON or TOML from outside enters or leaves the process:
parsers of untrusted JSON (``from_plover``, ``from_json``, the review body's reader), the JSON a
module keeps for itself in the store (``to_json``), reports written as JSON (``to_dict``) and the
configuration's TOML values.  Each is listed below with its reason; the JSON shapes the records
write are typed (``eventwire.model.PloverEvent`` and its parts)."""

from __future__ import annotations

import importlib
import inspect
import re
import typing
from collections.abc import Callable, Iterator

import pytest

STAGES = (
    "ingest", "nlp", "coding", "geo", "time", "size", "merge", "store", "output", "api", "web", "scale",
    "pipeline", "model", "ontology", "helpers", "words", "registry", "stages",
)  # fmt: skip

# name -> why Any is right there
JSON_EDGES = {
    "record_from_plover": "parses a PLOVER record of any kind read from outside: untrusted JSON",
    "from_plover": "parses a PLOVER record read from outside (a file, the store, a request): untrusted JSON",
    "from_json": "parses JSON this module wrote into the store; old rows may lack keys",
    "to_json": "JSON a module keeps for itself in the store (the merge tally), opaque to others",
    "to_dict": "an evaluation report written as JSON for --json",
    "change_from_json": "parses a reviewer's request body: untrusted JSON",
    "ReviewChange.__init__": "corrections: values of reviewable fields, each JSON of its own shape",
    "FetchRecord.__init__": "item: a feed entry as the feed gave it (JSON)",
}
TOML_EDGES = {
    "Config.__init__": "the configuration file's TOML tables",
    "Config.get": "one TOML value; the stage that asks knows its type",
    "Config.section": "a TOML table",
    "Config.stage": "a stage's TOML settings, passed to its factory as keyword arguments",
    "load_config": "a TOML file, or its tables as a mapping",
    "Pipeline.__init__": "config: a TOML file, or its tables as a mapping",
}
ALLOWED = JSON_EDGES | TOML_EDGES
_ANY = re.compile(r"\bAny\b")


def _members(obj: type) -> Iterator[tuple[str, Callable[..., object]]]:
    """The public methods of an eventwire class, inherited ones included."""
    seen: dict[str, object] = {}
    for klass in reversed(obj.__mro__):
        if klass.__module__.startswith("eventwire"):
            seen.update(vars(klass))
    for name, value in seen.items():
        if name.startswith("_") and name != "__init__":
            continue
        fn = value.__func__ if isinstance(value, classmethod | staticmethod) else value
        fn = fn.fget if isinstance(fn, property) else fn
        if inspect.isfunction(fn):
            yield name, fn


def boundary_functions(package: str) -> Iterator[tuple[str, Callable[..., object]]]:
    """(qualified name, function) of everything ``package`` exports."""
    module = importlib.import_module(f"eventwire.{package}")
    names = getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")])
    for name in names:
        obj = getattr(module, name, None)
        if inspect.isfunction(obj) and obj.__module__.startswith("eventwire"):
            yield name, obj
        elif inspect.isclass(obj) and obj.__module__.startswith("eventwire"):
            for member, fn in _members(obj):
                yield f"{name}.{member}", fn


def any_annotations(fn: Callable[..., object]) -> dict[str, str]:
    """The parameters (and ``return``) of ``fn`` whose annotation holds ``Any``."""
    try:
        hints: dict[str, object] = typing.get_type_hints(fn)
    except NameError:  # a name imported for type checking only: read the annotations as written
        hints = dict(fn.__annotations__)
    return {k: str(v) for k, v in hints.items() if _ANY.search(str(v))}


def _allowed(qualified: str) -> bool:
    return qualified in ALLOWED or qualified.rsplit(".", 1)[-1] in ALLOWED


@pytest.mark.parametrize("package", STAGES)
def test_no_any_at_a_stage_boundary(package: str) -> None:
    found = {
        name: bad
        for name, fn in boundary_functions(package)
        if not _allowed(name) and (bad := any_annotations(fn))
    }
    assert not found, f"eventwire.{package} exports Any: {found}"


def test_the_check_sees_an_untyped_boundary() -> None:
    """The check is not vacuous: it finds Any where there is one, and the records are typed."""

    def untyped(x: typing.Any) -> int:
        return 0

    assert any_annotations(untyped) == {"x": "typing.Any"}
    names = dict(boundary_functions("store"))
    assert "Store.event_detail" in names and "Store.page_events" in names
    assert not any_annotations(names["Store.event_detail"])


def test_every_exception_is_exported_somewhere() -> None:
    """An exception for a name no stage exports any more is removed, not kept."""
    exported = {name for package in STAGES for name, _ in boundary_functions(package)}
    short = {n.rsplit(".", 1)[-1] for n in exported}
    stale = [k for k in ALLOWED if k not in exported and k not in short]
    assert not stale, f"exceptions for names nothing exports: {stale}"
