"""The composition layer: the ``newsmon`` command line and the jobs that chain the stages.

This package is the only code that imports more than one stage (``crawler``, ``nlp``, ``api``,
``digest``). The stages meet only in the store, and the core (``newsmon`` outside this package)
imports none of them.

- ``app``: the Typer app and what every command shares (consoles, ``--store``, error exits);
- ``pipeline``: crawl, extract, serve, run, watch, demo;
- ``browse``: search, stats, reindex;
- ``quality``: eval, the measurements on labelled data;
- ``digest``: subscribe, subscriptions, unsubscribe, digest;
- ``jobs``, ``demo``, ``reindex``: the work behind those commands.
"""

# Importing the command modules registers their commands, in this order in --help.
# isort: off
from newsmon.cli import pipeline, browse, digest, quality  # noqa: F401
# isort: on
from newsmon.cli.app import app

__all__ = ["app"]
