"""Actor resolution: noun phrases to PLOVER entity objects (country code and sector).

Data (see ``data/README.md``): the hand-written ``actors.tsv`` (armed groups, IGOs, NGOs,
officeholders), ``actor_countries.tsv`` (news names, demonyms, capitals) and ``actor_roles.tsv``
(role nouns to PLOVER sectors); ISO 3166 names from pycountry; then the tables that
``scripts/build_actors.py`` derives from openly licensed dictionaries (``data/derived/``: named
groups, bodies and persons; country variants, demonyms, capitals, cities and regions; sector
nouns), which never override a hand-written or ISO entry.

Conventions: countries get their ISO alpha-3 code (Kosovo XKX, Palestine PSE); every
intergovernmental body gets ``IGO`` (as the PLOVER gold does; the CAMEO code is in the note
column), transnational jihadist groups ``IMG``, NGOs ``NGO``.  A bare country name has no
sector; a capital used as an actor ("Tehran said") is GOV.  "X-backed", "pro-X", "anti-X" name
a sponsor or target, never the actor's country; "X-led coalition" is X MIL.  "Kurdish" is not a
country: Kurdish actors get the caller's default country (or none).
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span
from unidecode import unidecode

from eventwire.model import Actor
from eventwire.words import word_list

__all__ = [
    "ActorDictionary",
    "ActorResolver",
    "DocActors",
    "expand_conjuncts",
    "load_actor_dictionary",
]

SPONSOR_WORDS = word_list("actors.sponsor_words")
NEGATING_PREFIXES = word_list("actors.negating_prefixes")
LEADER_WORDS = word_list("actors.leader_words")
# Words after an ambiguous country name that make it something else ("Georgia Tech").
NOT_COUNTRY_AFTER = word_list("actors.not_country_after")
AMBIGUOUS_COUNTRIES = word_list("actors.ambiguous_countries")
FORMER_WORDS = word_list("actors.former_words")
CIVIL_FALLBACK_SECTORS = frozenset({"GOV", "MIL"})
EVENT_NOUNS = word_list("actors.event_nouns")
ARMED_SECTORS = frozenset({"REB", "PRM", "UAF", "MIL"})
MILITARY_CONTEXT = word_list("actors.military_context")
PRONOUNS_SINGULAR = word_list("actors.pronouns_singular")
PRONOUNS_GROUP = word_list("actors.pronouns_group")

_ACRONYM_DOTS = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_TOKEN = re.compile(r"[’']s\b|[^\W_]+(?:[’'](?!s\b)[^\W_]+)*|[-/()&,]")


@dataclass(slots=True, frozen=True)
class Entry:
    """One dictionary entity: a group, body, person or country."""

    code: str | None
    sector: str | None
    identifier_text: str
    kind: str  # actor | country | demonym | capital | city | region
    # a person from the derived tables: their role there may be out of date, so a title in the
    # phrase ("former President ...", "opposition leader ...") decides the sector
    person: bool = False


@dataclass(slots=True, frozen=True)
class Tok:
    text: str  # original text
    key: str  # lower case, ascii
    start: int  # char offset in the phrase
    end: int


def _norm(s: str) -> str:
    s = unidecode(s).replace("’", "'")
    return _ACRONYM_DOTS.sub(lambda m: m.group(0).replace(".", ""), s)


def tokenize(text: str) -> list[Tok]:
    """Split a phrase into word tokens (hyphens, slashes, possessive ``'s`` kept as tokens)."""
    text = _norm(text)
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group(0)
        key = "'s" if t.lower() in ("'s", "’s") else t.lower().replace("’", "'")
        out.append(Tok(t, key, m.start(), m.end()))
    return out


def _is_acronym(alias: str) -> bool:
    return " " not in alias and len(alias) <= 5 and sum(c.isupper() for c in alias) >= 2


def _singular(w: str) -> list[str]:
    forms = [w]
    if len(w) > 3 and w.endswith("ies"):
        forms.append(w[:-3] + "y")
    if len(w) > 3 and w.endswith("es"):
        forms.append(w[:-2])
    if len(w) > 2 and w.endswith("s") and not w.endswith("ss"):
        forms.append(w[:-1])
    if w.endswith("men"):
        forms.append(w[:-3] + "man")
    return forms


class ActorDictionary:
    """Dict-based lookups: phrase keys (lower-case token sequences) to entries and sectors."""

    def __init__(self) -> None:
        # values are Entry objects, or tuples of Entry fields for derived rows not looked up yet
        self.names: dict[str, Any] = {}  # case-insensitive keys
        self.acronyms: dict[str, Any] = {}  # case-sensitive keys (US, IS, WHO)
        self.roles: dict[str, tuple[str, bool]] = {}  # key -> (sector, strong)
        self.max_len = 1
        self.role_max_len = 1
        # first token (lower case) -> token count of the longest key starting with it: the
        # matchers try only windows that can hit, whatever the size of the dictionary
        self.first_len: dict[str, int] = {}
        self.role_first_len: dict[str, int] = {}
        self.version = ""
        self.derived_version = ""

    # -- building ---------------------------------------------------------------------------
    def add(self, alias: str, entry: Entry, overwrite: bool = False) -> None:
        alias = alias.strip()
        if not alias:
            return
        toks = tokenize(alias)
        if not toks:
            return
        first = toks[0].key
        if self.first_len.get(first, 0) < len(toks):
            self.first_len[first] = len(toks)
        if _is_acronym(_norm(alias)):
            key = " ".join(t.text for t in toks)
            if overwrite or key not in self.acronyms:
                self.acronyms[key] = entry
            return
        key = " ".join(t.key for t in toks)
        if overwrite or key not in self.names:
            self.names[key] = entry
        self.max_len = max(self.max_len, len(toks))

    def add_role(self, term: str, sector: str, strong: bool) -> None:
        key = " ".join(t.key for t in tokenize(term))
        self.roles[key] = (sector, strong)
        words = key.split()
        self.role_max_len = max(self.role_max_len, len(words))
        if words and self.role_first_len.get(words[0], 0) < len(words):
            self.role_first_len[words[0]] = len(words)

    # -- lookups ----------------------------------------------------------------------------
    def lookup(self, toks: list[Tok]) -> Entry | None:
        text_key = " ".join(t.text for t in toks)
        table, key = self.acronyms, text_key
        if text_key not in table:
            table, key = self.names, " ".join(t.key for t in toks)
        e = table.get(key)
        if type(e) is tuple:  # a derived row, made an Entry when first needed (fast loading)
            e = table[key] = Entry(*e)
        return e

    def role(self, keys: list[str]) -> tuple[str, bool] | None:
        if len(keys) == 1:
            for form in _singular(keys[0]):
                if form in self.roles:
                    return self.roles[form]
            return None
        hit = self.roles.get(" ".join(keys))
        if hit is None:
            last = _singular(keys[-1])
            for form in last[1:]:
                hit = self.roles.get(" ".join([*keys[:-1], form]))
                if hit:
                    break
        return hit


def _data_lines(name: str) -> Iterable[list[str]]:
    text = resources.files("eventwire.coding").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        yield line.split("\t")


def _version(name: str) -> str:
    first = resources.files("eventwire.coding").joinpath("data", name).read_text(encoding="utf-8")
    m = re.search(r"version ([\w.]+)", first.splitlines()[0])
    return m.group(1).rstrip(".") if m else ""


@functools.lru_cache(maxsize=2)
def load_actor_dictionary(derived: bool = True) -> ActorDictionary:
    """Load (once) the actor dictionary, country names and role words; ``derived=False`` leaves
    out the derived tables (the hand-written and ISO entries alone, for comparisons)."""
    import pycountry

    d = ActorDictionary()
    d.version = _version("actors.tsv")
    rows = list(_data_lines("actors.tsv"))
    for row in rows[1:]:  # first row is the column header
        cols = row + [""] * (6 - len(row))
        name, aliases, code, sector, ident, _note = cols[:6]
        entry = Entry(code or None, sector or None, ident or name, "actor")
        for alias in [name, *aliases.split("|")]:
            d.add(alias, entry)
    for row in _data_lines("actor_countries.tsv"):
        cols = row + [""] * (4 - len(row))
        code, names, demonyms, capitals = cols[:4]
        main = names.split("|")[0]
        for n in names.split("|"):
            d.add(n, Entry(code, None, main, "country"))
        for n in demonyms.split("|"):
            d.add(n, Entry(code, None, main, "demonym"))
            if n and not n.endswith(("s", "sh", "ch", "ese", "x", "z")):
                d.add(n + "s", Entry(code, None, main, "demonym"))  # Americans, Afghans
            if n.endswith("man"):
                d.add(n[:-3] + "men", Entry(code, None, main, "demonym"))
        for n in capitals.split("|"):
            d.add(n, Entry(code, "GOV", main, "capital"))
    for c in pycountry.countries:
        main = str(getattr(c, "common_name", None) or c.name)
        for official in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if official:
                d.add(official, Entry(c.alpha_3, None, main, "country"))
                if "," in official:  # "Korea, Republic of" -> also "Korea"
                    d.add(official.split(",")[0], Entry(c.alpha_3, None, main, "country"))
    for cols in _data_lines("actor_roles.tsv"):
        d.add_role(cols[0], cols[1], cols[2].strip() == "strong")
    if derived:
        was_enabled = gc.isenabled()
        gc.disable()  # tens of thousands of small tuples: no collector passes while building
        try:
            _load_derived(d)
        finally:
            if was_enabled:
                gc.enable()
    return d


DERIVED_PLACE_KINDS = frozenset({"country", "demonym", "capital", "city", "region"})


def _load_derived(d: ActorDictionary) -> None:
    """Add the derived tables (``data/derived/``, built by ``scripts/build_actors.py``) after the
    hand-written ones: a derived row never replaces a known name (in any letter case), a role
    word or its plural.  Keys come precomputed in the tables, so loading is dict inserts only."""
    d.derived_version = _version("derived/actor_names.tsv")
    names, acronyms = d.names, d.acronyms
    taken = set(names) | {k.lower() for k in acronyms}
    max_len = d.max_len
    first_len = d.first_len
    for name in ("derived/actor_names.tsv", "derived/actor_places.tsv"):
        text = resources.files("eventwire.coding").joinpath("data", name).read_text(encoding="utf-8")
        header = True
        for line in text.splitlines():
            if not line or line[0] == "#":
                continue
            if header:  # the column names
                header = False
                continue
            _alias, key, case, code, sector, ident, kind, _rest = line.split("\t", 7)
            lower = key.lower() if case == "s" else key
            if lower in taken:
                continue
            taken.add(lower)
            if kind == "capital":
                sector = "GOV"
            value = (
                code or None,
                sector or None,
                ident,
                kind if kind in DERIVED_PLACE_KINDS else "actor",
                kind == "person",
            )
            (acronyms if case == "s" else names)[key] = value
            n = key.count(" ") + 1
            max_len = max(max_len, n)
            first = lower.partition(" ")[0]
            if first_len.get(first, 0) < n:
                first_len[first] = n
    d.max_len = max_len
    hand = set(d.roles)
    hand_forms = hand | {" ".join([*h.split()[:-1], f]) for h in hand for f in _singular(h.split()[-1])}
    rows = iter(_data_lines("derived/actor_roles.tsv"))
    next(rows)  # the column header
    for cols in rows:
        key, sector, strength = cols[1], cols[2], cols[3]
        words = key.split()
        forms = {" ".join([*words[:-1], f]) for f in _singular(words[-1])}
        if key in hand_forms or forms & hand:
            continue  # the hand-written table already says what this word is
        if any(
            d.roles[h][1] and d.roles[h][0] != sector
            for i in range(1, len(words))
            for h in {" ".join([*words[i:-1], f]) for f in _singular(words[-1])} & hand
        ):
            continue  # "unidentified gunmen": the hand table's strong head word decides
        d.roles[key] = (sector, strength == "strong")
        d.role_max_len = max(d.role_max_len, len(words))
        if d.role_first_len.get(words[0], 0) < len(words):
            d.role_first_len[words[0]] = len(words)


@dataclass(slots=True)
class _Found:
    entry: Entry
    lo: int  # token index range [lo, hi)
    hi: int
    sponsor: bool = False  # "Iran-backed", "pro-Iranian"
    leader: bool = False  # "US-led"
    possessive: bool = False  # "Iraq's"


_ATTRIBUTION_VERBS = word_list("actors.attribution_verbs")


def _in_attribution(tok: Any) -> bool:
    """True for a word inside the subject of a reporting verb ("Thai military sources said")."""
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("nsubj", "nsubjpass") and cur.head.lemma_.lower() in _ATTRIBUTION_VERBS:
            return cur.lemma_.lower() in ("source", "official", "report", "media", "agency", "newspaper", "television", "radio")
        if cur.dep_ not in ("compound", "amod", "nmod", "poss") or cur.head == cur:
            return False
        cur = cur.head
    return False


_LED_COALITION_RE = re.compile(
    r"\b((?!The\b)[A-Z][\w.]*(?: [A-Z][\w.]*)?)[-‐ ]led (?:international |military |global )?coalition\b"
)


@dataclass
class DocActors:
    """What a document has said about its actors so far: titled persons, the coalition leader,
    the last actors (for pronouns), and the caller's default country for unnamed local actors."""

    default_code: str | None = None
    persons: dict[str, Actor] = field(default_factory=dict)
    coalition_leader: str | None = None
    last_person: Actor | None = None
    last_group: Actor | None = None
    last_pair: list[Actor] = field(default_factory=list)  # the parties of the last meeting or deal
    last_named_group: Actor | None = None  # the last armed group named by name, for "the group"

    def remember(self, name_keys: list[str], actor: Actor) -> None:
        """Remember a person (name tokens, lower case) with the code and sector from their title."""
        if not name_keys or not (actor.code or actor.sector):
            return
        full = " ".join(name_keys)
        self.persons[full] = actor
        self.persons.setdefault(name_keys[-1], actor)
        if len(name_keys) > 2:
            self.persons.setdefault(" ".join(name_keys[-2:]), actor)

    def observe(self, span: Span, resolver: ActorResolver | None = None) -> Actor | None:
        """Read a noun phrase holding a person's name and title, and remember the person."""
        resolver = resolver or ActorResolver()
        return resolver.resolve(span, self)

    def last_actor(self, pronoun: str) -> Actor | None:
        """The actor a pronoun most likely points back to."""
        p = pronoun.lower()
        if p in PRONOUNS_SINGULAR:
            return self.last_person
        if p in PRONOUNS_GROUP:
            return self.last_group
        return None

    @classmethod
    def from_doc(cls, doc: Doc | Span, resolver: ActorResolver | None = None) -> DocActors:
        """A context whose default country is the country the document names most often."""
        resolver = resolver or ActorResolver()
        counts: dict[str, int] = {}
        for ent in getattr(doc, "ents", ()):
            nxt = ent.doc[ent.end : ent.end + 2].text.lower() if ent.end < len(ent.doc) else ""
            if nxt.startswith(("-led", "- led", "-backed", "- backed")):
                continue  # "US-led coalition": the sponsor, not where the story is set
            if _in_attribution(ent.root):
                continue  # "..., Thai military sources said": who told it, not where it is set
            if ent.label_ in ("GPE", "NORP", "LOC"):
                e = resolver.dictionary.lookup(tokenize(ent.text))
                if e is not None and e.kind != "actor" and e.code:
                    # a place named locates the story more than a nationality does
                    counts[e.code] = counts.get(e.code, 0) + (1 if ent.label_ == "NORP" else 2)
            elif ent.label_ == "ORG":
                # "the Kenya Anti-Corruption Commission": an institution named after its country
                for e in (resolver.dictionary.lookup(tokenize(t.text)) for t in ent if t.pos_ == "PROPN"):
                    if e is not None and e.kind != "actor" and e.code and len(e.code) == 3 and e.code.isalpha():
                        counts[e.code] = counts.get(e.code, 0) + 1
                        break
        best = max(counts, key=lambda c: counts[c]) if counts else None
        ctx = cls(default_code=best)
        # "the US-led coalition" anywhere in the text names the coalition's leader for all of it
        text = getattr(doc, "text", "")
        for m in _LED_COALITION_RE.finditer(text):
            e = resolver.dictionary.lookup(tokenize(m.group(1)))
            if e is not None and e.kind != "actor" and e.code:
                ctx.coalition_leader = e.code
                break
        return ctx


class ActorResolver:
    """Turns noun phrases into PLOVER actors."""

    def __init__(self, dictionary: ActorDictionary | None = None) -> None:
        self.dictionary = dictionary or load_actor_dictionary()

    # -- public API -------------------------------------------------------------------------
    def resolve(self, span: Span, context: DocActors | None = None) -> Actor | None:
        """Resolve a spaCy span (a noun phrase) to an actor, or None for an empty phrase."""
        if not isinstance(span, Span):
            raise TypeError(f"resolve() needs a spaCy Span, got {type(span).__name__}")
        text = span.text
        if not text.strip():
            return None
        definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in span.root.children)
        anaphor = resolve_anaphor(("the " + text) if definite and not text.lower().startswith("the ") else text, context)
        if anaphor is not None:
            anaphor.start, anaphor.end = span.start_char, span.end_char
            return anaphor
        head_char = span.root.idx - span.start_char
        person_chars = [
            (t.idx - span.start_char, t.idx - span.start_char + len(t.text))
            for t in span
            if t.ent_type_ == "PERSON"
            or (t.pos_ == "PROPN" and t.ent_type_ not in ("GPE", "NORP", "LOC", "FAC", "DATE"))
        ]
        mil_context = _military_context(span)
        actor = self._resolve(text, head_char, person_chars, context, mil_context)
        if actor is not None:
            rng = span.doc.user_data.get("ew_char_range")
            actor.start, actor.end = rng if rng else (span.start_char, span.end_char)
        return actor

    def resolve_text(self, text: str, context: DocActors | None = None) -> Actor | None:
        """Resolve a plain string; the head is taken to be the last word before a preposition."""
        if not isinstance(text, str):
            raise TypeError(f"resolve_text() needs a str, got {type(text).__name__}")
        if not text.strip():
            return None
        toks = tokenize(text)
        head = len(toks) - 1
        for i, t in enumerate(toks):
            if i > 0 and t.key in ("of", "in", "from", "at", "for", "with", "on", ","):
                head = i - 1
                break
        while head > 0 and not toks[head].key[0].isalnum():
            head -= 1
        caps = [(t.start, t.end) for t in toks if t.text[:1].isupper()]
        return self._resolve(text, toks[head].start if toks else 0, caps, context, False)

    # -- internals --------------------------------------------------------------------------
    def _find_entities(self, toks: list[Tok]) -> list[_Found]:
        d = self.dictionary
        found: list[_Found] = []
        i = 0
        while i < len(toks):
            hit = None
            for n in range(min(d.first_len.get(toks[i].key, 0), len(toks) - i), 0, -1):
                if not toks[i].key[0].isalnum():
                    break
                e = d.lookup(toks[i : i + n])
                if e is not None:
                    hit = _Found(e, i, i + n)
                    break
            if hit is None:
                i += 1
                continue
            if hit.entry.kind != "actor" and not self._country_reading(toks, hit):
                i = hit.hi
                continue
            nxt = toks[hit.hi : hit.hi + 2]
            if len(nxt) == 2 and nxt[0].key == "-" and nxt[1].key in SPONSOR_WORDS:
                hit.sponsor = True
            if len(nxt) == 2 and nxt[0].key == "-" and nxt[1].key in LEADER_WORDS:
                hit.leader = True
            if (
                hit.lo >= 2
                and toks[hit.lo - 1].key == "-"
                and toks[hit.lo - 2].key in NEGATING_PREFIXES
            ):
                hit.sponsor = True
            if nxt and nxt[0].key == "'s":
                hit.possessive = True
            found.append(hit)
            i = hit.hi
        return found

    @staticmethod
    def _country_reading(toks: list[Tok], hit: _Found) -> bool:
        """False where a country-like word is something else ("Georgia Tech", "Michael Jordan")."""
        key = " ".join(t.key for t in toks[hit.lo : hit.hi])
        if key not in AMBIGUOUS_COUNTRIES:
            return True
        if hit.hi < len(toks) and toks[hit.hi].key in NOT_COUNTRY_AFTER:
            return False
        prev = toks[hit.lo - 1] if hit.lo > 0 else None
        return not (prev is not None and prev.text[:1].isupper() and prev.key not in ("the",))

    def _sector(
        self, toks: list[Tok], head: int, skip: set[int]
    ) -> tuple[str | None, bool, int | None]:
        """Sector from role words: (sector, strong, token index). The head decides if strong;
        then the nearest strong modifier; then anything after the head; then weak words."""
        d = self.dictionary
        hits: list[tuple[int, str, bool, int]] = []  # (start, sector, strong, end)
        i = 0
        while i < len(toks):
            if i in skip or not toks[i].key[0].isalnum():
                i += 1
                continue
            for n in range(min(d.role_first_len.get(toks[i].key, 1), len(toks) - i), 0, -1):
                if any(j in skip for j in range(i, i + n)):
                    continue
                r = d.role([t.key for t in toks[i : i + n]])
                if r is not None:
                    hits.append((i, r[0], r[1], i + n))
                    i += n - 1
                    break
            i += 1
        if not hits:
            return None, False, None
        on_head = [h for h in hits if h[0] <= head < h[3]]
        if on_head and on_head[0][2]:
            return on_head[0][1], True, on_head[0][0]
        before = [h for h in hits if h[3] <= head and h[2]]
        if before:
            h = before[-1]
            return h[1], True, h[0]
        after = [h for h in hits if h[0] > head and h[2]]
        if after:
            return after[0][1], True, after[0][0]
        weak = on_head or hits
        return weak[-1][1], False, weak[-1][0]

    def _resolve(  # noqa: C901 - one reading per kind of actor phrase, tried in order
        self,
        text: str,
        head_char: int,
        person_chars: list[tuple[int, int]],
        context: DocActors | None,
        mil_context: bool,
    ) -> Actor | None:
        toks = tokenize(text)
        if not toks:
            return None
        head = next((i for i, t in enumerate(toks) if t.start <= head_char < t.end), len(toks) - 1)
        # the head of "Americans' deaths"-like phrases is fine; a trailing 's is not a head
        while head > 0 and not toks[head].key[0].isalnum():
            head -= 1
        found = self._find_entities(toks)
        covered = {j for f in found for j in range(f.lo, f.hi)}
        country_covered = {j for f in found if f.entry.kind != "actor" for j in range(f.lo, f.hi)}
        sector, strong, role_at = self._sector(toks, head, covered)
        keys = [t.key for t in toks]
        ident: str | None = None
        code: str | None = None

        # 1. a dictionary actor (group, body, person) in the phrase
        actors = [f for f in found if f.entry.kind == "actor" and not f.sponsor]
        countries = [
            f
            for f in found
            if f.entry.kind != "actor"
            and not f.sponsor
            # "ethnic Albanians in Serbia": an ethnic group, not the country's nationals
            and not (f.entry.kind == "demonym" and f.lo > 0 and toks[f.lo - 1].key == "ethnic")
        ]
        head_entity = next((f for f in found if f.lo <= head < f.hi and not f.sponsor), None)
        chosen: _Found | None = None
        if actors:
            chosen = head_entity if head_entity in actors else actors[-1]
        entity_sector: str | None = None
        if chosen is not None:
            code = chosen.entry.code
            entity_sector = chosen.entry.sector
            ident = chosen.entry.identifier_text
        # 2. countries, demonyms, capitals
        country_sector: str | None = None
        if code is None and countries:
            leaders = [f for f in countries if f.leader]
            poss = [f for f in countries if f.possessive]
            pre = [f for f in countries if f.hi <= head + 1]
            pick = (leaders or poss or pre or countries)[0]
            code = pick.entry.code
            ident = pick.entry.identifier_text
            if pick.lo <= head < pick.hi:
                # the country word is the head: "Iraq", "Tehran", "two Americans"
                if pick.entry.kind == "capital":
                    country_sector = "GOV"
                elif pick.entry.kind == "demonym":
                    country_sector = "MIL" if mil_context else "CVL"
                    if len(toks) == 1 and not toks[0].key.endswith("s"):
                        country_sector = None  # a bare adjective "Israeli" used as an actor
            if pick.leader and "coalition" in keys and context is not None:
                context.coalition_leader = code
        # 3. coalitions
        if "coalition" in keys and code is None:
            if any(k in keys for k in ("ruling", "governing")):
                sector, strong = "GOV", True
            elif "opposition" not in keys and context is not None and context.coalition_leader:
                code = context.coalition_leader
        # 4. persons introduced earlier in the document
        person_keys = [
            t.key
            for i, t in enumerate(toks)
            if any(a <= t.start < b for a, b in person_chars)
            and t.key[0].isalnum()
            and i not in country_covered
            and self.dictionary.role([t.key]) is None
        ]
        remembered: Actor | None = None
        if context is not None and person_keys:
            for k in (" ".join(person_keys), person_keys[-1]):
                if k in context.persons:
                    remembered = context.persons[k]
                    break
        if remembered is not None:
            code = code or remembered.code
            ident = ident or remembered.identifier_text
            entity_sector = entity_sector or (None if strong else remembered.sector)

        # sector choice: a strong role word on the head or modifying a named entity wins over
        # the entity's own sector only when the entity is not the head ("Hezbollah lawmakers")
        final_sector: str | None
        if chosen is not None and chosen is head_entity and not (chosen.entry.person and strong and role_at is not None):
            final_sector = entity_sector or sector
        elif (
            strong
            and role_at is not None
            and not (entity_sector in ARMED_SECTORS and sector == "MIL")
        ):
            final_sector = sector
        elif entity_sector:
            final_sector = entity_sector
        elif country_sector is not None:
            final_sector = country_sector
        else:
            final_sector = sector
        if (
            final_sector in CIVIL_FALLBACK_SECTORS
            and role_at is not None
            and any(toks[j].key in FORMER_WORDS for j in range(max(0, role_at - 2), role_at))
        ):
            final_sector = "ELI"
        if final_sector in ("GOV", "PTY", "LEG") and "opposition" in keys:
            final_sector = "OPP"
        if code is None and toks[head].key in EVENT_NOUNS:
            final_sector = None  # "the raids", "airstrikes": events, not actors, without a country
        if final_sector == "NGO" and code is None:
            code = "NGO"
        no_default = False
        ethnic = any(
            f.entry.kind == "demonym" and f.lo > 0 and toks[f.lo - 1].key == "ethnic" and f.lo <= head < f.hi + 1
            for f in found
        )
        if ethnic:
            # "ethnic Albanians in south Serbia": a community, coded by where it lives
            final_sector = final_sector or "CVL"
            lives = [f for f in found if f.entry.kind in ("country", "capital") and f.lo > head]
            if lives:
                code = lives[0].entry.code
            elif code is None and context is not None and context.default_code:
                own = {f.entry.code for f in found if f.entry.kind == "demonym"}
                if context.default_code in own:
                    no_default = True  # the document's country is the group's homeland, not where it lives
        if code is None and "kurdish" in keys and context is not None:
            code = context.default_code
        if code is None and final_sector is not None and context is not None and "coalition" not in keys and not no_default:
            code = context.default_code  # an unnamed local actor: "police officers", "the army"

        actor = Actor(entity_text=text, code=code, sector=final_sector, identifier_text=ident)
        if context is not None:
            self._update_context(context, actor, person_keys, remembered, toks, head)
        return actor

    @staticmethod
    def _update_context(
        context: DocActors,
        actor: Actor,
        person_keys: list[str],
        remembered: Actor | None,
        toks: list[Tok],
        head: int,
    ) -> None:
        if person_keys and remembered is None and (actor.code or actor.sector):
            context.remember(
                person_keys,
                Actor(" ".join(person_keys), actor.code, actor.sector, actor.identifier_text),
            )
        if person_keys:
            context.last_person = actor
        elif actor.code or actor.sector:
            context.last_group = actor
        if actor.identifier_text and actor.sector in ARMED_GROUP_SECTORS:
            context.last_named_group = actor


# Definite descriptions that point back to a named armed group: "the group claimed the attack",
# "the militants", "the rebels", "the organisation".
ANAPHORIC_GROUP_NOUNS = word_list("actors.anaphoric_group_nouns")
ARMED_GROUP_SECTORS = frozenset({"REB", "PRM", "UAF", "IMG", "CRM"})


def resolve_anaphor(text: str, context: DocActors | None) -> Actor | None:
    """The named group a definite description points back to ("the group" after "al-Shabaab"),
    as an actor with the description's own text; None when it names no such group."""
    if context is None or context.last_named_group is None:
        return None
    words = [t.key for t in tokenize(text)]
    if len(words) < 2 or words[0] not in ("the", "this", "that") or words[-1] not in ANAPHORIC_GROUP_NOUNS:
        return None
    if any(t.text[:1].isupper() for t in tokenize(text)[1:]):
        return None  # "the Taliban fighters" names its group itself
    ante = context.last_named_group
    return Actor(text, ante.code, ante.sector, ante.identifier_text)


def _military_context(span: Span) -> bool:
    """True when the span's sentence places it at a military site ("military base")."""
    try:
        sent = span.sent
    except ValueError:
        return False
    for t in sent:
        if t.lower_ in ("base", "bases", "airbase", "garrison", "barracks"):
            if t.lower_ not in ("base", "bases"):
                return True
            if any(c.lower_ in MILITARY_CONTEXT for c in t.children):
                return True
    return False


def expand_conjuncts(span: Span) -> list[Span]:
    """Split a coordinated phrase into one span per member: "US and Iraqi officials" gives
    "US officials" and "Iraqi officials"; "Iraqi soldiers and police officers" gives both."""
    if not isinstance(span, Span):
        raise TypeError(f"expand_conjuncts() needs a spaCy Span, got {type(span).__name__}")
    doc = span.doc
    root = span.root
    # conjoined heads: "soldiers and police officers"
    heads = [root, *[c for c in root.conjuncts if span.start <= c.i < span.end]]
    if len(heads) > 1:
        out = []
        for h in sorted(heads, key=lambda t: t.i):
            lo = min(
                t.i
                for t in h.subtree
                if (span.start <= t.i < span.end and t.dep_ not in ("cc", "conj")) or t.i == h.i
            )
            sub = [t.i for t in h.subtree if t.i >= lo and span.start <= t.i < span.end]
            members = {t.i for c in h.conjuncts if c.i > h.i for t in c.subtree}
            sub = [
                i for i in sub if i not in members and doc[i].dep_ != "cc" and doc[i].lower_ != ","
            ]
            out.append(doc[min(sub) : max(sub) + 1])
        return out
    # conjoined modifiers: "US and Iraqi officials" -> new small docs "US officials", "Iraqi officials"
    mods = [c for c in root.children if c.dep_ in ("amod", "compound", "nmod") and c.conjuncts]
    if mods:
        group = sorted([mods[0], *mods[0].conjuncts], key=lambda t: t.i)
        tail = [t for t in span if t.i > group[-1].i]
        if not tail:
            return [span]
        out = []
        for g in group:
            words = [g.text, *(t.text for t in tail)]
            n = len(words)
            piece_heads = [n - 1] * n
            deps = ["amod" if g.pos_ == "ADJ" else "compound", *["compound"] * (n - 2), "ROOT"]
            pos = [g.pos_, *(t.pos_ for t in tail)]
            piece = Doc(doc.vocab, words=words, heads=piece_heads, deps=deps, pos=pos)
            piece.user_data["ew_char_range"] = (g.idx, span.end_char)
            out.append(piece[:])
        return out
    return [span]
