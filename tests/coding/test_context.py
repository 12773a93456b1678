"""Document context: the country a story is about, and actors that only a noun names."""

from __future__ import annotations

from datetime import date

from eventwire.model import Document


def events(pipeline, text, doc_id="ctx"):
    from eventwire.ingest import document_from_text

    doc = document_from_text(text, doc_id, date(2021, 5, 10))
    return pipeline.process(doc).events


def test_a_report_filed_from_one_country_about_another_codes_the_other(pipeline):
    evs = events(
        pipeline,
        "BEIRUT, Lebanon (Agency) - Rebel fighters shelled government positions near Saraqeb in Idlib "
        "province on Sunday, killing four soldiers, a monitoring group said.",
    )
    assault = [e for e in evs if e.event[0] == "ASSAULT"]
    assert assault
    assert all(a.code != "LBN" for e in assault for a in e.actor + e.recipient)
    assert assault[0].event_loc is not None and assault[0].event_loc.country_code == "SYR"


def test_unnamed_local_actors_take_the_country_of_the_story(pipeline):
    evs = events(
        pipeline,
        "NAIROBI, Kenya (Agency) - Police in the Ugandan town of Kasese fired tear gas on Tuesday to "
        "disperse traders protesting against new market fees.",
    )
    police = [a for e in evs for a in e.actor if a.sector == "COP"]
    assert police and all(a.code == "UGA" for a in police)


def test_document_record_is_not_changed_by_coding(pipeline):
    doc = Document("d", "Soldiers clashed with bandits near Zurmi on Friday.", date(2021, 5, 10))
    pipeline.process(doc)
    assert doc.text.startswith("Soldiers")


def test_the_group_points_back_to_the_named_group(pipeline):
    evs = events(
        pipeline,
        "Al-Shabaab fighters stormed a hotel in Mogadishu on Friday. On Sunday the group ambushed "
        "a police convoy near Afgoye.",
    )
    coded = [a for e in evs for a in e.actor if a.entity_text.lower().startswith("the group")]
    assert coded and coded[0].sector == "REB" and coded[0].identifier_text


def test_a_short_report_states_one_date_for_its_happening(pipeline):
    from eventwire.ingest import document_from_text

    doc = document_from_text(
        "On 3 May 2021, gunmen ambushed a minibus near Maralal, robbed the passengers and shot the "
        "driver dead. Police later arrested two suspects.",
        "r1", date(2021, 5, 6),
    )
    evs = pipeline.process(doc).events
    assert evs and all(e.date.date == date(2021, 5, 3) for e in evs)


def test_a_short_report_the_parse_cannot_read_still_gets_its_acled_event(pipeline):
    from eventwire.coding.report import keyword_reading
    from eventwire.ingest import document_from_text

    row, _start, _end = keyword_reading("On 4 June 2021, army engineers defused a landmine near Kasulu.")
    assert row.acled_sub_type == "Disrupted weapons use"
    doc = document_from_text(
        "On 2 April 2019, a crowd of vigilantes lynched two suspected cattle thieves at Ndhiwa market.",
        "kw", date(2019, 4, 3),
    )
    evs = [e for e in pipeline.process(doc).events if e.acled_event_type]
    assert evs and evs[0].acled_event_type == "Riots" and evs[0].date.date == date(2019, 4, 2)
