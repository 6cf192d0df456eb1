"""Precision, recall and F1 of the relevance classifier on a labelled stream (``../shared/stream``'s format).

    python -m nlp.relevance_eval ../shared/stream [--cv-by-day] [--no-errors]

``evaluate_stream(dir)`` scores the shipped model; ``evaluate_stream(dir, cv_by_day=True)``
cross-validates by day instead: for each day of the stream a model is trained on the other
days and scores that day only, so no item is scored by a model that learned from its day.
(The lexicon is the same in every fold: it is written by hand, not learned.)

How labels count, as the stream's README scores them: ``on`` is positive, ``off`` negative,
and a ``marginal`` item is neither a hit nor a miss, whatever the classifier says; the report
still says how many marginal items it called on-topic.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nlp.evaluate import FieldScore
from nlp.relevance import Reading, Relevance, judge, read_item
from nlp.relevance_data import StreamItem, load_stream

__all__ = ["CALIBRATION_BANDS", "Counts", "RelevanceReport", "evaluate_stream", "format_report", "main"]

# Score bands of the calibration table: is the share of on-topic items in a band near its mean score?
CALIBRATION_BANDS = (0.0, 0.01, 0.1, 0.5, 0.9, 1.000001)


@dataclass
class Counts(FieldScore):
    """Confusion counts of on-topic calls (precision, recall and F1 as the extraction's ``FieldScore``): true and
    false positives, misses, true negatives, and the marginal items, left out of the scores, called on."""

    tn: int = 0
    marginal_on: int = 0
    marginal: int = 0

    def count(self, label: str, on_topic: bool) -> None:
        """Count one item with its gold ``label`` and the classifier's call."""
        if label == "marginal":
            self.marginal += 1
            self.marginal_on += on_topic
        elif label == "on":
            self.tp, self.fn = self.tp + on_topic, self.fn + (not on_topic)
        else:
            self.fp, self.tn = self.fp + on_topic, self.tn + (not on_topic)


@dataclass
class Miss:
    """An item the classifier got wrong: a missed ``on`` or an ``off`` called on-topic."""

    id: str
    day: str
    outlet: str
    label: str
    score: float
    title: str


@dataclass
class RelevanceReport:
    """Counts over the whole stream, per fold (day) and per outlet, and the errors."""

    mode: str
    overall: Counts = field(default_factory=Counts)
    folds: dict[str, Counts] = field(default_factory=dict)
    outlets: dict[str, Counts] = field(default_factory=dict)
    errors: list[Miss] = field(default_factory=list)
    rules: Counter[tuple[str | None, str]] = field(default_factory=Counter)  # (rule, label) of on-topic calls
    # Per score band (index into CALIBRATION_BANDS): [on or off items, sum of their scores, on items].
    calibration: dict[int, list[float]] = field(default_factory=dict)

    def add(self, item: StreamItem, verdict: Relevance) -> None:
        """Count one scored item."""
        for counts in (self.overall, self.folds.setdefault(item.day, Counts()),
                       self.outlets.setdefault(item.outlet, Counts())):
            counts.count(item.label, verdict.on_topic)
        if item.label != "marginal":
            band = next(k for k, top in enumerate(CALIBRATION_BANDS[1:]) if verdict.score < top)
            cell = self.calibration.setdefault(band, [0, 0.0, 0])
            cell[0], cell[1], cell[2] = cell[0] + 1, cell[1] + verdict.score, cell[2] + (item.label == "on")
        if verdict.on_topic:
            self.rules[(verdict.rule, item.label)] += 1
        if (item.label == "on") != verdict.on_topic and item.label != "marginal":
            self.errors.append(Miss(item.id, item.day, item.outlet, item.label, verdict.score, item.title))


def _cv_by_day(items: Sequence[StreamItem], readings: Sequence[Reading], report: RelevanceReport) -> None:
    from nlp.train_relevance import fit_rows, training_rows, vectorize

    matrix, names = vectorize(readings)
    rows, targets = training_rows(items)
    for day in sorted({i.day for i in items}):
        kept = [(row, t) for row, t in zip(rows, targets, strict=True) if items[row].day != day]
        model = fit_rows(matrix, names, [k[0] for k in kept], [k[1] for k in kept])
        for item, reading in zip(items, readings, strict=True):
            if item.day == day:
                report.add(item, judge(reading, model))


def evaluate_stream(directory: Path | str, *, cv_by_day: bool = False) -> RelevanceReport:
    """Score the classifier on a labelled stream directory (``ValueError`` if it is not one).

    With ``cv_by_day`` (needs scikit-learn) each day is scored by a model trained on the other days.
    """
    items = load_stream(directory)
    readings = [read_item(i.text, i.title) for i in items]
    report = RelevanceReport("cross-validation by day" if cv_by_day else "shipped model")
    if cv_by_day:
        _cv_by_day(items, readings, report)
    else:
        for item, reading in zip(items, readings, strict=True):
            report.add(item, judge(reading))
    return report


def _row(name: str, c: Counts) -> str:
    """One table row; "-" where a ratio has nothing to count (no call, or nothing to find)."""
    p = f"{c.precision:.3f}" if c.tp + c.fp else "-"
    r = f"{c.recall:.3f}" if c.tp + c.fn else "-"
    f = f"{c.f1:.3f}" if c.tp + c.fp + c.fn else "-"
    return f"{name:<28} {p:>6} {r:>6} {f:>6}   {c.tp:>4} {c.fp:>4} {c.fn:>4}   {c.marginal_on:>3}/{c.marginal:<3}"


def format_report(report: RelevanceReport, *, errors: bool = True) -> str:
    """A plain-text table: overall, per day and per outlet, then the rules' calls and the errors."""
    header = f"{'':<28} {'P':>6} {'R':>6} {'F1':>6}   {'TP':>4} {'FP':>4} {'FN':>4}   marginal on"
    lines = [f"Relevance on a labelled stream ({report.mode}); on = positive, off = negative, marginal not scored",
             header, _row("overall", report.overall), "", "by day:"]
    lines += [_row(day, c) for day, c in sorted(report.folds.items())]
    lines += ["", "by outlet:"] + [_row(name[:28], c) for name, c in sorted(report.outlets.items())]
    calls = ", ".join(f"{rule or 'model'}/{label}: {n}" for (rule, label), n in sorted(report.rules.items(),
                                                                                       key=lambda kv: str(kv[0])))
    lines += ["", f"on-topic calls by deciding rule/label: {calls or 'none'}", "",
              "calibration (on and off items): score band, items, mean score, share on-topic"]
    for band, (n, total, on) in sorted(report.calibration.items()):
        low, high = CALIBRATION_BANDS[band], min(CALIBRATION_BANDS[band + 1], 1.0)
        lines.append(f"  {low:.2f}-{high:.2f}  {int(n):>6}  {total / n:.3f}  {on / n:.3f}")
    if errors and report.errors:
        lines += ["", "errors (label, score, day, outlet, headline):"]
        lines += [f"  {m.label:<3} {m.score:.3f} {m.day} {m.outlet[:20]:<20} {m.title[:90]}"
                  for m in sorted(report.errors, key=lambda m: (m.label, -m.score))]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report for a stream directory; returns the exit status (2 when it is not a stream)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stream", type=Path, help="a labelled stream directory (items.json, labels.jsonl)")
    parser.add_argument("--cv-by-day", action="store_true", help="score each day with a model trained on the others")
    parser.add_argument("--no-errors", action="store_true", help="leave out the list of misclassified items")
    args = parser.parse_args(argv)
    try:
        report = evaluate_stream(args.stream, cv_by_day=args.cv_by_day)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(format_report(report, errors=not args.no_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
