"""Commands that measure newsmon's quality on labelled data, and show what the crawler makes of a saved page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsmon.cli.app import app, fail, out


@app.command(name="eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files in the devset format.")],
) -> None:
    """Score the extractor against gold files: per-field precision, recall and F1."""
    from nlp.evaluate import evaluate as run_eval
    from nlp.evaluate import format_report

    if not gold_dir.is_dir():
        raise fail(FileNotFoundError(f"{gold_dir} is not a folder of gold JSON files"))
    out.print(format_report(run_eval(gold_dir)))


@app.command(name="eval-relevance")
def evaluate_relevance(
    stream_dir: Annotated[Path, typer.Argument(help="A labelled stream: items.json and labels.jsonl.")],
    cv_by_day: Annotated[bool, typer.Option(
        "--cv-by-day", help="Score each day with a model trained on the other days (needs scikit-learn).")] = False,
    errors: Annotated[bool, typer.Option(help="List the misclassified items.")] = True,
) -> None:
    """Precision, recall and F1 of the on-topic classifier on a labelled news stream, overall, by day and outlet."""
    from nlp.relevance_eval import evaluate_stream, format_report

    try:
        report = evaluate_stream(stream_dir, cv_by_day=cv_by_day)
    except (ValueError, OSError) as e:
        raise fail(e) from e
    print(format_report(report, errors=errors))  # plain: a wide table rich would wrap


@app.command(name="eval-stories")
def evaluate_stories(
    stream_dir: Annotated[Path, typer.Argument(help="A stream with stories.jsonl: which items report one story.")],
    everything: Annotated[bool, typer.Option(
        "--all", help="Group every item of the stream, not only the labelled ones (slower).")] = False,
) -> None:
    """Pairwise precision, recall and F1 of newsmon's story grouping against a labelled stream."""
    from nlp.stories import evaluate_stories as run_eval
    from nlp.stories import format_story_report

    try:
        report = run_eval(stream_dir, scope="all" if everything else "labelled")
    except (ValueError, OSError) as e:
        raise fail(e) from e
    print(format_story_report(report))


@app.command(name="parse-page")
def parse_page(
    file: Annotated[Path, typer.Argument(help="A saved HTML page.")],
    url: Annotated[str, typer.Option(help="The address the page was saved from.")],
    source: Annotated[str | None, typer.Option(help="The source id in the sources file (its layout).")] = None,
) -> None:
    """Print, as JSON, the article the crawler would store from a saved page, and whether it is one at all."""
    import json

    from crawler.pagecheck import parse_page as parse
    from newsmon.errors import NewsmonError
    from newsmon.settings import get_settings

    try:
        found = parse(file, url, source, sources_file=get_settings().sources_file)
    except (NewsmonError, OSError) as e:
        raise fail(e) from e
    print(json.dumps(found, ensure_ascii=False, indent=1, default=str))
