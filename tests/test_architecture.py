"""Import rules between the pipeline's stages, read from the source (nothing is imported).

- a stage never imports another stage's private modules or names (``_name``): what a package
  lets others use is what its ``__init__`` and its public modules expose;
- the stage packages import one another without a cycle;
- the core (``eventwire.model``, ``eventwire.ontology``, ``eventwire.helpers``, ``eventwire.words``) imports no stage;
- the README's architecture table says, for every stage, which other stages it imports, and
  says it truly;
- no ``Any`` at a stage boundary: what a stage exports (``__all__``) has no ``Any`` in its
  annotations, except the JSON-edge methods a stage's allowlist names with a reason
  (``assert_no_any``; this check imports the package to read its resolved annotations).

Every import counts: at the top of a module, inside a function (a lazy import is still a
dependency) and under ``TYPE_CHECKING``.  ``python tests/test_architecture.py`` prints the
import graph as the README's ``imports`` column should read."""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import re
import sys
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "eventwire"
README = ROOT / "README.md"

# the core every stage may use: the typed records, the ontology, the shared helpers, the
# word lists
CORE = frozenset({"model", "ontology", "helpers", "words"})
# the wiring is one layer (one row in the table) in four modules: the pipeline, its configuration,
# the registry of stages by name and the built-in stages
WIRING = frozenset({"pipeline", "config", "registry", "stages"})
# not stages: the package root (a lazy facade and ``__version__``) and ``python -m eventwire``
NOT_STAGES = frozenset({"", "__main__"})


@dataclass(frozen=True, slots=True)
class Import:
    importer: str  # dotted module name
    target: str  # dotted module name of what is imported
    name: str | None  # the name taken from it (``from target import name``), or None
    line: int

    @property
    def where(self) -> str:
        return f"{self.importer} (line {self.line}): {self.target}" + (f" import {self.name}" if self.name else "")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def stage_of(module: str) -> str:
    """``eventwire.store.query`` -> ``store``; the wiring's modules -> ``pipeline``; the package
    root -> ``""``."""
    parts = module.split(".")
    if len(parts) < 2:
        return ""
    return "pipeline" if parts[1] in WIRING else parts[1]


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


@cache
def imports() -> tuple[Import, ...]:
    """Every import of an ``eventwire`` module by an ``eventwire`` module."""
    modules = _modules()
    out: list[Import] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                out.extend(Import(module, a.name, None, node.lineno) for a in node.names
                           if a.name.split(".")[0] == "eventwire")  # fmt: skip
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, path.name == "__init__.py", node)
                if target.split(".")[0] != "eventwire":
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if sub in modules:  # ``from eventwire import nlp``: the module itself
                        out.append(Import(module, sub, None, node.lineno))
                    else:
                        out.append(Import(module, target, a.name, node.lineno))
    return tuple(out)


def _private(word: str) -> bool:
    return word.startswith("_") and not (word.startswith("__") and word.endswith("__"))


def stage_graph() -> dict[str, set[str]]:
    """Stage -> the other stages it imports (the core and the package root left out)."""
    stages = {stage_of(m) for m in _modules()} - NOT_STAGES - CORE
    graph: dict[str, set[str]] = {s: set() for s in stages}
    for imp in imports():
        a, b = stage_of(imp.importer), stage_of(imp.target)
        if a in graph and b in graph and a != b:
            graph[a].add(b)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        path.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return [*path[path.index(m):], m]
            if m not in state and (found := visit(m)):
                return found
        path.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def readme_table() -> dict[str, set[str]]:
    """The README architecture table: package -> the stages its ``imports`` cell names."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Architecture", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    header: list[str] | None = None
    column = -1
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            column = next((i for i, c in enumerate(header) if c.startswith("imports")), -1)
            assert column >= 0, "README: the architecture table has no 'imports' column"
            continue
        if set(cells[0]) <= set("-: "):
            continue
        names = re.findall(r"`([\w.]+)`", cells[0])
        if len(names) != 1 or "." in names[0]:
            continue  # a row about a part of a package
        rows[names[0]] = set(re.findall(r"`(\w+)`", cells[column]))
    assert header is not None, "README: no architecture table"
    return rows


def _iter_graph_lines(graph: dict[str, set[str]]) -> Iterator[str]:
    for s in sorted(graph):
        yield f"{s}: " + (", ".join(f"`{t}`" for t in sorted(graph[s])) or "none")


# -- the rules --------------------------------------------------------------------------------


def test_the_source_tree_is_read() -> None:
    graph = stage_graph()
    assert {"ingest", "nlp", "coding", "geo", "store", "cli", "pipeline"} <= set(graph)
    assert "coding" in graph["pipeline"]  # the wiring imports the stages it wires


def test_no_stage_imports_another_stages_private_modules_or_names() -> None:
    bad = [imp.where for imp in imports()
           if stage_of(imp.importer) != stage_of(imp.target) and stage_of(imp.importer) not in NOT_STAGES
           and any(_private(w) for w in [*imp.target.split(".")[1:], imp.name or ""])]  # fmt: skip
    assert not bad, "private modules or names of another stage imported:\n" + "\n".join(bad)


# Modules of a stage that other stages import directly rather than through the package's
# ``__init__``, each with its reason (what importing the whole package would cost, or why the
# name is the package's own).
ON_DEMAND_MODULES = {
    "eventwire.output.parquet": "imports pyarrow (0.1-0.2 s): loaded only when Parquet is written",
    "eventwire.scale.ray_data": "imports Ray, an optional extra: loaded only for --engine ray",
    "eventwire.ingest.fetch": "imports httpx: loaded only by the commands that fetch pages (watch)",
    "eventwire.ingest.watch": "the feed watcher: loaded only by `eventwire watch`",
    "eventwire.coding.confidence": "`eventwire train` writes the weights file that lives beside the module",
    "eventwire.store.writer": "the store writer runs as its own process (python -m eventwire.store.writer): "
    "importing it with the package would load it twice there",
}


@cache
def _exported_names(package: str) -> frozenset[str]:
    """The names in a package's ``__all__``, read from its source (nothing is imported)."""
    path = SRC.joinpath(*package.split(".")[1:], "__init__.py")
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return frozenset(ast.literal_eval(node.value))
    return frozenset()


def _through_init(target: str) -> bool:
    """``from eventwire.time import resolve`` names the function the package exports, though a
    module of the same name exists."""
    package, _, name = target.rpartition(".")
    return package.count(".") == 1 and name in _exported_names(package)


def test_other_stages_use_a_package_through_its_init() -> None:
    """What a stage gives others is in its ``__init__``; a submodule imported from another stage
    is one of the few loaded on demand, each with its reason."""
    bad = [
        imp.where for imp in imports()
        if stage_of(imp.importer) != stage_of(imp.target) and stage_of(imp.importer) not in NOT_STAGES
        and stage_of(imp.target) not in CORE and imp.target.count(".") > 1 and imp.target not in ON_DEMAND_MODULES
        and not _through_init(imp.target)
    ]  # fmt: skip
    assert not bad, "another stage's submodule imported (import it from the package):\n" + "\n".join(bad)
    used = {imp.target for imp in imports()}
    assert not set(ON_DEMAND_MODULES) - used, f"not imported any more: {sorted(set(ON_DEMAND_MODULES) - used)}"


def test_the_core_imports_no_stage() -> None:
    bad = [imp.where for imp in imports() if stage_of(imp.importer) in CORE and stage_of(imp.target) not in CORE]
    assert not bad, "the core (model, ontology, helpers, words) imports a stage:\n" + "\n".join(bad)


def test_the_stages_import_one_another_without_a_cycle() -> None:
    cycle = _cycle(stage_graph())
    if cycle:
        pairs = itertools.pairwise(cycle)
        how = [next(imp.where for imp in imports() if stage_of(imp.importer) == a and stage_of(imp.target) == b)
               for a, b in pairs]  # fmt: skip
        raise AssertionError("import cycle " + " -> ".join(cycle) + ":\n" + "\n".join(how))


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_readme_architecture_table_matches_the_import_graph() -> None:
    graph = stage_graph()
    table = readme_table()
    problems = [f"`{s}`: no row in the README's architecture table" for s in sorted(set(graph) - set(table))]
    problems += [f"`{s}`: a row in the table, but no such package" for s in sorted(set(table) - set(graph) - CORE)]
    for s in sorted(set(graph) & set(table)):
        if missing := graph[s] - table[s]:
            problems.append(f"`{s}` imports {sorted(missing)}, which its row does not name")
        if extra := table[s] - graph[s]:
            problems.append(f"`{s}`'s row names {sorted(extra)}, which it does not import")
    problems += [f"`{c}` (core) imports {sorted(table[c])} in the table" for c in CORE if table.get(c)]
    assert not problems, "\n".join(problems) + "\nthe graph as it is:\n" + "\n".join(_iter_graph_lines(graph))


# -- no Any at a stage boundary ------------------------------------------------------------------


def _has_any(hint: object) -> bool:
    """Whether a resolved annotation is or holds ``typing.Any`` (in a union, a generic's arguments,
    a Callable's parameters...)."""
    if hint is typing.Any:
        return True
    if isinstance(hint, str | typing.ForwardRef):  # left unresolved: read the words
        text = hint if isinstance(hint, str) else hint.__forward_arg__
        return re.search(r"\bAny\b", text) is not None
    return any(_has_any(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)


def _hints(obj: object) -> dict[str, object]:
    try:
        return dict(typing.get_type_hints(obj))
    except (NameError, TypeError):  # a name only imported under TYPE_CHECKING: the raw annotations
        return dict(getattr(obj, "__annotations__", {}))


def _own_functions(cls: type) -> Iterator[tuple[str, Callable[..., object]]]:
    """The public methods (and ``__init__``, properties' getters) a class of the project defines,
    its project base classes' included."""
    members: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("eventwire"):
            members.update(vars(klass))
    for name, value in members.items():
        if name.startswith("_") and name != "__init__":
            continue
        f = value.__func__ if isinstance(value, classmethod | staticmethod) else value
        f = f.fget if isinstance(f, property) else f
        if inspect.isfunction(f):
            yield name, f


def any_annotations(package: str) -> list[str]:
    """``NAME: annotation`` for every annotation holding ``Any`` among what ``package`` exports
    (its ``__all__``): functions, classes' fields and methods, type aliases."""
    module = importlib.import_module(package)
    found: list[str] = []
    listed = hasattr(module, "__all__")
    # a module without ``__all__`` (``eventwire.model``, ``eventwire.pipeline``) exports its public names
    names = module.__all__ if listed else [n for n in vars(module) if not n.startswith("_")]
    for name in names:
        obj = getattr(module, name)
        targets: list[tuple[str, object]] = []
        if inspect.isfunction(obj) and obj.__module__.startswith("eventwire"):
            targets.append((name, obj))
        elif inspect.isclass(obj):
            if obj.__module__.startswith("eventwire"):
                targets.append((name, obj))  # fields (dataclasses, TypedDicts)
                targets += [(f"{name}.{m}", f) for m, f in _own_functions(obj)]
        elif listed and _has_any(obj):  # a type alias
            found.append(f"{name} = {obj}")
        for where, target in targets:
            found += [f"{where}: {k}={v}" for k, v in _hints(target).items() if _has_any(v)]
    return found


def assert_no_any(package: str, allow: Mapping[str, str] = {}) -> None:
    """Fail when something ``package`` exports has ``Any`` in its annotations.  ``allow`` maps the
    names allowed to keep it (a method name, ``to_dict``, or a qualified one, ``Report.to_dict``)
    to the reason (the JSON edge: what a report gives ``json.dumps``)."""
    assert all(reason.strip() for reason in allow.values()), "every allowed name needs its reason"

    def allowed(entry: str) -> bool:
        where = entry.split(":", 1)[0].split(" = ", 1)[0]
        return where in allow or where.rsplit(".", 1)[-1] in allow

    bad = [entry for entry in any_annotations(package) if not allowed(entry)]
    assert not bad, f"{package} exports Any at its boundary (type it, or allow it with a reason):\n" + "\n".join(bad)


# Every stage's exports, checked for Any.  The only exceptions are the edges where JSON or TOML
# from outside enters or leaves the process; each is listed with its reason.  The JSON shapes the
# records write are typed (``eventwire.model.PloverEvent`` and its parts, the store's views).
TYPED_PACKAGES = (
    "ingest", "nlp", "coding", "geo", "time", "size", "merge", "store", "output", "evaluate", "api", "web",
    "scale", "pipeline", "model", "ontology", "helpers", "words", "registry", "stages", "config",
)  # fmt: skip
JSON_EDGE = "the JSON edge: a report's dict for ``--json`` and the API, made of JSON values only"
BOUNDARY_EXCEPTIONS = {
    "to_dict": JSON_EDGE,
    "from_plover": "parses a PLOVER record read from outside (a file, the store, a request): untrusted JSON",
    "record_from_plover": "parses a PLOVER record of any kind read from outside: untrusted JSON",
    "from_json": "parses JSON this module wrote into the store; rows of older versions may lack keys",
    "to_json": "JSON a module keeps for itself in the store (the merge tally), opaque to the others",
    "change_from_json": "parses a reviewer's request body: untrusted JSON",
    "ReviewChange": "corrections: values of the reviewable fields, each a JSON value of its field's shape",
    "ReviewChange.__init__": "corrections: as the field",
    "FetchRecord": "item: a feed entry as the feed gave it (JSON)",
    "FetchRecord.__init__": "item: as the field",
    "Config": "the configuration file's TOML tables",
    "Config.__init__": "the configuration file's TOML tables",
    "Config.get": "one TOML value; the stage that asks knows its type",
    "Config.section": "a TOML table",
    "Config.stage": "a stage's TOML settings, passed to its factory as keyword arguments",
    "load_config": "a TOML file, or its tables as a mapping",
    "defaults": "the shipped configuration's TOML tables (eventwire.config)",
    "merge": "eventwire.config.merge: a user's TOML tables over the defaults",
    "Pipeline.__init__": "config: a TOML file, or its tables as a mapping",
}


def test_the_any_check_finds_any() -> None:
    def untyped(x: typing.Any) -> list[dict[str, typing.Any]]:
        return [x]

    assert _has_any(typing.get_type_hints(untyped)["x"])
    assert _has_any(typing.get_type_hints(untyped)["return"])
    assert _has_any(typing.Callable[[int], typing.Any]) and _has_any("Mapping[str, Any]")
    assert not _has_any(dict[str, object]) and not _has_any(typing.Callable[..., int]) and not _has_any("AnyStr")
    # it reads methods of exported classes, inherited ones included (the store's mixins)
    store = {e.split(":", 1)[0] for e in _exported_functions("eventwire.store")}
    assert {"Store.event_detail", "Store.page_events", "Reviews.apply"} <= store


@pytest.mark.parametrize("package", TYPED_PACKAGES)
def test_no_any_at_a_stage_boundary(package: str) -> None:
    assert_no_any(f"eventwire.{package}", allow=BOUNDARY_EXCEPTIONS)


def test_every_boundary_exception_is_still_needed() -> None:
    """An exception for a name that no longer has Any is removed, not kept."""
    used = set()
    for package in TYPED_PACKAGES:
        for entry in any_annotations(f"eventwire.{package}"):
            where = entry.split(":", 1)[0].split(" = ", 1)[0]
            used |= {where, where.rsplit(".", 1)[-1]}
    assert not set(BOUNDARY_EXCEPTIONS) - used, f"not needed: {sorted(set(BOUNDARY_EXCEPTIONS) - used)}"


def _exported_functions(package: str) -> list[str]:
    module = importlib.import_module(package)
    out = []
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if inspect.isclass(obj) and obj.__module__.startswith("eventwire"):
            out += [f"{name}.{m}" for m, _ in _own_functions(obj)]
        elif inspect.isfunction(obj):
            out.append(name)
    return out


def test_one_great_circle_distance() -> None:
    """Distances come from ``helpers.haversine_km`` (one earth radius): no module writes its own."""
    own = [
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
        if path.name != "helpers.py" and re.search(r"\b6371\b|\basin\(|\barcsin\(", path.read_text(encoding="utf-8"))
        and "EARTH_RADIUS_KM" not in path.read_text(encoding="utf-8")
    ]  # fmt: skip
    assert not own, f"a distance of their own: {own}"


if __name__ == "__main__":
    sys.stdout.write("\n".join(_iter_graph_lines(stage_graph())) + "\n")
