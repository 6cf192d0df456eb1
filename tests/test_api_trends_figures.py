"""GET /trends, /trends/campaign, /figures (JSON and CSV) and /entities."""

from __future__ import annotations

import csv
import io

import pytest

from tests.api_seed import articles


def test_trends_by_year(api_client):
    body = api_client.get("/trends", params={"interval": "year", "include_off_topic": "true"}).json()
    counts = {p["period"]: p["count"] for p in body["points"]}
    assert counts == {"2021": 1, "2022": 1, "2023": 1, "2024": 4}
    assert body["total"] == 7 and all(p["share"] == 1.0 for p in body["points"] if p["count"])
    on_topic = api_client.get("/trends", params={"interval": "year"}).json()  # the default leaves out 2021's
    assert on_topic["total"] == 6 and "2021" not in {p["period"] for p in on_topic["points"]}  # forum, not extracted


def test_trends_split_shares_sum_to_one_per_period(api_client):
    body = api_client.get("/trends", params={"interval": "year", "split_by": "source"}).json()
    by_period: dict[str, float] = {}
    for point in body["points"]:
        by_period[point["period"]] = by_period.get(point["period"], 0) + point["share"]
    assert all(abs(total - 1.0) < 0.01 for total in by_period.values())
    y2024 = {p["split"]: p["share"] for p in body["points"] if p["period"] == "2024" and p["count"]}
    assert y2024 == {"vnexpress.net": 0.5, "baophunu.vn": 0.25, "thanhnien.vn": 0.25}


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
def test_trend_intervals(api_client, interval):
    body = api_client.get("/trends", params={"interval": interval, "q": "giới"}).json()
    assert body["interval"] == interval and sum(p["count"] for p in body["points"]) == body["total"]


def test_campaign_compares_the_action_month_across_years(api_client):
    body = api_client.get("/trends/campaign", params=[("years", 2023), ("years", 2024), ("split_by", "source")]).json()
    years = {y["year"]: y for y in body["years"]}
    assert years[2024]["start"] == "2024-11-15" and years[2024]["end"] == "2024-12-15"
    assert years[2024]["count"] == 2 and years[2023]["count"] == 1
    assert {s["value"] for s in years[2024]["splits"]} == {"baophunu.vn", "thanhnien.vn"}


@pytest.mark.parametrize("q", ["", "giới", "vnexpress"])
def test_campaign_years_read_together_equal_each_year_alone(api_client, q):
    # Several years without a split come from one daily series; a single year from its own window.
    together = api_client.get("/trends/campaign", params={"q": q}).json()["years"]
    assert len(together) == 4
    for year in together:
        alone = api_client.get("/trends/campaign", params={"q": q, "years": year["year"]}).json()["years"]
        assert alone == [year]
    if not q:
        assert {y["year"]: y["count"] for y in together}[2024] == 2


def test_campaign_defaults_to_every_year_in_the_store(api_client):
    years = [y["year"] for y in api_client.get("/trends/campaign").json()["years"]]
    assert years == [2021, 2022, 2023, 2024]


def test_figures_rows_carry_sentence_and_article(api_client):
    body = api_client.get("/figures", params={"subject": "lao dong nu"}).json()
    assert body["total"] == 1
    row = body["rows"][0]
    assert row["value"] == 2300 and row["unit"] == "người"
    assert "2.300 lao động nữ" in row["sentence"]
    assert row["article_id"] == articles()[2].id and row["url"].startswith("https://tuoitre.vn/")


@pytest.mark.parametrize(
    ("params", "total"),
    [
        ({"province": "Tuyên Quang"}, 2),
        ({"province": "binh thuan"}, 1),
        ({"year": 2024}, 3),
        ({"source": "baophunu.vn"}, 2),
        ({"value_min": 40, "value_max": 2000}, 2),
        ({"unit": "%"}, 1),
        ({"q": "bạo lực"}, 3),
    ],
)
def test_figure_filters(api_client, params, total):
    assert api_client.get("/figures", params=params).json()["total"] == total


def test_figure_aggregates_group_by_year_unit_and_subject(api_client):
    aggregates = api_client.get("/figures").json()["aggregates"]
    key = {(a["year"], a["unit"], a["subject"]): a for a in aggregates}
    assert key[("2024", "phụ nữ", "phụ nữ được vay vốn hỗ trợ sinh kế")]["total"] == 1250
    assert key[("2023", "người", "lao động nữ được đào tạo nghề")]["count"] == 1
    rate = next(a for a in aggregates if a["unit"] == "%")
    assert (rate["is_rate"], rate["total"], rate["median"], rate["sources"]) == (True, None, 12.5, 1)


def test_figures_csv_export(api_client):
    response = api_client.get("/figures", params={"format": "csv", "province": "Hà Giang"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="newsmon-figures.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert {r["unit"] for r in rows} == {"phụ nữ", "lớp"}
    assert all(r["sentence"] and r["url"] for r in rows)


def test_entities(api_client):
    body = api_client.get("/entities", params={"q": "bình đẳng giới", "date_from": "2024-01-01"}).json()
    assert [p["name"] for p in body["people"]] == ["Hoàng Thị Lan"]
    assert body["people"][0]["detail"] == "Phó Chủ tịch UBND tỉnh"
    assert body["organisations"][0]["name"] == "Hội Liên hiệp Phụ nữ tỉnh Hà Giang"
    assert body["places"][0] == {"name": "Hà Giang", "count": 1, "detail": "province"}
