"""Toponym finding and resolution, datelines, and the location of one event."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pycountry
from spacy.tokens import Doc, Token

from eventwire.geo.gazetteer import Gazetteer, country_aliases, load_gazetteer
from eventwire.geo.normalize import ADMIN_WORDS, admin_key, name_key, norm
from eventwire.model import Document, EventLocation, Mention, Place, Toponym

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
_OTHER_EVENT_PREPS = frozenset({"after", "following", "before", "since", "despite", "amid"})
_OTHER_EVENT_NOUNS = frozenset({"response", "retaliation", "revenge", "reprisal"})
_CONN = r"(?:al|el|ad|an|ar|as|ash|at|az|ez|ed|es|er|bin|ibn|abu|of|de|du|la|le)"
_WORD = r"(?:[A-Z][\w]*(?:['’‘ʿ][a-z]+)*)"
_SEQ_RE = re.compile(rf"(?<![\w'’-])(?:{_CONN}-)?{_WORD}(?:(?:[ \t]|-)(?:{_CONN}[-\s])?{_WORD})*")
_POSS_RE = re.compile(r"['’]s$")
_UNIT_RE = re.compile(r"\s+(?:[Gg]overnorate|[Pp]rovince|[Dd]istrict|[Oo]blast|[Rr]egion|[Ss]tate|[Cc]ounty)\b")


_CAPITAL_RE = re.compile(r"\b([A-Z][a-z]+)(?:['’]s)? capital\b(?! (?:city )?of\b)")


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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(slots=True)
class _Cand:
    mention: Mention
    ids: tuple[int, ...]
    admin_hint: bool = False
    specific_hint: bool = False
    country_hint: str | None = None
    dateline: bool = False
    best: int | None = None
    score: float = 0.0
    scores: dict[int, float] = field(default_factory=dict)


class Geoparser:
    """Finds place mentions, resolves them against the gazetteer and places events."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = gazetteer if gazetteer is not None else load_gazetteer()
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
        ev = Counter({a3: 3.0 for a3 in country_hint})
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
        self._rank(c, Counter({a3: 3.0 for a3 in hints}), [])
        return self.gaz.place(c.best) if c.best is not None else None

    # ------------------------------------------------------------------ geoparsing
    def geoparse(self, document: Document, doc: Doc) -> list[Toponym]:
        """All place mentions in ``document`` with the places they resolve to, in text order."""
        if doc.text != document.text:
            raise ValueError(f"document {document.id!r}: spaCy doc text differs from document text")
        cands = self._find(document, doc)
        ev = self._evidence(document.text, cands)
        for c in cands:  # first pass: priors and explicit country evidence
            self._rank(c, self._without(ev, c), [])
        firm = [c for c in cands if c.best is not None]
        ev2 = Counter(ev)
        for c in firm:
            if not self.gaz.is_country(c.best):
                ev2[self.gaz.cc[c.best]] += 0.5 if len(c.ids) == 1 else 0.3
        for c in cands:  # second pass: with the other places of the document
            others = [o for o in firm if o.mention.text != c.mention.text]
            self._rank(c, self._without(ev2, c), others)
        out = []
        for c in cands:
            place = self.gaz.place(c.best) if c.best is not None else None
            out.append(Toponym(c.mention, place, round(c.score, 3)))
        return out

    def _without(self, ev: Counter, c: _Cand) -> Counter:
        """Country evidence without this mention's own contribution (leave one surface out)."""
        out = Counter(ev)
        if len(c.ids) == 1 or any(self.gaz.is_country(i) for i in c.ids):
            for i in c.ids:
                if self.gaz.is_country(i):
                    out[self.gaz.cc[i]] -= 1.0
        return out

    def _evidence(self, text: str, cands: list[_Cand]) -> Counter:
        ev: Counter = Counter()
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
            if c is not None:
                self._hints(c, doc, text)
                claim(c)
        ent_label = {}
        for ent in doc.ents:
            for k in range(ent.start_char, ent.end_char):
                ent_label[k] = ent.label_
        for m in _SEQ_RE.finditer(text):
            for start, end in self._split_possessives(m.start(), m.group()):
                self._match_sequence(text, start, end, doc, taken, ent_label, claim)
        cands.sort(key=lambda c: c.mention.start)
        return cands

    def _capital_mentions(self, text: str, taken: bytearray, claim) -> None:
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

    def _match_sequence(self, text, start, end, doc, taken, ent_label, claim) -> None:
        spans = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\s-]+(?:-[^\s-]+)*", text[start:end])]
        # words of the sequence, with "al-" style prefixes kept on their word
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
                c = self._candidate(Mention(sub, a, b, "GAZ"))
                if c is not None:
                    found = (c, j)
                    break
            if found is None:
                i += 1
                continue
            c, j = found
            label = ent_label.get(c.mention.start, "")
            self._hints(c, doc, text)
            if self._accept(c, doc, text, label):
                claim(c)
            i = j

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
        if label == "PERSON" or label == "NORP":
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

    def _hints(self, c: _Cand, doc: Doc, text: str) -> None:
        m = c.mention
        after = text[m.end : m.end + 60]
        am = re.match(r",\s*([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)", after)
        if am:
            a3 = self._country_of(am.group(1))
            if a3:
                c.country_hint = a3
        bm = re.search(r"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)['’]s\s+$", text[max(0, m.start - 40) : m.start])
        if bm:
            a3 = self._country_of(bm.group(1))
            if a3:
                c.country_hint = a3
        nm = re.match(r"\s+((?:[a-z]+\s+){0,2})([a-z]+)", after)
        if nm and nm.group(2) in SPECIFIC_NOUNS:
            c.specific_hint = True

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
            ids = admin_ids or ids
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
        return _Cand(mention, ids, admin_hint=admin_hint, specific_hint=specific)

    def _prior(self, i: int, c: _Cand) -> float:
        g = self.gaz
        fc, fcode, pop = g.fclass[i], g.fcode[i], g.pop[i]
        if fcode.startswith("PCL"):
            s = 3.0
        elif fc == "A":
            s = 1.5 + (1.5 if c.admin_hint else 0.0)
            if c.dateline:
                s -= 1.0
        elif fc == "P":
            s = 2.0 * math.log10(pop + 10) / 7.0 + (0.5 if fcode == "PPLC" else 0.0)
            if c.admin_hint:
                s -= 1.0
        else:
            s = 1.2 + (1.5 if c.specific_hint else 0.0)
        if norm(g.names[i]) == norm(c.mention.text):
            s += 0.3
        if g.src[i] == 2:  # curated for eventwire: conflict-area places
            s += 0.2
        return s

    def _rank(self, c: _Cand, ev: Counter, others: list[_Cand]) -> None:
        g = self.gaz
        total = sum(v for v in ev.values() if v > 0) or 1.0
        best, best_s = None, -1e9
        for i in c.ids:
            s = self._prior(i, c)
            cc = g.cc[i]
            s += 2.5 * max(0.0, ev.get(cc, 0.0)) / total
            if c.country_hint and cc == c.country_hint:
                s += 3.0
            if others and not g.is_country(i) and g.lat[i] == g.lat[i]:
                near = min(
                    (haversine_km(g.lat[i], g.lon[i], g.lat[o.best], g.lon[o.best])
                     for o in others if o.best is not None and not g.is_country(o.best)
                     and g.lat[o.best] == g.lat[o.best]),
                    default=1e9,
                )
                s += 1.0 if near < 200 else 0.5 if near < 500 else 0.0
            c.scores[i] = s
            if s > best_s:
                best, best_s = i, s
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
        ``loose``, else the most specific free place of its sentence; else a fallback country."""
        sent = trigger.sent
        others = {t.i for t in other_triggers if t.i != trigger.i}
        best: tuple[float, int, Toponym] | None = None
        free: list[tuple[int, int, Toponym]] = []  # places in the sentence not attached to it
        other_toks = [t for t in other_triggers if t.i != trigger.i]
        for topo in toponyms:
            if topo.place is None:
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
                    free.append((topo.place.resolution or 0, -abs(m.start - trigger.idx), topo))
                continue
            key = (score, topo.place.resolution, topo)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is not None:
            topo = best[2]
            assert topo.place is not None
            return EventLocation.from_place(topo.mention.text, topo.place)
        if loose and free:
            # the parse did not tie any place to the event (headlines, long sentences): take the
            # most specific place of the sentence that is not an actor's country or another
            # event's place
            topo = max(free, key=lambda x: x[:2])[2]
            assert topo.place is not None
            return EventLocation.from_place(topo.mention.text, topo.place)
        for a3 in fallback_countries:
            place = self.country_place(a3)
            if place is not None:
                return EventLocation.from_place(place.name, place, resolution=1)
        return None

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
