"""WARC benchmark: reading and extracting text from WARC records against coding them.

    .venv/bin/python benchmarks/warc.py [--corpus ../shared/corpus/voa_stories.jsonl] [--copies 1] [--repeat 3]

Builds, at run time and in a temporary folder, a gzipped WARC of the public-domain VOA stories
(Voice of America, voanews.com; see ../shared/corpus/ATTRIBUTION.md): each story wrapped in a news
page with navigation, a byline, related links, a comment and a footer, and the page's metadata
(title, author, publication date, canonical URL), as an HTTP response record with its request
record, plus an image response per page as a crawl would hold.  Then times

- read: ``ingest.warc.read_warc`` over the file (gzip, WARC parsing, HTML decoding, trafilatura's
  main-text extraction, metadata, htmldate), best of ``--repeat`` runs;
- fingerprint: the dedup fingerprints of the documents (``ingest.dedup``: MinHash of shingles);
- code: ``Pipeline.pipe`` over the extracted documents (what ``eventwire ingest`` does next);

and prints the ratio (read + fingerprint) / code (target <= 0.10), with the extraction's fidelity:
stories whose first and last sentences survive, and publication dates taken from the metadata.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "voa_stories.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def page(story: dict, n: int) -> bytes:
    """A news page around one story (the page's furniture written here)."""
    sentences = _SENTENCE.split(story["text"])
    paras = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    related = "".join(f'<li><a href="/a/related-{n}-{i}.html">Related story {i} in {html.escape(story.get("section") or "World")}</a></li>'
                      for i in range(6))  # fmt: skip
    nav = "".join(f'<li><a href="/z/{i}">{s}</a></li>' for i, s in enumerate(["World", "Africa", "Americas", "Asia", "Europe", "Middle East", "Video"]))
    published = story["published"].replace(" ", "T")
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(story['title'])} | Example News</title>"
        f"<link rel=\"canonical\" href=\"{html.escape(story['url'])}\">"
        f"<meta property=\"og:site_name\" content=\"Example News\"><meta name=\"author\" content=\"{html.escape(story.get('author') or '')}\">"
        f"<meta property=\"article:published_time\" content=\"{published}\">"
        "<script>window.analytics = {page: 1};</script><style>body{font-family:sans-serif}</style></head><body>"
        f"<header><nav><ul>{nav}</ul></nav><form><input name=\"q\" placeholder=\"Search\"></form></header>"
        f"<main><article><h1>{html.escape(story['title'])}</h1><p class=\"byline\">By {html.escape(story.get('author') or '')}</p>"
        f"{body}</article><aside><h2>Related</h2><ul>{related}</ul></aside>"
        "<section class=\"comments\"><p>Comments are closed for this story.</p></section></main>"
        "<footer><p>Follow us on social media. Privacy policy. Terms of use.</p></footer></body></html>"
    ).encode()


def build_warc(stories: list[dict], copies: int, path: Path) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 0
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "eventwire benchmarks/warc.py"}))
        for c in range(copies):
            for i, story in enumerate(stories):
                url = story["url"] + (f"?copy={c}" if c else "")
                req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "www.voanews.com")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
                body = page(story, i)
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                      ("Content-Length", str(len(body)))], protocol="HTTP/1.1")  # fmt: skip
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
                img = b"\x89PNG\r\n\x1a\n" + bytes(2048)
                ih = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url + ".png", "response", payload=io.BytesIO(img), http_headers=ih))
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--copies", type=int, default=1, help="write each story this many times (other URLs)")
    ap.add_argument("--repeat", type=int, default=3, help="read the archive this many times (best time kept)")
    ap.add_argument("--model", default=None)
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    stories = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()]

    from eventwire.ingest.dedup import fingerprint
    from eventwire.ingest.warc import read_warc
    from eventwire.model import Document
    from eventwire.pipeline import Pipeline

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "voa.warc.gz"
        pages = build_warc(stories, args.copies, path)
        size = path.stat().st_size
        # warm up the libraries' lazy imports and caches (trafilatura, htmldate, lxml)
        with path.open("rb") as fh:
            next(x for x in read_warc(fh, str(path)) if isinstance(x, Document))
        read_s = float("inf")
        docs: list[Document] = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            with path.open("rb") as fh:
                items = list(read_warc(fh, str(path)))
            read_s = min(read_s, time.perf_counter() - t0)
            docs = [x for x in items if isinstance(x, Document)]
    fingerprint(docs[0])
    t0 = time.perf_counter()
    for d in docs:
        fingerprint(d)
    fp_s = time.perf_counter() - t0

    by_url = {s["url"]: s for s in stories}
    kept = dated = 0
    for d in docs:
        s = by_url.get(d.url or "") or by_url.get(d.canonical_url or "")
        if s is None:
            continue
        sents = _SENTENCE.split(s["text"])
        kept += sents[0][:60] in d.text and sents[-1][-60:] in d.text
        dated += d.publication_date is not None and d.publication_date.isoformat() == s["published"][:10]

    pipe = Pipeline(args.model)
    pipe.process(docs[0])  # warm up (lazy gazetteer, dictionaries)
    t0 = time.perf_counter()
    n_events = sum(len(r.events) for r in pipe.pipe(docs, batch_size=16))
    code_s = time.perf_counter() - t0

    words = sum(len(d.text.split()) for d in docs)
    print(f"archive          {pages} pages ({len(stories)} VOA stories x {args.copies}), {size / 1e6:.1f} MB gzipped, "
          f"{3 * pages + 1} records")
    print(f"documents        {len(docs)} ({words} words); first and last sentence kept in {kept}, "
          f"date from metadata in {dated}")
    print(f"read + extract   {read_s:7.2f} s  ({read_s / len(docs) * 1000:6.1f} ms/page, best of {args.repeat})")
    print(f"fingerprint      {fp_s:7.2f} s  ({fp_s / len(docs) * 1000:6.1f} ms/page)")
    print(f"code             {code_s:7.2f} s  ({code_s / len(docs) * 1000:6.1f} ms/page, {n_events} events)")
    ratio = (read_s + fp_s) / code_s
    print(f"ratio            {ratio:7.3f}  ((read + extract + fingerprint) / code; target <= 0.10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
