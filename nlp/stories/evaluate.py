"""Measure the story grouping against labelled stories: pairwise precision, recall and F1.

The labelled set is a stream folder in the format of ``shared/stream``: ``items.json`` (each
item's ``id``, ``fetched`` day, ``outlet``, ``title`` and feed ``summary``) and ``stories.jsonl``
(``{"id", "story"}``: items with one ``story`` slug report one story). Every item is extracted
(headline + summary), given its story features and assigned in day order by a fresh
``StoryIndex``; then each pair of labelled items counts as a true pair (same story in both), a
false pair (grouped, but labelled apart) or a missed pair (labelled together, kept apart).

``scope="labelled"`` groups only the labelled items; ``scope="all"`` groups every item of the
stream, as a store holding the whole feed would (unlabelled items may then join or bridge stories).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Literal

from nlp.evaluate import FieldScore
from nlp.pipeline import extract
from nlp.relevance_data import feed_summary
from nlp.stories.features import story_features
from nlp.stories.index import regroup
from nlp.stories.params import StoryParams, default_params

__all__ = ["PairScores", "StoryReport", "StreamItem", "evaluate_stories", "format_story_report",
           "group_items", "load_stream", "pairwise"]


@dataclass(frozen=True)
class StreamItem:
    """One feed item: its id, the day it was read, outlet, headline and summary (as the lead)."""

    id: str
    day: date
    outlet: str
    title: str
    summary: str


@dataclass(frozen=True)
class PairScores:
    """Pairwise scores of a grouping against labelled stories."""

    precision: float
    recall: float
    f1: float
    true_pairs: int
    false_pairs: list[tuple[str, str]] = field(default_factory=list)
    missed_pairs: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class StoryReport:
    """The scores, the labelled stories, and the predicted story of each labelled item."""

    scores: PairScores
    gold: dict[str, str]
    predicted: dict[str, str]
    items: dict[str, StreamItem]
    scope: str


def load_stream(stream_dir: Path) -> tuple[list[StreamItem], dict[str, str]]:
    """The stream's items (summaries without truncated HTML) and the labelled story of each labelled item."""
    raw = json.loads((stream_dir / "items.json").read_text(encoding="utf-8"))
    items = [StreamItem(id=str(i["id"]), day=date.fromisoformat(str(i["fetched"])[:10]), outlet=str(i["outlet"]),
                        title=str(i.get("title") or ""),
                        summary=feed_summary(str(i.get("summary") or ""))) for i in raw]
    gold = {}
    for n, line in enumerate((stream_dir / "stories.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            record = json.loads(line)
            if "id" not in record or "story" not in record:
                raise ValueError(f"{stream_dir / 'stories.jsonl'}:{n}: needs an id and a story")
            gold[str(record["id"])] = str(record["story"])
    return items, gold


def group_items(items: list[StreamItem], params: StoryParams | None = None) -> dict[str, str]:
    """Each item's story id: its headline and summary extracted, keyed and assigned in day order."""
    params = params or default_params()
    articles = []
    for item in items:
        text = "\n".join(part for part in (item.title, item.summary) if part)
        extraction = extract(text, title=item.title, published_at=item.day, source=item.outlet, segment=False)
        articles.append((item.id, story_features(extraction, item.title, item.summary, day=item.day, params=params),
                         item.day, None))
    index = regroup(articles, params)
    return {item.id: index.story_of(item.id) or item.id for item in items}


def pairwise(predicted: dict[str, str], gold: dict[str, str]) -> PairScores:
    """Pairwise precision, recall and F1 of ``predicted`` story ids over the items ``gold`` labels."""
    missing = sorted(set(gold) - set(predicted))
    if missing:
        raise ValueError(f"no predicted story for labelled items {missing[:5]}")
    true, false, missed = 0, [], []
    for a, b in combinations(sorted(gold), 2):
        same_gold, same_predicted = gold[a] == gold[b], predicted[a] == predicted[b]
        if same_gold and same_predicted:
            true += 1
        elif same_predicted:
            false.append((a, b))
        elif same_gold:
            missed.append((a, b))
    scores = FieldScore(tp=true, fp=len(false), fn=len(missed))
    return PairScores(scores.precision, scores.recall, scores.f1, true, false, missed)


def evaluate_stories(stream_dir: Path, *, scope: Literal["labelled", "all"] = "labelled",
                     params: StoryParams | None = None) -> StoryReport:
    """Group the stream's items into stories and score the grouping against its ``stories.jsonl``."""
    items, gold = load_stream(Path(stream_dir))
    unknown = sorted(set(gold) - {i.id for i in items})
    if unknown:
        raise ValueError(f"stories.jsonl names items that items.json lacks: {unknown[:5]}")
    chosen = items if scope == "all" else [i for i in items if i.id in gold]
    predicted = group_items(chosen, params)
    return StoryReport(pairwise(predicted, gold), gold, {i: predicted[i] for i in gold},
                       {i.id: i for i in items if i.id in gold}, scope)


def format_story_report(report: StoryReport) -> str:
    """The scores, then each labelled story that was split or merged, item by item (day, outlet, id)."""
    s = report.scores
    lines = [f"Stories ({report.scope} items grouped, {len(report.gold)} labelled, "
             f"{len(set(report.gold.values()))} labelled stories): pairwise precision {s.precision:.3f} "
             f"recall {s.recall:.3f} F1 {s.f1:.3f} ({s.true_pairs} true, {len(s.false_pairs)} false, "
             f"{len(s.missed_pairs)} missed pairs)"]
    by_predicted: dict[str, list[str]] = defaultdict(list)
    for item, story in report.predicted.items():
        by_predicted[story].append(item)
    for kind, pairs in (("grouped but labelled apart", s.false_pairs), ("labelled together, kept apart",
                                                                         s.missed_pairs)):
        for a, b in pairs:
            lines.append(f"  {kind}: {_describe(report, a)}  <->  {_describe(report, b)}")
    return "\n".join(lines)


def _describe(report: StoryReport, item_id: str) -> str:
    item = report.items[item_id]
    return f"{item.day} {item.outlet} {item_id} [{report.gold[item_id]}]"
