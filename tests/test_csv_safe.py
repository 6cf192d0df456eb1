"""CSV exports never hand a spreadsheet a formula (``newsmon.csv_safe``), through the figures export too."""

from __future__ import annotations

import csv
import io

import pytest

from newsmon.csv_safe import FORMULA_STARTS, safe_cell, safe_row
from tests.api_seed import API_KEY


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","bấm")', "+84 912 345 678", "-2+3",
                                  "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"])
def test_formula_starts_are_neutralised(text: str) -> None:
    cell = safe_cell(text)
    assert cell == "'" + text and not str(cell).startswith(FORMULA_STARTS)


@pytest.mark.parametrize("value", ["Hà Nội", "28.867 lao động nữ", "", "a=b", "e-mail", 'Nói "=" thôi'])
def test_plain_text_is_left_alone(value: str) -> None:
    assert safe_cell(value) == value


def test_numbers_and_none() -> None:
    assert safe_row([-5, -1.5, 0, True, None]) == [-5, -1.5, 0, True, ""]


def test_figures_export_neutralises_titles_and_sentences(api_client, api_store) -> None:
    from newsmon.models import Extraction, Figure

    evil = {"url": "https://evil.example/x", "source": "evil.example", "title": "=HYPERLINK(\"http://evil\")",
            "text": "Bình đẳng giới.", "published_at": "2024-11-20T09:00:00+07:00"}
    response = api_client.post("/articles", json={"articles": [evil]}, headers={"X-API-Key": API_KEY})
    article_id = response.json()["new"][0]
    hostile = Figure(value=-3, unit="người", text="-3 người", subject="@evil", sentence="+cmd|' /C calc'!A0")
    api_store.save_extractions([(article_id, Extraction(version="t", figures=[hostile], on_topic=True))])
    body = api_client.get("/figures", params={"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows, body
    for row in rows:
        for column, cell in row.items():
            if column != "value":
                assert not cell.startswith(FORMULA_STARTS), (column, cell)
    mine = next(r for r in rows if r["article_id"] == article_id)
    assert (mine["title"], mine["subject"], mine["sentence"]) == (
        "'" + evil["title"], "'@evil", "'+cmd|' /C calc'!A0")
    assert float(mine["value"]) == -3  # a number stays a number
