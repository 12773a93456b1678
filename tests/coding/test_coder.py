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
    (c,) = code(nlp, coder, "Azerbaijani helicopters shelled positions of the Armenian army near Lachin.")
    assert c.event == "ASSAULT"
    assert c.mode == "aerial"
    assert c.actor[0].code == "AZE"
    assert any(r.code == "ARM" for r in c.recipient)


def test_passive_casualty_report_is_an_assault(nlp, coder):
    (c,) = code(nlp, coder, "Four border guards were killed by a landmine near Tessalit on Sunday.")
    assert c.event == "ASSAULT"
    assert c.mode == "explosives"


def test_light_verb_and_noun_are_one_event(nlp, coder):
    cands = code(nlp, coder, "Saudi jets launched airstrikes against Houthi positions in northern Yemen.")
    assert types(cands) == ["ASSAULT"]
    assert cands[0].actor[0].code == "SAU"


def test_governing_verb_decides_type(nlp, coder):
    assert types(code(nlp, coder, "Ethiopia and Sudan agreed to open negotiations on the disputed farmland.")) == ["AGREE"]
    assert types(code(nlp, coder, "Ghana threatened to recall its ambassador from Togo.")) == ["THREATEN"]
    assert types(code(nlp, coder, "The junta refused to free the imprisoned opposition leaders.")) == ["REJECT"]


def test_future_cooperation_is_agree_and_future_violence_is_threaten(nlp, coder):
    (c,) = code(nlp, coder, "Japan will provide Bangladesh with a loan of 300 million dollars.")
    assert c.event == "AGREE"
    (t,) = code(nlp, coder, "The military will move against the insurgents if they do not surrender their weapons.")
    assert t.event == "THREATEN"


def test_future_retreat_keeps_type_with_future_mode(nlp, coder):
    (c,) = code(nlp, coder, "Dutch peacekeepers will pull out of the camp in the spring.")
    assert c.event == "RETREAT"
    assert "future" in c.aux_modes


def test_anaphoric_noun_is_not_a_new_event(nlp, coder):
    assert code(nlp, coder, "The bombings were a breach of the truce.") == []
    assert "ASSAULT" not in types(code(nlp, coder, "Ministers talked about the recent raids."))


def test_casualty_relative_clause_belongs_to_the_attack(nlp, coder):
    cands = code(
        nlp, coder,
        "Warplanes hit the depot in retaliation for Sunday's mortar attack on the garrison, which killed three guards.",
    )
    assert types(cands) == ["ASSAULT", "ASSAULT"]
    attack = next(c for c in cands if c.trigger.text == "attack")
    assert not attack.main_clause
    assert any("guards" in r.entity_text for r in attack.recipient)


def test_reported_accusation_takes_the_speaker_as_actor(nlp, coder):
    cands = code(nlp, coder, "Lebanon's foreign ministry said the incursion violated Lebanese sovereignty.")
    acc = [c for c in cands if c.event == "ACCUSE"]
    assert acc and acc[0].actor[0].code == "LBN"


def test_participial_modifier_is_not_a_trigger(nlp, coder):
    assert "SUPPORT" not in types(code(nlp, coder, "Russia-backed separatists fired rockets at the airfield."))


def test_consult_phone(nlp, coder):
    (c,) = code(nlp, coder, "The Kenyan president spoke with the Tanzanian leader by phone on Tuesday.")
    assert c.event == "CONSULT"
    assert {a.code for a in c.actor + c.recipient} >= {"KEN", "TZA"}


def test_headline_casualty_report_is_read_without_a_usable_parse(nlp, coder):
    (c,) = code(nlp, coder, "IS kills at least 14 Syrian shepherds near Palmyra")
    assert c.event == "ASSAULT"
    assert c.actor and c.actor[0].sector == "REB"
    assert c.recipient and c.recipient[0].code == "SYR"


def test_deaths_without_violence_are_not_an_assault(nlp, coder):
    assert code(nlp, coder, "Chile's oldest woman dead at 109.") == []


def test_conditional_clause_is_not_an_event(nlp, coder):
    cands = code(nlp, coder, "Militants will hand over their guns if the troops leave the district.")
    assert not [c for c in cands if c.trigger.lower_ == "leave"]  # the condition is no event
    assert all({"future", "hypothetical"} & set(c.aux_modes) for c in cands)  # nor is the offer a fact


def test_pronoun_subject_of_reported_speech_takes_the_speaker(nlp, coder):
    cands = code(nlp, coder, "Norway has said it will back the new mediation proposal.")
    assert cands and cands[0].actor[0].code == "NOR"


def test_apposition_identifies_an_unknown_name(nlp, coder):
    cands = code(nlp, coder, "Tomas Varga, the Slovak interior minister, demanded the return of the stolen archives.")
    req = [c for c in cands if c.event == "REQUEST"]
    assert req and req[0].actor[0].code == "SVK" and req[0].actor[0].sector in ("GOV", "MIL")


def test_coordinated_modifiers_give_one_actor_each(nlp, coder):
    (c,) = code(nlp, coder, "Chinese and Pakistani officials discussed the pipeline in Islamabad on Thursday.")
    assert c.event == "CONSULT"
    assert [(a.code, a.sector) for a in c.actor] == [("CHN", "GOV"), ("PAK", "GOV")]
    assert c.reciprocal


def test_killers_and_killed_of_a_casualty_verb_around_an_attack_noun(nlp, coder):
    (c,) = code(nlp, coder, "Burmese troops killed five farmers in a firefight in northern Shan state on Wednesday.")
    assert c.event == "ASSAULT" and c.actor[0].code == "MMR"


def test_refusing_to_accept_is_reject(nlp, coder):
    (c,) = code(nlp, coder, "Poland says it will not accept any more migrants.")
    assert c.event == "REJECT" and "negation" not in c.aux_modes


def test_future_act_with_an_unless_condition_is_a_threat(nlp, coder):
    (c,) = code(nlp, coder, "Kenya said it will pull its soldiers out of Somalia unless its troops are paid.")
    assert c.event == "THREATEN" and c.actor[0].code == "KEN"


def test_readiness_to_coerce_is_a_threat_by_the_speaker(nlp, coder):
    (c,) = code(nlp, coder, "Peru's caretaker cabinet announced that it is ready to impose a curfew.")
    assert c.event == "THREATEN" and c.actor[0].code == "PER"


def test_ethnic_community_is_coded_where_it_lives(nlp, coder):
    (c,) = code(nlp, coder, "Ethnic Hungarians in western Ukraine demanded the reopening of their schools.")
    assert c.event == "REQUEST" and c.actor[0].sector == "CVL"


def test_stance_in_passive_form_belongs_to_its_subject(nlp, coder):
    (c,) = code(nlp, coder, "The envoy said Cuba is committed to resuming talks with the rebels.")
    assert c.actor[0].code == "CUB"


def test_what_a_speaker_says_others_must_do_is_a_request(nlp, coder):
    (c,) = code(nlp, coder, "The Canadian foreign minister said on Monday that the Haitian government must release the detained journalists.")
    assert c.event == "REQUEST"
    assert c.actor[0].code == "CAN" and c.recipient[0].code == "HTI"


def test_a_resolution_demanding_is_its_authors_request(nlp, coder):
    (c,) = code(nlp, coder, "Opposition parties in the Georgian parliament passed a motion demanding the resignation of the interior minister.")
    assert c.event == "REQUEST" and c.actor[0].code == "GEO"


def test_organizer_of_a_protest_is_its_actor(nlp, coder):
    (c,) = code(nlp, coder, "Nurses across Zimbabwe staged street demonstrations on Monday to demand better pay.")
    assert c.event == "PROTEST" and c.actor[0].code == "ZWE"


def test_in_protest_of_is_a_motive_not_a_second_protest(nlp, coder):
    cands = code(nlp, coder, "Four opposition parties in Bangladesh called a nationwide strike in protest of the detentions.")
    protests = [c for c in cands if c.event == "PROTEST"]
    assert len(protests) == 1 and protests[0].actor[0].code == "BGD"


def test_headline_with_acronym_actor_and_victims(nlp, coder):
    (c,) = code(nlp, coder, "French-led coalition air force kills jihadist leaders in Mali's Menaka")
    assert c.event == "ASSAULT" and c.actor[0].code == "FRA" and c.recipient


def test_suicide_bombers_blowing_themselves_up_is_one_suicide_attack(nlp, coder):
    cands = code(nlp, coder, "Two suicide bombers blew themselves up at a market in Maiduguri, killing seven traders.")
    assert types(cands) == ["ASSAULT"] and cands[0].mode == "suicide-attack"


def test_shells_slamming_into_a_village_are_an_attack_not_criticism(nlp, coder):
    cands = code(nlp, coder, "Artillery shells slammed into a hamlet south of Donetsk, killing an elderly man.")
    assert types(cands) == ["ASSAULT"] and cands[0].mode == "heavy-weapons"
    assert types(code(nlp, coder, "The minister slammed the decision as reckless.")) == ["ACCUSE"]


def test_weapon_mode_from_the_subject_of_the_attack(nlp, coder):
    (c,) = code(nlp, coder, "A homemade bomb struck an army convoy on Friday, killing three soldiers.")
    assert c.event == "ASSAULT" and c.mode == "explosives"


def test_attribution_and_sponsors_do_not_set_the_story_country(nlp, coder):
    cands = code(nlp, coder, "Rebels overran a town in eastern Congo last week, Ugandan army sources said.")
    assert all(a.code != "UGA" for c in cands for a in c.actor)


def test_a_party_is_not_its_own_target(nlp, coder):
    cands = code(nlp, coder, "Army units recaptured the town from militants who seized it in March.")
    for c in cands:
        assert not {(a.start, a.end) for a in c.actor} & {(r.start, r.end) for r in c.recipient}


def test_is_acronym_is_read_as_the_group_not_the_verb(nlp, coder):
    (c,) = code(nlp, coder, "Syrian Kurdish fighters shelled IS positions near Raqqa on Tuesday.")
    assert c.event == "ASSAULT" and c.recipient and c.recipient[0].sector == "REB"


def test_is_in_all_capitals_text_stays_a_verb(nlp):
    doc = nlp("THE CEASEFIRE IS HOLDING IN THE NORTH")
    assert doc[2].norm_ == "is"


def test_headline_verb_tagged_as_noun_is_coded_as_the_verb(nlp, coder):
    (c,) = code(nlp, coder, "Libyan army shells militia positions outside Sirte")
    assert c.event == "ASSAULT" and c.actor[0].code == "LBY" and c.recipient


def test_headline_source_after_colon_is_not_a_victim(nlp, coder):
    (c,) = code(nlp, coder, "Al-Shabaab kidnaps 9 teachers in Kenya's Mandera county: police")
    assert c.event == "ASSAULT" and c.mode == "abduct"  # PLOVER: abduction is an ASSAULT mode
    assert [r.entity_text for r in c.recipient] == ["9 teachers"]


def test_headline_speaker_is_the_subject_of_an_elided_clause(nlp, coder):
    (c,) = code(nlp, coder, "Cameroonian army says killed 25 Boko Haram fighters in raids near Kolofata")
    assert c.event == "ASSAULT"
    assert c.actor and c.actor[0].code == "CMR" and c.recipient and c.recipient[0].sector == "REB"


def test_clashes_that_erupted_happened(nlp, coder):
    assert types(code(nlp, coder, "Clashes broke out between rival gangs in northern Port-au-Prince.")) == ["ASSAULT"]


def test_victims_of_a_reduced_relative_in_a_headline(nlp, coder):
    (c,) = code(nlp, coder, "Eight Nigerien soldiers killed in jihadist ambush near Tillaberi")
    assert c.event == "ASSAULT" and c.recipient and c.recipient[0].code == "NER"


def test_attack_given_as_the_motive_is_not_the_killing(nlp, coder):
    cands = code(nlp, coder, "Clan fighters say they killed three bandit leaders over a raid on a cattle camp.")
    assert cands and cands[0].match.token.lemma_ == "kill" and cands[0].recipient


def test_the_accused_does_the_act_he_is_accused_of(nlp, coder):
    cands = code(nlp, coder, "Human Rights Watch accuses the Ethiopian army of executing 20 detainees in Tigray.")
    assault = [c for c in cands if c.event == "ASSAULT"]
    assert assault and assault[0].actor and assault[0].actor[0].code == "ETH"


def test_security_forces_failing_to_act_is_a_negated_coercion(nlp, coder):
    cands = code(nlp, coder, "Soldiers at the checkpoint did nothing while gunmen looted the market in Beni.")
    inaction = [c for c in cands if "negation" in c.aux_modes]
    assert inaction and inaction[0].event == "COERCE" and inaction[0].actor[0].sector == "MIL"
    cands = code(nlp, coder, "The police failed to stop the attack on the church in Kaduna.")
    assert any("negation" in c.aux_modes and c.actor and c.actor[0].sector == "COP" for c in cands)
    # a refusal to act that is not the authorities' is no such event
    cands = code(nlp, coder, "The villagers did nothing to provoke the raid.")
    assert not any("negation" in c.aux_modes and c.event == "COERCE" for c in cands)


def test_firing_in_the_air_is_crowd_control_and_firing_on_people_is_an_attack(nlp, coder):
    (c,) = code(nlp, coder, "Riot police fired in the air to scatter the crowd outside the stadium.")
    assert c.event == "ASSAULT" and c.mode == "crowd-control"
    cands = code(nlp, coder, "Troops fired on farmers marching to the district office in Kaithal.")
    (c,) = [c for c in cands if c.event == "ASSAULT"]
    assert c.mode == "firearms" and c.recipient and c.recipient[0].sector == "AGR"


def test_quantity_phrase_subject_does_not_hide_the_verb(nlp, coder):
    cands = code(nlp, coder, "Hundreds of nurses protested outside the health ministry in Lusaka over unpaid allowances.")
    assert "PROTEST" in types(cands)


def test_a_blockade_by_protesters_is_a_protest_and_bans_across_a_border_are_sanctions(nlp, coder):
    kinds = types(code(nlp, coder, "Farmers kept up road blockades across the province on Tuesday."))
    assert "COERCE" not in kinds
    cands = code(nlp, coder, "Canada imposed travel bans on twelve Venezuelan officials on Friday.")
    assert "SANCTION" in types(cands)


def test_what_an_appeal_asks_for_is_not_another_event(nlp, coder):
    cands = code(nlp, coder, "The World Food Programme appealed for 60 million dollars to support refugees in Uganda.")
    assert types(cands) == ["REQUEST"]
