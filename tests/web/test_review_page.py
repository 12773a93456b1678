"""Reviewing in a real browser against a real ``eventwire serve``: a reviewer signs in, corrects an
event's place and dead count beside its highlighted evidence, and the API, the table and the
exports show the correction while the history shows the coder's value and the reviewer's with who
and when; a reader's token cannot write (403) and no token gets 401; the queue is worked from the
keyboard.  Screenshots go to tests/artifacts/."""

from __future__ import annotations

import csv
import io
import shutil
import time

import httpx
import pytest

from eventwire.store import Store, Users

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def review_server(seed_db, tmp_path_factory):
    """``eventwire serve`` over a copy of the seed store with a reviewer and a reader."""
    from support.served import Server

    db = tmp_path_factory.mktemp("review-store") / "review.sqlite"
    shutil.copy(seed_db, db)
    with Store(str(db)) as s:
        users = Users(s)
        tokens = {"alice": users.add("alice", "reviewer"), "rana": users.add("rana", "reader")}
    server = Server(db)
    server.tokens = tokens
    yield server
    server.stop()


def _ready(page):
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)


def _detail_ready(page):
    page.wait_for_selector("#detail[data-ready='1']", timeout=30_000)


def _sign_in(page, token: str, who: str):
    page.click("#signin-open")
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.wait_for_selector(f"#who:has-text('{who}')", timeout=10_000)


def _events(server, **params):
    return httpx.get(server.url + "/api/events", params={"limit": 1000, **params}).json()["events"]


def test_a_reviewer_corrects_place_and_dead_count_on_the_page(page, review_server, outside, artifacts):
    target = next(e for e in _events(review_server, type="ASSAULT")
                  if (e["event_loc"] or {}).get("resolved_place") and (e["size"] or {}).get("dead"))  # fmt: skip
    eid, coder_place, coder_dead = target["id"], target["event_loc"]["resolved_place"], target["size"]["dead"]
    new_place = "Erbil" if coder_place != "Erbil" else "Basra"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{review_server.url}/?event={eid}")
    _ready(page)
    _detail_ready(page)
    assert page.locator("button.review-edit").count() == 0  # not signed in: nothing to press
    _sign_in(page, review_server.tokens["alice"], "alice (reviewer)")
    _detail_ready(page)
    report = page.locator(f"#reports article[data-event='{eid}']")
    report.locator("button.review-edit").click()
    page.fill(f"#edit-place-{eid}", new_place)
    page.fill(f"#edit-dead-{eid}", str(coder_dead + 5))
    page.fill(f"#edit-note-{eid}", "the ministry's figure")
    report.locator("form.edit button[type=submit]").click()
    page.wait_for_selector(f"#reports article[data-event='{eid}'][data-review='corrected']", timeout=30_000)
    _detail_ready(page)
    # the API shows the correction
    got = httpx.get(f"{review_server.url}/api/events/{eid}").json()["event"]
    assert got["size"]["dead"] == coder_dead + 5 and got["event_loc"]["resolved_place"] == new_place
    assert got["review"]["status"] == "corrected" and got["review"]["by"] == "alice"
    # the table shows it
    _ready(page)
    row = page.locator(f"#events tbody tr[data-id='{eid}']")
    cells = row.locator("td").all_inner_texts()
    assert new_place in cells[4] and cells[5] == str(coder_dead + 5) and cells[7] == "corrected"
    # the exports show it
    rows = list(csv.DictReader(io.StringIO(httpx.get(f"{review_server.url}/api/events", params={"format": "csv"}).text)))
    exported = next(r for r in rows if r["event_id_cnty"] == eid)
    assert (exported["location"], exported["fatalities"], exported["review_status"], exported["reviewed_by"]) == (
        new_place, str(coder_dead + 5), "corrected", "alice")
    geo = httpx.get(f"{review_server.url}/api/events", params={"format": "geojson"}).json()
    assert next(f for f in geo["features"] if f["id"] == eid)["properties"]["event_loc"]["resolved_place"] == new_place
    # the history: the coder's values and the reviewer's, who and when
    history = page.locator(f"details.history[data-event='{eid}']")
    history.locator("summary").click()
    dead_line = history.locator("li[data-field='dead']").inner_text()
    place_line = history.locator("li[data-field='place']").inner_text()
    assert "alice" in dead_line and f"{coder_dead} → {coder_dead + 5}" in dead_line.replace("\n", " ")
    assert coder_place in place_line and new_place in place_line
    assert history.locator("li[data-action='note']").inner_text().endswith("the ministry's figure")
    assert f"dead {coder_dead}" in history.locator(".coder-values").inner_text()
    api_history = httpx.get(f"{review_server.url}/api/events/{eid}/history").json()
    dead = next(c for c in api_history["changes"] if c["field"] == "dead")
    assert (dead["from"], dead["to"], dead["by"]) == (coder_dead, coder_dead + 5, "alice") and dead["at"]
    page.screenshot(path=str(artifacts / "review-corrected.png"))


def test_a_reader_cannot_write_and_no_token_gets_401(page, review_server, outside):
    eid = _events(review_server)[0]["id"]
    url = f"{review_server.url}/api/events/{eid}"
    no_token = httpx.patch(url, json={"status": "confirmed"})
    assert no_token.status_code == 401 and no_token.json()["status"] == 401
    reader = httpx.patch(url, json={"status": "confirmed"}, headers={"Authorization": f"Bearer {review_server.tokens['rana']}"})
    assert reader.status_code == 403 and "reviewer" in reader.json()["error"]
    # on the page, a reader sees the review status but no buttons
    page.goto(f"{review_server.url}/?event={eid}")
    _ready(page)
    _sign_in(page, review_server.tokens["rana"], "rana (reader)")
    _detail_ready(page)
    assert page.locator("#reports .review-bar").count() >= 1
    assert page.locator("button.review-confirm, button.review-reject, button.review-edit").count() == 0
    assert httpx.get(url).json()["event"]["review"]["status"] == "unreviewed"


def test_the_queue_is_worked_from_the_keyboard(page, review_server, outside, artifacts):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(review_server.url + "/")
    _ready(page)
    _sign_in(page, review_server.tokens["alice"], "alice (reviewer)")
    queue = httpx.get(review_server.url + "/api/review/queue", params={"limit": 3}).json()["events"]
    assert [e["confidence"] for e in queue] == sorted(e["confidence"] for e in queue)
    page.click("#queue")
    page.wait_for_url(f"**event={queue[0]['id']}**", timeout=30_000)
    _detail_ready(page)
    assert page.locator("#keys").is_visible()
    page.locator("#events").focus()
    page.keyboard.press("c")  # confirm the first and move on
    page.wait_for_url(f"**event={queue[1]['id']}**", timeout=30_000)
    _detail_ready(page)
    page.keyboard.press("x")  # reject the second
    page.wait_for_url(f"**event={queue[2]['id']}**", timeout=30_000)
    _detail_ready(page)
    status = {e: httpx.get(f"{review_server.url}/api/events/{e}").json()["event"]["review"] for e in (q["id"] for q in queue[:2])}
    assert status[queue[0]["id"]]["status"] == "confirmed" and status[queue[1]["id"]]["status"] == "rejected"
    assert queue[1]["id"] not in {e["id"] for e in _events(review_server)}
    # e opens the editor for the event shown; Escape closes it
    page.keyboard.press("e")
    page.wait_for_selector("form.edit", timeout=10_000)
    page.keyboard.press("Escape")
    deadline = time.time() + 10
    while page.locator("form.edit").count() and time.time() < deadline:
        time.sleep(0.1)
    assert page.locator("form.edit").count() == 0
    page.screenshot(path=str(artifacts / "review-queue.png"))
