"""A labelled news stream in the format of ``../shared/stream``, read for training and evaluation.

The directory holds ``items.json`` (a list of ``{"id", "fetched", "outlet", "url", "title",
"summary"}``) and ``labels.jsonl`` (``{"id", "label"}`` per line, label ``on``, ``marginal`` or
``off``); an item without a label is ``off``, as the stream's README says.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from newsmon.text import normalize

__all__ = ["LABELS", "StreamItem", "feed_summary", "load_stream"]

LABELS = ("on", "marginal", "off")
_FIELDS = ("id", "fetched", "outlet", "title", "summary")
# Some feeds (Tiền Phong, Nhân Dân, VietnamPlus, Công an Nhân dân, SGGP) append the headline of a related
# article and the start of its link to the summary: "... sentence. Related headline <a href="https://...".
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]?\s")


@dataclass(frozen=True)
class StreamItem:
    """One feed item with its label: ``day`` is the day it was fetched (YYYY-MM-DD); text normalised."""

    id: str
    day: str
    outlet: str
    title: str
    summary: str
    label: str

    @property
    def text(self) -> str:
        """Headline and summary, one per line (the classifier's input)."""
        return f"{self.title}\n{self.summary}"


def feed_summary(summary: str) -> str:
    """The summary without a related article's headline and link that trail its last sentence.

    Only a summary with leftover HTML ("<") is cut: back to the end of the last sentence before
    the "<", or to the "<" when no sentence ends before it.
    """
    markup = summary.find("<")
    if markup < 0:
        return summary.strip()
    head = summary[:markup]
    ends = list(_SENTENCE_END.finditer(head + " "))
    return head[:ends[-1].end()].strip() if ends else head.strip()


def _labels(path: Path) -> dict[str, str]:
    labels: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record, dict) or record.get("label") not in LABELS or not isinstance(record.get("id"), str):
            raise ValueError(f"{path}:{number}: expected {{\"id\", \"label\"}} with a label in {LABELS}")
        labels[record["id"]] = record["label"]
    return labels


def load_stream(directory: Path | str) -> list[StreamItem]:
    """The labelled items of a stream directory; a missing file or malformed record raises ``ValueError``."""
    directory = Path(directory)
    items_path, labels_path = directory / "items.json", directory / "labels.jsonl"
    for path in (items_path, labels_path):
        if not path.is_file():
            raise ValueError(f"not a labelled stream: {path} is missing")
    labels = _labels(labels_path)
    records = json.loads(items_path.read_text(encoding="utf-8"))
    if not isinstance(records, list):
        raise ValueError(f"{items_path}: expected a list of items")
    items = []
    for position, record in enumerate(records):
        if not isinstance(record, dict) or not all(isinstance(record.get(f), str) for f in _FIELDS):
            raise ValueError(f"{items_path}: item #{position + 1} needs string fields {', '.join(_FIELDS)}")
        items.append(StreamItem(record["id"], record["fetched"][:10], record["outlet"], normalize(record["title"]),
                                normalize(feed_summary(record["summary"])), labels.get(record["id"], "off")))
    unknown = labels.keys() - {item.id for item in items}
    if unknown:
        raise ValueError(f"{labels_path}: labels for items not in items.json: {sorted(unknown)[:5]}")
    return items
