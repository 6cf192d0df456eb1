"""``newsmon extract`` as a stable JSON Lines contract, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

DEVSET_KEYS = {"provinces", "admin_units", "figures", "campaign_years", "events", "people"}
ARTICLE = {
    "id": "a1", "url": "https://baomau.vn/a1", "source": "baomau.vn", "published_at": "2024-11-14T08:00:00+07:00",
    "title": "Đà Nẵng phát động Tháng hành động vì bình đẳng giới năm 2024",
    "text": "Đà Nẵng phát động Tháng hành động vì bình đẳng giới năm 2024\n"
            "Ngày 14/11, UBND thành phố Đà Nẵng tổ chức lễ phát động Tháng hành động vì bình đẳng giới "
            "năm 2024. Dịp này, Hội Liên hiệp Phụ nữ thành phố trao 120 suất quà cho phụ nữ khó khăn.",
}


def run_extract(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmon.cli", "extract", *args],
        input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )


def test_one_output_line_per_article_with_devset_fields() -> None:
    nfd = {**ARTICLE, "id": "a2", "text": unicodedata.normalize("NFD", ARTICLE["text"])}
    result = run_extract(json.dumps(ARTICLE, ensure_ascii=False) + "\n" + json.dumps(nfd) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a1", "a2"]
    for line in lines:
        extraction = line["extraction"]
        assert extraction.keys() >= DEVSET_KEYS
        assert extraction["provinces"] == ["Đà Nẵng"]
        assert extraction["campaign_years"] == [2024]
        assert any(f["value"] == 120 for f in extraction["figures"])
    assert lines[0]["extraction"] == lines[1]["extraction"]  # NFD input is normalised at the edge


def test_bad_lines_get_error_lines_and_the_rest_go_on(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "{not json\n" + json.dumps({"id": "x", "title": "no text"}) + "\n[1, 2]\n\n"
        + json.dumps(ARTICLE, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = run_extract("", str(path))
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("line") for line in lines[:3]] == [1, 2, 3]
    assert "invalid JSON" in lines[0]["error"]
    assert lines[1]["id"] == "x" and "text" in lines[1]["error"]
    assert "JSON object" in lines[2]["error"]
    assert lines[3]["id"] == "a1" and "extraction" in lines[3]
    assert "3 line(s) failed" in result.stderr


@pytest.mark.parametrize("published_at", [None, "", "2024-11-14"])
def test_missing_or_plain_dates_are_accepted(published_at: str | None) -> None:
    result = run_extract(json.dumps({**ARTICLE, "published_at": published_at}, ensure_ascii=False))
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["extraction"]["campaign_years"] == [2024]


def test_a_line_of_invalid_utf8_gets_its_own_error_and_the_rest_go_on(tmp_path: Path) -> None:
    good = json.dumps(ARTICLE, ensure_ascii=False).encode("utf-8")
    bad = json.dumps({**ARTICLE, "id": "latin"}, ensure_ascii=False).encode("utf-8").replace(
        "Đà Nẵng".encode(), "Đà Nẵng".encode("cp1258", errors="replace"))
    garbage = b"\xff\xfe\x00 not even json \xc3\x28\n"
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(good + b"\n" + bad + b"\n" + garbage + json.dumps({**ARTICLE, "id": "a3"}).encode() + b"\n")
    for result in (run_extract("", str(path)),
                   subprocess.run([sys.executable, "-m", "newsmon.cli", "extract"], input=path.read_bytes(),
                                  capture_output=True, timeout=120, check=False)):
        stdout = result.stdout if isinstance(result.stdout, str) else result.stdout.decode("utf-8")
        stderr = result.stderr if isinstance(result.stderr, str) else result.stderr.decode("utf-8")
        assert result.returncode == 1 and "Traceback" not in stderr
        lines = [json.loads(line) for line in stdout.splitlines()]
        assert [line.get("id") for line in lines] == ["a1", "latin", None, "a3"]
        assert "extraction" in lines[0] and "extraction" in lines[3]
        assert lines[1]["line"] == 2 and lines[1]["error"].startswith("not UTF-8: byte 0x")
        assert lines[2]["line"] == 3 and "not UTF-8" in lines[2]["error"]
        assert "2 line(s) failed" in stderr


def test_extraction_reads_a_capped_prefix_of_a_huge_article() -> None:
    from nlp.pipeline import MAX_TEXT_CHARS, capped, extract

    filler = "Hội Liên hiệp Phụ nữ tổ chức tập huấn cho cán bộ cơ sở về bình đẳng giới. "
    head = "Ngày 14/11, UBND thành phố Đà Nẵng phát động Tháng hành động vì bình đẳng giới. "
    tail = " Tỉnh Cà Mau trao 120 suất quà cho phụ nữ khó khăn."
    text = head + filler * (3 * MAX_TEXT_CHARS // len(filler)) + tail  # about 3 x the cap
    extraction = extract(text, title="", segment=False)
    assert "Đà Nẵng" in extraction.provinces and "Cà Mau" not in extraction.provinces  # the tail is not read
    spans = [item.end for kind in (extraction.places, extraction.figures, extraction.events) for item in kind]
    assert spans and max(e for e in spans if e is not None) <= MAX_TEXT_CHARS
    cut = capped(text)
    assert len(cut) <= MAX_TEXT_CHARS and text.startswith(cut) and text[len(cut)] in " \n"  # no word split
    assert capped("ngắn") == "ngắn"


@pytest.mark.parametrize("title", [None, "", "MISSING"])
def test_an_article_without_a_title_is_extracted_with_its_first_sentence(title: str | None) -> None:
    article = {"id": "t1", "text": "Ngày 14/11, UBND tỉnh Quảng Trị tổ chức Lễ phát động Tháng hành động vì "
                                   "bình đẳng giới. Hội LHPN tỉnh trao 50 suất quà.", "published_at": "2024-11"}
    if title != "MISSING":
        article["title"] = title
    result = run_extract(json.dumps(article, ensure_ascii=False))
    assert result.returncode == 0, result.stdout + result.stderr
    extraction = json.loads(result.stdout)["extraction"]
    assert ("launch_ceremony", "2024-11-14") in {(e["type"], e["date"]) for e in extraction["events"]}
    assert extraction["provinces"] == ["Quảng Trị"]


@pytest.mark.parametrize(
    ("published_at", "date"),
    [("2024", "2024-11-14"), ("2024-11", "2024-11-14"), ("14/11/2024 08:30", "2024-11-14"),
     ("ngày 15 tháng 11 năm 2024", "2024-11-14"), ("2024-11-15T07:00:00+07:00", "2024-11-14"),
     ("không rõ", None)],
)
def test_every_published_at_form_gives_its_year(published_at: str, date: str | None) -> None:
    article = {"id": 7, "text": "Tin hội\nNgày 14/11, Hội LHPN huyện tổ chức tập huấn cho 60 cán bộ.",
               "published_at": published_at}
    line = json.loads(run_extract(json.dumps(article, ensure_ascii=False)).stdout)
    assert [e["date"] for e in line["extraction"]["events"]] == [date]
    assert ("warnings" in line) == (date is None)


@pytest.mark.parametrize(
    ("article", "field"),
    [({"id": "a", "text": "   "}, "text"), ({"id": "a", "text": 12}, "text"), ({"id": "a"}, "text"),
     ({"id": ["a"], "text": "Tin."}, "id"), ({"id": "  ", "text": "Tin."}, "id"), ({"id": True, "text": "Tin."}, "id")],
)
def test_only_an_unusable_id_or_text_is_an_error(article: dict, field: str) -> None:
    ok = {"id": "ok", "text": "Hội LHPN xã trao 20 suất quà.", "title": 5, "published_at": {"y": 2024}}
    result = run_extract(json.dumps(article) + "\n" + json.dumps(ok) + "\n")
    bad, good = (json.loads(line) for line in result.stdout.splitlines())
    assert bad["error"].startswith(f"{field}:") and bad["line"] == 1
    assert "extraction" in good and len(good["warnings"]) == 2
