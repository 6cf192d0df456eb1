"""The devset scorer: how figures, events and optional items count."""

import pytest

from newsmon.models import Event, Extraction, Figure
from nlp.evaluate import score_article

TEXT = "Hội trao hàng trăm suất quà và 30 suất học bổng. Ngày 5/11, hội tổ chức tập huấn."


def _record(figures: list[dict], events: list[dict] | None = None) -> dict:
    gold = {"provinces": [], "admin_units": [], "figures": figures, "campaign_years": [], "events": events or [],
            "people": []}
    return {"id": "x", "text": TEXT, "gold": gold}


def _figure(text: str, value: float, *, optional: bool = False) -> Figure:
    start = TEXT.index(text)
    return Figure(value=value, unit="suất", text=text, start=start, end=start + len(text), optional=optional)


@pytest.mark.parametrize(("optional", "false_positives"), [(True, 0), (False, 1)])
def test_an_optional_prediction_matching_nothing_is_not_false(optional: bool, false_positives: int) -> None:
    extraction = Extraction(version="t", figures=[_figure("hàng trăm suất quà", 100, optional=optional),
                                                  _figure("30 suất học bổng", 30)])
    score = score_article(_record([{"value": 30, "unit": "suất học bổng", "text": "30 suất học bổng"}]),
                          extraction).scores["figures"]
    assert (score.tp, score.fp, score.fn) == (1, false_positives, 0)


def test_an_optional_gold_figure_is_neither_missed_nor_false() -> None:
    gold = [{"value": 100, "unit": "suất quà", "text": "hàng trăm suất quà", "optional": True}]
    for figures in ([], [_figure("hàng trăm suất quà", 100)]):
        score = score_article(_record(gold), Extraction(version="t", figures=figures)).scores["figures"]
        assert (score.tp, score.fp, score.fn) == (0, 0, 0)


def test_events_need_the_same_date_only_when_dated() -> None:
    start = TEXT.index("Ngày 5/11")
    event = Event(type="training", date="2024-11-06", text=TEXT[start:], start=start, end=len(TEXT))
    result = score_article(_record([], [{"type": "training", "date": "2024-11-05", "text": TEXT[start:]}]),
                           Extraction(version="t", events=[event]))
    assert (result.scores["events"].tp, result.scores["events_dated"].tp) == (1, 0)
