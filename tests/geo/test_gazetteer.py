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
    assert time.perf_counter() - t0 < 1.5
    assert len(again) == len(gaz) > 200_000


def test_bad_index_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "gaz.pkl"
    bad.write_bytes(b"not a pickle")
    with pytest.raises(GazetteerError, match="gaz.pkl"):
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
