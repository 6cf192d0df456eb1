"""The F1 gate: the extractor on the shared devset never scores below the recorded floors."""

import json
from pathlib import Path

import pytest

from nlp.evaluate import evaluate, format_report
from tests.shared_data import DEVSET, skip_without

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text(encoding="utf-8"))

pytestmark = skip_without(DEVSET)


@pytest.fixture(scope="module")
def report():
    return evaluate(DEVSET)


@pytest.mark.parametrize("field", sorted(BASELINE["f1_floor"]))
def test_f1_floor(report, field: str) -> None:
    score = report.fields[field].f1
    floor = BASELINE["f1_floor"][field]
    assert score >= floor, f"{field} F1 {score:.3f} fell below {floor}\n" + format_report(report)


def test_campaign_years_exact_on_every_article(report) -> None:
    wrong = [a.id for a in report.articles if not a.campaign_years_exact]
    assert not wrong, f"campaign years wrong on {wrong}"
