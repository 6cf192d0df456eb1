"""What a digest says, read from a real store of devset articles extracted by the real pipeline."""

from __future__ import annotations

from digest.build import TOP_FIGURES, build_digest, filters_for, query_for
from digest.period import Period, period_ending
from newsmon.models import Subscription
from newsmon.query import parse
from newsmon.store.base import SearchFilters
from newsmon.store.sqlite import SqliteStore
from tests.digest_seed import PERIOD_END, WEEK_START

WEEK = period_ending("weekly", PERIOD_END)


def test_counts_chart_and_previous_period_agree(digest_store: SqliteStore) -> None:
    digest = build_digest(digest_store, digest_store.get_subscription(1), WEEK)
    assert (digest.total, digest.previous_total) == (8, 2)
    assert [p for p, _ in digest.coverage][-2:] == [WEEK.previous(), WEEK]
    assert [n for _, n in digest.coverage][-2:] == [2, 8]
    assert len(digest.coverage) == 8 and sum(n for _, n in digest.coverage) == 10
    assert sum(n for _, n in digest.top_sources) <= 8 and digest.top_sources[0][1] >= 1


def test_stories_group_syndicated_copies(digest_store: SqliteStore) -> None:
    digest = build_digest(digest_store, digest_store.get_subscription(1), WEEK)
    assert len(digest.stories) == 8
    copied = [s for s in digest.stories if s.copies]
    assert [s.copies for s in copied] == [["baokhac.vn"]]
    assert all(s.source != "baokhac.vn" for s in digest.stories)


def test_figures_and_events_come_from_the_period_with_their_articles(digest_store: SqliteStore) -> None:
    digest = build_digest(digest_store, digest_store.get_subscription(1), WEEK)
    in_week = {h.url for h in digest_store.search(filters=SearchFilters(date_from=WEEK_START, date_to=WEEK.last_day,
                                                                       include_duplicates=True), limit=50).hits}
    assert digest.figures and {f.url for f in digest.figures} <= in_week
    assert all(f.sentence for f in digest.figures)
    assert digest.events and {e.url for e in digest.events} <= in_week
    assert [e.day for e in digest.events] == sorted(e.day for e in digest.events)


def test_saved_query_and_filters_narrow_the_digest(digest_store: SqliteStore) -> None:
    sub = Subscription(id=9, email="lan@example.vn", query="bạo lực gia đình", filters={"sources": ["baosonla.org.vn"]})
    digest = build_digest(digest_store, sub, WEEK)
    expected = digest_store.search(parse("bạo lực gia đình"), SearchFilters(
        date_from=WEEK.start, date_to=WEEK.last_day, sources=["baosonla.org.vn"]))
    assert digest.total == expected.total == 1
    assert [s.source for s in digest.stories] == ["baosonla.org.vn"]


def test_a_period_without_articles_is_empty(digest_store: SqliteStore) -> None:
    monday = Period(PERIOD_END, PERIOD_END.replace(day=26))
    digest = build_digest(digest_store, digest_store.get_subscription(1), monday)
    assert digest.is_empty and digest.stories == [] and digest.figures == []
    assert digest.previous_total == 1  # Sunday the 24th had one


def test_a_sentence_with_several_figures_is_quoted_once(digest_store: SqliteStore) -> None:
    subscription = digest_store.get_subscription(1)
    digest = build_digest(digest_store, subscription, WEEK)
    quoted = [(s.url, s.sentence) for s in digest.figures]
    assert len(quoted) == len(set(quoted))
    rows = digest_store.figures(query_for(subscription), filters_for(subscription, WEEK), limit=TOP_FIGURES).rows
    assert sum(len(s.figures) for s in digest.figures) == len(rows)
    assert any(len(s.figures) > 1 for s in digest.figures)  # the week has sentences that state several figures
