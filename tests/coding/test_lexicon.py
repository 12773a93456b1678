from __future__ import annotations

from eventwire.coding.acled import AcledInput, classify
from eventwire.coding.lexicon import load_lexicon
from eventwire.model import Actor
from eventwire.ontology import (
    ACLED_SUB_EVENT_TYPES,
    EVENT_TYPES,
    MODAL_MODES,
    QUAD_CODES,
    cameo_code,
    types_with,
    weapon_modes,
)


def test_lexicon_loads_and_covers_all_types():
    lex = load_lexicon()
    assert lex.version
    assert len(lex) > 300
    types = {e.event for entries in lex._by_key.values() for e in entries}
    assert types == set(EVENT_TYPES)


def test_conditional_patterns_need_their_dependent(nlp):
    lex = load_lexicon()
    doc = nlp("Warplanes launched strikes on the town. The company launched a new phone.")
    matches = [lex.match(t) for t in doc]
    hits = [(m.token.text, [x.text for x in m.extra], m.entry.event) for m in matches if m]
    assert ("launched", ["strikes"], "ASSAULT") in hits
    assert not any(h[0] == "launched" and h[1] == [] for h in hits)


def test_compound_noun_patterns(nlp):
    lex = load_lexicon()
    doc = nlp("Prisoners began a hunger strike on Monday.")
    ms = [m for m in (lex.match(t) for t in doc) if m]
    assert any(m.entry.event == "PROTEST" and m.entry.mode == "strike-hun" for m in ms)


def test_ontology_tables():
    assert len(EVENT_TYPES) == 16 and set(QUAD_CODES) == set(EVENT_TYPES)
    assert sum(len(v) for v in ACLED_SUB_EVENT_TYPES.values()) == 25
    mil, reb = [Actor("troops", None, "MIL")], [Actor("rebels", None, "REB")]
    cvl = [Actor("villagers", None, "CVL")]
    assert classify(AcledInput("ASSAULT", "aerial", mil, reb)) == ("Explosions/Remote violence", "Air/drone strike")
    assert classify(AcledInput("ASSAULT", "firearms", [Actor("gunmen", None, "UAF")], cvl)) == (
        "Violence against civilians", "Attack")
    assert classify(AcledInput("ASSAULT", "firearms", mil, reb)) == ("Battles", "Armed clash")
    assert classify(AcledInput("ASSAULT", None, reb, mil, territory=True))[1] == "Non-state actor overtakes territory"
    assert classify(AcledInput("CONSULT", "phone", [Actor("minister", None, "GOV")], [])) == (None, None)
    for sub in [s for subs in ACLED_SUB_EVENT_TYPES.values() for s in subs]:
        assert isinstance(sub, str)
    assert cameo_code("ASSAULT", "aerial", "190") == "195"
    assert cameo_code("ACCUSE", "disapprove", "111") == "111"
    assert cameo_code("AGREE", None, "04") == "03"
    assert {"negation", "hypothetical", "historical"} == MODAL_MODES  # a future act is announced
    assert weapon_modes()[0] == "suicide-attack" and "firearms" in weapon_modes()
    assert types_with("cooperative") >= {"SUPPORT", "AID", "COOPERATE"}
