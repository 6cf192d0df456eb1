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
4. Stories follow the extractor version. A new ``EXTRACTOR_VERSION`` (``nlp/pipeline.py``) makes the
   nlp pass re-extract every stored article, and ``nlp.stories.assign.assign_stories`` places each
   again with fresh keys, in batches (each in day order) against the rows stored around its days.
   Editing ``data/stories.yaml`` or ``data/story_stopwords.txt`` regroups nothing stored by itself,
   so it needs a new version, as a lexicon change does (``tests/extractor_pin.json`` pins the data
   files to the version; its test fails until both change). A new ``story_window_days`` setting
   applies to the articles placed after it. ``regroup`` builds a fresh index of every article at
   once, in day order (the evaluation uses it).

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
