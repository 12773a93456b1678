"""Toponym finding and resolution, datelines, and the location of one event."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import cast

import pycountry
from spacy.tokens import Doc, Token

from eventwire.geo.gazetteer import Gazetteer, country_aliases, load_gazetteer
from eventwire.geo.normalize import ADMIN_WORDS, admin_key, name_key, norm
from eventwire.geo.ranker import FEATURES, NONE_FEATURES, Ranker
from eventwire.helpers import haversine_km
from eventwire.model import Document, EventLocation, Mention, Place, Toponym


def _weights(items: Mapping[str, float] | None = None) -> dict[str, float]:
    """Float weights per key in a ``Counter`` (a missing key reads 0 and is not added), typed as
    the dict of floats it holds: typeshed types a Counter's values as int."""
    return cast("dict[str, float]", Counter(items or {}))


PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
LOC_PREPS = frozenset(
    "in at near on inside outside around across into within throughout off between over beyond "
    "along onto towards toward through".split()
)
CONTEXT_PREPS = LOC_PREPS | {"from", "to", "of", "via"}
PLACE_NOUNS = frozenset(
    "base airbase airport airfield province governorate city town village district region area camp "
    "border crossing checkpoint neighbourhood neighborhood suburb county state oblast prison port "
    "refinery bridge highway road valley mountain mountains river outskirts countryside desert "
    "garrison compound embassy consulate capital island islands strip enclave municipality".split()
)
# capitalised nouns after a town's name that keep it the town ("Randwick Racecourse", "Seoul City Hall")
_FACILITY_NOUNS = PLACE_NOUNS | frozenset(
    "racecourse stadium hospital market square station harbour harbor park hall palace plaza "
    "mosque cathedral temple bazaar grounds".split()
)
SPECIFIC_NOUNS = frozenset("base airbase airport airfield camp crossing garrison".split())
# Capitalised words that start sentences or name offices, never places on their own.
_STOP = frozenset(
    "the a an he she it they we i this that these those there then meanwhile however but and in on "
    "at monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december president minister general colonel "
    "secretary state prime governor commander spokesman spokesperson police army god islamic "
    "coalition ministry council committee forces government parliament united".split()
)
_STOP_ALONE = _STOP | frozenset(
    "central northern southern eastern western north south east west upper lower middle new old "
    "great greater grand national international federal republic democratic".split()
)
# words of organisation names, never of a place outside the gazetteer ("Islamic State (West Africa)")
_ORG_WORDS = frozenset(
    "state forces army police party movement front brigade militia group union council ministry "
    "government company bank university school church mosque court committee league alliance".split()
)
# continents, seas and the wide regions of eventwire's feature table
_WIDE_CODES = frozenset({"CONT", "RGN", "OCN", "SEA", "GULF"})
_OTHER_EVENT_PREPS = frozenset({"after", "following", "before", "since", "despite", "amid"})
_OTHER_EVENT_NOUNS = frozenset({"response", "retaliation", "revenge", "reprisal"})
_CONN = r"(?:al|el|ad|an|ar|as|ash|at|az|ez|ed|es|er|bin|ibn|abu|of|de|du|la|le)"
_WORD = r"(?:[A-Z][\w]*(?:['’‘ʿ][a-z]+)*)"
_SEQ_RE = re.compile(rf"(?<![\w'’-])(?:{_CONN}-)?{_WORD}(?:(?:[ \t]|-)(?:{_CONN}[-\s])?{_WORD})*")
_POSS_RE = re.compile(r"['’]s$")
_UNIT_RE = re.compile(r"\s+(?:[Gg]overnorate|[Pp]rovince|[Dd]istrict|[Oo]blast|[Rr]egion|[Ss]tate|[Cc]ounty)\b")


_UNIT_WORDS = (
    "division|district|province|county|region|governorate|state|sub-county|subcounty|municipality|"
    "department|prefecture|oblast|parish|commune|locality|sector|zone|woreda|tehsil|upazila"
)
_FIRST_ORDER_WORDS = frozenset({"governorate", "province", "state", "oblast", "region", "prefecture", "wilaya", "emirate"})
_TOWN_WORDS = frozenset({"village", "town", "city", "hamlet", "settlement"})
# how precise an area named with its unit word is (PLOVER resolution)
_UNIT_RESOLUTION = {w: 2 for w in _FIRST_ORDER_WORDS} | {
    w: 3 for w in ("division", "district", "county", "sub-county", "subcounty", "municipality", "parish",
                   "commune", "locality", "sector", "zone", "woreda", "tehsil", "upazila", "department")
}
# how far from a unit's centre (or a town's) a place named inside it may lie
_AREA_RADIUS_KM = {"ADM1": 300.0, "ADM2": 90.0, "PPLC": 50.0}
_CHAIN_UNIT_RE = re.compile(
    rf"\s+(village|town|city|area|market|camp|neighbourhood|neighborhood|suburb|estate|grounds|forest|"
    rf"border|junction|bridge|square|road|highway|settlement|{_UNIT_WORDS})\b",
    re.I,
)
_APPOS_RE = re.compile(
    r",\s+(?:a|an|the)\s+(?:[a-z-]+\s+){0,3}?(town|city|village|hamlet|port|district|province|region|"
    r"suburb|area|settlement|community|capital)\s+(?:in|of|near)\s+(?:the\s+)?"
    r"(?:(?:far\s+)?(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+"
    r"(?:part\s+of\s+(?:the\s+)?)?)?"
    r"([A-Z][\w'’.-]*(?:\s+(?:(?:es|de|del|al|el|la)\s+)?[A-Z][\w'’.-]*){0,3})"
    rf"(?:\s+({_UNIT_WORDS}))?"
)
_TITLE_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|President|Gen|General|Sen|Senator|Rep|Gov|Governor|Minister|Judge|Justice|"
    r"Lt|Col|Colonel|Capt|Captain|Sgt|Rev|Sheikh|King|Queen|Prince|Princess|Pope|Imam|Chancellor|Premier|"
    r"Mayor|Commissioner|Ambassador|Professor|Coach|Sir|Lord|Lady|Secretary|Chairman|Speaker|Marshal)"
    r"\.?\s+$"
)
# a place followed by the areas it lies in: "X (Y", "X village, Y", "X, Y"
_CHAINED_RE = re.compile(r"(?:\s+[a-z]+)?\s*[,(]\s*(?:in\s+)?(?:the\s+)?(?=[A-Z])")
# names listed after a place: "X, Y, Z and W"
_LIST_RE = re.compile(
    r"((?:\s*,\s*(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})+)\s*,?\s+(?:and|or|&)\s+(?:the\s+)?[A-Z]"
)
_CHAIN_RE = re.compile(
    rf"\s*(?:[,(]|\bof\b)\s*(?:in\s+)?(?:the\s+)?"
    rf"([A-Z][\w'’.-]*(?:\s+(?:(?:es|de|del|al|el|da|do|dos|la|le)\s+)?(?:al-|el-)?[A-Z][\w'’.-]*){{0,3}})"
    rf"(?:\s+({_UNIT_WORDS}))?(?=\s*[,);.]|\s+[a-z]|\s*$)"
)
_DEMONYM_OF_RE = re.compile(
    r"\b([A-Z][a-z]+)(?:['’]s)?\s+(?:(?:northern|southern|eastern|western|central|north|south|east|west|"
    r"northeastern|northwestern|southeastern|southwestern|restive|border|port|coastal|capital|holy|"
    r"oil|frontline|rebel-held|besieged)\s+){0,2}(?:city|town|village|province|region|district|"
    r"governorate|state|county|capital|port|area)\s+of\s+(?:the\s+)?$"
)
_IN_COUNTRY_RE = re.compile(
    r",?\s+in\s+(?:the\s+)?(?:(?:far\s+)?(?:northern|southern|eastern|western|central|north|south|east|west|"
    r"northeastern|northwestern|southeastern|southwestern|northeast|northwest|southeast|southwest)(?:ern)?\s+)?"
    r"([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b(?!['’-])"
)
_TOWN_OF_RE = re.compile(r"\b(?:town|city|village|hamlet)\s+of\s+(?:the\s+)?$", re.I)


_CAPITAL_RE = re.compile(r"\b([A-Z][a-z]+)(?:['’]s)? capital\b(?! (?:city )?of\b)")


_NEIGHBOUR_LEFT_RE = re.compile(r"([A-Z][\w'’]*)[ -]$")
_NEIGHBOUR_RIGHT_RE = re.compile(r"[ -]([A-Z][\w'’]*)")


def _split_unit(name: str, word: str) -> tuple[str, str]:
    """ "Nakuru County" -> ("Nakuru", "county"): a capitalised unit word ends the name."""
    parts = name.split()
    if not word and len(parts) > 1 and parts[-1].lower() in _UNIT_RESOLUTION:
        return " ".join(parts[:-1]), parts[-1].lower()
    return name, word


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """The name at ``start:end`` goes on into another capitalised word ("Shika" of "Shika Adabu",
    "Manda" of "Manda Bay"): part of another name, not a place by itself.  Titles and words such as
    "North" before it, and facility nouns after it ("Randwick Racecourse"), do not count."""
    left = _NEIGHBOUR_LEFT_RE.search(text, max(0, start - 30), start)
    if left and norm(left.group(1)) not in _STOP_ALONE and not _POSS_RE.search(left.group(1)) and not (
        left.start() == 0 or text[left.start() - 2 : left.start()].strip() in (".", "!", "?", "")
    ):
        return True  # ("Iraq's Taji", a capitalised first word of a sentence: not one name)
    right = _NEIGHBOUR_RIGHT_RE.match(text, end)
    return right is not None and norm(right.group(1)) not in _STOP_ALONE and norm(right.group(1)) not in _FACILITY_NOUNS


def _street_name(text: str, end: int) -> bool:
    """The name at ``end`` is a street's ("Paulista Avenue", "Haifa Street"), not its town."""
    right = _NEIGHBOUR_RIGHT_RE.match(text, end)
    return right is not None and right.group(1) in _STREET_WORDS


_STREET_WORDS = frozenset("Avenue Street Boulevard Lane Drive Avenida Rua Calle Strasse Straße".split())


def _names_country(tok: Token) -> bool:
    """True when the mention at ``tok`` names a country or nationality ("US", "Iraq's", "Syrian")."""
    if tok.ent_type_ == "NORP":
        return True
    return tok.ent_type_ == "GPE" and tok.text.strip(".'’s").upper() in _COUNTRY_WORDS


_COUNTRY_WORDS = frozenset(
    {c.alpha_2 for c in pycountry.countries}
    | {c.alpha_3 for c in pycountry.countries}
    | {c.name.upper() for c in pycountry.countries}
    | {getattr(c, "common_name", c.name).upper() for c in pycountry.countries}
    | {"US", "U.S", "USA", "UK", "U.K", "AMERICA", "BRITAIN", "RUSSIA", "IRAN", "SYRIA", "TURKEY"}
)


_ORIGIN_DESTINATION_PREPS = frozenset({"from", "to", "towards", "toward", "into", "onto"})
_DIRECTION_PREPS = frozenset({"to", "towards", "toward", "into", "onto", "from", "via", "through", "across"})


def _preposition(tok: Token) -> str:
    """The preposition governing the noun phrase of a place ("in", "from"), or ""."""
    head = tok
    while head.dep_ in ("compound", "amod", "flat", "nn", "appos", "conj") and head.head.i != head.i:
        head = head.head
    if head.dep_ == "pobj":
        return head.head.lower_
    return ""


def _place_role(tok: Token) -> int:
    """How likely a place the parse did not tie to the event is its site: a locative phrase ("in X",
    "near X") 2, a participant ("hit X", "X was shelled") 1, an origin or destination ("from X",
    "to X") 0."""
    prep = _preposition(tok)
    if prep in LOC_PREPS and prep not in _DIRECTION_PREPS:
        return 2
    if prep:
        return 0 if prep in _DIRECTION_PREPS else 1
    return 1


GRID_DEGREES = 5.0  # cells of the point index; the widest distance feature is 500 km
NEAR_KM = 50.0  # the narrowest distance feature: a point nearer than this settles them all

_Grid = dict[tuple[int, int], list[tuple[float, float]]]


def _grid(pts: Iterable[tuple[float, float]]) -> _Grid:
    grid: _Grid = {}
    for lat, lon in pts:
        grid.setdefault((math.floor(lat / GRID_DEGREES), math.floor(lon / GRID_DEGREES)), []).append((lat, lon))
    return grid


def _nearest_km(grid: _Grid, lat: float, lon: float, hidden: Set[tuple[float, float]] = frozenset()) -> float:
    """Distance to the nearest indexed point not in ``hidden`` within about 500 km (1e9 when none
    is that near), or to the first one found within ``NEAR_KM``: the features only ask whether a
    place is within 50, 200 or 500 km of another."""
    ci, cj = math.floor(lat / GRID_DEGREES), math.floor(lon / GRID_DEGREES)
    span = 2 if abs(lat) < 60 else 4 if abs(lat) < 75 else 36
    best = 1e9
    for di in (0, -1, 1):  # the point's own cell first: a near point is found soonest
        for dj in sorted(range(-span, span + 1), key=abs):
            for a, b in grid.get((ci + di, (cj + dj + 36) % 72 - 36), ()):
                if hidden and (a, b) in hidden:
                    continue
                d = haversine_km(lat, lon, a, b)
                if d < best:
                    best = d
                    if best < NEAR_KM:
                        return best
    return best


class _Points:
    """The points of the other places of a document, indexed once: the document's places (each
    point counted), less those of the mentions of one name (``without``).  Near-place distances
    are worked out once per point."""

    __slots__ = ("_counts", "_grid", "_hidden", "_near")

    def __init__(self, counts: Counter[tuple[float, float]], grid: _Grid | None = None,
                 hidden: Set[tuple[float, float]] = frozenset()) -> None:
        self._counts = counts
        self._grid = _grid(counts) if grid is None else grid
        self._hidden = hidden
        self._near: dict[tuple[float, float], float] = {}

    def without(self, own: Counter[tuple[float, float]]) -> _Points:
        """These points less ``own`` (a point stays while the others count it at least once)."""
        hidden = frozenset(p for p, n in own.items() if n >= self._counts.get(p, 0))
        return _Points(self._counts, self._grid, hidden)

    def near_km(self, lat: float, lon: float) -> float:
        """``_nearest_km`` of the point among these."""
        got = self._near.get((lat, lon))
        if got is None:
            got = self._near[(lat, lon)] = _nearest_km(self._grid, lat, lon, self._hidden)
        return got


@dataclass(slots=True, frozen=True)
class Focus:
    """What a story is about, from where its places lie: ISO alpha-3 country and province."""

    country: str | None = None
    province: str | None = None


def document_focus(toponyms: Sequence[Toponym], dateline: tuple[int, int] | None = None) -> Focus:
    """The country and first-order admin area a story is about, from its resolved toponyms.

    Towns, districts, provinces, bases and features count twice (their province once), countries
    named as such once, the first place of the story half again; the bureau dateline (``dateline``:
    its character span) counts only when the story names no other place: a report filed from
    Beirut about Syria is about Syria.  Ties go to the place named first."""
    counts = _weights()
    provinces: Counter[tuple[str, str]] = Counter()
    first: dict[str, int] = {}
    filed: str | None = None
    seen_first = False
    for t in toponyms:
        p = t.place
        if p is None or not p.country_code:
            continue
        if dateline is not None and dateline[0] <= t.mention.start < dateline[1]:
            filed = filed or p.country_code
            continue
        w = 1.0 if (t.precision or 0) <= 1 else 2.0
        if not seen_first:
            w += 0.5
            seen_first = True
        counts[p.country_code] += w
        first.setdefault(p.country_code, t.mention.start)
        if p.province and (t.precision or 0) >= 2:
            provinces[(p.country_code, p.province)] += 1
    if not counts:
        return Focus(filed, None)
    country = max(counts, key=lambda c: (counts[c], -first[c]))
    prov = [(n, k[1]) for k, n in provinces.items() if k[0] == country]
    return Focus(country, max(prov)[1] if prov else None)


@dataclass(slots=True)
class Example:
    """One labelled mention for the ranker: candidate rows, the "none" row and the answer
    (``gold == len(rows)``: none of these); ``kind``: how the text settled it."""

    rows: list[list[float]]
    none_row: list[float]
    gold: int
    kind: str


# the other places of a document: their points, (country, province) areas and countries
_Context = tuple[_Points, "Counter[tuple[str, str]]", "Counter[str]"]


@dataclass(slots=True)
class _Cand:
    mention: Mention
    ids: tuple[int, ...]
    admin_hint: bool = False
    specific_hint: bool = False
    country_hint: str | None = None
    dateline: bool = False
    town_hint: bool = False
    label: str = ""
    # the areas named after it, most specific first ("X, Y district, Z province", "X (Y, Z)"): per
    # area, the gazetteer units and towns it may be, in the chain's country
    units: tuple[tuple[int, ...], ...] = ()
    unit_words: tuple[str, ...] = ()
    hint_end: int = 0  # where the words that settle it ("X, Iraq") end
    hint_start: int = 0  # where words before it that settle it begin ("the Iraqi city of X")
    best: int | None = None
    score: float = 0.0
    scores: dict[int, float] = field(default_factory=dict)
    # when the place itself is outside the gazetteer (or none of its candidates lies where the text
    # says): the area that stands for it and how precise that is (PLOVER resolution)
    fallback: int | None = None
    resolution: int | None = None
    fallback_ok: bool = False  # the words after it are a chain of areas, not a list of places

    @property
    def hinted(self) -> bool:
        return bool(self.country_hint or self.units)


_Claim = Callable[[_Cand], None]  # takes a mention's candidate for the document


class Geoparser:
    """Finds place mentions, resolves them against the gazetteer and places events."""

    def __init__(self, gazetteer: Gazetteer | None = None, ranker: Ranker | None = None) -> None:
        self.gaz = gazetteer if gazetteer is not None else load_gazetteer()
        self.ranker = ranker if ranker is not None else Ranker.load()
        aliases, demonyms = country_aliases()
        self._demonyms = {d.lower(): a3 for d, a3 in demonyms.items()}
        self._alias_keys = {name_key(a): a3 for a, a3 in aliases.items()}
        self._demonym_re = re.compile(r"\b(" + "|".join(sorted(map(re.escape, demonyms), key=len, reverse=True)) + r")s?\b")

    # ------------------------------------------------------------------ public helpers
    def country_place(self, alpha3: str) -> Place | None:
        """The country with ISO alpha-3 code ``alpha3`` (its centroid), or None."""
        i = self.gaz.country_id(alpha3.upper())
        return self.gaz.place(i) if i is not None else None

    def resolve_name(self, name: str, country_hint: Sequence[str] = ()) -> Place | None:
        """The best place for a bare name, preferring the hinted countries (alpha-3)."""
        c = self._candidate(Mention(name, 0, len(name), "NAME"))
        if c is None:
            return None
        ev = _weights({a3: 3.0 for a3 in country_hint})
        inside = [a3 for a3 in country_hint if any(self.gaz.cc[i] == a3 for i in c.ids)]
        if inside:
            c.country_hint = inside[0]
        self._rank(c, ev, [])
        return self.gaz.place(c.best) if c.best is not None else None

    def resolve_dateline(self, document: Document) -> Place | None:
        """The place of ``document.dateline`` (a town where one fits), or None."""
        dl = document.dateline
        if dl is None or not dl.place.strip():
            return None
        hints: list[str] = []
        if dl.region:
            region = self.resolve_name(dl.region)
            if region is not None and region.country_code:
                hints.append(region.country_code)
        c = self._candidate(Mention(dl.place, dl.start, dl.end, "DATELINE"))
        if c is None:
            return None
        c.dateline = True
        self._rank(c, _weights({a3: 3.0 for a3 in hints}), [])
        return self.gaz.place(c.best) if c.best is not None else None

    # ------------------------------------------------------------------ geoparsing
    def geoparse(self, document: Document, doc: Doc) -> list[Toponym]:
        """All place mentions in ``document`` with the places they resolve to, in text order."""
        text = doc.text  # (spaCy joins every token's text at each access)
        if len(text) != len(document.text) or text.lower() != document.text.lower():
            # (a lower-cased document is parsed with its case restored: same letters, same offsets)
            raise ValueError(f"document {document.id!r}: spaCy doc text differs from document text")
        cands = self._find(document, doc)
        self._resolve(text, cands)
        out = []
        for c in cands:
            place = self.gaz.place(c.best) if c.best is not None else None
            coarse = c.resolution if c.best is not None and c.best == c.fallback and c.best not in c.ids else None
            out.append(Toponym(c.mention, place, round(c.score, 3), coarse))
        return out

    def _resolve(self, text: str, cands: list[_Cand]) -> tuple[dict[str, float], list[_Cand]]:
        """Rank every mention's candidates twice: on their own and the document's country
        evidence, then again with the other places of the document."""
        ev = self._evidence(text, cands)
        for c in cands:  # first pass: priors and explicit country evidence
            self._rank(c, self._without(ev, c), [], text)
        firm = [c for c in cands if c.best is not None]
        ev2 = _weights(ev)
        for c in firm:
            b = cast(int, c.best)  # firm: resolved
            if not self.gaz.is_country(b) and self.gaz.cc[b]:
                ev2[self.gaz.cc[b]] += 0.5 if len(c.ids) == 1 else 0.3
        # the other places of the document, counted once: the whole document less the mentions of
        # the same name (a long document names the same places again and again)
        whole = self._aggregate(firm)
        points = _Points(whole[0])
        own: dict[str, list[_Cand]] = {}
        for o in firm:
            own.setdefault(o.mention.text, []).append(o)
        contexts: dict[str, _Context] = {}
        for c in cands:  # second pass: with the other places of the document
            ctx = contexts.get(c.mention.text)
            if ctx is None:
                mine = self._aggregate(own.get(c.mention.text, []))
                areas, countries = whole[1] - mine[1], whole[2] - mine[2]
                ctx = contexts[c.mention.text] = (points.without(mine[0]), areas, countries)
            self._rank(c, self._without(ev2, c), [], text, ctx)
        return ev2, firm

    def _settled_by_hints(
        self, cands: list[_Cand],
    ) -> tuple[dict[int, tuple[int | None, str]], list[tuple[int, int]], dict[int, tuple[int, int]]]:
        """The mentions that the words around them settle (see ``labelled_examples``): their
        labels by ``id``, the spans of the settling words to hide, and for an area settled by the
        place before it, the span that hides that place.  The mentions lose their hints."""
        label: dict[int, tuple[int | None, str]] = {}  # id(cand) -> (gazetteer id or None, kind)
        hidden: list[tuple[int, int]] = []
        area_hidden: dict[int, tuple[int, int]] = {}  # an area's label hides the place that settles it
        for c in cands:
            if c.dateline or not c.ids or not c.hinted or any(self.gaz.is_country(i) for i in c.ids):
                continue
            fits = [i for i in c.ids if self._fits_hint(c, i)]
            towns = [i for i in fits if self.gaz.fclass[i] == "P"]
            if len(fits) > 1 and len(towns) == 1:
                fits = towns  # "Cairo, Egypt" names the city, not the governorate of that name
            if len(fits) == 1:
                label[id(c)] = (fits[0], "place")
                # the areas named after it are settled by it too: "Atlanta, Georgia" is the state
                for e in cands:
                    if e is c or not (c.mention.end <= e.mention.start < c.hint_end) or len(e.ids) < 2:
                        continue
                    holds = [u for u in e.ids if self._within(fits[0], u) and self.gaz.fclass[u] == "A"]
                    if len(holds) == 1 and id(e) not in label:
                        label[id(e)] = (holds[0], "area")
                        area_hidden[id(e)] = (c.mention.start, e.mention.start)
            elif not fits and c.fallback is not None and c.fallback_ok:
                label[id(c)] = (None, "outside")
            else:
                continue
            hidden.append((c.mention.end, max(c.hint_end, c.mention.end)))
            if c.hint_start < c.mention.start:
                hidden.append((c.hint_start, c.mention.start))
            c.country_hint, c.units, c.fallback, c.fallback_ok = None, (), None, False
        return label, hidden, area_hidden

    def labelled_examples(self, document: Document, doc: Doc) -> list[Example]:
        """Training examples for the ranker from text that settles a mention by itself:

        - a place followed or preceded by its country or the areas it lies in ("Paris, Texas",
          "the Iraqi town of X", "X (Y, Z)", "X, a village in Y province") is labelled with the one
          candidate there, or with "none" when no candidate lies there (a place the gazetteer
          lacks);
        - a name that the text shows is a person (a title before it, "President X", or the last
          word of a full name given earlier) is labelled "none";
        - other mentions of a settled name in the same document share its label (one sense per
          discourse).

        The settling words are hidden from the features and from the document's evidence, so the
        model learns what else points to the answer."""
        text = document.text
        cands = self._find(document, doc)
        label, hidden, area_hidden = self._settled_by_hints(cands)
        taken = {(c.mention.start, c.mention.end) for c in cands}
        for start, end in self._settled_persons(doc):
            if (start, end) in taken:
                c = next(c for c in cands if (c.mention.start, c.mention.end) == (start, end))
            else:
                found = self._candidate(Mention(text[start:end], start, end, "PERSON"))
                if found is None:
                    continue
                c = found
                self._hints(c, doc, text, "PERSON")
                c.country_hint, c.units, c.fallback, c.fallback_ok = None, (), None, False
                cands.append(c)
            if self._none_allowed(c):
                label.setdefault(id(c), (None, "person"))
        cands.sort(key=lambda c: c.mention.start)
        # one sense per discourse: a name settled once (and only one way) is settled throughout
        by_name: dict[str, set[tuple[int | None, str]]] = {}
        for c in cands:
            if id(c) in label:
                by_name.setdefault(name_key(c.mention.text), set()).add(label[id(c)])
        for c in cands:
            got = by_name.get(name_key(c.mention.text))
            if id(c) not in label and got and len(got) == 1 and not c.hinted and c.ids:
                (gid, kind), = got
                if gid is None or gid in c.ids:
                    label[id(c)] = (gid, kind)
        if not label:
            return []
        out = []
        passes = [(hidden, [c for c in cands if id(c) not in area_hidden])]
        passes += [([*hidden, span], [c for c in cands if id(c) == key]) for key, span in area_hidden.items()]
        for hide, targets in passes:
            wanted = {id(c) for c in targets}
            keep = [c for c in cands if id(c) in wanted or not any(a <= c.mention.start < b for a, b in hide)]
            keep = [c for c in keep if id(c) in wanted or id(c) not in area_hidden]
            ev2, firm = self._resolve(text, keep)
            for c in keep:
                if id(c) not in wanted or id(c) not in label or not c.ids:
                    continue
                gid, kind = label[id(c)]
                others = [o for o in firm if o.mention.text != c.mention.text]
                rows = self._feature_rows(c, self._without(ev2, c), others)
                z = self._none_row(c, text, rows)
                out.append(Example(rows, z, len(rows) if gid is None else c.ids.index(gid), kind))
        return out

    def _settled_persons(self, doc: Doc) -> list[tuple[int, int]]:
        """Spans of one-word names the text shows are persons: after a title ("President X",
        "Gen. X") or the last word of a person's full name given earlier in the text."""
        text = doc.text
        out: list[tuple[int, int]] = []
        surnames: set[str] = set()
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) >= 2 and ent[-1].text[:1].isupper():
                surnames.add(ent[-1].text)
        for tok in doc:
            if not tok.text[:1].isupper() or not tok.is_alpha or len(tok.text) < 3:
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].text[:1].isupper() and doc[tok.i + 1].is_alpha:
                continue  # a longer name
            titled = _TITLE_RE.search(text, max(0, tok.idx - 30), tok.idx) is not None
            later = tok.text in surnames and not (tok.i > 0 and (
                doc[tok.i - 1].text[:1].isupper() or doc[tok.i - 1].lower_ in CONTEXT_PREPS))
            if titled or later:
                out.append((tok.idx, tok.idx + len(tok.text)))
        return out

    def _without(self, ev: dict[str, float], c: _Cand) -> dict[str, float]:
        """Country evidence without this mention's own contribution (leave one surface out)."""
        out = _weights(ev)
        if len(c.ids) == 1 or any(self.gaz.is_country(i) for i in c.ids):
            for i in c.ids:
                if self.gaz.is_country(i):
                    out[self.gaz.cc[i]] -= 1.0
        return out

    def _evidence(self, text: str, cands: list[_Cand]) -> dict[str, float]:
        ev = _weights()
        for c in cands:
            countries = [i for i in c.ids if self.gaz.is_country(i)]
            if len(countries) == 1:
                ev[self.gaz.cc[countries[0]]] += 1.0
            if c.country_hint:
                ev[c.country_hint] += 0.5
            if c.dateline and c.ids:
                top = max(c.ids, key=lambda i: self.gaz.pop[i])
                ev[self.gaz.cc[top]] += 2.0
        for m in self._demonym_re.finditer(text):
            a3 = self._demonyms.get(m.group(1).lower())
            if a3:
                ev[a3] += 0.5
        return ev

    def _find(self, document: Document, doc: Doc) -> list[_Cand]:
        text = document.text
        taken = bytearray(len(text) + 1)
        cands: list[_Cand] = []

        def claim(c: _Cand) -> None:
            cands.append(c)
            taken[c.mention.start : c.mention.end] = b"\x01" * (c.mention.end - c.mention.start)

        dl = document.dateline
        if dl is not None and 0 <= dl.start < dl.end <= len(text):
            c = self._candidate(Mention(text[dl.start : dl.end], dl.start, dl.end, "DATELINE"))
            if c is not None:
                c.dateline = True
                claim(c)
        self._capital_mentions(text, taken, claim)
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS or any(taken[ent.start_char : ent.end_char]):
                continue
            start, end = ent.start_char, ent.end_char
            words = ent.text
            if words.lower().startswith("the "):
                start += 4
            words = text[start:end]
            if _POSS_RE.search(words):
                end -= 2
            else:
                unit = _UNIT_RE.match(text, end)
                if unit:
                    end = unit.end()
            c = self._candidate(Mention(text[start:end], start, end, ent.label_))
            if c is not None and not _street_name(text, end) and (
                    not _in_longer_name(text, start, end) or self._strong_part(c)):
                self._hints(c, doc, text, ent.label_)
                claim(c)
        ent_label: dict[int, str] = {}
        for ent in doc.ents:
            for k in range(ent.start_char, ent.end_char):
                ent_label[k] = ent.label_
        for m in _SEQ_RE.finditer(text):
            whole = self.gaz.lookup(m.group()) if "'" in m.group() or "’" in m.group() else ()
            pieces = [(m.start(), m.end())] if whole else self._split_possessives(m.start(), m.group())
            for start, end in pieces:  # "Archer's Post" is a town; "Iraq's Anbar" two names
                self._match_sequence(text, start, end, doc, taken, ent_label, claim)
        # a name the text shows is a person ("President X", X's full name earlier) is no place,
        # unless the text settles it as one ("Houston, Texas")
        persons = set(self._settled_persons(doc))
        cands = [c for c in cands if (c.mention.start, c.mention.end) not in persons or c.hinted or c.dateline]
        cands.sort(key=lambda c: c.mention.start)
        return cands

    def _capital_mentions(self, text: str, taken: bytearray, claim: _Claim) -> None:
        """ "the Iraqi capital", "Syria's capital": the country's capital city (GeoNames PPLC)."""
        for m in _CAPITAL_RE.finditer(text):
            word = m.group(1)
            a3 = self._demonyms.get(word.lower()) or self._alias_keys.get(name_key(word))
            if a3 is None:
                ci = self.gaz.lookup(word)
                a3 = next((self.gaz.cc[i] for i in ci if self.gaz.is_country(i)), None)
            if a3 is None or any(taken[m.start(1) : m.end()]):
                continue
            cap = self.gaz.capital_id(a3)
            ids = (cap,) if cap is not None else ()
            if ids:
                claim(_Cand(Mention(text[m.start(1) : m.end()], m.start(1), m.end(), "CAPITAL"), ids))

    @staticmethod
    def _split_possessives(start: int, s: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for m in re.finditer(r"['’]s\b", s):
            out.append((start + pos, start + m.start()))
            pos = m.end()
        out.append((start + pos, start + len(s)))
        return [(a + (len(t) - len(t.lstrip())), b) for a, b in out if (t := s[a - start : b - start]).strip()]

    def _match_sequence(
        self, text: str, start: int, end: int, doc: Doc, taken: bytearray, ent_label: dict[int, str],
        claim: _Claim,
    ) -> None:
        spans = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\s-]+(?:-[^\s-]+)*", text[start:end])]
        # words of the sequence, with "al-" style prefixes kept on their word
        claimed = False
        i = 0
        while i < len(spans):
            found = None
            for j in range(min(len(spans), i + 5), i, -1):
                a, b = spans[i][0], spans[j - 1][1]
                if any(taken[a:b]):
                    continue
                sub = text[a:b]
                words = norm(sub).split()
                if len(sub) < 3 or not words or words[0] in _STOP or words[-1] in _STOP or (
                    len(words) == 1 and words[0] in _STOP_ALONE
                ):
                    continue
                unit = _UNIT_RE.match(text, b) if j == len(spans) else None
                if unit:  # "Kwale district": the unit, not a town of that name
                    c = self._candidate(Mention(text[a : unit.end()], a, unit.end(), "GAZ"))
                    if c is not None:
                        found = (c, j)
                        break
                c = self._candidate(Mention(sub, a, b, "GAZ"))
                if c is not None:
                    found = (c, j)
                    break
            if found is None:
                i += 1
                continue
            c, j = found
            label = ent_label.get(c.mention.start, "")
            self._hints(c, doc, text, label)
            part = _in_longer_name(text, c.mention.start, c.mention.end)
            if _street_name(text, c.mention.end):
                pass
            elif part and not self._strong_part(c):
                pass  # "Shika" of "Shika Adabu", "Archer" of "Archer's Post": part of another name
            elif self._accept(c, doc, text, label):
                claim(c)
                claimed = True
            i = j
        if not claimed and spans:
            self._unknown_place(text, spans[0][0], spans[-1][1], doc, taken, ent_label, claim)

    def _strong_part(self, c: _Cand) -> bool:
        """A match inside a longer capitalised name stands on its own only when it is a country, a
        province or a large city ("Kenya" of "Kenya Police")."""
        g = self.gaz
        words = norm(c.mention.text).split()
        own = {" ".join(words), " ".join(w for w in words if w not in ADMIN_WORDS)}
        return any(g.is_country(i) or g.fcode[i] == "ADM1" or (g.fclass[i] == "P" and g.pop[i] >= 100_000)
                   for i in c.ids if norm(g.names[i]) in own)

    def _unknown_place(
        self, text: str, start: int, end: int, doc: Doc, taken: bytearray, ent_label: dict[int, str],
        claim: _Claim,
    ) -> None:
        """A name the gazetteer lacks, followed by the areas it lies in ("Mauche village, Njoro
        division, Nakuru district", "Jangebe (Talata Mafara, Zamfara)"): located at those areas."""
        words = text[start:end].split()
        while words and norm(words[0]) in _STOP_ALONE:
            start += len(words[0]) + 1
            words = words[1:]
        if not words or any(taken[start:end]) or norm(words[-1]) in _STOP:
            return
        if text[max(0, start - 2) : start].strip() in ("(", ","):
            return  # an area of another place's chain ("X (Y, Z)"), not a place of its own
        label = ent_label.get(start, "")
        if label in ("DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "EVENT", "LAW", "PERCENT", "QUANTITY"):
            return
        if any(norm(w) in _ORG_WORDS for w in words):
            return
        c = _Cand(Mention(text[start:end], start, end, "GAZ"), ())
        self._hints(c, doc, text, label)
        if not c.units or not c.fallback_ok or c.fallback is None:
            return
        if label in ("ORG", "NORP", "PERSON") and len(c.units) < 2 and not any(c.unit_words):
            return  # an organisation or a person with one area after it: "M23 (Rutshuru)"
        claim(c)

    def _accept(self, c: _Cand, doc: Doc, text: str, label: str) -> bool:
        """A gazetteer match outside spaCy's place entities needs place context or a strong match."""
        m = c.mention
        before = text[max(0, m.start - 40) : m.start]
        prev = re.findall(r"[A-Za-z]+", before)
        context = bool(c.country_hint or c.admin_hint or c.specific_hint)
        if prev and prev[-1].lower() in CONTEXT_PREPS:
            context = True
        after = re.match(r"\s+([a-z]+)(?:\s+([a-z]+))?", text[m.end : m.end + 60])
        if after and (after.group(1) in PLACE_NOUNS or after.group(2) in PLACE_NOUNS):
            context = True  # "Al Qaim base", "Taji military base"
        if c.units or (before.rstrip()[-1:] in ("(", ",") and any(
                self.gaz.fcode[i] in ("ADM1", "ADM2") for i in c.ids)):
            context = True  # a place named with its areas, an area of such a chain: "X (Y, Z)"
        if label in ("PERSON", "NORP"):
            return context
        if context:
            return True
        strong = any(
            self.gaz.is_country(i) or (self.gaz.fclass[i] == "P" and self.gaz.pop[i] >= 100_000)
            for i in c.ids
            if norm(self.gaz.names[i]) == norm(m.text) or len(c.ids) == 1
        )
        sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?\n“\"‘"
        return strong and not (sentence_start and " " not in m.text and label == "")

    def _hints(self, c: _Cand, doc: Doc, text: str, label: str = "") -> None:
        m = c.mention
        c.label = label or m.label
        after = text[m.end : m.end + 160]
        c.hint_end = m.end
        c.hint_start = m.start
        # the chain of areas after it: "X, Iraq", "X village, Y division, Z district", "X (Y, Z)"
        pos = 0
        unit = _CHAIN_UNIT_RE.match(after)
        if unit:
            pos = unit.end()
            if unit.group(1).lower() in _TOWN_WORDS:
                c.town_hint = True
        paren = after[pos:].lstrip().startswith("(")
        elements = self._chain(c, after, pos, unit.end() if unit else None, paren)
        if not elements:
            elements = self._apposition(c, after)
        listed = _LIST_RE.match(after)
        if (listed and listed.group(1).count(",") >= 2) or any(self.gaz.is_country(i) for i in c.ids):
            # "Kabul, Kandahar, Herat and Kunduz": a list, not a chain; a country has no chain
            elements, c.hint_end, c.country_hint = [], m.end, None
        if elements:
            if paren:  # "X (Y, Z)": Y its district, Z its province
                elements = [(ids, w or ("district", "province")[min(k, 1)]) for k, (ids, w) in enumerate(elements)]
            self._set_chain(c, elements)
            big = any((self.gaz.fcode[i] == "PPLC" or (self.gaz.fclass[i] == "P" and self.gaz.pop[i] >= 1_000_000))
                      and self._exact(i, m.text) for i in c.ids)
            c.fallback_ok = not listed and not big and bool(
                paren or unit or any(w for _, w in elements)
                or not any(self.gaz.cc[i] == c.country_hint for i in c.ids)
            )
        named_country = self._hints_before(c, text)
        # "X in northern Iraq", "X, in Kenya's Turkana County"
        im = _IN_COUNTRY_RE.match(after)
        if im and not c.country_hint:
            a3 = self._country_of(im.group(1))
            if a3:
                c.country_hint = a3
                c.hint_end = m.end + im.end()
        nm = re.match(r"\s+((?:[a-z]+\s+){0,2})([a-z]+)", after)
        if nm and nm.group(2) in SPECIFIC_NOUNS:
            c.specific_hint = True
        if nm and not nm.group(1) and nm.group(2) in _TOWN_WORDS:
            c.town_hint = True
        if named_country and c.country_hint and c.fallback is None:
            # "the Iraqi town of X" with no X in Iraq: the country stands for it
            ci = self.gaz.country_id(c.country_hint)
            if ci is not None:
                c.fallback, c.resolution, c.fallback_ok = ci, 1, True

    def _chain(
        self, c: _Cand, after: str, pos: int, unit_end: int | None, paren: bool,
    ) -> list[tuple[tuple[int, ...], str]]:
        """The areas named after the place from ``pos`` of ``after`` (``unit_end``: the end of
        its own unit word, "X town"), at most four, each with its unit word."""
        elements: list[tuple[tuple[int, ...], str]] = []
        end = c.mention.end
        for _ in range(4):
            cm = _CHAIN_RE.match(after, pos)
            if not cm or (cm.group(0).lstrip().startswith("of") and not (unit_end is not None and pos == unit_end)):
                break  # "of Y" only after "the X area", "X town"
            name, word = _split_unit(cm.group(1), (cm.group(2) or "").lower())
            a3 = self._country_of(name)
            if a3 and not word:
                # "Atlanta, Georgia": the country or a province of that name, whichever fits
                ci = self.gaz.country_id(a3)
                same = tuple(i for i in self._area_ids(name, "") if self.gaz.fcode[i] == "ADM1")
                elements.append((((ci,) if ci is not None else ()) + same, ""))
                c.hint_end = end + cm.end()
                break
            ids = self._area_ids(name, word)
            if not ids and not word and not paren:
                break
            elements.append((ids, word))
            c.hint_end = end + cm.end()
            pos = cm.end()
        return elements

    def _apposition(self, c: _Cand, after: str) -> list[tuple[tuple[int, ...], str]]:
        """ "X, a town in Y province", "X, a village in northern Z": the area it lies in."""
        appos = _APPOS_RE.match(after)
        if not appos:
            return []
        noun = appos.group(1).lower()
        name, word = _split_unit(appos.group(2), (appos.group(3) or "").lower())
        word = word or ("district" if noun in _TOWN_WORDS else "")  # a village in Y: Y's precision at most
        a3 = None if word else self._country_of(name)
        if a3 is not None:
            ci = self.gaz.country_id(a3)
            ids = ((ci,) if ci is not None else ()) + tuple(
                i for i in self._area_ids(name, "") if self.gaz.fcode[i] == "ADM1")
        else:
            ids = self._area_ids(name, word)
        if not ids:
            return []
        c.hint_end = c.mention.end + appos.end()
        if noun in _TOWN_WORDS:
            c.town_hint = True
        return [(ids, word)]

    def _hints_before(self, c: _Cand, text: str) -> bool:
        """The words before the place: its country ("Iraq's X", "the Iraqi city of X", "Syria's
        northern province of X") and "the town of X".  True when they name its country."""
        m = c.mention
        named_country = False
        bm = re.search(r"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)['’]s\s+$", text[max(0, m.start - 40) : m.start])
        if bm:
            a3 = self._country_of(bm.group(1))
            if a3:
                c.country_hint, named_country = a3, True
                c.hint_start = max(0, m.start - 40) + bm.start()
        if _TOWN_OF_RE.search(text, max(0, m.start - 20), m.start):
            c.town_hint = True
        dm = _DEMONYM_OF_RE.search(text[max(0, m.start - 60) : m.start])
        if dm:
            a3 = self._demonyms.get(dm.group(1).lower()) or self._country_of(dm.group(1))
            if a3 and not c.country_hint:
                c.country_hint, named_country = a3, True
                c.hint_start = max(0, m.start - 60) + dm.start()
        return named_country

    def _country_of(self, name: str) -> str | None:
        k = name_key(name)
        if k in self._alias_keys:
            return self._alias_keys[k]
        for i in self.gaz.ids(k):
            if self.gaz.is_country(i):
                return self.gaz.cc[i]
        return None

    def _candidate(self, mention: Mention) -> _Cand | None:
        """Gazetteer candidates for a mention, trying the full name, then its admin form, then shorter."""
        txt = mention.text.strip()
        words = norm(txt).split()
        if not words:
            return None
        admin_hint = words[-1] in ADMIN_WORDS and len(words) > 1 and words[-1] != "city"
        ids = self.gaz.lookup(txt)
        if admin_hint:
            admin_ids = tuple(i for i in self.gaz.ids(admin_key(txt)) if self.gaz.fclass[i] == "A")
            # "X Governorate/Province/State" is a first-order unit, "X District/County" a second-order one
            level = "ADM1" if words[-1] in _FIRST_ORDER_WORDS else "ADM2" if words[-1] in ("district", "county") else ""
            same = tuple(i for i in admin_ids if self.gaz.fcode[i] == level)
            ids = same or admin_ids or ids
        specific = False
        if not ids and len(words) > 1 and words[-1] in PLACE_NOUNS:
            specific = words[-1] in SPECIFIC_NOUNS
            for cut in range(len(words) - 1, 0, -1):
                if words[cut - 1] not in PLACE_NOUNS and words[cut - 1].isalpha():
                    ids = self.gaz.ids(name_key(" ".join(words[:cut])))
                    if ids:
                        break
        if not ids:
            return None
        k = name_key(txt)
        if k in self._alias_keys:
            ci = self.gaz.country_id(self._alias_keys[k])
            if ci is not None:
                ids = (ci,) + tuple(i for i in ids if i != ci and self.gaz.fclass[i] == "A")
        if any(self.gaz.is_country(i) for i in ids):
            # a country name: never a building or a town of the same name
            ids = tuple(i for i in ids if self.gaz.fclass[i] == "A")
        wide = [i for i in ids if self.gaz.fcode[i] in _WIDE_CODES and self._exact(i, txt)]
        if wide:
            # a continent or a region by its own name ("Africa", "the Middle East"): not the towns
            # that carry it as an alternate name
            ids = tuple(i for i in ids if i in wide or self._exact(i, txt))
        return _Cand(mention, ids, admin_hint=admin_hint, specific_hint=specific)

    def _exact(self, i: int, txt: str) -> bool:
        """Candidate ``i``'s own name (not an alternate) is the mention's."""
        name = self.gaz.names[i]
        return norm(name) == norm(txt) or admin_key(name) == admin_key(txt)

    def _none_allowed(self, c: _Cand) -> bool:
        """ "None of these" is no answer for a country, a continent, a province or a large city
        named by its own name: a person so named is settled by a title or a full name."""
        g = self.gaz
        return not any(
            (g.is_country(i) or g.fcode[i] in _WIDE_CODES or g.fcode[i] == "ADM1" or g.fclass[i] in ("H", "T", "L")
             or g.src[i] == 2 or (g.fclass[i] == "P" and g.pop[i] >= 1_000_000)) and self._exact(i, c.mention.text)
            for i in c.ids
        )

    def _fits_hint(self, c: _Cand, i: int) -> bool:
        """Candidate ``i`` lies in the country and the areas named right after the mention."""
        g = self.gaz
        if c.country_hint and g.cc[i] != c.country_hint:
            return False
        if c.units:
            return any(self._within(i, u) for area in c.units for u in area)
        return True

    def _within(self, i: int, u: int) -> bool:
        """Place ``i`` lies in area ``u`` (a unit by its name or extent, a town by its outskirts)."""
        g = self.gaz
        if i == u:
            return True
        if g.is_country(u):
            return bool(g.cc[i]) and g.cc[i] == g.cc[u]
        if g.cc[i] != g.cc[u] or g.lat[i] != g.lat[i] or g.lat[u] != g.lat[u]:
            return False
        if g.fclass[u] == "A":
            unit = admin_key(g.names[u])
            if unit and unit in (admin_key(g.prov[i]), admin_key(g.district[i])):
                return True
        radius = _AREA_RADIUS_KM.get(g.fcode[u], 40.0)
        return haversine_km(g.lat[i], g.lon[i], g.lat[u], g.lon[u]) <= radius

    def _area_ids(self, name: str, unit_word: str) -> tuple[int, ...]:
        """The admin units and towns an area of a chain may be ("Njoro division", "Borno")."""
        g = self.gaz
        ids = dict.fromkeys((*g.ids(admin_key(name)), *g.ids(name_key(name))))
        out = [i for i in ids if g.fclass[i] in ("A", "P") and not g.is_country(i) and g.lat[i] == g.lat[i]]
        if unit_word in _FIRST_ORDER_WORDS:
            out = [i for i in out if g.fcode[i] == "ADM1"] or out
        return tuple(out)

    def _set_chain(self, c: _Cand, elements: list[tuple[tuple[int, ...], str]]) -> None:
        """Keep the chain's areas in the one country they agree on (the broader areas count more:
        "Palma (Palma, Cabo Delgado)" is in Mozambique) and choose the area that stands for the
        place when the place itself is not in the gazetteer."""
        g = self.gaz
        score = _weights()
        for k, (ids, _) in enumerate([(c.ids, ""), *elements]):  # the place's own candidates count too
            by_cc: dict[str, float] = {}
            spread = len({g.cc[i] for i in ids}) or 1
            for i in ids:  # units more than towns, the broader areas at the end more than the rest,
                # names found in one country more than names found in many ("North")
                w = (2 if g.fclass[i] == "A" else 1) * (k + 1) / spread
                by_cc[g.cc[i]] = max(by_cc.get(g.cc[i], 0), w)
            for cc, w in by_cc.items():
                score[cc] += w * 1e9 + max(g.pop[i] for i in ids if g.cc[i] == cc)
        if c.country_hint:
            cc = c.country_hint
        elif score:
            cc = max(score, key=lambda k: score[k])
        else:
            return
        units = tuple(tuple(i for i in ids if g.cc[i] == cc) for ids, _ in elements)
        words = tuple(w for _, w in elements)
        if not any(units):
            return
        c.units, c.unit_words = tuple(u for u in units if u), tuple(w for u, w in zip(units, words, strict=True) if u)
        c.country_hint = c.country_hint or cc
        area, word = c.units[0], c.unit_words[0]
        rest = c.units[1:]

        def rank(i: int) -> tuple[bool, bool, int]:
            inside = all(any(self._within(i, u) for u in later) for later in rest)
            admin_first = (g.fclass[i] == "A") == bool(word)
            return inside, admin_first, g.pop[i]

        best = max(area, key=rank)
        c.fallback = best
        level = _UNIT_RESOLUTION.get(word)
        own = 1 if g.is_country(best) else 2 if g.fcode[best] == "ADM1" else 3 if g.fclass[best] == "A" else 4
        c.resolution = min(level, own) if level is not None else own

    def _aggregate(
        self, cands: list[_Cand],
    ) -> tuple[Counter[tuple[float, float]], Counter[tuple[str, str]], Counter[str]]:
        """Where these places lie: their points, admin areas and countries, counted."""
        g = self.gaz
        pts: Counter[tuple[float, float]] = Counter()
        areas: Counter[tuple[str, str]] = Counter()
        countries: Counter[str] = Counter()
        for o in cands:
            j = o.best
            if j is None or g.is_country(j):
                continue
            if g.lat[j] == g.lat[j] and g.fclass[j] in ("P", "S", "A") and g.fcode[j] != "ADM1":
                pts[(g.lat[j], g.lon[j])] += 1
            if g.prov[j] and g.fcode[j] != "ADM1":
                areas[(g.cc[j], g.prov[j])] += 1
            if g.cc[j]:
                countries[g.cc[j]] += 1
        return pts, areas, countries

    def _context(self, others: list[_Cand]) -> _Context:
        pts, areas, countries = self._aggregate(others)
        return _Points(pts), areas, countries

    def _feature_rows(
        self, c: _Cand, ev: dict[str, float], others: list[_Cand],
        context: _Context | None = None,
    ) -> list[list[float]]:
        """The candidate features (:data:`FEATURES`) of each of ``c``'s candidates (``context``:
        the other places already counted, see ``_resolve``)."""
        g = self.gaz
        total = sum(v for v in ev.values() if v > 0) or 1.0
        focus = max((k for k, v in ev.items() if v > 0), key=lambda k: ev[k], default=None)
        points, areas, countries = context if context is not None else self._context(others)
        maxpop = max(g.pop[i] for i in c.ids)
        sumpop = sum(g.pop[i] for i in c.ids) or 1
        mtext = norm(c.mention.text)
        rows = []
        for i in c.ids:
            fc, fcode, pop, cc = g.fclass[i], g.fcode[i], g.pop[i], g.cc[i]
            is_admin = fc == "A" and not fcode.startswith("PCL")
            is_country = fcode.startswith("PCL")
            near = points.near_km(g.lat[i], g.lon[i]) if g.lat[i] == g.lat[i] and not is_country else 1e9
            log_pop = math.log10(pop + 1) / 7.0
            held = countries[cc] if is_country else areas[(cc, g.prov[i])] if fcode == "ADM1" else 0
            x = {
                "log_pop": log_pop,
                "town_log_pop": log_pop if fc == "P" else 0.0,
                "pop_share": pop / sumpop,
                "most_populous": float(pop == maxpop and pop > 0),
                "is_country": float(is_country),
                "is_adm1": float(fcode == "ADM1"),
                "is_adm2": float(fcode == "ADM2"),
                "is_populated": float(fc == "P"),
                "is_capital": float(fcode == "PPLC"),
                "is_physical": float(fc in ("H", "T", "L")),
                "is_spot": float(fc == "S"),
                "exact_name": float(norm(g.names[i]) == mtext or admin_key(g.names[i]) == admin_key(c.mention.text)),
                "admin_cue_admin": float(c.admin_hint and is_admin),
                "admin_cue_town": float(c.admin_hint and fc == "P"),
                "specific_cue_spot": float(c.specific_hint and fc in ("S", "T")),
                "town_cue_town": float(c.town_hint and fc == "P"),
                "country_share": max(0.0, ev.get(cc, 0.0)) / total if cc else 0.0,
                "focus_country": float(cc == focus and cc != ""),
                "near_50km": float(near < 50),
                "near_200km": float(near < 200),
                "near_500km": float(near < 500),
                "same_admin_area": float(bool(g.prov[i]) and fcode != "ADM1" and areas[(cc, g.prov[i])] > 0),
                "holds_places": float(held >= 2),
                "curated": float(g.src[i] == 2),
                "dateline_admin": float(c.dateline and is_admin),
                "ner_person_small": float(c.label == "PERSON" and fc == "P" and pop < 100_000),
            }
            rows.append([x[f] for f in FEATURES])
        return rows

    def _none_row(self, c: _Cand, text: str, rows: list[list[float]]) -> list[float]:
        """The features (:data:`NONE_FEATURES`) of "none of these" for mention ``c``."""
        g = self.gaz
        m = c.mention
        prev = re.findall(r"[A-Za-z]+", text[max(0, m.start - 30) : m.start])
        nxt = re.match(r"\s+([a-z]+)(?:\s+([a-z]+))?", text[m.end : m.end + 40])
        context = bool(prev and prev[-1].lower() in CONTEXT_PREPS) or bool(
            nxt and (nxt.group(1) in PLACE_NOUNS or nxt.group(2) in PLACE_NOUNS))
        share = FEATURES.index("country_share")
        mtext = norm(m.text)
        z = {
            "none_bias": 1.0,
            "none_person": float(c.label == "PERSON"),
            "none_org": float(c.label in ("ORG", "NORP")),
            "none_not_entity": float(c.label in ("GAZ", "")),
            "none_one_word": float(len(mtext.split()) == 1),
            "none_no_context": float(not context),
            "none_abroad": float(all(r[share] <= 0 for r in rows)),
            "none_best_log_pop": max((math.log10(g.pop[i] + 1) / 7.0 for i in c.ids), default=0.0),
            "none_alternate_only": float(not any(norm(g.names[i]) == mtext or admin_key(g.names[i]) == admin_key(m.text)
                                                 for i in c.ids)),
        }
        return [z[f] for f in NONE_FEATURES]

    def _rank(
        self, c: _Cand, ev: dict[str, float], others: list[_Cand], text: str = "",
        context: _Context | None = None,
    ) -> None:
        """Score every candidate and "none of these"; words that settle the place ("X, Iraq",
        "X, Y district") restrict the choice to the candidates they fit.  "None" (a person, an
        organisation, a place outside the gazetteer) leaves the mention unresolved, or at the
        area the text names with it."""
        best, best_s = None, -1e9
        c.scores.clear()
        hinted = c.hinted and any(self._fits_hint(c, i) for i in c.ids)
        if c.hinted and not hinted and c.fallback is not None and c.fallback_ok:
            # none of its candidates lies where the text says (or it has none): the place is
            # outside the gazetteer, and the area named with it stands for it
            c.best, c.score = c.fallback, 5.0
            return
        if not c.ids:
            c.best, c.score = None, 0.0
            return
        rows = self._feature_rows(c, ev, others, context)
        for i, x in zip(c.ids, rows, strict=True):
            s = self.ranker.score(x)
            if hinted and self._fits_hint(c, i):
                s += 10.0
            c.scores[i] = s
            if s > best_s:
                best, best_s = i, s
        none = -math.inf
        if text and not hinted and self._none_allowed(c):
            z = self._none_row(c, text, rows)
            if z[NONE_FEATURES.index("none_no_context")]:  # "in X", "X village": a place, whatever its name
                none = self.ranker.none_score(z)
        if none > best_s:
            c.best, c.score = None, none
            if c.fallback is not None and c.fallback_ok:
                c.best = c.fallback
            return
        c.best, c.score = best, best_s

    # ------------------------------------------------------------------ event location
    def event_location(
        self,
        doc: Doc,
        trigger: Token,
        toponyms: list[Toponym],
        other_triggers: Sequence[Token] = (),
        fallback_countries: Sequence[str] = (),
        loose: bool = True,
    ) -> EventLocation | None:
        """Where the event of ``trigger`` happened: the most specific place attached to it; with
        ``loose``, else the most specific free place of its sentence; else a fallback country.
        The bureau dateline is never an event's place."""
        sent = trigger.sent
        others = {t.i for t in other_triggers if t.i != trigger.i}
        best: tuple[float, int, Toponym] | None = None
        free: list[tuple[int, int, int, Toponym]] = []  # places in the sentence not attached to it
        other_toks = [t for t in other_triggers if t.i != trigger.i]
        for topo in toponyms:
            if topo.place is None or topo.mention.label == "DATELINE":
                continue
            m = topo.mention
            if m.start < sent.start_char or m.end > sent.end_char:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            score = self._attachment(span.root, trigger, others)
            if score is None:
                if self._free_place(span.root, trigger, other_toks):
                    free.append((_place_role(span.root), topo.precision or 0, -abs(m.start - trigger.idx), topo))
                continue
            if _preposition(span.root) in _DIRECTION_PREPS:
                score -= 1.0  # "marched towards X", "fled into X": where they went, not where it happened
            key = (score, topo.precision or 0, topo)
            if best is None or key[:2] > best[:2]:
                best = key
        found: Toponym | None = None
        if best is not None:
            found = best[2]
        elif loose and free:
            # the parse did not tie any place to the event (headlines, long sentences): take the
            # most specific place of the sentence that is not an actor's country or another
            # event's place
            found = max(free, key=lambda x: x[:3])[3]
        if found is not None:
            assert found.place is not None
            return EventLocation.from_place(found.mention.text, found.place, found.resolution)
        for a3 in fallback_countries:
            place = self.country_place(a3)
            if place is not None:
                return EventLocation.from_place(place.name, place, resolution=1)
        return None

    @staticmethod
    def in_report(loc: EventLocation | None, report_place: Toponym | None) -> EventLocation | None:
        """The location of an event of a short report: its own place when it has one more precise
        than a country, else the report's place (in the same country, when it has one)."""
        rp = report_place
        if rp is None or rp.place is None or (rp.precision or 0) <= 1:
            return loc
        if loc is not None and ((loc.resolution or 0) > 1 or (
                loc.country_code and loc.country_code != rp.place.country_code)):
            return loc
        return EventLocation.from_place(rp.mention.text, rp.place, rp.resolution)

    def report_place(self, doc: Doc, toponyms: Sequence[Toponym]) -> Toponym | None:
        """The place a short report is about: a place named with the areas it lies in ("X (Y, Z)",
        "X village, Y district") first, else the first most specific place that is where something
        happened (not an origin, a destination or an actor's country, never the dateline)."""
        best: tuple[tuple[int, int, int, int], Toponym] | None = None
        text = doc.text
        starts = {t.mention.start for t in toponyms if t.place is not None}
        for k, topo in enumerate(toponyms):
            if topo.place is None or topo.mention.label == "DATELINE":
                continue
            span = doc.char_span(topo.mention.start, topo.mention.end, alignment_mode="expand")
            if span is None:
                continue
            tok = span.root
            if (topo.precision or 0) <= 1 and _names_country(tok):
                continue
            role = _place_role(tok)
            if _preposition(tok) in _ORIGIN_DESTINATION_PREPS:
                continue  # "protesters from X", "marched to X"
            tail = _CHAINED_RE.match(text, topo.mention.end)
            chained = tail is not None and (tail.end() in starts or topo.resolution is not None)
            key = (int(chained), topo.precision or 0, role, -k)
            if best is None or key > best[0]:
                best = (key, topo)
        return best[1] if best is not None else None

    def _free_place(self, tok: Token, trigger: Token, other_triggers: Sequence[Token]) -> bool:
        """A place mention that neither names an actor's country nor belongs to another event."""
        if _names_country(tok) and tok.dep_ in ("compound", "amod", "poss", "nmod", "nsubj", "nsubjpass"):
            return False  # "Turkish jets", "Iraq's army", "Iran fired"
        for other in other_triggers:
            others = {t.i for t in other_triggers if t.i != other.i} | {trigger.i}
            if self._attachment(tok, other, others) is not None:
                return False
        return True

    def _attachment(self, tok: Token, trigger: Token, others: set[int]) -> float | None:
        """How firmly the place at ``tok`` is the location of ``trigger`` (None: it is not)."""
        if tok.i == trigger.i:
            return None
        # climb the noun phrase: "Iraq's Taji military base" -> base
        head = tok
        while head.dep_ in ("compound", "poss", "amod", "appos", "conj", "nmod", "flat", "npadvmod", "nn") and head.head.i != head.i:
            nxt = head.head
            if nxt.i == trigger.i:
                if _names_country(tok):
                    return None  # "US airstrike", "Israel's raid": the actor, not the place
                return 3.0  # "the Baghdad bombing"
            if nxt.pos_ in ("NOUN", "PROPN") and nxt.lower_ not in PLACE_NOUNS and nxt.ent_type_ not in PLACE_LABELS and head.dep_ != "conj":
                return None  # modifies a non-place noun: "US warplanes", "Iraq's ministry"
            head = nxt
            if head.pos_ == "VERB":
                break
        if head.dep_ == "pobj" and head.head.lower_ == "from" and head.head.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return None  # "protesters from X": where they come from, not where the event is
        if head.dep_ == "pobj" and head.head.lower_ in LOC_PREPS:
            governor = head.head.head
        elif head.dep_ in ("dobj", "obj") and head.head.i == trigger.i:
            return 2.5  # "shelled Kirkuk"
        else:
            return None
        # walk up from the governor to the trigger
        steps, node = 0, governor
        path = [head.head]
        while True:
            if node.i == trigger.i:
                if any(p.lower_ in _OTHER_EVENT_PREPS or p.lower_ in _OTHER_EVENT_NOUNS for p in path[:-1]):
                    return None
                return 3.0 - 0.3 * steps
            if node.i in others:
                return None
            if node.lower_ in _OTHER_EVENT_PREPS or node.lower_ in _OTHER_EVENT_NOUNS:
                return None
            path.append(node)
            if node.head.i == node.i:
                break
            node, steps = node.head, steps + 1
        # a place fronted on a verb above the trigger: "Meanwhile in Karbala, X said ... was killed"
        node, steps = trigger, 0
        while node.head.i != node.i:
            node, steps = node.head, steps + 1
            if node.i == governor.i:
                return 1.5 - 0.1 * steps
            if node.i in others or node.lower_ in _OTHER_EVENT_PREPS or node.lower_ in _OTHER_EVENT_NOUNS:
                return None
        return None
