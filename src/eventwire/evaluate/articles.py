"""Full news articles coded like the seed, several documents per set (``articles`` sets).

Each gold record is one article: ``doc_id``, ``publication_date`` and ``events``, each with ``key``,
``required`` (events any good coder must find; false for acceptable background events),
``event`` (PLOVER type), ``date``, ``actor``/``recipient`` (entities with ``code``), ``place``,
``country_iso3``, ``dead`` and optionally ``acled_event_type``.

Every article is scored with the seed's rule (``eventwire.evaluate.seed``: same primary type, date
within one day where the gold has one, an actor or recipient code in common where the gold has
any, one-to-one pairing with required events first) plus a place check by name or country, as the
gold places have no coordinates (``place_by_name``).  The set's figures add up the articles:

- ``required_recall``: required events found / required events;
- ``acceptable_found``: acceptable events found (and their total);
- ``precision``: output events that match any gold event of their article / output events;
- ``dates_exact``, ``dead_exact``, ``acled_exact``, ``places_exact``: among required events, those
  whose paired output has the gold date / dead count / ACLED event type / a place named by the
  gold's place name, over the required events where the gold gives one (an unfound event counts
  as not exact).

Per article: the same counts and the keys of the required events not found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventwire.evaluate.gold import SeedGold
from eventwire.evaluate.metrics import Rate
from eventwire.evaluate.seed import SeedReport, evaluate_seed
from eventwire.model import Event


@dataclass(slots=True)
class ArticleResult:
    doc_id: str
    report: SeedReport

    def to_dict(self) -> dict[str, Any]:
        d = self.report.to_dict()
        missed = [e.key for e in self.report.events if e.required and e.matched is None]
        return {
            "doc_id": self.doc_id,
            "required_found": d["required_found"],
            "required_total": d["required_total"],
            "acceptable_found": d["acceptable_found"],
            "acceptable_total": d["acceptable_total"],
            "outputs": d["outputs"],
            "outputs_matching": d["outputs_matching"],
            "precision": d["precision"],
            "required_missed": missed,
            "events": d["events"],
            "unmatched_outputs": d["unmatched_outputs"],
        }


def _sum(articles: list[ArticleResult], key: str) -> int:
    return sum(int(a.report.to_dict()[key]) for a in articles)


@dataclass(slots=True)
class ArticlesReport:
    articles: list[ArticleResult] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return len(self.articles)

    def rate(self, hits: str, total: str) -> Rate:
        return Rate(_sum(self.articles, hits), _sum(self.articles, total))

    @property
    def required_recall(self) -> Rate:
        return self.rate("required_found", "required_total")

    @property
    def precision(self) -> Rate:
        return self.rate("outputs_matching", "outputs")

    def to_dict(self) -> dict[str, Any]:
        return {
            "evaluator": "articles",
            "documents": self.documents,
            "required_recall": self.required_recall.to_dict(),
            "acceptable_found": self.rate("acceptable_found", "acceptable_total").to_dict(),
            "precision": self.precision.to_dict(),
            "dates_exact": self.rate("dates_exact", "dates_total").to_dict(),
            "dead_exact": self.rate("dead_exact", "dead_total").to_dict(),
            "acled_exact": self.rate("acled_exact", "acled_total").to_dict(),
            "places_exact": self.rate("places_exact", "places_total").to_dict(),
            "articles": [a.to_dict() for a in self.articles],
        }


def evaluate_articles(
    gold_records: Sequence[SeedGold], predictions: Mapping[str, Sequence[Event]]
) -> ArticlesReport:
    """Score each article's output events against its gold coding and add the articles up."""
    report = ArticlesReport()
    for rec in gold_records:
        doc_id = str(rec.get("doc_id"))
        seed = evaluate_seed(rec, list(predictions.get(doc_id, [])), place_by_name=True)
        report.articles.append(ArticleResult(doc_id, seed))
    return report
