"""Score the extractor against an annotated set (``shared/devset`` conventions).

Matching rules, field by field (each gold item matches at most one prediction):

- ``provinces``: canonical names, as sets.
- ``admin_units``: (name key, level, province), where the key ignores case, accents,
  spaces and apostrophes ("CưM'gar" = "Cư M'gar").
- ``figures``: equal value and overlapping spans. A gold figure marked ``optional`` is
  left out of the score: not missed when absent, and a prediction matching it is not false.
  A prediction marked ``optional`` (a vague quantity: "hàng trăm") that matches no gold figure
  is not false either.
- ``campaign_years``: as sets; ``campaign_years_exact`` counts articles where they are equal.
- ``events``: equal type and spans that overlap or lie within ``EVENT_NEARBY`` characters;
  ``events_dated`` also requires the same date (ISO day, "YYYY-MM" or null).
- ``people``: names, ignoring case and accents-placement differences (NFC + tone placement).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from newsmon.models import Extraction
from newsmon.text import normalize
from nlp.gazetteer import key_of
from nlp.pipeline import extract

__all__ = ["FIELDS", "ArticleResult", "EvalReport", "FieldScore", "evaluate", "format_report"]

FIELDS = ("provinces", "admin_units", "figures", "campaign_years", "events", "events_dated", "people")
EVENT_NEARBY = 80


@dataclass
class FieldScore:
    """Counts of true positives, false positives and false negatives, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: FieldScore) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class ArticleResult:
    """One article's scores and a readable list of its errors ("FP figures: ...")."""

    id: str
    scores: dict[str, FieldScore]
    errors: list[str] = field(default_factory=list)
    campaign_years_exact: bool = True


@dataclass
class EvalReport:
    """Per-field totals over the set, and per-article detail."""

    fields: dict[str, FieldScore]
    articles: list[ArticleResult]

    @property
    def campaign_years_exact(self) -> int:
        return sum(a.campaign_years_exact for a in self.articles)


def _spans(text: str, pieces: Iterable[str]) -> list[tuple[int, int]]:
    """Locate each gold text span in order (a repeated span takes its next occurrence)."""
    spans, cursor = [], 0
    for piece in pieces:
        found = text.find(piece, cursor)
        if found < 0:
            found = text.find(piece)
        spans.append((found, found + len(piece)) if found >= 0 else (-1, -1))
        cursor = found + 1 if found >= 0 else cursor
    return spans


def _match(gold: list, pred: list, same: Callable[[object, object], bool]) -> tuple[list[int], list[int]]:
    """Greedy one-to-one matching; returns the unmatched gold and prediction indexes."""
    used: set[int] = set()
    missed_gold = []
    for g_index, g in enumerate(gold):
        hit = next((i for i, p in enumerate(pred) if i not in used and same(g, p)), None)
        if hit is None:
            missed_gold.append(g_index)
        else:
            used.add(hit)
    return missed_gold, [i for i in range(len(pred)) if i not in used]


def _overlap(a: tuple[int, int], b: tuple[int, int], slack: int = 0) -> bool:
    return a[0] < b[1] + slack and b[0] < a[1] + slack


def _score_list(gold: list, pred: list, same: Callable, name: str, errors: list[str]) -> FieldScore:
    missed, false = _match(gold, pred, same)
    errors += [f"FN {name}: {gold[i]}" for i in missed] + [f"FP {name}: {pred[i]}" for i in false]
    return FieldScore(len(gold) - len(missed), len(false), len(missed))


def _score_figures(text: str, gold: list[dict], ext: Extraction, errors: list[str]) -> FieldScore:
    spans = _spans(text, [g["text"] for g in gold])
    golds = [(g["value"], s, g.get("optional", False), g["text"]) for g, s in zip(gold, spans, strict=True)]
    preds = [(f.value, (f.start or 0, f.end or 0), f.text, f.optional) for f in ext.figures]

    def same(g: tuple, p: tuple) -> bool:
        return abs(g[0] - p[0]) < 1e-6 and _overlap(g[1], p[1])

    missed, false = _match(golds, preds, same)
    required = sum(1 for g in golds if not g[2])
    missed = [i for i in missed if not golds[i][2]]
    false = [i for i in false if not preds[i][3]]
    errors += [f"FN figures: {golds[i][3]!r} = {golds[i][0]}" for i in missed]
    errors += [f"FP figures: {preds[i][2]!r} = {preds[i][0]}" for i in false]
    return FieldScore(required - len(missed), len(false), len(missed))


def _score_events(text: str, gold: list[dict], ext: Extraction, dated: bool, errors: list[str]) -> FieldScore:
    spans = _spans(text, [g["text"] for g in gold])
    golds = [(g["type"], g["date"], s, g["text"][:60]) for g, s in zip(gold, spans, strict=True)]
    preds = [(e.type, e.date, (e.start or 0, e.end or 0), e.text[:60]) for e in ext.events]

    def same(g: tuple, p: tuple) -> bool:
        return g[0] == p[0] and _overlap(g[2], p[2], EVENT_NEARBY) and (not dated or g[1] == p[1])

    return _score_list(golds, preds, same, "events_dated" if dated else "events", errors)


def _unit_key(unit: dict) -> tuple[str, str, str | None]:
    return key_of(unit["name"]), unit["level"], unit["province"]


def _person_key(name: str) -> str:
    return normalize(name).casefold()


def score_article(record: dict, ext: Extraction) -> ArticleResult:
    """Score one extraction against one annotated record."""
    gold, text, errors = record["gold"], record["text"], []
    scores = {
        "provinces": _score_list(sorted(gold["provinces"]), sorted(set(ext.provinces)),
                                 lambda g, p: g == p, "provinces", errors),
        "admin_units": _score_list([_unit_key(u) for u in gold["admin_units"]],
                                   [_unit_key(u.model_dump()) for u in ext.admin_units],
                                   lambda g, p: g == p, "admin_units", errors),
        "figures": _score_figures(text, gold["figures"], ext, errors),
        "campaign_years": _score_list(sorted(gold["campaign_years"]), sorted(set(ext.campaign_years)),
                                      lambda g, p: g == p, "campaign_years", errors),
        "events": _score_events(text, gold["events"], ext, False, errors),
        "events_dated": _score_events(text, gold["events"], ext, True, errors),
        "people": _score_list([_person_key(p["name"]) for p in gold["people"]],
                              [_person_key(p.name) for p in ext.people], lambda g, p: g == p, "people", errors),
    }
    exact = sorted(gold["campaign_years"]) == sorted(set(ext.campaign_years))
    return ArticleResult(record["id"], scores, errors, exact)


def evaluate(gold_dir: Path) -> EvalReport:
    """Extract every ``*.json`` record of ``gold_dir`` and score it (see the module docstring)."""
    totals = {name: FieldScore() for name in FIELDS}
    articles = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        published = date.fromisoformat(record["published_at"][:10]) if record.get("published_at") else None
        ext = extract(record["text"], title=record.get("title") or "", published_at=published,
                      source=record.get("source"))
        result = score_article(record, ext)
        for name, score in result.scores.items():
            totals[name].add(score)
        articles.append(result)
    return EvalReport(totals, articles)


def format_report(report: EvalReport, *, details: bool = False) -> str:
    """A plain-text table of per-field P/R/F1, optionally followed by each article's errors."""
    lines = [f"{'field':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name, s in report.fields.items():
        lines.append(f"{name:<16}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    lines.append(f"campaign years exact on {report.campaign_years_exact}/{len(report.articles)} articles")
    if details:
        for article in report.articles:
            lines += [f"[{article.id}] {error}" for error in article.errors]
    return "\n".join(lines)
