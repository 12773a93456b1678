"""The web page in a real browser: the seed's events on the map, a filter that narrows the table
and is kept in the URL, a click (and the keyboard) opening an event with its evidence
highlighted, a phone-sized screen, and no request leaving 127.0.0.1.  Screenshots go to
tests/artifacts/."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.timeout(120)


def _events(live_server, **params):
    return httpx.get(live_server.url + "/api/events", params={"limit": 1000, **params}).json()["events"]


def _ready(page):
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)


def test_the_map_shows_the_seeds_events(page, live_server, outside, artifacts):
    placed = [e for e in _events(live_server) if (e["event_loc"] or {}).get("lat") is not None]
    assert placed
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    _ready(page)
    assert page.get_attribute("#map", "data-mapped") == str(len(placed))
    # what the map draws: single markers plus the events inside clusters
    singles = page.locator("#map path.event-marker").count()
    clustered = sum(int(t) for t in page.locator("#map .marker-cluster span").all_inner_texts())
    assert singles + clustered == len(placed)
    assert page.locator("#map path.country").count() > 100  # Natural Earth outlines, served from here
    assert page.locator("#timeline rect.bar").count() >= 2
    assert page.locator("#events tbody tr").count() == len(_events(live_server))
    page.screenshot(path=str(artifacts / "page-laptop.png"))
    print(f"screenshot: {artifacts / 'page-laptop.png'}")


def test_a_filter_narrows_the_table_and_the_url_keeps_it(page, live_server, outside):
    page.goto(live_server.url + "/")
    _ready(page)
    before = page.locator("#events tbody tr").count()
    assaults = _events(live_server, type="ASSAULT")
    assert 0 < len(assaults) < before
    with page.expect_response(lambda r: "/api/events" in r.url and "type=ASSAULT" in r.url):
        page.select_option("#f-type", "ASSAULT")
    _ready(page)
    rows = page.locator("#events tbody tr")
    assert rows.count() == len(assaults)
    assert set(page.locator("#events tbody tr td:nth-child(2)").all_inner_texts()) == {"assault"}
    assert "type=ASSAULT" in page.url
    # typed filters apply on Enter; the shared URL restores them
    page.fill("#f-country", "IRQ")
    page.press("#f-country", "Enter")
    page.wait_for_url("**country=IRQ**")
    _ready(page)
    shared = page.url
    page.goto(shared)
    _ready(page)
    assert page.input_value("#f-type") == "ASSAULT" and page.input_value("#f-country") == "IRQ"
    assert page.locator("#events tbody tr").count() == len(_events(live_server, type="ASSAULT", country="IRQ"))


def test_a_click_shows_the_evidence_highlighted(page, live_server, outside, artifacts):
    target = next(e for e in _events(live_server, type="ASSAULT") if "place" in e["evidence"] and "dead" in e["evidence"])
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/?type=ASSAULT")
    _ready(page)
    page.click(f"#events tbody tr[data-id='{target['id']}'] td:nth-child(5)")
    page.wait_for_selector("#detail[data-ready='1']", timeout=30_000)
    report = page.locator(f"#reports article[data-event='{target['id']}']")
    kinds = set(report.locator("mark").evaluate_all("ms => ms.flatMap(m => m.className.split(' '))"))
    assert {"hl-event", "hl-place", "hl-casualties"} <= kinds
    assert kinds & {"hl-actor", "hl-recipient"} or not (target["actor"] or target["recipient"])
    doc = httpx.get(f"{live_server.url}/api/documents/{target['doc_id']}").json()["text"]
    place_words = report.locator("mark[data-field~='place']").all_inner_texts()
    assert place_words == [doc[a:b] for a, b in target["evidence"]["place"]]
    assert "event=" + target["id"] in page.url
    page.screenshot(path=str(artifacts / "event-evidence.png"))
    # Escape closes it; the keyboard opens one from the table
    page.keyboard.press("Escape")
    assert page.locator("#detail").is_hidden()
    page.locator(f"#events tbody tr[data-id='{target['id']}'] button").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#detail[data-ready='1']", timeout=30_000)
    assert page.evaluate("document.activeElement.id") == "detail-title"


def test_a_map_marker_opens_its_event(page, live_server, outside):
    page.goto(live_server.url + "/")
    _ready(page)
    page.evaluate("() => { const m = window.eventwire.ui.map; m.setView([33.5, 44.3], 12, {animate: false}); }")
    marker = page.locator("#map path.event-marker").first
    marker.wait_for(timeout=10_000)
    marker.click(force=True)
    page.wait_for_selector("#detail[data-ready='1']", timeout=30_000)
    assert page.locator("#reports mark.hl-event").count() >= 1


def test_the_timeline_brush_filters_dates(page, live_server, outside):
    page.goto(live_server.url + "/")
    _ready(page)
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.7, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 2, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**since=**")
    _ready(page)
    since, until = page.input_value("#f-since"), page.input_value("#f-until")
    assert since and until and since <= until
    expected = [e for e in _events(live_server, since=since, until=until)]
    assert page.locator("#events tbody tr").count() == len(expected) < len(_events(live_server))


def test_readable_on_a_phone(page, live_server, outside, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    _ready(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392  # nothing wider than the screen
    page.locator("#events tbody tr").first.click()
    page.wait_for_selector("#detail[data-ready='1']", timeout=30_000)
    page.screenshot(path=str(artifacts / "page-phone.png"), full_page=True)
