"""Commands that measure newsmon's quality on labelled data."""

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
