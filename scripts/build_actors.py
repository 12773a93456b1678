#!/usr/bin/env python3
"""Build the derived actor dictionary from the openly licensed training material.

    .venv/bin/python scripts/build_actors.py --train ../shared/train

Reads the PETRARCH2/Phoenix actor and agent dictionaries (MIT), the NGEC PLOVER agents file
(MIT) and CountryInfo (CC BY-SA 3.0) and writes three tables under
``src/eventwire/coding/data/derived/``:

- ``actor_names.tsv``: named groups, bodies and persons (alias, lookup key, code, sector, ...),
  from the Phoenix actor files (MIT).
- ``actor_places.tsv``: country name variants, demonyms, capitals, major cities and regions,
  from CountryInfo and the Phoenix country blocks (CC BY-SA 3.0, as CountryInfo contributes).
- ``actor_roles.tsv``: sector nouns ("fishermen" AGR, "cleric" REL), from the agents files (MIT).

Only structure is kept (names, aliases, codes and dates), never comments or prose.  CAMEO codes
are mapped to the project's conventions (``coding/data/README.md``): ISO 3166 alpha-3 countries
(CAMEO's own country codes translated), ``IGO`` for every intergovernmental body, ``IMG`` for
transnational militarized groups, ``NGO``, PLOVER sectors (CAMEO ``MED`` media is ``JRN``; health
is ``HLH`` as in the hand-written tables; INS/SEP are ``REB``; religions are ``REL``).

Precision comes first, since every noun phrase of every article is matched against these tables:
single-word aliases are kept only where distinctive (not a common English word, not a given
name or a surname shared by several persons, not claimed by two codes); an alias made only of
common words is matched case-sensitively ("Black Star", not "black star"); aliases that the
dictionaries themselves mark as not to be coded (``[---]``) are dropped everywhere.  Common words
are the words seen in lower case in the training side of the synthetic stories and RAMS passages
(the fixed split of ``eventwire.evaluate.trainsets``), plus the agent nouns themselves.

The output is deterministic (sorted, no timestamps).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import pycountry

from eventwire.coding.actors import _singular, tokenize
from eventwire.evaluate.trainsets import read_rams, read_synthetic

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TAGS = {
    "Phoenix.Countries.actors.txt": "phx-countries",
    "Phoenix.International.actors.txt": "phx-international",
    "Phoenix.MilNonState.actors.txt": "phx-milnonstate",
    "CountryInfo.120116.txt": "countryinfo",
    "PLOVER_agents.txt": "plover-agents",
    "Phoenix.agents.txt": "phx-agents",
}
OUT = ROOT / "src" / "eventwire" / "coding" / "data" / "derived"
VERSION = "2026.12.1"

# -- codes ---------------------------------------------------------------------------------------
ISO3 = frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}
# CAMEO country codes that are not ISO 3166 alpha-3 (or not any more)
CAMEO_COUNTRY = {
    "TMP": "TLS", "KSV": "XKX", "KOS": "XKX", "ROM": "ROU", "ZAR": "COD", "YUG": "SRB",
    "FRY": "SRB", "SCG": "SRB", "USR": "RUS", "CSK": "CZE", "ANG": "AGO", "WSB": "PSE",
    "GZS": "PSE", "BAG": "IRQ",
}  # fmt: skip
# CAMEO codes of historical states with no successor code, regions and placeholders: no country
NO_COUNTRY = frozenset(
    "DDR KNT KKL NMR WEU SEA EAF LAM CFR ASA AFR SAF EUR EEU EIN CAS WAF SAM NAF MEA SAS BLK "
    "CRB CAU EAS NMR SRP WST".split()
)
# sector chunks: CAMEO role code -> PLOVER sector as used in this project
SECTORS_CAMEO = {
    **{s: s for s in "GOV MIL COP JUD LEG OPP REB PRM SPY UAF CVL ELI BUS EDU LAB AGR REF CRM PTY NGO HLH".split()},
    "INS": "REB", "SEP": "REB", "MED": "JRN", "HRI": "NGO", "ENV": "CVL", "REL": "REL",
    "MOS": "REL",
}  # fmt: skip
# CAMEO religion codes (first level and common second level): all REL
RELIGION = frozenset(
    "MUS CHR JEW BUD HIN CTH ORT PRO SHI SUN SFI ALE DRZ MAR ATH BAH CON JAN SIK SHN TAO ZRO "
    "ITR HSD MOS".split()
)
# the PLOVER agents file uses PLOVER codes: MED is health there
SECTORS_PLOVER = {
    **{s: s for s in "GOV MIL COP JUD LEG OPP REB PRM SPY UAF CVL ELI BUS EDU LAB AGR REF CRM PTY NGO JRN REL".split()},
    "MED": "HLH", "SOC": "CVL",
}  # fmt: skip


def map_sector(chunks: Iterable[str], table: dict[str, str]) -> str | None:
    for c in chunks:
        if c in table:
            return table[c]
        if c in RELIGION:
            return "REL"
    return None


def map_code(code: str, place: bool = False) -> tuple[str | None, str | None] | None:
    """A CAMEO actor code ("AFGGOVMIL", "IGOUNOREFHCR") as (actor code, sector); None for the
    null code ``---``. ``place``: a bare country code whose second chunk may name a dependency
    ("USAASM" is American Samoa)."""
    code = code.strip().lstrip("~").upper()
    if not code or code.startswith("---"):
        return None
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
    first, rest = chunks[0], chunks[1:]
    if first == "IGO":
        return "IGO", map_sector(rest, SECTORS_CAMEO)
    if first in ("NGO", "NGM"):
        return "NGO", map_sector([c for c in rest if c not in ISO3], SECTORS_CAMEO) or "CVL"
    if first == "IMG":
        return "IMG", "REB"
    if first == "MNC":
        return "MNC", "BUS"
    country = first if first in ISO3 else CAMEO_COUNTRY.get(first)
    if country is not None:
        if place and rest and rest[0] in ISO3:
            return rest[0], None  # a dependency: GBRVGB is the British Virgin Islands
        if rest[:2] == ["GOV", "LEG"]:
            return country, "LEG"  # a legislature of the state ("National People's Congress")
        return country, map_sector(rest, SECTORS_CAMEO)
    if first in NO_COUNTRY:
        return None, map_sector(rest, SECTORS_CAMEO)
    return None, map_sector(chunks, SECTORS_CAMEO)


# -- dates ---------------------------------------------------------------------------------------
def parse_date(s: str) -> str | None:
    """TABARI dates: YYMMDD (two-digit years, 30-99 are 1900s) or YYYYMMDD, as YYYY-MM-DD."""
    s = s.strip()
    if not s.isdigit():
        return None
    if len(s) == 6:
        yy = int(s[:2])
        s = ("19" if yy >= 30 else "20") + s
    if len(s) != 8:
        return None
    y, m, d = int(s[:4]), int(s[4:6]), int(s[6:])
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{min(d, 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31):02d}"


@dataclass(slots=True)
class Role:
    code: str
    start: str | None = None
    end: str | None = None
    dated: bool = False


_CODE_RE = re.compile(r"\[([^\]]*)\]")


def parse_roles(text: str) -> list[Role]:
    out = []
    for m in _CODE_RE.finditer(text):
        body = m.group(1).strip()
        if not body or body.startswith(("B:", "D:")):
            continue
        parts = body.split(None, 1)
        role = Role(parts[0])
        if len(parts) > 1:
            d = parts[1].replace(" ", "")
            role.dated = True
            if d.startswith(">"):
                role.start = parse_date(d[1:])
            elif d.startswith("<"):
                role.end = parse_date(d[1:])
            elif "-" in d:
                a, _, b = d.partition("-")
                role.start, role.end = parse_date(a), parse_date(b)
        out.append(role)
    return out


def current_role(roles: list[Role]) -> Role | None:
    """The role in force after the last dated one: an open-ended role (">date"), else the undated
    fallback (TABARI codes an undated role outside every dated range), else the latest dated."""
    usable = [r for r in roles if map_code(r.code) is not None]
    if not usable:
        return None
    open_ended = [r for r in usable if r.dated and r.start and not r.end]
    if open_ended:
        return max(open_ended, key=lambda r: r.start or "")
    dated = [r for r in usable if r.dated]
    undated = [r for r in usable if not r.dated]
    if undated:
        last_end = max((r.end or "" for r in dated), default="")
        return Role(undated[-1].code, last_end or None, None, False)
    return max(dated, key=lambda r: (r.end or "", r.start or ""))


# -- names ---------------------------------------------------------------------------------------
# capitalized in news, yet no more distinctive in a group's name than a common word ("Army of God")
SACRED_WORDS = frozenset({"god", "allah", "islam", "jesus", "christ", "prophet", "lord"})
CODE_WORDS = frozenset({"NGO", "NGOS", "MNC", "MNCS", "IGO", "IGOS", "IMG"})
SMALL = frozenset("of the and for in on to at by de du des del la le el da di van von der bin".split())
ORG_WORDS = frozenset(
    """organization organisation army front party council union committee agency ministry fund
    bank group movement brigade brigades forces force league association alliance federation
    institute commission court tribunal assembly congress parliament society foundation
    corporation company network mission office center centre service services program programme
    coalition guard guards corps militia cell cells nuclei nucleus faction order jihad
    revolutionary liberation national international united world islamic""".split()
)


def split_phrase(raw: str) -> tuple[str, list[str]]:
    """A TABARI phrase ("ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_") as a plain upper-case name and the
    acronyms given in parentheses."""
    s = raw.strip().rstrip("_").strip()
    acronyms: list[str] = []
    if re.search(r"[\x00-\x1f\x7f\ufffd]", s):
        return "", []  # a name damaged in the source's encoding

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1).strip("_ ")
        if re.fullmatch(r"[A-Z]{3,7}", inner):
            acronyms.append(inner)
        return " "

    s = re.sub(r"\(([^)]*)\)", paren, s)
    s = s.replace("_", " ")
    s = re.sub(r"\s+", " ", s).strip(" -,")
    return s, acronyms


def title(name: str, acronyms: frozenset[str]) -> str:
    words = []
    for i, w in enumerate(name.split(" ")):
        lw = w.lower()
        if w in acronyms or (1 < len(w) <= 5 and w.isalpha() and w.isupper() and not re.search(r"[AEIOUY]", w)):
            words.append(w)
        elif i > 0 and lw in SMALL:
            words.append(lw)
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in lw.split("-")))
    out = " ".join(words)
    return re.sub(r"\b(Al|El)-", lambda m: m.group(1).lower() + "-", out) if not out.startswith(("Al-", "El-")) else out


def key_of(alias: str, cased: bool) -> str:
    toks = tokenize(alias)
    return " ".join(t.text if cased else t.key for t in toks)


# -- readers -------------------------------------------------------------------------------------
@dataclass
class Record:
    names: list[str]  # upper-case plain names, primary first
    acronyms: list[str]
    roles: list[Role]
    source: str
    countryinfo: bool = False  # the file marks it as taken from CountryInfo (persons)
    place_block: bool = False  # a country block of the Countries file


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def read_tabari(path: Path, source: str) -> Iterator[Record]:
    cur: Record | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        marker = "countryinfo.txt" in raw.lower()
        line = _strip_comment(raw)
        if not line.strip():
            continue
        if line[0] in " \t":
            if cur is not None:
                cur.roles += parse_roles(line)
            continue
        if line.startswith("+"):
            if cur is not None:
                for part in line[1:].split("+"):
                    name, acr = split_phrase(_CODE_RE.sub("", part))
                    if name:
                        cur.names.append(name)
                    cur.acronyms += acr
                    cur.roles += parse_roles(part)
            continue
        if cur is not None:
            yield _mark_place(cur)
        head = _CODE_RE.split(line, 1)[0]
        name, acr = split_phrase(head)
        roles = parse_roles(line)
        cur = Record([name] if name else [], acr, roles, source, countryinfo=marker)
    if cur is not None:
        yield _mark_place(cur)


def _mark_place(rec: Record) -> Record:
    """A country block: every code a bare country (or country + dependency), no sector."""
    mapped = [map_code(r.code, place=True) for r in rec.roles]
    rec.place_block = (
        bool(mapped)
        and all(
            m is not None and (m[0] is None or m[0] in ISO3) and m[1] is None and len(r.code) in (3, 6)
            for m, r in zip(mapped, rec.roles, strict=True)
        )
        and any(m is not None and m[0] in ISO3 for m in mapped)
    )
    return rec


@dataclass
class CountryInfo:
    code: str
    name: str
    nationality: list[str] = field(default_factory=list)
    capital: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)


def read_countryinfo(path: Path) -> list[CountryInfo]:
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    out = []
    for block in re.findall(r"<Country>(.*?)</Country>", text, flags=re.S):
        code_m = re.search(r"<CountryCode>\s*\[?([A-Z]{3,6})", block)
        name_m = re.search(r"<CountryName>([^<]*)</CountryName>", block)
        if not code_m:
            continue
        m = map_code(code_m.group(1), place=True)
        if m is None or m[0] is None or len(m[0]) != 3 or m[0] not in ISO3:
            continue
        ci = CountryInfo(m[0], split_phrase(name_m.group(1))[0] if name_m else "")

        def field_lines(tag: str, block: str = block) -> list[str]:
            fm = re.search(rf"<{tag}>(.*?)</{tag}>", block, flags=re.S)
            if not fm:
                return []
            names = []
            for line in fm.group(1).splitlines():
                line = _CODE_RE.sub("", _strip_comment(line)).strip()
                if line and not line.startswith("<"):
                    names.append(split_phrase(line)[0])
            return [n for n in names if n]

        ci.nationality = field_lines("Nationality")
        ci.capital = field_lines("Capital")
        ci.cities = field_lines("MajorCities")
        ci.regions = field_lines("Regions")
        out.append(ci)
    return out


_SUBST_RE = re.compile(r"^!(\w+)!\s*=\s*(.+)$")


def read_agents(path: Path, table: dict[str, str]) -> list[tuple[str, tuple[str, ...]]]:
    """(term, sectors) pairs, lower case, with ``!PERSON!``-style substitutions expanded and
    explicit plurals in braces added; sectors are every code of the entry that maps to one
    ("CVLOPP": CVL, OPP), in order."""
    subst: dict[str, list[str]] = {}
    out: list[tuple[str, tuple[str, ...]]] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = _strip_comment(raw).strip()
        if not line:
            continue
        sm = _SUBST_RE.match(line)
        if sm:
            subst[sm.group(1)] = [w.strip() for w in sm.group(2).split(",") if w.strip()]
            continue
        cm = _CODE_RE.search(line)
        if not cm:
            continue
        body = cm.group(1).strip()
        if not body.startswith("~"):
            continue
        chunks = [body[1 + i : 4 + i] for i in range(0, len(body) - 1, 3)]
        sectors = tuple(dict.fromkeys(x for x in (map_sector([c], table) for c in chunks) if x))
        if not sectors or map_sector(chunks[:1], table) is None:
            continue  # JNK, NON, UNK, IGO...: not a sector noun
        phrase = line[: cm.start()]
        plurals = re.findall(r"\{([^}]*)\}", phrase)
        phrase = re.sub(r"\{[^}]*\}", " ", phrase).strip()
        forms = [phrase] + [p.strip() for p in plurals if p.strip()]
        for form in forms:
            for expanded in _expand(form, subst):
                term = re.sub(r"\s+", " ", expanded.replace("_", " ")).strip(" -").lower()
                term = term.removeprefix("the ")
                if not term or not re.search(r"[a-z]", term):
                    continue
                if re.search(r"\bminist\b", term):  # a stem in the source: minister, ministry
                    out += [(re.sub(r"\bminist\b", w, term), sectors) for w in ("minister", "ministry")]
                else:
                    out.append((term, sectors))
    return out


def _expand(form: str, subst: dict[str, list[str]]) -> list[str]:
    m = re.search(r"!(\w+)!", form)
    if not m or m.group(1) not in subst:
        return [form.replace("!", "")]
    if m.start() > 0 and form[m.start() - 1].isalpha() and m.end() < len(form) and form[m.end()].isalpha():
        return _expand(form[: m.start()] + m.group(1) + form[m.end() :], subst)  # "AD!MINIST!RATION"
    return [x for w in subst[m.group(1)] for x in _expand(form[: m.start()] + w + form[m.end() :], subst)]


def hand_country_words() -> dict[str, str]:
    """Country names and demonyms of the hand-written table (upper case): they decide."""
    out = {}
    path = ROOT / "src" / "eventwire" / "coding" / "data" / "actor_countries.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t") + ["", "", ""]
        for n in cols[1].split("|") + cols[2].split("|"):
            if len(n) >= 4:
                out[n.upper()] = cols[0]
    return out


def hand_roles() -> dict[str, str]:
    """Single role words of the hand-written table and their sectors."""
    out = {}
    path = ROOT / "src" / "eventwire" / "coding" / "data" / "actor_roles.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 2 or " " in cols[0]:
            continue
        out[cols[0].strip().lower()] = cols[1].strip()
    return out


# -- commonness ----------------------------------------------------------------------------------
_WORD_RE = re.compile(r"[A-Za-z][a-z'-]*")


def common_words(train: Path) -> set[str]:
    """Words seen in lower case at least twice in the training side of the synthetic stories and
    the RAMS passages: English words, as opposed to names."""
    counts: Counter[str] = Counter()
    texts = [d.document.text for d in read_synthetic(train / "ngec_synthetic", "train")]
    texts += [d.document.text for d in read_rams(train / "rams", "train")]
    for text in texts:
        for w in _WORD_RE.findall(text):
            if w.islower():
                counts[w] += 1
    return {w for w, n in counts.items() if n >= 2}


def cap_styles(train: Path) -> tuple[Counter[str], Counter[str]]:
    """How often each word is written ALL CAPS and Capitalized in running training text."""
    upper: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    texts = [d.document.text for d in read_synthetic(train / "ngec_synthetic", "train")]
    texts += [d.document.text for d in read_rams(train / "rams", "train")]
    for text in texts:
        for w in re.findall(r"\b[A-Za-z]{2,}\b", text):
            if w.isupper():
                upper[w] += 1
            elif w[0].isupper():
                capital[w.upper()] += 1
    return upper, capital


# -- building ------------------------------------------------------------------------------------
@dataclass(slots=True)
class Row:
    alias: str
    key: str
    cased: bool
    code: str | None
    sector: str | None
    ident: str
    kind: str
    start: str | None
    end: str | None
    history: str
    source: str


class Builder:
    def __init__(self, train: Path) -> None:
        self.train = train
        self.common = common_words(train)
        self.upper, self.capital = cap_styles(train)
        self.blocked: set[str] = set()  # keys the dictionaries mark as not to be coded
        self.place_names: set[str] = set()  # upper-case names of countries and places
        self.country_words: dict[str, str] = {}  # upper-case country names and demonyms -> code
        self.given: Counter[str] = Counter()  # first tokens of persons' names (given names)

    def is_common(self, word: str) -> bool:
        return word.lower() in self.common or word.lower() in SACRED_WORDS

    def country_named(self, names: list[str]) -> str | None:
        """The one country that a group's names mention ("Popular Front for the Liberation of
        Palestine"), or None."""
        found: set[str] = set()
        for n in names:
            toks = n.split()
            for i in range(len(toks)):
                for j in range(i + 1, min(len(toks), i + 4) + 1):
                    code = self.country_words.get(" ".join(toks[i:j]))
                    if code:
                        found.add(code)
        return found.pop() if len(found) == 1 else None

    def acronym_ok(self, acronym: str, names: list[str]) -> bool:
        """A parenthesised token is an acronym of the name, not a qualifier ("(GREECE)")."""
        if acronym.lower() in self.common or acronym in self.place_names:
            return False
        initials = ["".join(w[0] for w in n.replace("-", " ").split() if w.lower() not in SMALL) for n in names]
        return any(acronym in i for i in initials) or len(acronym) <= 4 or not re.search(r"[AEIOU]", acronym[1:])

    def is_acronym(self, word: str) -> bool:
        """An all-caps token from the all-caps source: an acronym if news writes it in capitals."""
        if not word.isalpha():
            return False
        up, cap = self.upper[word], self.capital[word]
        if up or cap:
            return up > cap
        return len(word) <= 3 or not re.search(r"[AEIOUY]", word[1:])


# words of titles written before a person's name in the source's aliases ("U.S. President ...")
TITLE_WORDS = frozenset(
    """the former acting deputy vice first prime foreign defense defence interior finance chief
    supreme mr mrs ms dr sir dame un u.n. us u.s. state general secretary-general secretary gen
    col lt maj capt sgt adm president minister premier chancellor king queen prince emir sheikh
    ambassador envoy governor senator judge justice chairman leader commander""".split()
)


def strip_title(b: Builder, name: str) -> str:
    """A person's alias without the titles before the name, so that the phrase's own title
    decides the sector; "" where a title stands inside the name."""
    toks = name.split()
    while toks and (toks[0].lower().rstrip(".") in TITLE_WORDS or toks[0].lower() in TITLE_WORDS or toks[0] in b.place_names):
        toks = toks[1:]
    if any(t.lower().rstrip(".") in TITLE_WORDS for t in toks):
        return ""
    return " ".join(toks)


def _kind_of(b: Builder, rec: Record, name: str) -> str:
    words = set(name.lower().replace("-", " ").split())
    if words & ORG_WORDS or len(words) == 1:
        return "organization"
    if rec.countryinfo or any(r.dated for r in rec.roles):
        return "person"
    if any(b.is_common(w) for w in words if w not in SMALL):
        return "organization"  # "Drug Enforcement Administration"
    return "person"


def history_text(roles: list[Role]) -> str:
    parts = []
    for r in roles:
        m = map_code(r.code)
        if m is None:
            continue
        code, sector = m
        rng = f"{r.start or ''}..{r.end or ''}" if r.dated else ""
        parts.append(f"{code or '-'}/{sector or '-'}/{rng}")
    return ";".join(parts)


def build_names(b: Builder, records: list[Record]) -> list[Row]:
    # tokens of person names: given names (first tokens) and how many persons share each token
    persons = [r for r in records if not r.place_block and r.names and _kind_of(b, r, r.names[0]) == "person"]
    given = b.given
    shared: Counter[str] = Counter()
    for r in persons:
        seen: set[str] = set()
        for n in r.names:
            toks = n.split()
            if len(toks) >= 2:
                given[toks[0]] += 1
            seen.update(toks)
        shared.update(seen)

    rows: list[Row] = []
    for rec in records:
        if rec.place_block or not rec.names:
            continue
        role = current_role(rec.roles)
        if role is None:
            if rec.roles and all(map_code(r.code) is None for r in rec.roles):
                for n in rec.names:
                    b.blocked.add(key_of(n, False))
            continue
        mapped = map_code(role.code)
        assert mapped is not None
        code, sector = mapped
        if code is None:
            code = b.country_named(rec.names)  # "Kosovo Liberation Army" coded to a region: XKX
        if code is None and sector is None:
            continue
        primary = rec.names[0]
        kind = _kind_of(b, rec, primary)
        acr_set = frozenset(a for n in rec.names for a in n.split() if b.is_acronym(a)) | frozenset(rec.acronyms)
        ident = title(primary, acr_set)
        history = history_text(rec.roles) if any(r.dated for r in rec.roles) else ""
        names = [strip_title(b, n) for n in rec.names] if kind == "person" else rec.names
        aliases = [(n, False) for n in names if n]
        aliases += [(a, True) for a in rec.acronyms if b.acronym_ok(a, rec.names)]
        for name, is_acr in aliases:
            name = re.sub(r"^THE ", "", name)
            toks = name.split()
            if not toks:
                continue
            if len(toks) == 1:
                w = toks[0]
                if is_acr or b.is_acronym(w):
                    if len(w) < 3:
                        continue
                    alias, cased = w, True
                else:
                    if len(w) < 4 or b.is_common(w) or given[w] >= 1 or shared[w] >= 2:
                        continue
                    alias, cased = title(w, acr_set), False
            else:
                if kind == "person" and len(toks) == 2 and all(shared[t] >= 3 for t in toks):
                    continue  # "Mohammad Ali": two common name parts, many people
                alias = title(name, acr_set)
                words = [t for t in re.split(r"[\s-]+", name) if t]
                cased = all(b.is_common(t) or t.lower() in SMALL for t in words)
                if cased and len(words) <= 3 and sum(t.lower() not in SMALL for t in words) <= 1:
                    continue  # "Youth", "The Group": one content word, nothing distinctive
            key = key_of(alias, cased)
            if not key or alias.upper() in CODE_WORDS:
                continue
            rows.append(
                Row(alias, key, cased, code, sector, ident, kind, role.start, role.end, history, rec.source)
            )
    return rows


DEMONYM_ENDINGS = ("an", "ian", "ese", "i", "ish", "ic", "ch", "er", "ot", "ote", "ene", "ean", "ine", "ite")


def _nationality_kind(name: str, country: str) -> str:
    """CountryInfo's <Nationality> mixes country name variants and demonyms: tell them apart."""
    n, c = name.lower(), country.lower()
    if n.startswith(c) and n[len(c) :] in ("n", "an", "ian", "ese", "i", "er", "ish", "ic", "ite"):
        return "demonym"  # "Andorran", "New Zealander"
    if SequenceMatcher(None, n, c).ratio() >= 0.75:
        return "country"  # spelling variants: "Afganistan", "Portugalsko"
    if " " not in n and n.endswith(DEMONYM_ENDINGS):
        return "demonym"
    return "country"


def build_places(b: Builder, infos: list[CountryInfo], records: list[Record]) -> list[Row]:
    cands: list[tuple[str, str, str, str, str]] = []  # (upper name, code, kind, ident, source)
    idents = {}
    for ci in infos:
        ident = title(ci.name, frozenset()) if ci.name else ci.code
        idents[ci.code] = ident
        for n in ci.nationality:
            cands.append((n, ci.code, _nationality_kind(n, ci.name), ident, "countryinfo"))
        for n in ci.capital:
            cands.append((n, ci.code, "capital", ident, "countryinfo"))
        for n in ci.cities:
            cands.append((n, ci.code, "city", ident, "countryinfo"))
        for n in ci.regions:
            cands.append((n, ci.code, "region", ident, "countryinfo"))
    known = {c[0] for c in cands}
    for rec in records:
        if not rec.place_block:
            continue
        role = current_role(rec.roles)
        m = map_code(role.code, place=True) if role else None
        if m is None or m[0] is None:
            continue
        code = m[0]
        if code not in ISO3:
            continue
        ident = idents.get(code) or title(rec.names[0], frozenset())
        for i, n in enumerate(rec.names):
            if n in known:
                continue
            kind = "country" if i == 0 else "region"
            cands.append((n, code, kind, ident, rec.source))
    # an alias claimed by two countries is dropped, unless only one names the country itself
    by_name: dict[str, set[str]] = defaultdict(set)
    strong_by_name: dict[str, set[str]] = defaultdict(set)
    for n, code, kind, _i, _s in cands:
        by_name[n].add(code)
        if kind in ("country", "demonym", "capital"):
            strong_by_name[n].add(code)
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for n, code, kind, ident, source in cands:
        codes = by_name[n]
        if len(codes) > 1 and not (len(strong_by_name[n]) == 1 and code in strong_by_name[n]):
            continue
        if len(codes) > 1 and kind not in ("country", "demonym", "capital"):
            continue
        name = re.sub(r"^THE ", "", n)
        toks = name.split()
        if not toks:
            continue
        if name in PLACE_STOPLIST:
            continue
        if "KOSOV" in name:
            code = "XKX"  # the project codes Kosovo XKX (CountryInfo files it under Serbia)
        if len(toks) == 1:
            w = toks[0]
            if "." in w or (len(w) <= 3 and w.isupper()):
                if len(w.replace(".", "")) < 2:
                    continue
                alias, cased = w, True  # "U.S.", "UAE"
            elif len(w) < 4 or b.is_common(w) or (kind in ("city", "region") and b.given[w] >= 2):
                continue  # "Split", "Constantine"
            else:
                alias, cased = title(w, frozenset()), False
        else:
            alias = title(name, frozenset())
            words = [t for t in re.split(r"[\s-]+", name) if t]
            cased = all(b.is_common(t) or t.lower() in SMALL for t in words)
            if cased and kind in ("city", "region"):
                continue  # "Silver State", "Black River": nicknames and features made of common words
        key = key_of(alias, cased)
        if not key or (key, code) in seen:
            continue
        seen.add((key, code))
        rows.append(Row(alias, key, cased, code, None, ident, kind, None, None, "", source))
        if kind == "demonym" and not cased and " " not in alias:
            plural = alias + "s" if not alias.endswith(("s", "sh", "ch", "ese", "x", "z")) else None
            if alias.endswith("man"):
                plural = alias[:-3] + "men"
            if plural:
                pk = key_of(plural, False)
                if (pk, code) not in seen:
                    seen.add((pk, code))
                    rows.append(Row(plural, pk, False, code, None, ident, kind, None, None, "", source))
    return rows


# place aliases that are more often something else ("Roma": the people, not Rome)
PLACE_STOPLIST = frozenset({"ROMA"})
# words from the agents files that are too generic or too often something else to decide a sector
ROLE_STOPLIST = frozenset(
    """state national federal public local government's official people person man men woman women
    member group power party head chief leader spokesman spokeswoman spokesperson spokesmen
    spokeswomen representative force forces unit units crew staff agent agents body source sources
    capital deputy diet carrier telecom governance religion uprising revolt rebellion insurgence
    term settlement community constituent representatives delegate delegates""".split()
)
# adjectives and place nouns: a sector only where no stronger word is in the phrase
ROLE_WEAK = frozenset(
    """islamic islamist jewish muslim moslem christian hindu buddhist shia shiite sunni hebrew
    maronite anglican unitarian city town village province neighborhood neighbourhood community
    settlement population poor ordinary native naturalized family individuals state-owned
    semi-official retired suspect""".split()
)


def build_roles(b: Builder) -> list[tuple[str, str, str, str, str]]:
    plover = read_agents(b.train / "ngec_synthetic" / "PLOVER_agents.txt", SECTORS_PLOVER)
    phoenix = read_agents(b.train / "petrarch2" / "Phoenix.agents.txt", SECTORS_CAMEO)
    hand = hand_roles()

    def pick(term: str, sectors: tuple[str, ...]) -> str:
        """One sector for a compound code: the one the hand-written table gives a word of the
        term (the last word first: "opposition leader" CVLOPP is OPP), else the first."""
        words = term.split()
        for w in [words[-1], *words[:-1]]:
            for form in _singular(w):
                if hand.get(form) in sectors:
                    return hand[form]
        return sectors[0]

    chosen: dict[str, tuple[str, str]] = {}
    for rows, source in ((plover, "plover-agents"), (phoenix, "phx-agents")):
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for term, sectors in rows:
            votes[term][pick(term, sectors)] += 1
        for term, c in votes.items():
            if term in chosen:
                continue  # the PLOVER agents file (PLOVER codes) decides first
            top = c.most_common()
            if len(top) > 1 and top[0][1] == top[1][1]:
                continue  # the file itself disagrees
            chosen[term] = (top[0][0], source)
    out = []
    for term, (sector, source) in chosen.items():
        words = term.split()
        if term in ROLE_STOPLIST or (len(words) == 1 and len(term) < 3):
            continue
        strength = "weak" if term in ROLE_WEAK else "strong"
        out.append((term, key_of(term, False), sector, strength, source))
    return sorted(out)


# -- writing -------------------------------------------------------------------------------------
def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def write_table(path: Path, header: list[str], columns: list[str], rows: list[list[str]]) -> None:
    lines = [f"# {h}" if h else "#" for h in header]
    lines.append("\t".join(columns))
    lines += ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", type=Path, default=ROOT.parent / "shared" / "train")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    train: Path = args.train
    p2 = train / "petrarch2"
    name_files = [p2 / "Phoenix.Countries.actors.txt", p2 / "Phoenix.International.actors.txt", p2 / "Phoenix.MilNonState.actors.txt"]
    agent_files = [train / "ngec_synthetic" / "PLOVER_agents.txt", p2 / "Phoenix.agents.txt"]
    countryinfo = train / "countryinfo" / "CountryInfo.120116.txt"
    for f in [*name_files, *agent_files, countryinfo]:
        if not f.is_file():
            print(f"build_actors: {f}: missing (give --train the training folder)", file=sys.stderr)
            return 2
    b = Builder(train)
    records = [rec for f in name_files for rec in read_tabari(f, SOURCE_TAGS[f.name])]
    infos = read_countryinfo(countryinfo)
    for ci in infos:
        b.place_names.update([ci.name, *ci.nationality, *ci.capital, *ci.cities, *ci.regions])
    for rec in records:
        if rec.place_block:
            b.place_names.update(rec.names)
    country_words: dict[str, set[str]] = defaultdict(set)
    for ci in infos:
        for n in [ci.name, *ci.nationality]:
            country_words[re.sub(r"^THE ", "", n)].add(ci.code)
    b.country_words = {n: next(iter(c)) for n, c in country_words.items() if len(c) == 1 and len(n) >= 4}
    b.country_words.update(hand_country_words())
    for c in pycountry.countries:
        b.place_names.update(n.upper() for n in (c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")) if n)
    name_rows = build_names(b, records)
    place_rows = build_places(b, infos, records)
    role_rows = build_roles(b)

    # an alias claimed by two different actors is ambiguous: drop it; blocked aliases everywhere
    claims: dict[tuple[str, bool], set[tuple[str | None, str | None]]] = defaultdict(set)
    for r in name_rows:
        claims[(r.key, r.cased)].add((r.code, r.sector) if r.kind != "person" else (r.code, r.ident))
    place_keys = {(r.key, r.cased) for r in place_rows} | {(key_of(n, False), False) for n in b.place_names}
    name_rows = [
        r
        for r in name_rows
        if len(claims[(r.key, r.cased)]) == 1 and r.key not in b.blocked and (r.key, r.cased) not in place_keys
    ]
    place_rows = [r for r in place_rows if r.key not in b.blocked]
    role_keys = {key_of(t, False) for t, *_ in role_rows}
    place_rows = [r for r in place_rows if r.key not in role_keys]
    name_rows = [r for r in name_rows if r.key not in role_keys]

    def dedup(rows: list[Row]) -> list[Row]:
        seen: set[tuple[str, bool]] = set()
        out = []
        for r in sorted(rows, key=lambda r: (r.key, r.cased, r.code or "", r.sector or "", r.ident)):
            if (r.key, r.cased) in seen:
                continue
            seen.add((r.key, r.cased))
            out.append(r)
        return out

    name_rows, place_rows = dedup(name_rows), dedup(place_rows)
    args.out.mkdir(parents=True, exist_ok=True)
    commit = "676801c"
    mit = f"petrarch2 @{commit} (openeventdata/petrarch2, MIT, Copyright (c) 2014 Open Event Data Alliance)"
    sums = {f.name: _sha(f) for f in [*name_files, *agent_files, countryinfo]}
    cols = ["alias", "key", "case", "code", "sector", "identifier_text", "kind", "start", "end", "roles", "source"]

    def row_cells(r: Row) -> list[str]:
        return [
            r.alias, r.key, "s" if r.cased else "i", r.code or "", r.sector or "", r.ident, r.kind,
            r.start or "", r.end or "", r.history, r.source,
        ]  # fmt: skip

    common_header = [
        f"version {VERSION}. Generated by scripts/build_actors.py; do not edit by hand (edit the hand-written tables one folder up, which take precedence).",
        "Columns: alias (display form); key (tokens as the resolver matches them); case (i: case-insensitive, s: case-sensitive);",
        "code (ISO 3166 alpha-3, IGO, IMG, NGO, MNC); sector (PLOVER, project conventions); identifier_text; kind; start/end (ISO dates of the role coded, if dated);",
        "roles (every dated role: code/sector/start..end); source: " + ", ".join(f"{v} = {k}" for k, v in SOURCE_TAGS.items()) + ".",
    ]
    write_table(
        args.out / "actor_names.tsv",
        [
            "eventwire derived actor names: groups, bodies and persons, " + common_header[0],
            f"Source: Phoenix.Countries.actors.txt, Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt from {mit}.",
            "Licence of this table: MIT (the source's). Only names, aliases, codes and dates are kept. Source sha256: "
            + ", ".join(f"{k} {v}" for k, v in sums.items() if k.startswith("Phoenix.") and "agents" not in k),
            *common_header[1:],
        ],
        cols,
        [row_cells(r) for r in name_rows],
    )
    write_table(
        args.out / "actor_places.tsv",
        [
            "eventwire derived actor places: country name variants, demonyms, capitals, major cities and regions, " + common_header[0],
            "Sources: CountryInfo.120116.txt from openeventdata/CountryInfo @07c9c54 (Philip A. Schrodt and contributors, CC BY-SA 3.0);",
            f"country blocks of Phoenix.Countries.actors.txt from {mit}.",
            "Licence of this table: CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/), as CountryInfo contributes. Source sha256: "
            + ", ".join(f"{k} {v}" for k, v in sums.items() if k.startswith(("CountryInfo", "Phoenix.Countries"))),
            *common_header[1:],
        ],
        cols,
        [row_cells(r) for r in place_rows],
    )
    write_table(
        args.out / "actor_roles.tsv",
        [
            f"eventwire derived actor role words (sector nouns), version {VERSION}. Generated by scripts/build_actors.py; do not edit by hand.",
            "Sources: PLOVER_agents.txt from ahalterman/NGEC-2025 @a3909e2 (MIT, Copyright (c) 2014 Open Event Data Alliance; PLOVER codes, MED read as health);",
            f"Phoenix.agents.txt from {mit} (CAMEO codes: MED media read as JRN, HLH health, religions as REL). Licence of this table: MIT.",
            "Source sha256: " + ", ".join(f"{k} {v}" for k, v in sums.items() if "agents" in k),
            "Columns: term (lower case); key (tokens as the resolver matches them); sector (PLOVER, project conventions);",
            "strength (as in ../actor_roles.tsv); source: plover-agents = PLOVER_agents.txt, phx-agents = Phoenix.agents.txt.",
        ],
        ["term", "key", "sector", "strength", "source"],
        [list(r) for r in role_rows],
    )
    kinds = Counter(r.kind for r in name_rows + place_rows)
    print(
        f"actor_names.tsv: {len(name_rows)} aliases; actor_places.tsv: {len(place_rows)} aliases; "
        f"actor_roles.tsv: {len(role_rows)} terms; kinds: {dict(sorted(kinds.items()))}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
