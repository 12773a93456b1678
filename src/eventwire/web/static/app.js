/* eventwire web page: map, timeline, filters, table and the evidence behind each event.
   Talks only to this server's /api; every text from the store is inserted as text, never as HTML. */
"use strict";

(function () {
  const TYPES = ["ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "THREATEN", "SANCTION", "ACCUSE", "REJECT",
    "REQUEST", "RETREAT", "AID", "COOPERATE", "CONCEDE", "SUPPORT", "CONSULT", "AGREE"];
  const COLORS = {
    ASSAULT: "#d6336c", COERCE: "#e8590c", PROTEST: "#f59f00", MOBILIZE: "#862e9c", THREATEN: "#c2255c",
    SANCTION: "#5f3dc4", ACCUSE: "#1971c2", REJECT: "#364fc7", REQUEST: "#0c8599", RETREAT: "#2b8a3e",
    AID: "#37b24d", COOPERATE: "#66a80f", CONCEDE: "#74b816", SUPPORT: "#099268", CONSULT: "#1098ad", AGREE: "#12b886",
  };
  const HL = { event: "hl-event", actor: "hl-actor", recipient: "hl-recipient", place: "hl-place", date: "hl-date",
    dead: "hl-casualties", injured: "hl-casualties", arrested: "hl-casualties" };
  const HL_NAMES = { event: "type", actor: "actor", recipient: "recipient", place: "place", date: "date",
    dead: "dead", injured: "injured", arrested: "arrested" };
  const FILTERS = ["type", "country", "actor", "since", "until", "min_confidence", "review", "canonical"];
  const REVIEWED = { confirmed: "confirmed", corrected: "corrected", rejected: "rejected" };
  const TOKEN_KEY = "eventwire-token";
  const MAX_EVENTS = 5000;   // events drawn on the map (5 pages of 1000)
  const TABLE_STEP = 100;

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v; else if (k === "class") node.className = v; else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  };

  const state = { filters: {}, events: [], shown: 0, selected: null, docs: new Map(), countries: new Set(), loadSeq: 0,
    token: sessionStorage.getItem(TOKEN_KEY), me: null, queue: false };
  const ui = { map: null, cluster: null, timeline: null };
  window.eventwire = { state, ui, mapped: 0 };

  // -- URL <-> filters ---------------------------------------------------------------------------
  function readUrl() {
    const q = new URLSearchParams(location.search);
    const f = {};
    for (const k of FILTERS) if (q.get(k)) f[k] = q.get(k);
    state.filters = f;
    state.selected = q.get("event");
  }
  function writeUrl(push) {
    const q = new URLSearchParams();
    for (const k of FILTERS) if (state.filters[k]) q.set(k, state.filters[k]);
    if (state.selected) q.set("event", state.selected);
    const url = location.pathname + (q.toString() ? "?" + q : "");
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  }
  function fillForm() {
    const f = state.filters;
    $("f-type").value = f.type || "";
    $("f-country").value = f.country || "";
    $("f-actor").value = f.actor || "";
    $("f-since").value = f.since || "";
    $("f-until").value = f.until || "";
    $("f-conf").value = f.min_confidence || "0";
    $("f-conf-out").textContent = $("f-conf").value;
    $("f-review").value = f.review || "";
    $("f-canonical").checked = f.canonical === "true";
    $("f-review").disabled = f.canonical === "true";  // reviews are made on reports
  }
  function readForm() {
    const f = {};
    const put = (k, v) => { if (v) f[k] = v; };
    put("type", $("f-type").value);
    put("country", $("f-country").value.trim());
    put("actor", $("f-actor").value.trim());
    put("since", $("f-since").value);
    put("until", $("f-until").value);
    if (Number($("f-conf").value) > 0) f.min_confidence = $("f-conf").value;
    if ($("f-canonical").checked) f.canonical = "true";
    else put("review", $("f-review").value);
    return f;
  }
  function query(extra, without) {
    const q = new URLSearchParams();
    for (const k of FILTERS) {
      const v = state.filters[k];
      if (!v || (without || []).includes(k)) continue;
      if (k === "review") { if (state.filters.canonical !== "true") q.set(v === "flagged" ? "flagged" : "review", v === "flagged" ? "true" : v); }
      else q.set(k, v);
    }
    // the queue holds unreviewed reports unless a review filter says otherwise
    if (state.queue && !state.filters.review && !(without || []).includes("review")) q.set("review", "unreviewed");
    if (state.queue) q.delete("canonical");
    for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
    return q.toString();
  }

  // -- API ---------------------------------------------------------------------------------------
  async function api(path, opts) {
    const o = opts || {};
    const headers = { Accept: "application/json" };
    const token = o.token !== undefined ? o.token : state.token;
    if (token) headers.Authorization = "Bearer " + token;
    if (o.body !== undefined) headers["Content-Type"] = "application/json";
    const resp = await fetch(path, { method: o.method || "GET", headers, body: o.body !== undefined ? JSON.stringify(o.body) : undefined });
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (!resp.ok) { const err = new Error((body && body.error) || `HTTP ${resp.status}`); err.status = resp.status; throw err; }
    return body;
  }
  const isReviewer = () => !!(state.me && state.me.roles.includes("reviewer"));
  function setStatus(text, error) {
    $("status").textContent = text;
    $("status").classList.toggle("error", !!error);
  }

  // -- map -----------------------------------------------------------------------------------------
  function fixDateLine(geo) {
    // rings that cross the 180th meridian, and western rings of mostly eastern countries (Russia,
    // Fiji), are shifted by 360 degrees so they do not draw lines across the map
    const shiftRing = (ring) => ring.map(([x, y]) => [x < 0 ? x + 360 : x, y]);
    for (const f of geo.features) {
      const g = f.geometry;
      if (!g) continue;
      const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
      let east = false;
      for (const poly of polys) for (const ring of poly) if (ring.some(([x]) => x > 150)) east = true;
      for (const poly of polys) {
        for (let i = 0; i < poly.length; i++) {
          const xs = poly[i].map((p) => p[0]);
          const span = Math.max(...xs) - Math.min(...xs);
          if (span > 180 || (east && Math.max(...xs) < -150)) poly[i] = shiftRing(poly[i]);
        }
      }
    }
    return geo;
  }
  async function initMap() {
    ui.map = L.map("map", { worldCopyJump: false, minZoom: 1, maxZoom: 14, zoomSnap: 0.5, attributionControl: true, keyboard: true })
      .setView([25, 30], 2);
    ui.map.attributionControl.setPrefix(false);
    ui.map.attributionControl.addAttribution("Natural Earth (world-atlas)");
    ui.cluster = L.markerClusterGroup({ maxClusterRadius: 35, showCoverageOnHover: false, chunkedLoading: true, animate: false });
    ui.map.addLayer(ui.cluster);
    try {
      const resp = await fetch("/static/vendor/world-atlas/countries-50m.json");
      const world = await resp.json();
      const geo = fixDateLine(topojson.feature(world, world.objects.countries));
      L.geoJSON(geo, { interactive: false, style: () => ({ className: "country", weight: 0.6, color: "#a9a39a", fillColor: "#f4f2ec", fillOpacity: 1 }) })
        .addTo(ui.map).bringToBack();
    } catch (e) {
      setStatus("country outlines could not be loaded: " + e.message, true);
    }
    const legend = $("legend");
    for (const t of TYPES) {
      const item = el("span", { text: t.toLowerCase() });
      item.style.setProperty("--c", COLORS[t]);
      legend.append(item);
    }
  }
  function radius(ev) {
    const dead = (ev.size && ev.size.dead) || 0;
    return 5 + 3 * Math.sqrt(Math.min(dead, 400));
  }
  function drawMap() {
    ui.cluster.clearLayers();
    const markers = [];
    for (const ev of state.events) {
      const loc = ev.event_loc;
      if (!loc || loc.lat === null || loc.lon === null || loc.lat === undefined) continue;
      const type = ev.event[0];
      const m = L.circleMarker([loc.lat, loc.lon], {
        radius: radius(ev), color: "#222", weight: 1, fillColor: COLORS[type] || "#868e96", fillOpacity: 0.8,
        className: "event-marker",
      });
      m.bindTooltip(`${ev.date || "undated"} ${type} ${loc.resolved_place || loc.extracted_place || ""}`.trim());
      m.on("click", () => openEvent(ev.id, true));
      m.eventId = ev.id;
      markers.push(m);
    }
    ui.cluster.addLayers(markers);
    window.eventwire.mapped = markers.length;
    $("map").dataset.mapped = String(markers.length);
    if (markers.length) {
      const b = L.latLngBounds(markers.map((m) => m.getLatLng()));
      ui.map.fitBounds(b.pad(0.3), { maxZoom: 7, animate: false });
    }
  }

  // -- timeline -------------------------------------------------------------------------------------
  const DAY = 86400000;
  const toDay = (s) => Date.parse(s + "T00:00:00Z");
  const fromDay = (t) => new Date(t).toISOString().slice(0, 10);
  function drawTimeline(summary) {
    ui.lastTimeline = summary;
    const svg = $("timeline");
    svg.replaceChildren();
    const W = svg.clientWidth || 600, H = svg.clientHeight || 90, pad = 14;
    const days = summary.by_day;
    ui.timeline = null;
    if (!days.length) return;
    let t0 = toDay(days[0][0]), t1 = toDay(days[days.length - 1][0]);
    if (t1 - t0 < 14 * DAY) { const mid = (t0 + t1) / 2; t0 = mid - 7 * DAY; t1 = mid + 7 * DAY; }
    t1 += DAY;
    const x = (t) => pad + ((t - t0) / (t1 - t0)) * (W - 2 * pad);
    const inv = (px) => t0 + ((px - pad) / (W - 2 * pad)) * (t1 - t0);
    const max = Math.max(...days.map((d) => d[1]));
    const ns = "http://www.w3.org/2000/svg";
    const bw = Math.max(1, x(t0 + DAY) - x(t0) - 0.5);
    for (const [d, n] of days) {
      const r = document.createElementNS(ns, "rect");
      const h = Math.max(1, ((H - 2 * pad) * n) / max);
      r.setAttribute("class", "bar"); r.setAttribute("x", x(toDay(d))); r.setAttribute("width", bw);
      r.setAttribute("y", H - pad - h); r.setAttribute("height", h);
      const title = document.createElementNS(ns, "title"); title.textContent = `${d}: ${n} event${n === 1 ? "" : "s"}`;
      r.append(title);
      svg.append(r);
    }
    for (const [t, anchor] of [[t0, "start"], [t1 - DAY, "end"]]) {
      const tx = document.createElementNS(ns, "text");
      tx.setAttribute("x", x(t) + (anchor === "end" ? bw : 0)); tx.setAttribute("y", H - 2); tx.setAttribute("text-anchor", anchor);
      tx.textContent = fromDay(t);
      svg.append(tx);
    }
    const brush = document.createElementNS(ns, "rect");
    brush.setAttribute("class", "brush"); brush.setAttribute("y", 2); brush.setAttribute("height", H - 4);
    svg.append(brush);
    ui.timeline = { x, inv, t0, t1, brush, sel: null };
    const f = state.filters;
    if (f.since || f.until) setBrush(f.since ? toDay(f.since) : t0, f.until ? toDay(f.until) + DAY : t1);
    else setBrush(null);
    svg.setAttribute("aria-valuetext", f.since || f.until ? `${f.since || "start"} to ${f.until || "end"}` : "all dates");
  }
  function setBrush(a, b) {
    const tl = ui.timeline;
    if (!tl) return;
    if (a === null) { tl.sel = null; tl.brush.setAttribute("width", 0); $("clear-dates").hidden = true; return; }
    const lo = Math.max(tl.t0, Math.min(a, b)), hi = Math.min(tl.t1, Math.max(a, b));
    tl.sel = [lo, hi];
    tl.brush.setAttribute("x", tl.x(lo)); tl.brush.setAttribute("width", Math.max(2, tl.x(hi) - tl.x(lo)));
    $("clear-dates").hidden = false;
  }
  function brushToFilters() {
    const tl = ui.timeline;
    if (!tl || !tl.sel) { delete state.filters.since; delete state.filters.until; }
    else {
      const lo = Math.floor(tl.sel[0] / DAY) * DAY, hi = Math.ceil(tl.sel[1] / DAY) * DAY - DAY;
      state.filters.since = fromDay(lo); state.filters.until = fromDay(Math.max(lo, hi));
    }
    fillForm();
    apply(true);
  }
  function initTimeline() {
    const svg = $("timeline");
    let start = null;
    const px = (e) => e.clientX - svg.getBoundingClientRect().left;
    svg.addEventListener("pointerdown", (e) => {
      if (!ui.timeline) return;
      start = ui.timeline.inv(px(e)); svg.setPointerCapture(e.pointerId); setBrush(start, start);
    });
    svg.addEventListener("pointermove", (e) => { if (start !== null) setBrush(start, ui.timeline.inv(px(e))); });
    svg.addEventListener("pointerup", (e) => {
      if (start === null) return;
      const end = ui.timeline.inv(px(e));
      start = null;
      if (Math.abs(ui.timeline.x(end) - ui.timeline.x(ui.timeline.sel[0])) < 3 && ui.timeline.sel[1] - ui.timeline.sel[0] < DAY) {
        setBrush(Math.floor(end / DAY) * DAY, Math.floor(end / DAY) * DAY + DAY); // a click selects its day
      }
      brushToFilters();
    });
    let keyTimer = null;
    svg.addEventListener("keydown", (e) => {
      const tl = ui.timeline;
      if (!tl) return;
      if (e.key === "Escape") { setBrush(null); brushToFilters(); return; }
      if (!["ArrowLeft", "ArrowRight"].includes(e.key)) return;
      e.preventDefault();
      const step = (e.key === "ArrowLeft" ? -1 : 1) * DAY * (e.ctrlKey ? 7 : 1);
      let [a, b] = tl.sel || [tl.t1 - 7 * DAY, tl.t1];
      if (e.shiftKey) b += step; else { a += step; b += step; }
      if (b - a < DAY) b = a + DAY;
      setBrush(a, b);
      clearTimeout(keyTimer);
      keyTimer = setTimeout(brushToFilters, 400);
    });
    $("clear-dates").addEventListener("click", () => { setBrush(null); brushToFilters(); });
  }

  // -- table ----------------------------------------------------------------------------------------
  const who = (list) => (list || []).map((a) => a.entity_text + (a.code ? ` (${a.code})` : "")).slice(0, 2).join("; ");
  const place = (ev) => { const l = ev.event_loc; return l ? (l.resolved_place || l.extracted_place || "") + (l.country_code ? `, ${l.country_code}` : "") : ""; };
  function drawTable(reset) {
    const body = $("events").tBodies[0];
    if (reset) { body.replaceChildren(); state.shown = 0; }
    const next = state.events.slice(state.shown, state.shown + TABLE_STEP);
    for (const ev of next) {
      const type = ev.event[0];
      const dot = el("span", { class: "type-dot" }); dot.style.background = COLORS[type] || "#868e96";
      const open = el("button", { type: "button", class: "linklike", text: ev.date || "undated", "aria-label": `Open ${type} event of ${ev.date || "unknown date"}` });
      open.addEventListener("click", (e) => { e.stopPropagation(); openEvent(ev.id, true); });
      const dead = ev.size && ev.size.dead !== null && ev.size.dead !== undefined ? String(ev.size.dead) : "";
      const tr = el("tr", { "data-id": ev.id, "aria-selected": ev.id === state.selected ? "true" : "false" },
        el("td", {}, open), el("td", {}, dot, type.toLowerCase()), el("td", { text: who(ev.actor) }), el("td", { text: who(ev.recipient) }),
        el("td", { text: place(ev) }), el("td", { class: "num", text: dead }), el("td", { class: "num", text: Number(ev.confidence).toFixed(2) }),
        el("td", { class: "review" }, reviewBadge(ev.review)));
      tr.addEventListener("click", () => openEvent(ev.id, true));
      body.append(tr);
    }
    state.shown += next.length;
    $("more").hidden = state.shown >= state.events.length;
    $("table-title").textContent = `${state.queue ? "To review, least confident first" : state.canonical ? "Merged events" : "Events"} (${state.events.length}${state.truncated ? "+" : ""})`;
  }
  function reviewBadge(review) {
    if (!review || (review.status === "unreviewed" && !review.flag)) return null;
    return el("span", { class: `badge review-${review.status}${review.flag ? " flagged" : ""}`, text: review.status,
      title: [review.by ? `by ${review.by}` : "", review.at || "", review.flag || ""].filter(Boolean).join(" · ") });
  }

  // -- loading --------------------------------------------------------------------------------------
  async function load() {
    const seq = ++state.loadSeq;
    document.body.dataset.ready = "0";
    setStatus("Loading…");
    try {
      const [summary, timeline] = await Promise.all([
        api("/api/summary?" + query()),
        api("/api/summary?" + query({}, ["since", "until"])),
      ]);
      let events = [], after = null, truncated = false;
      const listing = state.queue ? "/api/review/queue?" : "/api/events?";
      do {
        const page = await api(listing + query(Object.assign({ limit: "1000" }, after ? { after } : {})));
        events = events.concat(page.events);
        after = page.next;
        if (events.length >= MAX_EVENTS && after) { truncated = true; break; }
      } while (after);
      if (seq !== state.loadSeq) return;  // a newer load started
      state.events = events; state.truncated = truncated; state.canonical = !state.queue && state.filters.canonical === "true";
      for (const [cc] of timeline.by_country) if (cc) state.countries.add(cc);
      const dl = $("countries"); dl.replaceChildren(...[...state.countries].sort().map((c) => el("option", { value: c })));
      drawMap(); drawTimeline(timeline); drawTable(true);
      const mapped = window.eventwire.mapped;
      setStatus(`${summary.total} ${state.queue ? "reports to review" : state.canonical ? "merged events" : "events"} match; ${mapped} on the map${truncated ? ` (first ${events.length})` : ""}; ` +
        `${summary.store.documents} documents in the store`);
    } catch (e) {
      setStatus("Could not load events: " + e.message, true);
    } finally {
      if (seq === state.loadSeq) document.body.dataset.ready = "1";
    }
  }
  function apply(push) {
    writeUrl(push);
    return load();
  }

  // -- the event and its evidence -------------------------------------------------------------------
  function highlighted(text, evidence, sentence) {
    // the text as nodes: one segment per run of characters covered by the same highlights
    const spans = [];
    for (const [key, list] of Object.entries(evidence || {})) {
      if (!HL[key]) continue;
      for (const [s, e] of list || []) if (e > s) spans.push({ s: Math.max(0, s), e: Math.min(text.length, e), key });
    }
    const cuts = new Set([0, text.length]);
    for (const sp of spans) { cuts.add(sp.s); cuts.add(sp.e); }
    if (sentence) { cuts.add(sentence[0]); cuts.add(sentence[1]); }
    const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
    const out = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = text.slice(a, b);
      const keys = spans.filter((sp) => sp.s <= a && sp.e >= b).map((sp) => sp.key);
      const inSentence = sentence && a >= sentence[0] && b <= sentence[1];
      let node;
      if (keys.length) {
        const uniq = [...new Set(keys)];
        node = el("mark", { class: HL[uniq[0]] + (uniq.length > 1 ? " multi" : "") + (inSentence ? " in-sentence" : ""),
          title: uniq.map((k) => HL_NAMES[k]).join(", "), "data-field": uniq.join(" "), text: piece });
      } else if (inSentence) {
        node = el("span", { class: "evidence-sentence", text: piece });
      } else {
        node = document.createTextNode(piece);
      }
      out.append(node);
    }
    return out;
  }
  function recordList(ev) {
    const dl = el("dl");
    const row = (k, v) => { if (v !== null && v !== undefined && v !== "") dl.append(el("dt", { text: k }), el("dd", { text: String(v) })); };
    const loc = ev.event_loc || {};
    const size = ev.size || {};
    row("event", (ev.event || []).join(", "));
    row("mode", (ev.mode || []).join(", "));
    row("context", (ev.context || []).join(", "));
    row("date", ev.date ? ev.date + (ev.enddate ? ` to ${ev.enddate}` : "") + (ev.date_precision ? ` (${ev.date_precision}, from ${ev.date_source})` : "") : "");
    row("actor", (ev.actor || []).map((a) => `${a.entity_text} [${a.code || "-"}/${a.sector || "-"}]`).join("; "));
    row("recipient", (ev.recipient || []).map((a) => `${a.entity_text} [${a.code || "-"}/${a.sector || "-"}]`).join("; "));
    row("place", loc.resolved_place ? `${loc.resolved_place}${loc.province ? ", " + loc.province : ""}${loc.country_code ? " (" + loc.country_code + ")" : ""}` +
      (loc.lat !== null && loc.lat !== undefined ? ` ${Number(loc.lat).toFixed(3)}, ${Number(loc.lon).toFixed(3)}` : "") : "");
    row("dead / injured / arrested", [size.dead, size.injured, size.arrested].map((x) => (x === null || x === undefined ? "–" : x)).join(" / "));
    row("CAMEO", ev.cameo);
    row("ACLED", ev.acled_event_type ? ev.acled_event_type + (ev.acled_sub_event_type ? ": " + ev.acled_sub_event_type : "") : "");
    row("confidence", ev.confidence !== undefined ? Number(ev.confidence).toFixed(2) : "");
    row("reports", ev.n_reports);
    row("id", ev.id);
    return dl;
  }
  async function documentOf(id) {
    if (!state.docs.has(id)) state.docs.set(id, api("/api/documents/" + encodeURIComponent(id)));
    return state.docs.get(id);
  }
  async function openEvent(id, push) {
    state.selected = id;
    writeUrl(push);
    for (const tr of $("events").tBodies[0].rows) tr.setAttribute("aria-selected", tr.dataset.id === id ? "true" : "false");
    const panel = $("detail");
    panel.hidden = false;
    document.querySelector("main").classList.remove("no-detail");
    panel.dataset.ready = "0";
    $("record").replaceChildren(el("p", { text: "Loading…" }));
    $("reports").replaceChildren();
    try {
      const info = await api("/api/events/" + encodeURIComponent(id));
      if (state.selected !== id) return;
      const ev = info.canonical || info.event;
      $("detail-title").textContent = `${ev.event[0]} ${ev.date ? "on " + ev.date : "(undated)"}`;
      $("record").replaceChildren(recordList(ev));
      const reports = info.reports.length ? info.reports : [];
      const blocks = await Promise.all(reports.map(async (r, i) => {
        const doc = await documentOf(r.document.id);
        const rec = r.event;
        const ti = rec.text_info || {};
        const sentence = ti.start !== null && ti.start !== undefined ? [ti.start, ti.end] : null;
        const title = r.document.title || r.document.id;
        const meta = [r.document.source, r.document.publication_date, r.reason && r.reason.rule === "first report" ? "first report" : r.reason ? `merged (score ${r.reason.score})` : null]
          .filter(Boolean).join(" · ");
        const link = r.document.url && /^https?:\/\//.test(r.document.url) ? el("a", { href: r.document.url, rel: "noopener noreferrer", target: "_blank", text: "source" }) : null;
        const text = el("div", { class: "source-text", tabindex: "0", "aria-label": `Text of ${title} with the evidence highlighted` });
        text.append(highlighted(doc.text, rec.evidence, sentence));
        return el("article", { class: "report", "data-event": rec.id, "data-review": (rec.review && rec.review.status) || "unreviewed" },
          el("h3", { text: `Report ${i + 1}: ${title}` }), el("p", { class: "meta" }, meta, link ? " · " : null, link),
          reviewBar(rec), text, await historyOf(rec));
      }));
      if (state.selected !== id) return;
      $("reports").replaceChildren(...blocks);
      for (const t of document.querySelectorAll("#reports .source-text")) {
        const first = t.querySelector("mark.in-sentence, .evidence-sentence, mark");
        if (first) t.scrollTop = Math.max(0, first.offsetTop - 40);
      }
      $("detail-title").focus({ preventScroll: window.innerWidth > 900 });
    } catch (e) {
      $("record").replaceChildren(el("p", { class: "error", text: "Could not load the event: " + e.message }));
    } finally {
      panel.dataset.ready = "1";
    }
  }
  // -- reviewing -----------------------------------------------------------------------------------
  const FIELD_NAMES = { type: "type", mode: "mode", actor: "actor", recipient: "recipient", place: "place", date: "date",
    dead: "dead", injured: "injured", arrested: "arrested", acled_event_type: "ACLED type", acled_sub_event_type: "ACLED sub-type" };
  function shown(field, v) {
    if (v === null || v === undefined || v === "") return "–";
    if (field === "place") return v.resolved_place ? v.resolved_place + (v.country_code ? ` (${v.country_code})` : "") : "–";
    if (field === "date") return v.date ? v.date + (v.enddate ? ` to ${v.enddate}` : "") : "–";
    if (field === "actor" || field === "recipient") return v.map((a) => a.entity_text + (a.code ? ` [${a.code}]` : "")).join("; ") || "–";
    if (Array.isArray(v)) return v.join(", ") || "–";
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }
  function reviewBar(rec) {
    const review = rec.review || { status: "unreviewed" };
    const bar = el("div", { class: "review-bar", "data-event": rec.id },
      el("span", { class: `badge review-${review.status}${review.flag ? " flagged" : ""}`, text: review.status }),
      review.by ? el("span", { class: "who", text: `by ${review.by}${review.at ? " · " + review.at.replace("T", " ") : ""}` }) : null,
      review.flag ? el("span", { class: "flag", text: review.flag }) : null);
    if (!isReviewer() || !rec.id.startsWith("ew-")) return bar;
    const button = (label, key, action) => {
      const b = el("button", { type: "button", class: `review-${action}`, "aria-keyshortcuts": key, title: `${label} (key ${key})`, text: label });
      b.addEventListener("click", () => reviewAction(rec, action));
      return b;
    };
    bar.append(button("Confirm", "c", "confirm"), button("Reject", "x", "reject"), button("Edit", "e", "edit"));
    return bar;
  }
  async function historyOf(rec) {
    if (!rec.review || rec.review.status === "unreviewed") { if (!(rec.review && rec.review.flag)) return null; }
    let h;
    try { h = await api(`/api/events/${encodeURIComponent(rec.id)}/history`); } catch (e) { return null; }
    if (!h.changes.length) return null;
    const list = el("ol");
    for (const c of h.changes) {
      const when = (c.at || "").replace("T", " ");
      let what;
      if (c.action === "correct") what = [`corrected ${FIELD_NAMES[c.field] || c.field}: `, el("span", { class: "old", text: shown(c.field, c.from) }), ` → ${shown(c.field, c.to)}`];
      else if (c.action === "revert") what = [`withdrew the correction of ${FIELD_NAMES[c.field] || c.field}: back to ${shown(c.field, c.to)}`];
      else if (c.action === "status") what = [c.from === c.to ? `${c.to} again` : `status ${c.from} → ${c.to}`];
      else if (c.action === "note") what = [`note: ${c.note}`];
      else if (c.action === "flag") what = [c.to ? `flagged: ${c.to}` : "flag cleared"];
      else if (c.action === "recode") what = [c.field ? `coded again: ${FIELD_NAMES[c.field] || c.field} ${shown(c.field, c.from)} → ${shown(c.field, c.to)}` : `coded again (${c.note || ""})`];
      else if (c.action === "link" || c.action === "unlink") what = [`${c.action === "link" ? "linked" : "unlinked"} as ${c.field} event: ${c.to || c.from}`];
      else what = [c.action + (c.note ? `: ${c.note}` : "")];
      list.append(el("li", { "data-action": c.action, "data-field": c.field || "" }, `${when} ${c.by}: `, ...what));
    }
    const coder = el("p", { class: "coder-values", text: "Coder's values: " +
      ["type", "place", "date", "dead", "injured", "arrested"].map((f) => `${FIELD_NAMES[f]} ${shown(f, h.coder[f])}`).join(" · ") });
    return el("details", { class: "history", "data-event": rec.id }, el("summary", { text: `History (${h.changes.length} changes)` }), coder, list);
  }
  function reportOf(id) {
    // the report the keyboard acts on: the one opened, else the first shown
    return document.querySelector(`#reports article[data-event="${CSS.escape(id || "")}"]`) || document.querySelector("#reports article");
  }
  async function reviewAction(rec, action) {
    if (action === "edit") return openEditor(rec);
    await saveReview(rec, { status: action === "confirm" ? "confirmed" : "rejected" }, state.queue);
  }
  async function saveReview(rec, body, advance) {
    const article = reportOf(rec.id);
    const panel = $("detail");
    panel.dataset.ready = "0";
    try {
      const out = await api(`/api/events/${encodeURIComponent(rec.id)}`, { method: "PATCH", body });
      setStatus(`Saved: ${rec.id} is ${out.event.review.status} (by ${out.event.review.by})`);
      const i = state.events.findIndex((e) => e.id === state.selected);
      await load();
      if (advance && state.events.length) {
        const next = state.events[Math.min(Math.max(i, 0), state.events.length - 1)];
        if (next) { await openEvent(next.id, true); return; }
      }
      if (state.selected) await openEvent(state.selected, false);
    } catch (e) {
      panel.dataset.ready = "1";
      const msg = e.status === 401 ? "sign in again: " + e.message : e.message;
      if (article) article.querySelector(".review-bar").append(el("span", { class: "error", role: "alert", text: "Not saved: " + msg }));
      setStatus("Not saved: " + msg, true);
    }
  }
  let placeTimer = null;
  function openEditor(rec) {
    const article = reportOf(rec.id);
    if (!article) return;
    const old = article.querySelector("form.edit");
    if (old) { old.querySelector("input, select").focus(); return; }
    const loc = rec.event_loc || {};
    const size = rec.size || {};
    const typeSel = el("select", { name: "type", id: `edit-type-${rec.id}` });
    for (const t of TYPES) typeSel.append(el("option", { value: t, text: t.toLowerCase(), selected: t === rec.event[0] }));
    const listId = `places-${rec.id}`;
    const places = el("datalist", { id: listId });
    const placeIn = el("input", { name: "place", id: `edit-place-${rec.id}`, list: listId, value: loc.resolved_place || "", autocomplete: "off", placeholder: "place name" });
    const picked = new Map();
    placeIn.addEventListener("input", () => {
      clearTimeout(placeTimer);
      const q = placeIn.value.trim();
      if (q.length < 2 || picked.has(q)) return;
      placeTimer = setTimeout(async () => {
        try {
          const res = await api("/api/places?" + new URLSearchParams({ q, limit: "8", ...(loc.country_code ? { country: loc.country_code } : {}) }));
          places.replaceChildren();
          for (const p of res.places) {
            const label = [p.resolved_place, p.province, p.country_code].filter(Boolean).join(", ") + (p.geonameid ? ` #${p.geonameid}` : "");
            picked.set(label, p);
            places.append(el("option", { value: label }));
          }
        } catch (e) { /* suggestions are a help only */ }
      }, 200);
    });
    const num = (name, v) => el("input", { name, id: `edit-${name}-${rec.id}`, type: "number", min: "0", step: "1", inputmode: "numeric", value: v === null || v === undefined ? "" : String(v) });
    const dateIn = el("input", { name: "date", id: `edit-date-${rec.id}`, type: "date", value: rec.date || "" });
    const note = el("textarea", { name: "note", id: `edit-note-${rec.id}`, rows: "2", maxlength: "2000", placeholder: "why (optional)" });
    const row = (label, input) => [el("label", { for: input.id, text: label }), input];
    const form = el("form", { class: "edit", "aria-label": "Correct this event" },
      ...row("Type", typeSel), ...row("Place", placeIn), places, ...row("Date", dateIn),
      ...row("Dead", num("dead", size.dead)), ...row("Injured", num("injured", size.injured)), ...row("Arrested", num("arrested", size.arrested)),
      ...row("Note", note),
      el("div", { class: "actions" }, el("button", { type: "submit", text: "Save correction" }), el("button", { type: "button", class: "cancel", text: "Cancel" })));
    form.querySelector(".cancel").addEventListener("click", () => form.remove());
    form.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.stopPropagation(); form.remove(); } });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = {};
      if (typeSel.value !== rec.event[0]) body.type = typeSel.value;
      const p = placeIn.value.trim();
      if (p && p !== (loc.resolved_place || "")) {
        const chosen = picked.get(p);
        body.place = chosen ? { name: chosen.resolved_place, geonameid: chosen.geonameid, country_code: chosen.country_code } : p;
      }
      if (dateIn.value && dateIn.value !== (rec.date || "")) body.date = dateIn.value;
      for (const k of ["dead", "injured", "arrested"]) {
        const v = form.elements[k].value;
        const was = size[k] === null || size[k] === undefined ? "" : String(size[k]);
        if (v !== was) body[k] = v === "" ? null : Number(v);
      }
      if (note.value.trim()) body.note = note.value.trim();
      if (!Object.keys(body).filter((k) => k !== "note").length) body.status = "confirmed";
      saveReview(rec, body, false);
    });
    article.querySelector(".review-bar").after(form);
    typeSel.focus();
  }

  function closeEvent(push) {
    state.selected = null;
    $("detail").hidden = true;
    document.querySelector("main").classList.add("no-detail");
    writeUrl(push);
    for (const tr of $("events").tBodies[0].rows) tr.setAttribute("aria-selected", "false");
  }

  // -- start ----------------------------------------------------------------------------------------
  // -- signing in, the queue and the keyboard -------------------------------------------------------
  async function signIn(token) {
    const me = await api("/api/me", { token });
    state.token = token; state.me = me;
    sessionStorage.setItem(TOKEN_KEY, token);
    showAccount();
  }
  function signOut() {
    state.token = null; state.me = null;
    sessionStorage.removeItem(TOKEN_KEY);
    showAccount();
    if (state.selected) openEvent(state.selected, false);
  }
  function showAccount() {
    const me = state.me;
    $("who").textContent = me ? `${me.name} (${me.roles.includes("reviewer") ? "reviewer" : "reader"})` : "";
    $("signin-open").hidden = !!me || !$("signin").hidden;
    $("signout").hidden = !me;
    document.body.dataset.reviewer = isReviewer() ? "1" : "0";
  }
  function setQueue(on) {
    state.queue = on;
    $("queue").setAttribute("aria-pressed", on ? "true" : "false");
    $("queue").textContent = on ? "Leave the queue" : "Review queue";
    $("keys").hidden = !on;
    return load().then(() => { if (on && state.events.length) return openEvent(state.events[0].id, true); });
  }
  function step(delta) {
    if (!state.events.length) return;
    const i = state.events.findIndex((e) => e.id === state.selected);
    const j = Math.max(0, Math.min(state.events.length - 1, i < 0 ? 0 : i + delta));
    if (j >= state.shown) drawTable(false);
    openEvent(state.events[j].id, true);
    const row = document.querySelector(`#events tbody tr[data-id="${CSS.escape(state.events[j].id)}"]`);
    if (row) row.scrollIntoView({ block: "nearest" });
  }
  function onKey(e) {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName)))) return;
    if (e.key === "j") { e.preventDefault(); step(1); return; }
    if (e.key === "k") { e.preventDefault(); step(-1); return; }
    if (!["c", "x", "e"].includes(e.key) || $("detail").hidden || !isReviewer() || $("detail").dataset.ready !== "1") return;
    const article = reportOf(state.selected);
    if (!article) return;
    const button = article.querySelector({ c: "button.review-confirm", x: "button.review-reject", e: "button.review-edit" }[e.key]);
    if (button) { e.preventDefault(); button.click(); }
  }

  async function start() {
    const sel = $("f-type");
    for (const t of TYPES) sel.append(el("option", { value: t, text: t.toLowerCase() }));
    $("signin-open").addEventListener("click", () => { $("signin").hidden = false; $("signin-open").hidden = true; $("token").focus(); });
    $("signin-cancel").addEventListener("click", () => { $("signin").hidden = true; showAccount(); });
    $("signin").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await signIn($("token").value.trim());
        $("token").value = ""; $("signin").hidden = true; showAccount();
        setStatus(`Signed in as ${state.me.name}`);
        if (state.selected) openEvent(state.selected, false);
      } catch (err) {
        setStatus("Sign-in failed: " + err.message, true);
      }
    });
    $("signout").addEventListener("click", signOut);
    $("queue").addEventListener("click", () => setQueue(!state.queue));
    document.addEventListener("keydown", onKey);
    if (state.token) { try { await signIn(state.token); } catch (e) { signOut(); } }
    showAccount();
    readUrl();
    fillForm();
    document.querySelector("main").classList.toggle("no-detail", !state.selected);
    $("filters").addEventListener("submit", (e) => { e.preventDefault(); state.filters = readForm(); apply(true); });
    $("f-conf").addEventListener("input", () => { $("f-conf-out").textContent = $("f-conf").value; });
    for (const id of ["f-type", "f-canonical", "f-review"]) $(id).addEventListener("change", () => { state.filters = readForm(); fillForm(); apply(true); });
    $("reset").addEventListener("click", () => { state.filters = {}; fillForm(); closeEvent(false); apply(true); });
    $("more").addEventListener("click", () => drawTable(false));
    $("close-detail").addEventListener("click", () => closeEvent(true));
    document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("detail").hidden && e.target.id !== "timeline") closeEvent(true); });
    window.addEventListener("popstate", () => { readUrl(); fillForm(); load(); if (state.selected) openEvent(state.selected, false); else closeEvent(false); });
    initTimeline();
    await initMap();
    await load();
    if (state.selected) openEvent(state.selected, false);
  }
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    if (ui.map) ui.map.invalidateSize();
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (ui.lastTimeline) drawTimeline(ui.lastTimeline); }, 150);
  });
  start();
})();
