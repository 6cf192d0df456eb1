"""Train the relevance model (``nlp/data/relevance_model.json``) on a labelled news stream.

    python -m nlp.train_relevance ../shared/stream [--out nlp/data/relevance_model.json]

Each item is read as ``nlp.relevance`` reads it (headline and lead, syllables and rule hits);
``on`` items are positives, ``off`` items negatives and ``marginal`` items are left out, as the
stream's scoring leaves them out. The fit is scikit-learn's L2 logistic regression (liblinear)
without class weights, so the model's output stays a probability of on-topic in a general feed.
Features seen in fewer than ``MIN_COUNT`` training items are dropped before the fit (they
cannot generalise, and would only grow the file); weights under ``PRUNE`` are not written.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.relevance import Reading, read_item
from nlp.relevance_data import StreamItem, load_stream
from nlp.relevance_model import LEAD_CHARS, MODEL_PATH, RULE_VALUE, LinearModel, is_rule_feature
from nlp.relevance_rules import lexicon_path

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["MIN_COUNT", "PRUNE", "C", "fit_rows", "main", "target", "train_stream", "training_rows", "vectorize"]

C = 3.0  # inverse L2 strength: the lowest log-loss of 0.3, 1 and 3 in cross-validation by day on ../shared/stream
MIN_COUNT = 2
PRUNE = 0.01  # a weight this small moves a score by under 0.2 percent: not written


def target(label: str) -> int | None:
    """What the model learns for a label: 1 for on, 0 for off, None (left out) for marginal."""
    return {"on": 1, "off": 0}.get(label)


def vectorize(readings: Sequence[Reading]) -> tuple[csr_matrix, list[str]]:
    """The readings' features as a sparse matrix (one row each) and the column names."""
    from sklearn.feature_extraction import DictVectorizer

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([r.features() for r in readings]).tocsr()
    return matrix, [str(n) for n in vectorizer.get_feature_names_out()]


def fit_rows(matrix: csr_matrix, names: Sequence[str], rows: Sequence[int], targets: Sequence[int], *,
             c: float = C) -> LinearModel:
    """A logistic regression of ``targets`` (1 on-topic, 0 not) on the given ``rows`` of ``matrix``.

    Columns with fewer than ``MIN_COUNT`` of these rows are left out (rule features never are),
    so a column that only other rows use (the held-out days of a cross-validation) gets no weight.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    train = matrix[np.asarray(rows)]
    counts = np.asarray((train != 0).sum(axis=0)).ravel()
    keep = np.flatnonzero((counts >= MIN_COUNT) | np.array([is_rule_feature(n) for n in names]))
    regression = LogisticRegression(C=c, solver="liblinear", dual=True, max_iter=1000)  # dual: more columns than rows
    regression.fit(train[:, keep], np.asarray(targets))
    weights = {names[k]: float(w) for k, w in zip(keep, regression.coef_[0], strict=True) if abs(w) >= PRUNE}
    return LinearModel(float(regression.intercept_[0]), weights)


def training_rows(items: Sequence[StreamItem]) -> tuple[list[int], list[int]]:
    """The positions of the items the model learns from (marginal ones left out) and their targets."""
    rows = [k for k, item in enumerate(items) if target(item.label) is not None]
    return rows, [int(target(items[k].label) or 0) for k in rows]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_stream(directory: Path | str, *, c: float = C) -> LinearModel:
    """The model trained on every labelled item of a stream directory, its provenance in ``meta``."""
    items = load_stream(directory)
    matrix, names = vectorize([read_item(i.text, i.title) for i in items])
    rows, targets = training_rows(items)
    model = fit_rows(matrix, names, rows, targets, c=c)
    days = sorted({i.day for i in items})
    meta = {
        "trained": date.today().isoformat(),
        "data": f"{len(items)} items of {len({i.outlet for i in items})} outlets' news feeds, "
                f"fetched {days[0]} to {days[-1]}; {sum(targets)} on-topic, {len(targets) - sum(targets)} off-topic "
                f"used, {len(items) - len(targets)} marginal left out",
        "items_sha256": _sha256(Path(directory) / "items.json"),
        "labels_sha256": _sha256(Path(directory) / "labels.jsonl"),
        "lexicon_sha256": _sha256(lexicon_path()),
        "c": c, "min_count": MIN_COUNT, "lead_chars": LEAD_CHARS, "rule_value": RULE_VALUE,
    }
    return LinearModel(model.intercept, model.weights, meta)


def main(argv: Sequence[str] | None = None) -> int:
    """Train on a stream directory and write the model JSON; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stream", type=Path, help="a labelled stream directory (items.json, labels.jsonl)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--c", type=float, default=C)
    args = parser.parse_args(argv)
    try:
        model = train_stream(args.stream, c=args.c)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(model.weights)} weights, {args.out.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
