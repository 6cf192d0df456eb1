"""The newsmon CLI through typer's runner, on a real store in a temp folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsmon.cli import app
from newsmon.store.sqlite import SqliteStore
from tests.store_contract import sample_corpus

runner = CliRunner()
COMMANDS = ["crawl", "extract", "serve", "run", "watch", "demo", "search", "stats", "eval", "eval-relevance",
            "eval-stories", "parse-page"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output.splitlines()) > 5


def test_top_level_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert all(command in result.output for command in COMMANDS)


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    with SqliteStore(tmp_path / "cli.db") as store:
        store.upsert_articles(sample_corpus())
    return f"sqlite:///{tmp_path}/cli.db"


def test_search_prints_matches(store_url: str) -> None:
    result = runner.invoke(app, ["search", "binh dang gioi", "--store", store_url])
    assert result.exit_code == 0
    assert "1 article(s)" in result.output and "bình đẳng giới" in result.output


def test_search_reports_a_bad_query_with_its_position(store_url: str) -> None:
    result = runner.invoke(app, ["search", "(bình đẳng", "--store", store_url])
    assert result.exit_code == 2
    assert "missing ')'" in result.output and "position 0" in result.output


def test_stats(store_url: str) -> None:
    result = runner.invoke(app, ["stats", "--store", store_url])
    assert result.exit_code == 0
    assert "articles: 4" in result.output and "baodanang.vn" in result.output


def test_extract_pending_fills_the_store(store_url: str) -> None:
    result = runner.invoke(app, ["extract", "--pending", "--store", store_url])
    assert result.exit_code == 0
    with SqliteStore(store_url.removeprefix("sqlite:///")) as store:
        assert store.stats().extracted == 4
        hanoi = next(a for a in store.iter_articles() if a.title.startswith("Hà Nội"))
        assert "Hà Nội" in store.get_extraction(hanoi.id).provinces


def test_eval_refuses_a_missing_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_eval_scores_gold_files(tmp_path: Path) -> None:
    gold = {
        "id": "t1", "url": None, "source": None, "published_at": "2024-11-14",
        "title": "Đà Nẵng phát động Tháng hành động vì bình đẳng giới năm 2024",
        "text": "Đà Nẵng phát động Tháng hành động vì bình đẳng giới năm 2024\n"
                "Ngày 14/11, UBND thành phố Đà Nẵng tổ chức lễ phát động, trao 30 suất quà cho phụ nữ.",
        "gold": {"provinces": ["Đà Nẵng"], "admin_units": [], "campaign_years": [2024], "people": [],
                 "figures": [{"value": 30, "unit": "suất quà", "text": "30 suất quà", "optional": False}],
                 "events": [{"type": "launch_ceremony", "date": "2024-11-14", "text": "tổ chức lễ phát động"}]},
    }
    (tmp_path / "t1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "provinces" in result.output and "figures" in result.output


def test_a_crawl_that_reaches_no_outlet_says_so_and_fails(tmp_path: Path) -> None:
    # Two outlets on a closed loopback port: a first run without network, as a new user meets it.
    port = 9  # discard: nothing listens there on the test machine
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n" + "".join(
        f"  - id: bao{n}.vn\n    name: Báo {n}\n    domains: [127.0.0.1]\n"
        f"    discovery: {{feeds: ['http://127.0.0.1:{port}/rss{n}.xml']}}\n"
        "    evidence: invented for this test, 2026-12-06\n"
        for n in (1, 2)), encoding="utf-8")
    result = runner.invoke(app, ["crawl", "--sources", str(sources), "--store", f"sqlite:///{tmp_path}/c.db",
                                 "--state", str(tmp_path / "state.db")])
    assert result.exit_code == 1, result.output
    assert "0 of 2 outlets reachable" in result.output and "check the network or the sources file" in result.output


def test_eval_relevance_and_eval_stories_report_on_a_stream(tmp_path: Path) -> None:
    from tests.shared_data import STREAM, require

    for command in ("eval-relevance", "eval-stories"):
        assert runner.invoke(app, [command, str(tmp_path / "nothing")]).exit_code == 2
    stream = require(STREAM)
    relevance = runner.invoke(app, ["eval-relevance", str(stream), "--no-errors"])
    assert relevance.exit_code == 0 and "overall" in relevance.output and "by outlet:" in relevance.output
    stories = runner.invoke(app, ["eval-stories", str(stream)])
    assert stories.exit_code == 0 and "pairwise precision" in stories.output


def test_parse_page_prints_the_article_the_crawler_would_store(tmp_path: Path) -> None:
    page = tmp_path / "bai.html"
    page.write_text(
        "<html><head><title>Hội thảo bình đẳng giới ở Huế - Báo Mẫu</title>"
        '<meta property="article:published_time" content="2024-11-20T08:30:00+07:00"></head><body>'
        "<nav><a href='/'>Trang chủ</a></nav><article><h1>Hội thảo bình đẳng giới ở Huế</h1>"
        + "".join(f"<p>Đoạn {n}: các đại biểu thảo luận về bình đẳng giới trong gia đình và cộng đồng.</p>"
                  for n in range(6))
        + "</article><footer>Bản quyền Báo Mẫu</footer></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["parse-page", str(page), "--url", "https://baomau.vn/hoi-thao-123456.html"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["is_article"] is True and found["title"] == "Hội thảo bình đẳng giới ở Huế"
    assert found["published_at"].startswith("2024-11-20T08:30") and "Bản quyền" not in found["text"]
    missing = runner.invoke(app, ["parse-page", str(tmp_path / "none.html"), "--url", "https://baomau.vn/a.html"])
    assert missing.exit_code == 2 and "none.html" in missing.output
