"""Extract the stored articles that need it (new ones, or all after an extractor upgrade)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from newsmon.models import Article, Extraction
from newsmon.store.base import Store

log = logging.getLogger(__name__)
BATCH_SIZE = 50
STORY_BATCH = 2_000  # articles placed in their stories at a time (their keys are held until then)


@dataclass
class ExtractReport:
    """How an extraction run went: counts and the failures with their reasons."""

    extracted: int = 0
    grouped: int = 0
    failed: dict[str, str] = field(default_factory=dict)


def extract_article(article: Article) -> Extraction:
    """Run the NLP pipeline on one stored article: its title, lead and text, with the year and month
    of its publication date, whole or partial (``published_period``)."""
    from nlp.pipeline import extract

    return extract(article.full_text, title=article.title,
                   published_at=article.published_at or article.published_period, source=article.source)


def extract_pending(
    store: Store, *, version: str | None = None, on_progress: Callable[[int], None] | None = None,
) -> ExtractReport:
    """Extract every article whose extraction is missing or from another version, then place the extracted
    articles in their stories (``nlp.stories.assign``)."""
    from nlp.pipeline import EXTRACTOR_VERSION
    from nlp.stories.assign import assign_stories

    version = version or EXTRACTOR_VERSION
    report = ExtractReport()
    batch: list[tuple[Article, Extraction]] = []
    to_group: list[tuple[Article, Extraction]] = []
    for article in store.pending_extraction(version):
        try:
            batch.append((article, extract_article(article)))
        except Exception as e:  # recorded and counted; one article never stops the run
            log.warning("extraction failed for %s: %s", article.id, e)
            report.failed[article.id] = f"{type(e).__name__}: {e}"
        if len(batch) >= BATCH_SIZE:
            report.extracted += store.save_extractions((a.id, x) for a, x in batch)
            to_group += batch
            batch = []
        if len(to_group) >= STORY_BATCH:
            report.grouped += assign_stories(store, to_group)
            to_group = []
        if on_progress:
            on_progress(1)
    if batch:
        report.extracted += store.save_extractions((a.id, x) for a, x in batch)
    report.grouped += assign_stories(store, to_group + batch)
    return report
