"""SQL that takes a current SQLite store back to an older schema version, for the migration tests.

A migration test builds a store with today's code, undoes what the later versions added, sets the old
``user_version`` and opens it again: every migration since must bring it back with its articles intact.
"""

# Version 12 added the daily roll-ups (with their triggers) and the text index's queue and identity.
UNDO_V12 = (
    "DROP TRIGGER rollup_keys_insert; DROP TRIGGER rollup_keys_update; DROP TRIGGER rollup_keys_delete; "
    + "".join(f"DROP TRIGGER rollup_{table}_{event}; " for table in ("article_provinces", "article_events",
                                                                      "article_topics")
              for event in ("insert", "delete"))
    + "DROP TABLE rollup_days; DROP TRIGGER text_pending_delete; DROP TABLE text_pending; "
    "DROP TABLE text_index_state; "
)
# Version 11 added the stories, version 10 the partial publication date, feed-only items and the on-topic
# flag on the keys.
UNDO_V10_AND_LATER = UNDO_V12 + (
    "DROP TRIGGER article_stories_delete; DROP TABLE article_stories; "
    "ALTER TABLE articles DROP COLUMN published_period; ALTER TABLE articles DROP COLUMN feed_only; "
    "ALTER TABLE article_keys DROP COLUMN on_topic; "
)
