"""Relevance measured on a labelled stream: cross-validation by day on ../shared/stream, floors that never go down."""

import json
from pathlib import Path

import pytest

import nlp.train_relevance
from nlp.relevance_data import feed_summary, load_stream
from nlp.relevance_eval import Counts, evaluate_stream, format_report
from nlp.relevance_eval import main as eval_main
from nlp.relevance_model import LinearModel
from nlp.train_relevance import main as train_main
from tests.shared_data import STREAM

BASELINE = json.loads((Path(__file__).parent / "relevance_baseline.json").read_text(encoding="utf-8"))
needs_stream = pytest.mark.skipif(not (STREAM / "items.json").is_file(), reason=f"stream not found at {STREAM}")


@pytest.fixture(scope="module")
def cv_report():
    return evaluate_stream(STREAM, cv_by_day=True)


def _write_stream(directory: Path, items: list[tuple[str, str, str, str]]) -> Path:
    """A stream directory of invented (id, day, headline, label) items."""
    directory.mkdir(parents=True, exist_ok=True)
    records = [{"id": i, "fetched": f"{day}T06:00:00+07:00", "outlet": "Báo A", "url": f"https://a.vn/{i}",
                "title": title, "summary": "Tin cập nhật trong ngày."} for i, day, title, _ in items]
    (directory / "items.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    labels = "\n".join(json.dumps({"id": i, "label": label}) for i, _, _, label in items if label != "off")
    (directory / "labels.jsonl").write_text(labels + "\n", encoding="utf-8")
    return directory


@pytest.fixture
def small_stream(tmp_path: Path) -> Path:
    on = ["Khởi tố đối tượng hiếp dâm bé gái", "Chồng sát hại vợ rồi bỏ trốn", "Hội LHPN xã ra mắt mô hình mới"]
    off = ["Giá vàng tăng mạnh", "Xe tải lật trên quốc lộ", "Người phụ nữ trúng xổ số", "Mưa lớn ở miền Trung",
           "Chứng khoán giảm điểm", "Đội tuyển thắng trận ra quân"]
    items = []
    for d, day in enumerate(("2026-07-01", "2026-07-02", "2026-07-03")):
        items.append((f"on{d}", day, on[d], "on"))
        items.append((f"m{d}", day, "Tiêm chủng cho trẻ em vùng cao", "marginal"))
        items += [(f"off{d}{k}", day, title, "off") for k, title in enumerate(off)]
    return _write_stream(tmp_path / "stream", items)


@needs_stream
@pytest.mark.parametrize("metric", ["precision", "recall", "f1"])
def test_cv_by_day_never_falls_below_the_floor(cv_report, metric: str) -> None:
    floor = BASELINE["cv_by_day"][metric]
    assert getattr(cv_report.overall, metric) >= floor, format_report(cv_report)


@needs_stream
def test_cv_by_day_meets_the_issue_targets(cv_report) -> None:
    targets = BASELINE["issue_targets"]
    assert cv_report.overall.precision >= targets["precision"] and cv_report.overall.f1 >= targets["f1"]
    assert len(cv_report.folds) == 14 and sum(c.tp + c.fn for c in cv_report.folds.values()) == 14


@needs_stream
@pytest.mark.parametrize("metric", ["precision", "recall", "f1"])
def test_shipped_model_never_falls_below_the_floor(metric: str) -> None:
    report = evaluate_stream(STREAM)
    assert getattr(report.overall, metric) >= BASELINE["shipped_model"][metric], format_report(report)


def test_no_fold_learns_from_the_day_it_scores(small_stream: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = load_stream(small_stream)
    seen: list[set[str]] = []
    fit_rows = nlp.train_relevance.fit_rows

    def recording(matrix, names, rows, targets, **kwargs) -> LinearModel:
        seen.append({items[r].day for r in rows})
        assert all(items[r].label != "marginal" for r in rows)
        return fit_rows(matrix, names, rows, targets, **kwargs)

    monkeypatch.setattr(nlp.train_relevance, "fit_rows", recording)
    report = evaluate_stream(small_stream, cv_by_day=True)
    assert sorted(report.folds) == ["2026-07-01", "2026-07-02", "2026-07-03"]
    assert [sorted(days) for days in seen] == [["2026-07-02", "2026-07-03"], ["2026-07-01", "2026-07-03"],
                                               ["2026-07-01", "2026-07-02"]]
    assert report.overall.marginal == 3 and report.overall.tp + report.overall.fn == 3


def test_report_counts_and_format(small_stream: Path) -> None:
    report = evaluate_stream(small_stream)
    assert report.overall.tp == 3 and report.overall.fp == 0 and report.overall.tn == 18
    text = format_report(report)
    assert "overall" in text and "2026-07-02" in text and "Báo A" in text and "marginal" in text
    bands = report.calibration.values()
    assert sum(n for n, _, _ in bands) == 21 and sum(on for _, _, on in bands) == 3
    assert "calibration" in text


def test_counts_leave_marginal_items_out() -> None:
    counts = Counts()
    for label, call in [("on", True), ("on", False), ("off", True), ("off", False), ("marginal", True)]:
        counts.count(label, call)
    assert (counts.tp, counts.fn, counts.fp, counts.tn, counts.marginal_on) == (1, 1, 1, 1, 1)
    assert counts.precision == 0.5 and counts.recall == 0.5 and counts.f1 == 0.5
    assert Counts().precision == 1.0 and Counts().recall == 1.0


def test_training_script_writes_a_model_with_provenance(small_stream: Path, tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    assert train_main([str(small_stream), "--out", str(out)]) == 0
    model = LinearModel.from_json(out.read_text(encoding="utf-8"))
    assert "3 on-topic" in str(model.meta["data"]) and "3 marginal left out" in str(model.meta["data"])
    assert model.weights["S@h"] > 0
    assert train_main([str(tmp_path / "missing"), "--out", str(out)]) == 2


def test_feed_summary_drops_a_trailing_related_headline() -> None:
    summary = 'Công an tỉnh bắt giữ 2 đối tượng. Tin liên quan về một vụ khác <a href="https://x.vn/a'
    assert feed_summary(summary) == "Công an tỉnh bắt giữ 2 đối tượng."
    assert feed_summary("Không có thẻ nào ở đây.") == "Không có thẻ nào ở đây."
    assert feed_summary("Tiêu đề liên quan <a href") == "Tiêu đề liên quan"
    assert feed_summary('Công an bắt 5 đối tượng. Tin liên quan về một vụ khác <a href="https://vi') == \
        "Công an bắt 5 đối tượng."


@pytest.mark.parametrize(("name", "content", "message"), [
    ("labels.jsonl", '{"id": "x", "label": "maybe"}\n', "label in"),
    ("labels.jsonl", '{"id": "nope", "label": "on"}\n', "not in items.json"),
    ("items.json", '[{"id": "a"}]', "needs string fields"),
])
def test_a_malformed_stream_is_refused(small_stream: Path, name: str, content: str, message: str) -> None:
    (small_stream / name).write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_stream(small_stream)


def test_a_directory_without_a_stream_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match=r"items\.json is missing"):
        evaluate_stream(tmp_path)
    assert eval_main([str(tmp_path)]) == 2 and "items.json is missing" in capsys.readouterr().err


def test_command_prints_the_cv_report(small_stream: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert eval_main([str(small_stream), "--cv-by-day", "--no-errors"]) == 0
    out = capsys.readouterr().out
    assert "cross-validation by day" in out and "errors" not in out
