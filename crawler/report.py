"""The crawl report, per outlet: what was discovered, fetched, stored, kept from the feed only,
blocked and why, failed and why. Rendered with rich.

Counters are kept in Scrapy's stats under ``newsmon/<source>/<counter>`` (and
``newsmon/<source>/failed/<reason>``, ``newsmon/<source>/blocked/<reason>``) while crawling;
``CrawlReport.from_stats`` turns them into this model at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table

__all__ = ["COUNTERS", "REASON_GROUPS", "CrawlReport", "SourceReport", "stat_key"]

#: The per-source counters, in report order, with their meaning.
COUNTERS: dict[str, str] = {
    "answered": "feed, sitemap, listing and search pages the outlet answered (304 included)",
    "discovered": "article links found in feeds, sitemaps, listings and search",
    "revisited": "known articles re-checked on their revisit schedule",
    "fetched": "article pages downloaded (200 or 304)",
    "parsed": "pages that yielded an article",
    "new": "articles new to the store",
    "updated": "stored articles whose text changed",
    "duplicate": "syndicated copies, stored with duplicate_of",
    "unchanged": "re-crawled articles with no change (304 or same text)",
    "skipped_offtopic": "articles matching no topic keyword",
    "skipped_old": "articles published before --since",
    "skipped_seen": "known articles not yet due for a re-check",
    "skipped_backoff": "pages that failed before, waiting out their backoff",
    "feed_only": "articles kept from their feed/sitemap item: the page could not be read",
}
#: Groups of counters by reason (``newsmon/<source>/<group>/<reason>``).
REASON_GROUPS: tuple[str, ...] = ("failed", "blocked")
STAT_PREFIX = "newsmon/"


def stat_key(source: str, counter: str) -> str:
    """The Scrapy stats key of one counter of one source."""
    return f"{STAT_PREFIX}{source}/{counter}"


class SourceReport(BaseModel):
    """Counters of one source."""

    answered: int = 0
    discovered: int = 0
    revisited: int = 0
    fetched: int = 0
    parsed: int = 0
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    unchanged: int = 0
    skipped_offtopic: int = 0
    skipped_old: int = 0
    skipped_seen: int = 0
    skipped_backoff: int = 0
    feed_only: int = 0
    failed: dict[str, int] = Field(default_factory=dict)
    blocked: dict[str, int] = Field(default_factory=dict)

    @property
    def failed_total(self) -> int:
        """All failures of this source."""
        return sum(self.failed.values())

    @property
    def stored(self) -> int:
        """Articles written to the store (new or changed)."""
        return self.new + self.updated

    @property
    def reachable(self) -> bool:
        """Whether the outlet answered anything at all (a feed, a listing, an article page)."""
        return bool(self.answered or self.fetched)


class CrawlReport(BaseModel):
    """What one crawl did, per source."""

    started_at: datetime | None = None
    finished_at: datetime | None = None
    finish_reason: str = ""
    sources: dict[str, SourceReport] = Field(default_factory=dict)

    @classmethod
    def from_stats(cls, stats: Mapping[str, object], **fields: object) -> CrawlReport:
        """Build a report from Scrapy stats keys ``newsmon/<source>/...``."""
        report = cls(**fields)
        for key, value in stats.items():
            if not key.startswith(STAT_PREFIX) or not isinstance(value, int):
                continue
            parts = key[len(STAT_PREFIX):].split("/")
            source = report.sources.setdefault(parts[0], SourceReport())
            if len(parts) == 3 and parts[1] in REASON_GROUPS:
                group = getattr(source, parts[1])
                group[parts[2]] = group.get(parts[2], 0) + value
            elif len(parts) == 2 and parts[1] in COUNTERS:
                setattr(source, parts[1], getattr(source, parts[1]) + value)
        return report

    def total(self) -> SourceReport:
        """All sources summed."""
        total = SourceReport()
        for source in self.sources.values():
            for counter in COUNTERS:
                setattr(total, counter, getattr(total, counter) + getattr(source, counter))
            for name in REASON_GROUPS:
                for reason, count in getattr(source, name).items():
                    getattr(total, name)[reason] = getattr(total, name).get(reason, 0) + count
        return total

    def table(self) -> Table:
        """The report as a rich table, one row per source plus a total."""
        table = Table(title="Crawl report", show_footer=False)
        table.add_column("source")
        for counter in COUNTERS:
            table.add_column(counter.replace("skipped_", "skip ").replace("_", " "), justify="right")
        for group in REASON_GROUPS:
            table.add_column(f"{group} (by reason)")
        rows = [*sorted(self.sources.items()), ("TOTAL", self.total())]
        for name, source in rows:
            reasons = [", ".join(f"{r}={n}" for r, n in sorted(getattr(source, g).items())) or "-"
                       for g in REASON_GROUPS]
            table.add_row(name, *(str(getattr(source, c)) for c in COUNTERS), *reasons,
                          style="bold" if name == "TOTAL" else None)
        return table

    def reachable_count(self) -> int:
        """How many of the crawled outlets answered anything."""
        return sum(source.reachable for source in self.sources.values())

    def summary(self, outlets: int) -> str:
        """One plain sentence on the crawl of ``outlets`` enabled outlets: how many answered, what was stored,
        and what to check when none did."""
        reachable, total = self.reachable_count(), self.total()
        text = (f"{reachable} of {outlets} outlets reachable; {total.new} new and {total.updated} updated "
                f"article(s) stored, {total.feed_only} kept from their feed only")
        if reachable == 0:
            text += ": check the network or the sources file"
        return text

    def format(self, width: int = 220) -> str:
        """The report as plain text (the rich table rendered without colour)."""
        console = Console(width=width, record=True, no_color=True, file=_NullFile())
        console.print(self.table())
        return console.export_text()


class _NullFile:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None
