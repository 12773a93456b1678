"""Tests for the actor resolver: countries, sectors, dictionary, in-document memory."""

from __future__ import annotations

import time

import pytest

from eventwire.coding.actors import (
    ActorResolver,
    DocActors,
    expand_conjuncts,
    load_actor_dictionary,
)


@pytest.fixture(scope="module")
def res() -> ActorResolver:
    return ActorResolver()


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        ("US warplanes", "USA", "MIL"),
        ("U.S. Secretary of State", "USA", "GOV"),
        ("Iraq's Ministry of Foreign Affairs", "IRQ", "GOV"),
        ("Iraq's Joint Operations Command", "IRQ", "MIL"),
        ("Iraqi caretaker Prime Minister Adil Abdul-Mahdi", "IRQ", "GOV"),
        ("the Iran-backed Kataib Hezbollah militia", "IRQ", "PRM"),
        ("Iraqi soldiers", "IRQ", "MIL"),
        ("the US-led coalition", "USA", "MIL"),
        ("Russian Foreign Minister", "RUS", "GOV"),
        ("the Kremlin", "RUS", "GOV"),
        ("Tehran", "IRN", "GOV"),
        ("Nigerian police", "NGA", "COP"),
        ("Afghan rebels", "AFG", "REB"),
        ("Somali lawmakers", "SOM", "LEG"),
        ("Pakistan's Supreme Court", "PAK", "JUD"),
        ("Ugandan opposition leaders", "UGA", "OPP"),
        ("Colombian farmers", "COL", "AGR"),
        ("Syrian refugees", "SYR", "REF"),
        ("Egyptian journalists", "EGY", "JRN"),
        ("Kenyan students", "KEN", "EDU"),
        ("the Taliban", "AFG", "REB"),
        ("al-Shabab militants", "SOM", "REB"),
        ("Houthi rebels", "YEM", "REB"),
        ("Boko Haram", "NGA", "REB"),
        ("the PKK", "TUR", "REB"),
        ("Hezbollah lawmakers", "LBN", "LEG"),
        ("NATO troops", "IGO", "MIL"),
        ("the U.N. Security Council", "IGO", "GOV"),
        ("the European Union", "IGO", None),
        ("Islamic State fighters", "IMG", "REB"),
        ("a human rights group", "NGO", "NGO"),
        ("Kosovo", "XKX", None),
        ("the Palestinians", "PSE", "CVL"),
        ("South Korea", "KOR", None),
        ("North Korean diplomats", "PRK", "GOV"),
        ("Former prime minister Nawaz Sharif", "PAK", "ELI"),
    ],
)
def test_resolve_text(res: ActorResolver, text: str, code: str, sector: str | None) -> None:
    ctx = DocActors(default_code="PAK") if "Sharif" in text else None
    a = res.resolve_text(text, ctx)
    assert a is not None
    assert (a.code, a.sector) == (code, sector)


@pytest.mark.parametrize(
    "text",
    [
        "Iran-backed militia",
        "pro-Iranian gunmen",
        "anti-American protesters",
        "Georgia Tech",
        "Michael Jordan",
    ],
)
def test_no_country(res: ActorResolver, text: str) -> None:
    a = res.resolve_text(text)
    assert a is not None and a.code is None


def test_unknown_named_actor_keeps_text_and_sector(res: ActorResolver) -> None:
    a = res.resolve_text("the Zarqa Liberation Front rebels")
    assert a is not None and a.code is None and a.sector == "REB"
    assert a.entity_text == "the Zarqa Liberation Front rebels"


def test_default_country_for_local_actors(res: ActorResolver) -> None:
    a = res.resolve_text("a civilian worker", DocActors(default_code="IRQ"))
    assert a is not None and (a.code, a.sector) == ("IRQ", "CVL")
    assert res.resolve_text("a civilian worker").code is None


def test_bad_input(res: ActorResolver) -> None:
    with pytest.raises(TypeError, match="needs a str"):
        res.resolve_text(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="needs a spaCy Span"):
        res.resolve("US troops")  # type: ignore[arg-type]
    assert res.resolve_text("  ") is None


def test_dictionary_loads_fast_and_versioned() -> None:
    load_actor_dictionary.cache_clear()
    t = time.perf_counter()
    d = load_actor_dictionary()
    assert time.perf_counter() - t < 0.5
    assert d.version and len(d.names) > 1000


def _span(doc, text):
    i = doc.text.index(text)
    return doc.char_span(i, i + len(text), alignment_mode="expand")


def test_person_memory_through_title(nlp, res: ActorResolver) -> None:
    doc = nlp(
        "Chilean Interior Minister Ramon Fuentealba met protesters on Monday. "
        "Later, Fuentealba said the talks had failed. Gen. Arriagada of the Chilean army agreed."
    )
    ctx = DocActors()
    first = res.resolve(_span(doc, "Chilean Interior Minister Ramon Fuentealba"), ctx)
    assert (first.code, first.sector) == ("CHL", "GOV")
    later = res.resolve(_span(doc, "Fuentealba said")[:1], ctx)
    assert (later.code, later.sector) == ("CHL", "GOV")
    assert ctx.last_actor("he") is later


def test_seed_phrases_in_context(nlp, res: ActorResolver) -> None:
    doc = nlp(
        "A rocket attack on Iraq's Taji military base killed two Americans and one Briton. "
        "Head of the US Central Command Kenneth McKenzie spoke. Gen. McKenzie said more."
    )
    ctx = DocActors()
    amer = res.resolve(_span(doc, "two Americans"), ctx)
    assert (amer.code, amer.sector) == ("USA", "MIL")
    assert res.resolve(_span(doc, "one Briton"), ctx).code == "GBR"
    res.resolve(_span(doc, "Head of the US Central Command Kenneth McKenzie"), ctx)
    gen = res.resolve(_span(doc, "Gen. McKenzie"), ctx)
    assert (gen.code, gen.sector) == ("USA", "MIL")


def test_expand_conjuncts(nlp, res: ActorResolver) -> None:
    doc = nlp("US and Iraqi officials met on Sunday.")
    parts = expand_conjuncts(doc[0:4])
    got = [(a.code, a.sector) for a in (res.resolve(p) for p in parts)]
    assert got == [("USA", "GOV"), ("IRQ", "GOV")]
    doc = nlp("Three Iraqi soldiers and two police officers were killed.")
    parts = expand_conjuncts(doc[0:7])
    got = [res.resolve(p, DocActors(default_code="IRQ")) for p in parts]
    assert [(a.code, a.sector) for a in got] == [("IRQ", "MIL"), ("IRQ", "COP")]
