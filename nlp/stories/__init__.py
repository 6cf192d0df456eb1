"""Stories: the same news from any outlets, grouped (issue 18).

A story is a group of stored articles, from any outlets and at most ``window_days`` apart
(``data/stories.yaml``, default 7), that report the same concrete event, case, announcement
or document. How the store and the crawl use it:

1. After extraction, compute the article's keys::

       keys = story_features(extraction, article.title, article.lead, article.text,
                             day=article.published_at.date())

   (``extraction`` from ``nlp.pipeline.extract(article.full_text, ...)``; the day is the
   publication date, or the crawl date when the page gives none.)
2. Assign it::

       story_id = index.assign(article.id, keys, day, duplicate_of=article.duplicate_of)

   ``story_id`` is an existing story's id, or the article's own id when it opens a story.
   Assigning a stored article again (new text or extraction) replaces it; ``index.remove(id)``
   forgets one.
3. Persist ``index.row(article.id)``: ``StoryRow(article_id, day, story_id, keys)``. That is all
   the store keeps; at start-up ``index.rebuild(rows)`` restores the index from every stored row
   (in the order they were assigned, e.g. by day then article id).
4. When the extractor (or ``data/stories.yaml``) changes, recompute: a fresh ``StoryIndex``,
   new keys for every article, ``assign`` in day order (``regroup`` does it), and replace the rows.

``evaluate_stories`` measures the grouping against labelled stories (pairwise precision,
recall and F1); ``format_story_report`` prints it.
"""

from nlp.stories.evaluate import evaluate_stories, format_story_report
from nlp.stories.features import story_features
from nlp.stories.index import StoryIndex, regroup
from nlp.stories.params import StoryParams, load_params
from nlp.stories.rows import Decision, StoryRow

__all__ = ["Decision", "StoryIndex", "StoryParams", "StoryRow", "evaluate_stories", "format_story_report",
           "load_params", "regroup", "story_features"]
