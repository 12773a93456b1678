from __future__ import annotations

import time

import pytest

from eventwire.geo import Gazetteer, haversine_km, load_gazetteer, name_key
from eventwire.geo.gazetteer import GazetteerError, default_path


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_index_is_cached_and_loads_fast(gaz):
    path = default_path()
    assert path.exists()
    t0 = time.perf_counter()
    again = Gazetteer.read(path)
    again.lookup("Kirkuk")
    assert time.perf_counter() - t0 < 1.0
    assert len(again) == len(gaz) > 250_000


def test_bad_index_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "gaz.sqlite"
    bad.write_bytes(b"not a database, not at all" * 100)
    with pytest.raises(GazetteerError, match=r"gaz\.sqlite"):
        Gazetteer.read(bad)


@pytest.mark.parametrize("a,b", [("al-Qaim", "Al Qa'im"), ("Qaim", "Al Qaim"), ("Falluja", "Fallujah"),
                                 ("Salah ad-Din", "Salah al Din"), ("ERBIL", "Erbil")])
def test_spelling_variants_share_a_key(a, b):
    assert name_key(a) == name_key(b)


def test_variants_find_the_same_town(gaz):
    ids = {gaz.place(i).geonameid for i in gaz.lookup("al-Qaim") if gaz.cc[i] == "IRQ"}
    assert ids and ids == {gaz.place(i).geonameid for i in gaz.lookup("Al Qa’im") if gaz.cc[i] == "IRQ"}


def test_countries_have_centroids_and_sources(gaz):
    iraq = gaz.place(gaz.country_id("IRQ"))
    assert iraq.feature_code == "PCLI" and haversine_km(iraq.lat, iraq.lon, 33.0, 44.0) < 400
    i = gaz.lookup("Taji")
    assert any(gaz.source(j)[0] == "eventwire" for j in i)
    assert any(gaz.source(j)[0] == "geonames" for j in gaz.lookup("Karbala"))


def test_first_order_units_have_names_and_centroids(gaz):
    babil = [gaz.place(i) for i in gaz.lookup("Babil") if gaz.fcode[i] == "ADM1"]
    assert babil and haversine_km(babil[0].lat, babil[0].lon, 32.47, 44.42) < 50
    # an ISO 3166-2 unit placed from its towns: a US state
    ga = [gaz.place(i) for i in gaz.lookup("Georgia") if gaz.cc[i] == "USA"]
    assert ga and haversine_km(ga[0].lat, ga[0].lon, 32.7, -83.4) < 250
    # towns carry their province
    assert gaz.place(max(gaz.lookup("Ramadi"), key=lambda i: gaz.pop[i])).province == "Anbar"


def test_haversine():
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.5)
    assert haversine_km(33.3, 44.4, 33.3, 44.4) == 0


def _first(gaz, name, **want):
    for i in gaz.lookup(name):
        p = gaz.place(i)
        if all(getattr(p, k) == v for k, v in want.items()):
            return p
    raise AssertionError(f"{name} {want} not in {[gaz.place(i) for i in gaz.lookup(name)]}")


@pytest.mark.parametrize("name,code,cc,lat,lon,km", [
    ("Mississippi River", "STM", "USA", 29.2, -89.3, 100),
    ("Lake Chad", "LK", "TCD", 13.0, 14.5, 150),
    ("Hindu Kush", "MTS", "AFG", 35.5, 70.0, 300),
    ("Socotra", "ISL", "YEM", 12.5, 53.9, 100),
    ("Jomo Kenyatta International Airport", "AIRP", "KEN", -1.32, 36.93, 20),
    ("Jomo Kenyatta Airport", "AIRP", "KEN", -1.32, 36.93, 20),
])
def test_features_and_airports(gaz, name, code, cc, lat, lon, km):
    p = _first(gaz, name, feature_code=code)
    assert p.country_code == cc and haversine_km(p.lat, p.lon, lat, lon) < km


def test_second_order_units_and_town_hierarchy(gaz):
    # a Kenyan county (GeoNames admin1) by its name with the unit word
    p = _first(gaz, "Turkana County", feature_code="ADM1")
    assert p.country_code == "KEN" and haversine_km(p.lat, p.lon, 3.3, 35.6) < 150
    # an admin-2 unit: a Pakistani district, a US county
    p = _first(gaz, "Swat", feature_code="ADM2", country_code="PAK")
    assert haversine_km(p.lat, p.lon, 35.2, 72.4) < 80 and p.district == p.name
    p = _first(gaz, "Cook County", feature_code="ADM2", province="Illinois")
    assert haversine_km(p.lat, p.lon, 41.8, -87.8) < 60
    # towns carry both levels
    town = _first(gaz, "Lodwar", country_code="KEN")
    assert town.province and town.resolution == 4


def test_country_points_and_continents(gaz):
    ken = gaz.place(gaz.country_id("KEN"))
    assert haversine_km(ken.lat, ken.lon, 1.0, 38.0) < 100 and ken.source == "countryinfo"
    africa = _first(gaz, "Africa", feature_code="CONT")
    assert africa.resolution == 1
    assert _first(gaz, "Darfur", feature_code="RGN").resolution == 2
    assert haversine_km(africa.lat, africa.lon, 7.2, 21.1) < 300


def test_index_records_every_source_with_its_licence(gaz):
    names = {n for n, _ in gaz.sources}
    assert {"geonames", "geonames-admin", "eventwire", "countryinfo", "airportsdata"} <= names
    assert all(lic for _, lic in gaz.sources)
    assert "CC-BY-4.0" in dict(gaz.sources)["geonames"]
