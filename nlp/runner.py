"""Extract the stored articles that need it (new ones, or all after an extractor upgrade)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from newsmon.models import Article, Extraction
from newsmon.store.base import Store

log = logging.getLogger(__name__)
BATCH_SIZE = 50


@dataclass
class ExtractReport:
    """How an extraction run went: counts and the failures with their reasons."""

    extracted: int = 0
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
    """Extract every article whose extraction is missing or from another version."""
    from nlp.pipeline import EXTRACTOR_VERSION

    version = version or EXTRACTOR_VERSION
    report = ExtractReport()
    batch: list[tuple[str, Extraction]] = []
    for article in store.pending_extraction(version):
        try:
            batch.append((article.id, extract_article(article)))
        except Exception as e:  # recorded and counted; one article never stops the run
            log.warning("extraction failed for %s: %s", article.id, e)
            report.failed[article.id] = f"{type(e).__name__}: {e}"
        if len(batch) >= BATCH_SIZE:
            report.extracted += store.save_extractions(batch)
            batch.clear()
        if on_progress:
            on_progress(1)
    if batch:
        report.extracted += store.save_extractions(batch)
    return report
