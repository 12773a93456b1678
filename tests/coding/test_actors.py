"""Tests for the actor resolver: countries, sectors, dictionary, in-document memory."""

from __future__ import annotations

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
    a = res.resolve_text("the Qarvath Liberation Front rebels")
    assert a is not None and a.code is None and a.sector == "REB"
    assert a.entity_text == "the Qarvath Liberation Front rebels"


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


def test_dictionary_versioned() -> None:
    # load time is measured by benchmarks/actor_dictionary.py, not asserted here
    d = load_actor_dictionary()
    assert d.version and d.derived_version
    assert len(d.names) > 20000 and len(d.roles) > 2000


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


# -- the derived dictionary (scripts/build_actors.py, data/derived/) ---------------------------


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        # named armed groups, security services and bodies of many countries
        ("EZLN guerrillas", "MEX", "REB"),
        ("Jemaah Islamiyah", "IMG", "REB"),
        ("the Ogaden National Liberation Front", None, "REB"),
        ("FSB officers", "RUS", "SPY"),
        ("the Army of God", "USA", "REB"),
        ("SAARC", "IGO", None),
        ("UNHCR staff", "IGO", "REF"),
        # NGOs
        ("Cordaid", "NGO", "CVL"),
        ("Sightsavers", "NGO", "HLH"),
        # ministers and other persons with dated roles: the latest role's code and sector
        ("Mousa Kousa", "LBY", "GOV"),
        ("Davutoglu", "TUR", "GOV"),
        ("Defense Minister Abdul Rahim Wardak", "AFG", "GOV"),
        # a title in the phrase decides over a person's (possibly stale) recorded role
        ("opposition leader Rangin Dadfar Spanta", "AFG", "OPP"),
        ("former Foreign Minister Rangin Dadfar Spanta", "AFG", "ELI"),
        # cities, provinces and regions give the actor's country
        ("Kandahar police", "AFG", "COP"),
        ("a Mosul resident", "IRQ", "CVL"),
        ("Benghazi militias", "LBY", "PRM"),
        ("Darfur rebels", "SDN", "REB"),
        ("Chittagong dock workers", "BGD", "LAB"),
        ("Andorran police", "AND", "COP"),
        ("Kandahar's governor", "AFG", "GOV"),
        # sector nouns, singular, plural and possessive
        ("fishermen", None, "AGR"),
        ("a fisherman's boat", None, "AGR"),
        ("bandits", None, "CRM"),
        ("herdsmen", None, "AGR"),
        ("paramedics", None, "HLH"),
        ("carjackers", None, "CRM"),
        ("headmasters", None, "EDU"),
        ("an imam", None, "REL"),
        ("opposition leaders", None, "OPP"),
    ],
)
def test_derived_entries(res: ActorResolver, text: str, code: str | None, sector: str | None) -> None:
    a = res.resolve_text(text)
    assert a is not None
    assert (a.code, a.sector) == (code, sector)


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Rice",  # a surname that is a common word is no actor by itself
        "Victoria",  # a capital that is also a given name
        "an angry brigade of soldiers",  # "Angry Brigade" only when written as a name
        "direct action by workers",  # "Direct Action" likewise
        "the army of god",
        "youth",  # an alias in the source that is a common word
        "Georgia Tech",
    ],
)
def test_derived_precision(res: ActorResolver, text: str) -> None:
    a = res.resolve_text(text)
    assert a is not None and a.code is None


def test_hand_tables_take_precedence() -> None:
    d = load_actor_dictionary()
    hand = load_actor_dictionary(derived=False)
    # the derived agents files call militants and militias UAF; the hand table says REB / PRM
    assert d.role(["militants"]) == hand.role(["militants"]) == ("REB", True)
    assert d.role(["militia"]) == hand.role(["militia"])
    res = ActorResolver(d)
    assert (res.resolve_text("Hezbollah").code, res.resolve_text("Hezbollah").sector) == ("LBN", "REB")
    # every hand or ISO name resolves as it did without the derived tables
    for key, entry in list(hand.names.items())[::7]:
        assert d.names[key] == entry, key


def test_derived_keys_match_tokenizer() -> None:
    """The tables store each alias's lookup key; they must be what tokenize() makes of it (a
    change to the tokenizer means running scripts/build_actors.py again)."""
    from importlib import resources

    from eventwire.coding.actors import tokenize

    for name in ("actor_names.tsv", "actor_places.tsv"):
        text = resources.files("eventwire.coding").joinpath("data", "derived", name).read_text("utf-8")
        lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
        assert lines[0].split("\t")[:3] == ["alias", "key", "case"]
        for line in lines[1::23]:
            alias, key, case = line.split("\t")[:3]
            toks = tokenize(alias)
            assert key == " ".join(t.text if case == "s" else t.key for t in toks), alias


def test_derived_tables_record_sources_and_licences() -> None:
    from importlib import resources

    def header(name: str) -> str:
        text = resources.files("eventwire.coding").joinpath("data", "derived", name).read_text("utf-8")
        return "\n".join(ln for ln in text.splitlines() if ln.startswith("#"))

    assert "MIT" in header("actor_names.tsv") and "petrarch2 @676801c" in header("actor_names.tsv")
    assert "CC BY-SA 3.0" in header("actor_places.tsv") and "CountryInfo" in header("actor_places.tsv")
    assert "MIT" in header("actor_roles.tsv") and "NGEC-2025 @a3909e2" in header("actor_roles.tsv")


def test_dated_roles_kept(res: ActorResolver) -> None:
    from importlib import resources

    text = resources.files("eventwire.coding").joinpath("data", "derived", "actor_names.tsv").read_text("utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln.startswith("Rangin Dadfar Spanta\t")]
    assert rows
    _alias, _key, _case, code, _sector, _ident, kind, start, _end, roles, _src = rows[0]
    assert (code, kind) == ("AFG", "person") and start and "AFG/GOV/" in roles


def test_story_country_from_a_city(nlp, res: ActorResolver) -> None:
    doc = nlp("Gunmen attacked a checkpoint outside Kandahar on Monday. Police said two guards died.")
    ctx = DocActors.from_doc(doc, res)
    assert ctx.default_code == "AFG"
    police = res.resolve(_span(doc, "Police"), ctx)
    assert (police.code, police.sector) == ("AFG", "COP")
