from __future__ import annotations

from eventwire.coding.lexicon import load_lexicon
from eventwire.coding.ontology import (
    ACLED_SUB_EVENT_TYPES,
    EVENT_TYPES,
    QUAD_CODES,
    acled_types,
    cameo_code,
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
    assert acled_types("ASSAULT", "aerial", {"MIL"}, {"REB"}) == ("Explosions/Remote violence", "Air/drone strike")
    assert acled_types("ASSAULT", "firearms", {"UAF"}, {"CVL"}) == ("Violence against civilians", "Attack")
    assert acled_types("ASSAULT", "firearms", {"MIL"}, {"REB"}) == ("Battles", "Armed clash")
    assert acled_types("ASSAULT", None, {"REB"}, {"MIL"}, territory=True)[1] == "Non-state actor overtakes territory"
    assert acled_types("CONSULT", "phone", {"GOV"}, {"GOV"}) == (None, None)
    for sub in [s for subs in ACLED_SUB_EVENT_TYPES.values() for s in subs]:
        assert isinstance(sub, str)
    assert cameo_code("ASSAULT", "aerial", "190") == "195"
    assert cameo_code("ACCUSE", "disapprove", "111") == "111"
    assert cameo_code("AGREE", None, "04") == "03"
