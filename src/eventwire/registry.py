"""The registry of pipeline stages, by name, as spaCy's factories.

A stage is a callable that takes the spaCy ``Doc`` of the document being coded and returns it,
having written its results to the document's extensions (``doc._.toponyms``, ``doc._.events``:
see ``eventwire.stages``).  A factory makes a stage from the pipeline (its shared resources:
``pipeline.nlp``, ``pipeline.geoparser``, ``pipeline.coder``, ``pipeline.config``), the stage's
name and its settings from the config (``[stages.NAME]``)::

    from eventwire.registry import register_stage

    @register_stage("my_places")
    def make_my_places(pipeline, name, **settings):
        def my_places(doc):
            doc._.toponyms = ...
            return doc
        return my_places

    Pipeline(config={"stages": {"geo": {"factory": "my_places"}}})

Other packages can register factories through the ``spacy_eventwire_stages`` entry point group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from spacy.tokens import Doc
from spacy.util import registry as _spacy_registry

Stage = Callable[[Doc], Doc]
StageFactory = Callable[..., Stage]
F = TypeVar("F", bound=StageFactory)

if not hasattr(_spacy_registry, "eventwire_stages"):
    _spacy_registry.create("eventwire_stages", entry_points=True)

stages: Any = getattr(_spacy_registry, "eventwire_stages")  # noqa: B009 - made at run time (a catalogue.Registry)


def register_stage(name: str) -> Callable[[F], F]:
    """``@register_stage("name")``: the same as ``@stages.register("name")``, typed."""

    def register(factory: F) -> F:
        stages.register(name, func=factory)
        return factory

    return register


class UnknownStageError(LookupError):
    """A config names a stage factory that nobody registered."""


def get_factory(name: str) -> StageFactory:
    """The factory registered as ``name`` (built-in stages are registered by ``eventwire.stages``)."""
    import eventwire.stages  # noqa: F401 - registers the built-in stages

    try:
        factory: StageFactory = stages.get(name)
    except Exception as exc:  # catalogue.RegistryError
        known = ", ".join(sorted(stages.get_all()))
        raise UnknownStageError(f"no stage factory named {name!r} (registered: {known})") from exc
    return factory
