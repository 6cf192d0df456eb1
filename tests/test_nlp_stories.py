"""Stories: invented retellings of one event group together, different cases stay apart, and the
grouping on the real stream never scores below its recorded floor."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from nlp.stories import StoryIndex, StoryRow, format_story_report, load_params, regroup, story_features
from nlp.stories.evaluate import evaluate_stories, pairwise
from nlp.stories.params import default_params
from nlp.stories.postings import MAX_ARTICLES, Postings
from tests.story_corpus import (
    BACKGROUND,
    BUST,
    CASES,
    DAY,
    DRAFT,
    DRAFT_LATER,
    LAUNCHES,
    OTHER_BUST,
    background_index,
    story_keys,
)

BASELINE = json.loads((Path(__file__).parent / "stories_baseline.json").read_text(encoding="utf-8"))

def assign_all(index: StoryIndex, articles: list[tuple[str, int, str, str]]) -> dict[str, str]:
    """Assign invented articles (id, day offset from DAY, headline, lead); their story ids."""
    stories = {}
    for article_id, offset, title, lead in sorted(articles, key=lambda a: a[1]):
        day = DAY + timedelta(days=offset)
        stories[article_id] = index.assign(article_id, story_keys(title, lead, day), day)
    return stories


def test_one_event_retold_by_three_outlets_is_one_story() -> None:
    stories = assign_all(background_index(), BUST)
    assert stories["lc1"] == stories["lc2"] == stories["lc3"] == "lc1"


def test_two_busts_on_one_topic_in_one_week_are_two_stories() -> None:
    stories = assign_all(background_index(), BUST + OTHER_BUST)
    assert stories["cb1"] == stories["cb2"] != stories["lc1"]


def test_two_launches_of_one_campaign_are_two_stories_and_a_retelling_joins_its_own() -> None:
    stories = assign_all(background_index(), LAUNCHES)
    assert stories["qn1"] == stories["qn2"] != stories["ht1"]


def test_two_abuse_cases_in_one_province_stay_apart() -> None:
    stories = assign_all(background_index(), CASES)
    assert stories["nx1"] == stories["nx2"] != stories["ny1"]


def test_the_background_news_are_all_different_stories() -> None:
    index = background_index()
    assert len({row.story_id for row in index.rows()}) == len(index)


@pytest.mark.parametrize(("days_apart", "window", "same"), [(5, 7, True), (9, 7, False), (5, 3, False)])
def test_a_story_spans_at_most_the_window(days_apart: int, window: int, same: bool) -> None:
    index = background_index(StoryIndex(default_params().with_window(window)))
    later = DAY + timedelta(days=days_apart)
    first = index.assign(DRAFT[0], story_keys(DRAFT[1], DRAFT[2], DAY), DAY)
    second = index.assign(DRAFT_LATER[0], story_keys(DRAFT_LATER[1], DRAFT_LATER[2], later), later)
    assert (first == second) is same


def test_a_syndicated_copy_joins_its_originals_story_whatever_it_says() -> None:
    index = background_index()
    story = assign_all(index, BUST[:1])["lc1"]
    assert index.assign("copy", {"w:khác hẳn"}, DAY + timedelta(days=30), duplicate_of="lc1") == story
    assert index.last is not None and index.last.matched == "lc1"


def test_a_copy_of_an_unknown_article_is_matched_like_any_article() -> None:
    index = background_index()
    assert index.assign("copy", {"w:khác hẳn"}, DAY, duplicate_of="not-stored") == "copy"


def test_rebuilt_from_rows_the_index_decides_as_the_one_that_wrote_them() -> None:
    written = background_index()
    assign_all(written, BUST[:2] + OTHER_BUST)
    rows = [StoryRow.parse(r.article_id, r.day.isoformat(), r.story_id, json.dumps(list(r.keys)))
            for r in reversed(written.rows())]
    rebuilt = StoryIndex()
    rebuilt.rebuild(rows)
    assert sorted(rebuilt.rows(), key=lambda r: r.article_id) == sorted(written.rows(), key=lambda r: r.article_id)
    assert assign_all(rebuilt, BUST[2:]) == assign_all(written, BUST[2:]) == {"lc3": "lc1"}


def test_regroup_assigns_in_day_order_with_originals_first() -> None:
    day = DAY
    keys = story_keys(BUST[0][2], BUST[0][3], day)
    index = regroup([("copy", {"w:khác"}, day, "orig"), ("orig", keys, day, None)])
    assert index.story_of("copy") == index.story_of("orig") == "orig"


def test_reassigning_an_article_replaces_it() -> None:
    index = background_index()
    assign_all(index, BUST)
    size = len(index)
    unrelated = story_keys("Giá vàng miếng tăng mạnh", "Giá vàng miếng trong nước tăng 800.000 đồng.", DAY)
    assert index.assign("lc2", unrelated, DAY) != "lc1"
    assert len(index) == size and "lc2" not in index.members("lc1")


def test_removing_an_article_keeps_the_rest_of_its_story() -> None:
    index = background_index()
    assign_all(index, BUST)
    index.remove("lc1")
    assert index.members("lc1") == ["lc2", "lc3"] and index.story_of("lc1") is None


@pytest.mark.parametrize("values", [
    ("", "2026-03-10", "s", "[]"), ("a", "10/03/2026", "s", "[]"), ("a", "2026-03-10", "s", "not json"),
    ("a", "2026-03-10", "s", [1, 2]), ("a", None, "s", []),
])
def test_unreadable_rows_are_refused_with_the_article_named(values: tuple) -> None:
    with pytest.raises(ValueError, match="story row of article"):
        StoryRow.parse(*values)


def test_assign_refuses_arguments_of_the_wrong_type() -> None:
    with pytest.raises(TypeError):
        StoryIndex().assign("a", set(), "2026-03-10")  # type: ignore[arg-type]


def test_story_keys_carry_numbers_documents_names_and_the_headline_date() -> None:
    keys = story_keys("Thời tiết ngày 20/3: Hà Nội rét đậm",
                      "VTV.vn - Theo Quyết định 1234/QĐ-TTg, ông Zachary Prouty và HDBank tài trợ 5 nghi phạm...",
                      date(2026, 3, 20))
    assert {"d:1234/qđ-ttg", "d:quyết định 1234", "#:5 nghi", "c:5", "n:zachary prouty", "n:hdbank",
            "t:2026-03-20"} <= keys
    assert not any("vtv" in k for k in keys), "the lead's dateline is not a name"


def test_story_features_refuses_what_is_not_an_extraction() -> None:
    with pytest.raises(TypeError):
        story_features({"places": []}, "Tiêu đề")  # type: ignore[arg-type]


def test_two_editions_of_a_dated_column_conflict() -> None:
    index, lead = background_index(), "Không khí lạnh tăng cường, vùng núi Bắc Bộ có nơi dưới 6 độ C."
    first = index.assign("w1", story_keys("Thời tiết ngày 12/3: Bắc Bộ mưa rét kéo dài", lead, DAY), DAY)
    later = DAY + timedelta(days=2)
    second = index.assign("w2", story_keys("Thời tiết ngày 14/3: Bắc Bộ mưa rét kéo dài", lead, later), later)
    assert first != second


def test_pairwise_scores_count_pairs_of_labelled_items() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    scores = pairwise({"a": "1", "b": "1", "c": "2", "d": "2"}, gold)
    assert (scores.true_pairs, len(scores.false_pairs), len(scores.missed_pairs)) == (1, 1, 2)
    assert scores.precision == pytest.approx(0.5) and scores.recall == pytest.approx(1 / 3)


def test_pairwise_needs_a_prediction_for_every_labelled_item() -> None:
    with pytest.raises(ValueError, match="no predicted story"):
        pairwise({"a": "1"}, {"a": "x", "b": "x"})


def test_evaluate_stories_scores_an_invented_stream(tmp_path: Path) -> None:
    items = [{"id": aid, "fetched": (DAY + timedelta(days=offset)).isoformat(), "outlet": "Báo A", "title": title,
              "summary": lead} for aid, offset, title, lead in BUST + OTHER_BUST]
    items += [{"id": f"bg{n}", "fetched": (DAY + timedelta(days=n % 9 - 4)).isoformat(), "outlet": "Báo B",
               "title": title, "summary": lead} for n, (title, lead) in enumerate(BACKGROUND)]
    (tmp_path / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    labels = [{"id": aid, "story": "lao-cai" if aid.startswith("lc") else "cao-bang"} for aid, *_ in BUST + OTHER_BUST]
    (tmp_path / "stories.jsonl").write_text("\n".join(json.dumps(x) for x in labels), encoding="utf-8")
    report = evaluate_stories(tmp_path, scope="all")
    assert report.scores.f1 == pytest.approx(1.0)
    assert "F1 1.000" in format_story_report(report)


def test_evaluate_stories_refuses_labels_for_unknown_items(tmp_path: Path) -> None:
    (tmp_path / "items.json").write_text("[]", encoding="utf-8")
    (tmp_path / "stories.jsonl").write_text('{"id": "ghost", "story": "s"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="ghost"):
        evaluate_stories(tmp_path)


def test_postings_look_up_a_day_window_and_give_up_on_common_keys() -> None:
    postings = Postings()
    for article, day in enumerate([10, 12, 12, 20, 11]):
        postings.add("k", day, article)
    assert sorted(postings.window("k", 10, 12, cap=5)) == [0, 1, 2, 4]
    assert postings.window("k", 10, 12, cap=3) is None
    assert postings.count("k", 13, 30) == 1
    postings.discard("k", 12, 1)
    assert postings.df("k") == 4
    with pytest.raises(ValueError):
        postings.add("k", 1, MAX_ARTICLES)


def test_parameters_name_only_known_key_kinds(tmp_path: Path) -> None:
    path = tmp_path / "stories.yaml"
    text = (Path(__file__).parent.parent / "nlp" / "stories" / "data" / "stories.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("  event: 0.3", "  mood: 0.3"), encoding="utf-8")
    with pytest.raises(ValueError, match="mood"):
        load_params(path)
    with pytest.raises(ValueError):
        default_params().with_window(-1)


def test_stream_stories_never_score_below_the_floor(story_stream_report) -> None:
    floor = BASELINE["pairwise_f1_floor"]
    assert story_stream_report.scores.f1 >= floor, format_story_report(story_stream_report)
