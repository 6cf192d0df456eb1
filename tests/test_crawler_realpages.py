"""Saved pages of real Vietnamese outlets, parsed as the crawler would, scored against their gold.

The pages and gold live in ``../shared/realpages`` (third-party text: read here at run time,
never copied into the project). Each field is scored as the README there says: text compared
as a reader would (NFC, whitespace collapsed, tone placement ignored), dates to the minute (or
the day, when the page prints no time). The counts may never fall below the floors recorded in
``tests/realpages_floors.json``; ``NEWSMON_RAISE_FLOORS=1`` raises a floor to today's count
(never lowers one).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from crawler.pagecheck import parse_page
from newsmon.text import normalize
from tests.shared_data import REALPAGES

FLOORS = Path(__file__).with_name("realpages_floors.json")
#: Pages whose gold date is this year or later are "modern" (the issue's target: 90% of every field).
MODERN_FROM = 2020
ARTICLE_FIELDS = ("is_article", "title", "date", "lead", "body", "chrome_free", "authors")


def _reader(text: str | None) -> str:
    return re.sub(r"\s+", " ", normalize(text or "")).strip()


def _date_key(value: str | None) -> str | None:
    return value[:16] if value and len(value) > 10 else value


def score_page(gold: dict[str, Any], found: dict[str, Any]) -> dict[str, bool]:
    """Which fields of one page the parse got right."""
    if not gold["is_article"]:
        return {"refused": not found["is_article"]}
    text = _reader(found.get("text"))
    return {
        "is_article": bool(found["is_article"]),
        "title": _reader(found.get("title")) == _reader(gold["title"]),
        "date": _date_key(found.get("published_at")) == _date_key(gold["published_at"]),
        "lead": _reader(found.get("lead")) == _reader(gold["lead"]),
        "body": all(_reader(s) in text for s in gold["body_must_contain"]),
        "chrome_free": bool(found["is_article"]) and not any(_reader(s) in text for s in gold["body_must_not_contain"]),
        "authors": [_reader(a) for a in found.get("authors") or []] == [_reader(a) for a in gold["authors"]],
    }


def _scores() -> dict[str, dict[str, int]]:
    if not (REALPAGES / "gold").is_dir():
        pytest.skip(f"real pages not found at {REALPAGES} (shared third-party data)")
    totals: dict[str, dict[str, int]] = {"all": {}, "modern": {}, "listings": {}}
    for gold_path in sorted((REALPAGES / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        found = parse_page(REALPAGES / gold["file"], gold["url"])
        groups = ["listings"] if not gold["is_article"] else ["all"] + (
            ["modern"] if gold["published_at"] and int(gold["published_at"][:4]) >= MODERN_FROM else [])
        for name, ok in score_page(gold, found).items():
            for group in groups:
                totals[group][name] = totals[group].get(name, 0) + ok
                totals[group]["pages"] = totals[group].get("pages", 0) + (name in ("is_article", "refused"))
    return totals


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, int]]:
    """Today's counts per group (all articles, modern articles, listing pages)."""
    return _scores()


def test_realpages_never_fall_below_their_floors(scores: dict[str, dict[str, int]]) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    below = [f"{group}.{name}: {scores[group].get(name, 0)} < {floor}"
             for group, fields in floors.items() if group != "_comment" for name, floor in fields.items()
             if scores[group].get(name, 0) < floor]
    if os.environ.get("NEWSMON_RAISE_FLOORS") == "1":
        raised = {group: {name: max(floor, scores[group].get(name, 0)) for name, floor in fields.items()}
                  if group != "_comment" else fields for group, fields in floors.items()}
        FLOORS.write_text(json.dumps(raised, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert not below, f"real pages got worse: {below}"


def test_modern_pages_get_every_field_right_nine_times_in_ten(scores: dict[str, dict[str, int]]) -> None:
    modern = scores["modern"]
    weak = {name: f"{modern.get(name, 0)}/{modern['pages']}" for name in ARTICLE_FIELDS
            if modern.get(name, 0) < 0.9 * modern["pages"]}
    assert not weak, f"fields right on fewer than 90% of the 2020+ pages: {weak}"


def test_listing_pages_are_refused(scores: dict[str, dict[str, int]]) -> None:
    assert scores["listings"]["refused"] == scores["listings"]["pages"]
