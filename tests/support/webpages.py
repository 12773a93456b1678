"""Web pages, feeds and WARC archives written for the tests (no copied articles): four short
news reports of invented incidents in real places, a syndicated copy of one, and builders that
wrap them in the HTML, RSS, Atom and WARC shapes eventwire reads."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from html import escape


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: date
    author: str

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


MOSUL = Article(
    "mosul-checkpoint",
    "Gunmen kill three police officers near Mosul",
    (
        "Militants attacked a police checkpoint on the outskirts of Mosul on Tuesday, killing three "
        "officers and wounding five others, a provincial official said.",
        "The gunmen arrived in two pickup trucks shortly after dawn and opened fire before fleeing "
        "toward the desert, according to the official, who spoke on condition of anonymity.",
        "Security forces later sealed off the area and began searching nearby villages for the attackers.",
        "No group immediately claimed responsibility for the attack, the third on security forces in "
        "the province this month.",
    ),
    date(2023, 6, 13),
    "Hana Reed",
)
MOGADISHU = Article(
    "mogadishu-market",
    "Car bomb kills seven at Mogadishu market",
    (
        "A car bomb exploded near a busy market in Mogadishu on Sunday, killing at least seven people, "
        "police said.",
        "The blast struck as shoppers gathered before the evening meal, witnesses told reporters, and "
        "shattered the windows of shops along the street.",
        "Ambulance crews carried dozens of wounded people to the main hospital of the city.",
        "Officials blamed the al-Shabab militant group, which has carried out similar attacks in the "
        "Somali capital in recent years.",
    ),
    date(2023, 6, 11),
    "Omar Vale",
)
KIRKUK = Article(
    "kirkuk-protest",
    "Protesters demand jobs and power in Kirkuk",
    (
        "Hundreds of people protested outside the office of the governor in Kirkuk on Monday to demand "
        "jobs and better electricity supplies.",
        "Demonstrators blocked the main road for several hours and chanted slogans against local officials.",
        "Police fired tear gas to disperse the crowd, and at least twelve protesters were arrested, a "
        "police spokesman said.",
        "The governor promised to meet representatives of the protesters later in the week.",
    ),
    date(2023, 6, 12),
    "Lina Park",
)
ALEPPO = Article(
    "aleppo-strikes",
    "Air strikes kill four civilians west of Aleppo",
    (
        "Warplanes struck a village west of Aleppo on Thursday, killing four civilians including two "
        "children, a monitoring group said.",
        "The strikes hit several homes and a bakery shortly before noon, residents said.",
        "Rescue workers searched the rubble for survivors into the night while families gathered at "
        "the edge of the village.",
        "The government did not comment on the raids.",
    ),
    date(2023, 6, 15),
    "Sami Ford",
)
ARTICLES = (MOSUL, MOGADISHU, KIRKUK, ALEPPO)

# MOSUL as another outlet republishes it: its own headline, a credit line, the same report
MOSUL_SYNDICATED = Article(
    "wire-mosul-police",
    "Three police officers killed in attack near Mosul",
    (*MOSUL.paragraphs, "This report was distributed by a partner news agency."),
    date(2023, 6, 13),
    "Hana Reed",
)

BOILERPLATE_WORDS = ("Subscribe to our newsletter", "Most read", "Reader comment", "All rights reserved")


def article_html(
    a: Article,
    *,
    site: str = "The Lantern",
    canonical: str | None = None,
    date_style: str = "og",
    charset: str | None = "utf-8",
) -> str:
    """A news page: navigation, the article, related links, comments and a footer.

    ``date_style``: where the publication date is (og, jsonld, time, meta, none)."""
    iso = a.published.isoformat()
    head = [f'<meta charset="{charset}">' if charset else "", f"<title>{escape(a.title)} | {site}</title>",
            f'<meta property="og:site_name" content="{site}">', f'<meta name="author" content="{a.author}">']
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if date_style == "og":
        head.append(f'<meta property="article:published_time" content="{iso}T08:30:00Z">')
    elif date_style == "jsonld":
        head.append('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
                    f'"headline": "{a.title}", "datePublished": "{iso}T07:00:00+00:00"}}</script>')
    elif date_style == "meta":
        head.append(f'<meta name="date" content="{iso}">')
    byline = f'<p class="byline">By {a.author}</p>'
    if date_style == "time":
        byline += f'<time datetime="{iso}T09:00:00Z" class="published">{iso}</time>'
    paras = "".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
    nav = "".join(f'<li><a href="/section/{s}">{s.title()}</a></li>' for s in ("world", "politics", "sport"))
    related = "".join(f'<li><a href="/story/{i}">Most read story number {i}</a></li>' for i in range(5))
    return (
        f"<!DOCTYPE html><html lang=\"en\"><head>{''.join(head)}</head><body>"
        f"<header><nav><ul>{nav}</ul></nav><div class=\"promo\">Subscribe to our newsletter</div></header>"
        f"<main><article><h1>{escape(a.title)}</h1>{byline}{paras}</article>"
        f"<aside><h2>Most read</h2><ul>{related}</ul></aside>"
        f"<section id=\"comments\" class=\"comments\"><div class=\"comment\"><p>Reader comment: I have "
        f"been following this story for weeks and it is getting worse every day, sadly.</p></div></section></main>"
        f"<footer><p>Copyright 2023 {site}. All rights reserved.</p></footer></body></html>"
    )


def section_front_html(site: str = "The Lantern") -> str:
    """A page that is not an article: a list of headlines and links."""
    items = "".join(f'<li><a href="/story/{i}">Headline of story number {i} in the world section</a></li>'
                    for i in range(40))  # fmt: skip
    return (f"<!DOCTYPE html><html><head><title>World | {site}</title></head><body><nav><a href=\"/\">Home</a>"
            f"</nav><h1>World</h1><ul>{items}</ul><footer>All rights reserved.</footer></body></html>")  # fmt: skip


def _rfc822(d: date) -> str:
    return format_datetime(datetime(d.year, d.month, d.day, 8, 30, tzinfo=UTC), usegmt=True)


def rss(items: list[tuple[Article, str]], *, full_text: bool = False, title: str = "The Lantern: World") -> str:
    """An RSS 2.0 feed of (article, link) items: teasers, or the whole text in content:encoded."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
           f"<title>{escape(title)}</title><link>https://lantern.example/</link><description>News</description>"]  # fmt: skip
    for a, link in items:
        out.append(f"<item><title>{escape(a.title)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
                   f"<pubDate>{_rfc822(a.published)}</pubDate><author>desk@lantern.example ({a.author})</author>"
                   f"<description>{escape(a.paragraphs[0])}</description>")  # fmt: skip
        if full_text:
            html = "".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
            out.append(f"<content:encoded><![CDATA[{html}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(items: list[tuple[Article, str]], title: str = "Daily Courier") -> str:
    """An Atom feed whose entries carry the whole text."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{escape(title)}</title><id>urn:courier</id><updated>2023-06-16T00:00:00Z</updated>"]  # fmt: skip
    for a, link in items:
        html = escape("".join(f"<p>{p}</p>" for p in a.paragraphs))
        out.append(f'<entry><title>{escape(a.title)}</title><link rel="alternate" href="{escape(link)}"/>'
                   f"<id>{escape(link)}</id><published>{a.published.isoformat()}T06:00:00Z</published>"
                   f"<updated>{a.published.isoformat()}T06:00:00Z</updated><author><name>{a.author}</name></author>"
                   f'<content type="html">{html}</content></entry>')  # fmt: skip
    out.append("</feed>")
    return "\n".join(out)


def warc_bytes(records: list[tuple[str, str, bytes, str]], *, gz: bool = True) -> bytes:
    """A WARC archive of (kind, uri, payload, content type) records: kind ``response`` (an HTTP
    200 response), ``redirect`` (a 301 to the payload's URL), ``resource``, ``request`` or
    ``metadata``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "eventwire tests"}))
    for kind, uri, payload, ctype in records:
        if kind == "response":
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(payload)))],
                                       protocol="HTTP/1.1")  # fmt: skip
            rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
        elif kind == "redirect":
            headers = StatusAndHeaders("301 Moved Permanently", [("Location", payload.decode())], protocol="HTTP/1.1")
            rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(b""), http_headers=headers)
        elif kind == "request":
            headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "lantern.example")], is_http_request=True)
            rec = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=headers)
        else:
            rec = writer.create_warc_record(uri, kind, payload=io.BytesIO(payload), warc_content_type=ctype)
        writer.write_record(rec)
    return buf.getvalue()


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data)
