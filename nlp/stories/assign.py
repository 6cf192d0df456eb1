"""Stories for articles just extracted: the nlp stage's step after extraction (``nlp.runner``).

The grouping is rebuilt from the store's rows around the articles' days (``StoryRow``: all the store keeps),
the articles are placed in day order, originals before their syndicated copies, and their rows saved. An
article re-extracted (new text, a new extractor) is placed again with fresh keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from newsmon.models import Article, Extraction
from newsmon.store.base import Store
from nlp.stories.features import story_features
from nlp.stories.index import StoryIndex
from nlp.stories.params import StoryParams, default_params

__all__ = ["assign_stories", "story_day"]


def story_day(article: Article) -> date:
    """The day a story counts an article on: its publication date, or the day it was crawled when the page
    gave none."""
    return (article.published_at or article.crawled_at).date()


def assign_stories(store: Store, extracted: Sequence[tuple[Article, Extraction]],
                   params: StoryParams | None = None) -> int:
    """Place each extracted article in its story and store the rows; how many were placed."""
    if not extracted:
        return 0
    params = params or _configured_params()
    items = [(a.id, story_features(e, a.title, a.lead, a.text, day=story_day(a), params=params), story_day(a),
              a.duplicate_of) for a, e in extracted]
    placed = {article_id for article_id, *_ in items}
    window = timedelta(days=params.window_days)
    days = [day for _, _, day, _ in items]
    index = StoryIndex(params)
    index.rebuild(row for row in store.story_rows(min(days) - window, max(days) + window)
                  if row.article_id not in placed)
    for article_id, keys, day, duplicate_of in sorted(items, key=lambda i: (i[2], i[3] is not None, i[0])):
        index.assign(article_id, keys, day, duplicate_of)
    return store.save_story_rows(index.row(article_id) for article_id in placed)


def _configured_params() -> StoryParams:
    from newsmon.settings import get_settings

    return default_params().with_window(get_settings().story_window_days)
