"""Label tables: small, documented rules that read a label off one coded (PLOVER) event.

Some gold sets label documents with classes that are not PLOVER fields (police actions, the
non-ACLED classes of a shared task).  The evaluators map output events onto those classes with a
table in ``evaluate/data/*.tsv``, one rule per line::

    label <TAB> condition <TAB> condition ...

A rule gives its label when *all* its conditions hold for the event.  Conditions (values are
``|``-separated alternatives):

==========================  ========================================================================
``type=A|B``                the primary event type is one of these
``mode=a|b`` / ``mode!=``   some mode (auxiliary ones included) is / no mode is one of these
``cameo=17|175`` / ``!=``   the CAMEO code starts / does not start with one of these
``actor=COP|-``             some actor has one of these sectors; ``-``: the event has no actor;
                            ``@state``: a state (see ``is_state``)
``recipient=...``           the same for recipients
``context=a|b``             some PLOVER context is one of these
``acled=-`` / ``acled=T``   no ACLED event type / one of these ACLED event types
``aux=-``                   no auxiliary mode (not negated, hypothetical, historical or future)
``aux=negation|...``        one of these auxiliary modes
``dead>N``                  ``size.dead`` is a number above N
``states>=N``               at least N different state codes among actors and recipients
``trigger~REGEX``           the trigger text (``event_text``, lower-cased) matches REGEX
==========================  ========================================================================

Lines starting with ``#`` are comments.  A malformed line raises ``ValueError`` naming the table
and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from eventwire.evaluate.matching import AUXILIARY_MODES, dead, primary_type
from eventwire.model import Actor, Event

STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})
INTERGOVERNMENTAL = frozenset({"IGO", "UNO", "EUR", "NATO", "AFR", "ASN", "ARL", "OAS"})
_CONDITION = re.compile(r"^([a-z_]+)(!=|>=|=|~|>)(.*)$")


@lru_cache(maxsize=512)
def _is_country(code: str) -> bool:
    import pycountry

    return len(code) == 3 and code.isupper() and pycountry.countries.get(alpha_3=code) is not None


def _sectors(entity: Actor) -> set[str]:
    value: object = entity.sector
    if isinstance(value, str):
        return {value} if value else set()
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def is_state(entity: Actor) -> bool:
    """A state (or an intergovernmental body) acting as such: a country or IGO code and either no
    sector (the country itself) or a state sector (government, military, police, legislature,
    judiciary, intelligence)."""
    code = entity.code
    if not isinstance(code, str) or not (code in INTERGOVERNMENTAL or _is_country(code)):
        return False
    sectors = _sectors(entity)
    return not sectors or bool(sectors & STATE_SECTORS)


def _entities(ev: Event, role: str) -> list[Actor]:
    return list(ev.actor if role == "actor" else ev.recipient)


def _role_test(role: str, values: frozenset[str]) -> Callable[[Event], bool]:
    def test(ev: Event) -> bool:
        ents = _entities(ev, role)
        if not ents:
            return "-" in values
        if "@state" in values and any(is_state(a) for a in ents):
            return True
        return any(_sectors(a) & values for a in ents)

    return test


def _strings(ev: Event, key: str) -> set[str]:
    values = {"mode": ev.mode, "context": ev.context, "event_text": ev.event_text}[key]
    return {v for v in values if isinstance(v, str)}


def _state_codes(ev: Event) -> set[str]:
    return {
        str(a.code) for role in ("actor", "recipient") for a in _entities(ev, role) if is_state(a)
    }


def _condition(key: str, op: str, raw: str) -> Callable[[Event], bool]:
    values = frozenset(v.strip() for v in raw.split("|") if v.strip())
    if key == "type" and op == "=":
        return lambda ev: primary_type(ev) in values
    if key == "mode" and op in ("=", "!="):
        want = op == "="
        return lambda ev: bool(_strings(ev, "mode") & values) == want
    if key == "cameo" and op in ("=", "!="):
        want = op == "="

        def cameo(ev: Event) -> bool:
            code = ev.cameo
            hit = isinstance(code, str) and any(code.startswith(v) for v in values)
            return hit == want

        return cameo
    if key in ("actor", "recipient") and op == "=":
        return _role_test(key, values)
    if key == "context" and op == "=":
        return lambda ev: bool(_strings(ev, "context") & values)
    if key == "acled" and op == "=":
        def acled(ev: Event) -> bool:
            t = ev.acled_event_type
            return (t in values) if isinstance(t, str) and t else "-" in values

        return acled
    if key == "aux" and op == "=":
        def aux(ev: Event) -> bool:
            have = _strings(ev, "mode") & AUXILIARY_MODES
            return bool(have & values) if have else "-" in values

        return aux
    if key == "dead" and op == ">":
        n = int(raw)
        return lambda ev: (dead(ev) or 0) > n
    if key == "states" and op == ">=":
        n = int(raw)
        return lambda ev: len(_state_codes(ev)) >= n
    if key == "trigger" and op == "~":
        rx = re.compile(raw)
        return lambda ev: bool(rx.search(" ".join(_strings(ev, "event_text")).lower()))
    raise ValueError(f"unknown condition {key}{op}{raw}")


@dataclass(frozen=True, slots=True)
class Rule:
    label: str
    conditions: tuple[str, ...]
    tests: tuple[Callable[[Event], bool], ...]

    def matches(self, ev: Event) -> bool:
        return all(test(ev) for test in self.tests)


def parse_rules(text: str, source: str = "<rules>") -> tuple[Rule, ...]:
    """Rules from a label table's text (format in the module docstring)."""
    rules = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label, *conds = (c.strip() for c in line.split("\t"))
        conds = [c for c in conds if c]
        tests = []
        for c in conds:
            m = _CONDITION.match(c)
            try:
                if m is None:
                    raise ValueError(f"not a condition: {c!r}")
                tests.append(_condition(*m.groups()))
            except (ValueError, re.error) as exc:
                raise ValueError(f"{source}:{n}: {exc}") from None
        if not label:
            raise ValueError(f"{source}:{n}: rule without a label")
        rules.append(Rule(label, tuple(conds), tuple(tests)))
    return tuple(rules)


@lru_cache(maxsize=8)
def load_rules(name: str) -> tuple[Rule, ...]:
    """The rules of the bundled table ``evaluate/data/NAME.tsv``."""
    path = f"data/{name}.tsv"
    text = resources.files("eventwire.evaluate").joinpath(path).read_text("utf-8")
    return parse_rules(text, path)


def first_label(events: Sequence[Event], rules: Sequence[Rule]) -> str | None:
    """The label of the first rule that matches, trying the events in the order given and, for
    each event, the rules in table order."""
    for ev in events:
        for rule in rules:
            if rule.matches(ev):
                return rule.label
    return None


def all_labels(events: Sequence[Event], rules: Sequence[Rule]) -> set[str]:
    """Every label whose rule matches some event."""
    return {rule.label for ev in events for rule in rules if rule.matches(ev)}
