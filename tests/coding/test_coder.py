"""Event coder: types, arguments and the rules that keep one event per happening."""

from __future__ import annotations

import pytest

from eventwire.coding import EventCoder


@pytest.fixture(scope="module")
def coder():
    return EventCoder()


def code(nlp, coder, text):
    return coder.code(nlp(text))


def types(cands):
    return [c.event for c in cands]


def test_active_assault_with_actor_and_recipient(nlp, coder):
    (c,) = code(nlp, coder, "Israeli helicopters shelled positions of the Palestinian security forces near Rafah.")
    assert c.event == "ASSAULT"
    assert c.mode == "aerial"
    assert c.actor[0].code == "ISR"
    assert any(r.code == "PSE" for r in c.recipient)


def test_passive_casualty_report_is_an_assault(nlp, coder):
    (c,) = code(nlp, coder, "Three policemen were killed by a roadside bomb in Mosul on Tuesday.")
    assert c.event == "ASSAULT"
    assert c.mode == "explosives"


def test_light_verb_and_noun_are_one_event(nlp, coder):
    cands = code(nlp, coder, "Turkish jets launched airstrikes against PKK positions in northern Iraq.")
    assert types(cands) == ["ASSAULT"]
    assert cands[0].actor[0].code == "TUR"


def test_governing_verb_decides_type(nlp, coder):
    assert types(code(nlp, coder, "Jordan and Syria agreed to hold talks on water sharing.")) == ["AGREE"]
    assert types(code(nlp, coder, "Pakistan threatened to break off diplomatic relations with Congo.")) == ["THREATEN"]
    assert types(code(nlp, coder, "The government refused to release the detained journalists.")) == ["REJECT"]


def test_future_cooperation_is_agree_and_future_violence_is_threaten(nlp, coder):
    (c,) = code(nlp, coder, "Germany will give Kenya a grant of 20 million euros.")
    assert c.event == "AGREE"
    (t,) = code(nlp, coder, "The army will take action against the rebels if they do not disarm.")
    assert t.event == "THREATEN"


def test_future_retreat_keeps_type_with_future_mode(nlp, coder):
    (c,) = code(nlp, coder, "French troops will withdraw from the base next month.")
    assert c.event == "RETREAT"
    assert "future" in c.aux_modes


def test_anaphoric_noun_is_not_a_new_event(nlp, coder):
    assert code(nlp, coder, "The attacks were a violation of the ceasefire.") == []
    assert "ASSAULT" not in types(code(nlp, coder, "Officials discussed the recent strikes."))


def test_casualty_relative_clause_belongs_to_the_attack(nlp, coder):
    cands = code(
        nlp, coder,
        "Jets struck the camp in response to last Monday's rocket attack on the airport, which killed two soldiers.",
    )
    assert types(cands) == ["ASSAULT", "ASSAULT"]
    attack = [c for c in cands if c.trigger.text == "attack"][0]
    assert not attack.main_clause
    assert any("soldiers" in r.entity_text for r in attack.recipient)


def test_reported_accusation_takes_the_speaker_as_actor(nlp, coder):
    cands = code(nlp, coder, "Iraq's foreign ministry said the raids violated Iraqi sovereignty.")
    acc = [c for c in cands if c.event == "ACCUSE"]
    assert acc and acc[0].actor[0].code == "IRQ"


def test_participial_modifier_is_not_a_trigger(nlp, coder):
    assert "SUPPORT" not in types(code(nlp, coder, "Iran-backed militias fired rockets at the embassy."))


def test_consult_phone(nlp, coder):
    (c,) = code(nlp, coder, "The French president spoke with the Russian leader by phone on Friday.")
    assert c.event == "CONSULT"
    assert {a.code for a in c.actor + c.recipient} >= {"FRA", "RUS"}


def test_headline_casualty_report_is_read_without_a_usable_parse(nlp, coder):
    (c,) = code(nlp, coder, "IS kills at least 23 Iraqi tribesmen near Ramadi")
    assert c.event == "ASSAULT"
    assert c.actor and c.actor[0].sector == "REB"
    assert c.recipient and c.recipient[0].code == "IRQ"


def test_deaths_without_violence_are_not_an_assault(nlp, coder):
    assert code(nlp, coder, "Iraq's oldest man dead at 112.") == []


def test_conditional_clause_is_not_an_event(nlp, coder):
    assert types(code(nlp, coder, "Rebels will lay down arms if the army withdraws from the valley.")) != ["RETREAT"]


def test_pronoun_subject_of_reported_speech_takes_the_speaker(nlp, coder):
    cands = code(nlp, coder, "Hungary has said it will support the new peace plan.")
    assert cands and cands[0].actor[0].code == "HUN"


def test_apposition_identifies_an_unknown_name(nlp, coder):
    cands = code(nlp, coder, "Jan Kowalski, the Polish defence minister, demanded the release of the hostages.")
    req = [c for c in cands if c.event == "REQUEST"]
    assert req and req[0].actor[0].code == "POL" and req[0].actor[0].sector in ("GOV", "MIL")


def test_coordinated_modifiers_give_one_actor_each(nlp, coder):
    (c,) = code(nlp, coder, "US and Iraqi officials discussed the withdrawal in Baghdad on Monday.")
    assert c.event == "CONSULT"
    assert [(a.code, a.sector) for a in c.actor] == [("USA", "GOV"), ("IRQ", "GOV")]
    assert c.reciprocal


def test_killers_and_killed_of_a_casualty_verb_around_an_attack_noun(nlp, coder):
    (c,) = code(nlp, coder, "Serb forces killed three villagers in a gunbattle in southern Serbia on Friday.")
    assert c.event == "ASSAULT" and c.actor[0].code == "SRB"


def test_refusing_to_accept_is_reject(nlp, coder):
    (c,) = code(nlp, coder, "Syria says it will not accept any more refugees.")
    assert c.event == "REJECT" and "negation" not in c.aux_modes


def test_future_act_with_an_unless_condition_is_a_threat(nlp, coder):
    (c,) = code(nlp, coder, "Nigeria said it will withdraw its troops from Chad unless a ceasefire is arranged.")
    assert c.event == "THREATEN" and c.actor[0].code == "NGA"


def test_readiness_to_coerce_is_a_threat_by_the_speaker(nlp, coder):
    (c,) = code(nlp, coder, "Iraq's interim government announced that it is prepared to impose martial law.")
    assert c.event == "THREATEN" and c.actor[0].code == "IRQ"


def test_ethnic_community_is_coded_where_it_lives(nlp, coder):
    (c,) = code(nlp, coder, "Ethnic Albanians in south Serbia demanded the release of their leaders.")
    assert c.event == "REQUEST" and c.actor[0].sector == "CVL"


def test_stance_in_passive_form_belongs_to_its_subject(nlp, coder):
    (c,) = code(nlp, coder, "The minister said Vietnam is committed to opening up its economy.")
    assert c.actor[0].code == "VNM"


def test_what_a_speaker_says_others_must_do_is_a_request(nlp, coder):
    (c,) = code(nlp, coder, "The British foreign secretary said on Friday that the Sudanese government must reach an agreement.")
    assert c.event == "REQUEST"
    assert c.actor[0].code == "GBR" and c.recipient[0].code == "SDN"


def test_a_resolution_demanding_is_its_authors_request(nlp, coder):
    (c,) = code(nlp, coder, "Shiite blocs in the Iraqi parliament passed a resolution demanding the expulsion of US forces.")
    assert c.event == "REQUEST" and (c.actor[0].code, c.actor[0].sector) == ("IRQ", "LEG")


def test_organizer_of_a_protest_is_its_actor(nlp, coder):
    (c,) = code(nlp, coder, "Students throughout Indonesia staged mass demonstrations on Saturday to demand reforms.")
    assert c.event == "PROTEST" and c.actor[0].code == "IDN"


def test_in_protest_of_is_a_motive_not_a_second_protest(nlp, coder):
    cands = code(nlp, coder, "Seven opposition parties in Nepal organized a general strike in protest of the arrests.")
    protests = [c for c in cands if c.event == "PROTEST"]
    assert len(protests) == 1 and protests[0].actor[0].code == "NPL"


def test_headline_with_acronym_actor_and_victims(nlp, coder):
    (c,) = code(nlp, coder, "US-led coalition air force kills IS leaders in Iraq's Diyala")
    assert c.event == "ASSAULT" and c.actor[0].code == "USA" and c.recipient


def test_suicide_bombers_blowing_themselves_up_is_one_suicide_attack(nlp, coder):
    cands = code(nlp, coder, "Two suicide bombers blew themselves up at a mosque in Samarra, killing nine worshippers.")
    assert types(cands) == ["ASSAULT"] and cands[0].mode == "suicide-attack"


def test_shells_slamming_into_a_village_are_an_attack_not_criticism(nlp, coder):
    cands = code(nlp, coder, "Mortar rounds slammed into a village north of Baquba, killing a woman.")
    assert types(cands) == ["ASSAULT"] and cands[0].mode == "heavy-weapons"
    assert types(code(nlp, coder, "The minister slammed the decision as reckless.")) == ["ACCUSE"]


def test_weapon_mode_from_the_subject_of_the_attack(nlp, coder):
    (c,) = code(nlp, coder, "A roadside bomb struck a police patrol on Monday, killing two policemen.")
    assert c.event == "ASSAULT" and c.mode == "explosives"


def test_attribution_and_sponsors_do_not_set_the_story_country(nlp, coder):
    cands = code(nlp, coder, "Guerrillas overran a village in western Cambodia last month, Thai military sources said.")
    assert all(a.code != "THA" for c in cands for a in c.actor)


def test_a_party_is_not_its_own_target(nlp, coder):
    cands = code(nlp, coder, "Government forces retook the village from guerrillas who overran it last month.")
    for c in cands:
        assert not {(a.start, a.end) for a in c.actor} & {(r.start, r.end) for r in c.recipient}


def test_is_acronym_is_read_as_the_group_not_the_verb(nlp, coder):
    (c,) = code(nlp, coder, "Kurdish fighters shelled IS positions near Hawija on Sunday.")
    assert c.event == "ASSAULT" and c.recipient and c.recipient[0].sector == "REB"


def test_is_in_all_capitals_text_stays_a_verb(nlp):
    doc = nlp("THE CEASEFIRE IS HOLDING IN THE NORTH")
    assert doc[2].norm_ == "is"


def test_headline_verb_tagged_as_noun_is_coded_as_the_verb(nlp, coder):
    (c,) = code(nlp, coder, "Syrian army shells rebel positions outside Idlib")
    assert c.event == "ASSAULT" and c.actor[0].code == "SYR" and c.recipient


def test_headline_source_after_colon_is_not_a_victim(nlp, coder):
    (c,) = code(nlp, coder, "Al-Shabaab kidnaps 12 aid workers in Somalia's Gedo region: officials")
    assert c.event == "COERCE" and c.mode == "abduct"
    assert [r.entity_text for r in c.recipient] == ["12 aid workers"]


def test_headline_speaker_is_the_subject_of_an_elided_clause(nlp, coder):
    (c,) = code(nlp, coder, "Nigerian army says killed 40 Boko Haram fighters in air strikes near Lake Chad")
    assert c.event == "ASSAULT"
    assert c.actor and c.actor[0].code == "NGA" and c.recipient and c.recipient[0].sector == "REB"


def test_clashes_that_erupted_happened(nlp, coder):
    assert types(code(nlp, coder, "Clashes erupted between rival militias in southern Tripoli.")) == ["ASSAULT"]


def test_victims_of_a_reduced_relative_in_a_headline(nlp, coder):
    (c,) = code(nlp, coder, "Six Malian soldiers killed in jihadist attack near Gao")
    assert c.event == "ASSAULT" and c.recipient and c.recipient[0].code == "MLI"


def test_attack_given_as_the_motive_is_not_the_killing(nlp, coder):
    cands = code(nlp, coder, "Militia fighters say they killed two Shabaab commanders over an attack on a police post.")
    assert cands and cands[0].match.token.lemma_ == "kill" and cands[0].recipient


def test_the_accused_does_the_act_he_is_accused_of(nlp, coder):
    cands = code(nlp, coder, "Amnesty accuses the Myanmar military of executing 30 prisoners in Mandalay.")
    assault = [c for c in cands if c.event == "ASSAULT"]
    assert assault and assault[0].actor and assault[0].actor[0].code == "MMR"
