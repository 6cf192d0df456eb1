"""The behaviour every store engine must have. Engines subclass ``BackendContract``
and provide a ``store`` fixture; a gap an engine has is a named, explained skip."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsmon.errors import InvalidCursor
from newsmon.models import VN_TZ, Article, Event, Extraction, Figure, Organisation, Person, Place, ProvinceRef
from newsmon.query import parse
from newsmon.store.base import FigureFilters, SearchFilters, Store, StoryRow


def make_article(n: int, title: str, text: str, *, day: date, source: str = "baomau.vn", **extra) -> Article:
    """A test article published at 08:00 Vietnam time on ``day``."""
    return Article(
        url=f"https://{source}/bai-{n}.html", source=source, title=title, text=text,
        published_at=datetime(day.year, day.month, day.day, 8, 0, tzinfo=VN_TZ), **extra,
    )


def sample_corpus() -> list[Article]:
    """Four articles: three on gender equality in three provinces, one off topic."""
    return [
        make_article(1, "Hà Nội phát động Tháng hành động vì bình đẳng giới",
                     "Sáng nay, thành phố tổ chức lễ phát động. Hoà giải ở cơ sở được chú trọng.",
                     day=date(2024, 11, 14)),
        make_article(2, "Đắk Lắk hỗ trợ phụ nữ khởi nghiệp",
                     "Hội phụ nữ tỉnh trao 50 suất vay vốn cho phụ nữ dân tộc thiểu số.",
                     day=date(2024, 11, 20), source="baodaklak.vn"),
        make_article(3, "Phòng chống bạo lực gia đình ở Đà Nẵng",
                     "Đà Nẵng ra mắt mô hình địa chỉ tin cậy phòng chống bạo lực gia đình.",
                     day=date(2023, 11, 25), source="baodanang.vn"),
        make_article(4, "Giá lúa tăng", "Thị trường nông sản tuần qua sôi động.", day=date(2023, 6, 1)),
    ]


def extraction_for(province: str, new_name: str, event: str, *figures: float) -> Extraction:
    return Extraction(
        version="test", provinces=[province], provinces_new=[ProvinceRef(name=province, new_name=new_name)],
        events=[Event(type=event, text="lễ phát động")], topics=["bình đẳng giới"],
        figures=[Figure(value=v, unit="phụ nữ", text=f"{v:g} phụ nữ") for v in figures],
    )


def titles(page) -> list[str]:
    return [hit.title for hit in page.hits]


class BackendContract:
    """Mixed into one test class per engine (not collected on its own)."""

    store: Store

    @pytest.fixture
    def corpus(self) -> list[Article]:
        return sample_corpus()

    def test_upsert_is_idempotent_by_canonical_url(self, store: Store, corpus: list[Article]) -> None:
        first = store.upsert_articles(corpus)
        again = store.upsert_articles(corpus)
        assert len(first.new) == 4 and not first.updated
        assert not again.new and len(again.unchanged) == 4
        assert store.count_articles() == 4

    def test_changed_article_is_updated_not_duplicated(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        changed = corpus[3].model_copy(update={"text": "Giá lúa giảm mạnh.", "content_hash": ""})
        changed = Article.model_validate(changed.model_dump())
        report = store.upsert_articles([changed])
        assert report.updated == [changed.id]
        assert store.count_articles() == 4
        assert store.get_article(changed.id).text == "Giá lúa giảm mạnh."
        assert titles(store.search(parse("giam manh"))) == ["Giá lúa tăng"]

    def test_same_page_under_two_urls_is_one_article(self, store: Store, corpus: list[Article]) -> None:
        canonical = corpus[0]
        alias = Article.model_validate({**canonical.model_dump(exclude={"id"}), "url": canonical.url + "?utm=x"})
        store.upsert_articles([canonical])
        report = store.upsert_articles([alias])
        assert report.unchanged == [canonical.id]
        assert store.count_articles() == 1

    def test_round_trip_keeps_every_field(self, store: Store, corpus: list[Article]) -> None:
        article = corpus[1].model_copy(update={"authors": ["Lan Anh"], "tags": ["phụ nữ"], "section": "Xã hội"})
        store.upsert_articles([article])
        assert store.get_article(article.id) == article
        assert store.get_article("missing") is None

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("binh dang gioi", ["Hà Nội phát động Tháng hành động vì bình đẳng giới"]),
            ("BÌNH ĐẲNG GIỚI", ["Hà Nội phát động Tháng hành động vì bình đẳng giới"]),
            ("dak lak", ["Đắk Lắk hỗ trợ phụ nữ khởi nghiệp"]),  # đ folds to d
            ("hòa", ["Hà Nội phát động Tháng hành động vì bình đẳng giới"]),  # text has "Hoà"
            ("hoà", ["Hà Nội phát động Tháng hành động vì bình đẳng giới"]),
            ('"bao luc gia dinh"', ["Phòng chống bạo lực gia đình ở Đà Nẵng"]),
            ('"gia dinh bao luc"', []),
            ("khoi*", ["Đắk Lắk hỗ trợ phụ nữ khởi nghiệp"]),
            ("phu nu -dak", []),
            ("title:phong", ["Phòng chống bạo lực gia đình ở Đà Nẵng"]),
            ("source:baodanang.vn", ["Phòng chống bạo lực gia đình ở Đà Nẵng"]),
            ("lua OR khoi*", ["Giá lúa tăng", "Đắk Lắk hỗ trợ phụ nữ khởi nghiệp"]),
            ("-phu -bao -binh", ["Giá lúa tăng"]),
            ('NEAR "OR" "AND*"', []),  # operators inside quotes are words, never engine syntax
        ],
    )
    def test_search_is_accent_and_tone_insensitive(
        self, store: Store, corpus: list[Article], query: str, expected: list[str]
    ) -> None:
        store.upsert_articles(corpus)
        assert sorted(titles(store.search(parse(query)))) == sorted(expected)

    def test_title_matches_rank_first(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        page = store.search(parse("phu nu"))
        assert page.hits[0].title.startswith("Đắk Lắk")

    def test_snippets_highlight_the_original_text(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        hit = store.search(parse("dia chi tin cay")).hits[0]
        assert "<mark>địa</mark> <mark>chỉ</mark> <mark>tin</mark> <mark>cậy</mark>" in hit.snippet_html
        assert "<mark>" not in hit.title_html

    def test_filters(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        store.save_extractions([
            (corpus[1].id, extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50)),
            (corpus[2].id, extraction_for("Đà Nẵng", "Đà Nẵng", "model_setup")),
        ])
        search = store.search
        assert titles(search(filters=SearchFilters(date_from=date(2024, 1, 1)))) == [
            corpus[1].title, corpus[0].title]
        assert titles(search(filters=SearchFilters(sources=["baodanang.vn"]))) == [corpus[2].title]
        assert titles(search(filters=SearchFilters(provinces=["Dak Lak"]))) == [corpus[1].title]
        assert titles(search(filters=SearchFilters(event_types=["model_setup"]))) == [corpus[2].title]
        assert titles(search(filters=SearchFilters(has_figures=True))) == [corpus[1].title]
        assert titles(search(parse('province:"đà nẵng"'))) == [corpus[2].title]

    def test_province_filter_accepts_new_names(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        store.save_extractions([(corpus[0].id, extraction_for("Hà Tây", "Hà Nội", "forum"))])
        assert titles(store.search(filters=SearchFilters(provinces=["Hà Nội"]))) == [corpus[0].title]
        assert titles(store.search(filters=SearchFilters(provinces=["Hà Tây"]))) == [corpus[0].title]

    def test_facets_count_matching_articles(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        store.save_extractions([(corpus[1].id, extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50))])
        facets = store.search(parse("phu nu OR bao luc")).facets
        assert {f.value: f.count for f in facets["source"]} == {"baodaklak.vn": 1, "baodanang.vn": 1}
        assert [(f.value, f.count) for f in facets["province"]] == [("Đắk Lắk", 1)]
        assert [(f.value, f.count) for f in facets["event_type"]] == [("support", 1)]

    def test_cursor_pagination_visits_every_hit_once(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        for sort, query in (("date", ""), ("relevance", "phu OR bao OR binh OR lua")):
            seen, cursor = [], None
            while True:
                page = store.search(parse(query), sort=sort, cursor=cursor, limit=1)
                seen += [hit.id for hit in page.hits]
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert sorted(seen) == sorted(a.id for a in corpus), sort
        newest_first = [hit.published_at for hit in store.search(sort="date").hits]
        assert newest_first == sorted(newest_first, reverse=True)

    def test_bad_cursor_is_refused(self, store: Store) -> None:
        with pytest.raises(InvalidCursor):
            store.search(cursor="not-a-cursor")

    def test_syndicated_copies_are_grouped_under_the_original(self, store: Store, corpus: list[Article]) -> None:
        original = corpus[2]
        copy = make_article(9, original.title, original.text, day=date(2023, 11, 26), source="baokhac.vn",
                            duplicate_of=original.id)
        store.upsert_articles([original, copy])
        page = store.search(parse("dia chi tin cay"))
        assert [hit.id for hit in page.hits] == [original.id]
        assert page.hits[0].duplicates == [copy.id]
        assert page.total == 1
        assert store.search(parse("dia chi tin cay"), SearchFilters(include_duplicates=True)).total == 2
        assert store.copies_of([original.id, copy.id, "ffffffffffffffff"]) == {original.id: [copy.id]}
        assert store.copies_of([]) == {}

    def test_trends_count_per_period_with_gaps_filled(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        series = store.trends(interval="month")
        counts = {p.period: p.count for p in series.points}
        assert counts["2024-11"] == 2 and counts["2023-11"] == 1 and counts["2023-06"] == 1
        assert counts["2024-01"] == 0
        assert series.total == 4
        yearly = store.trends(parse("phu nu OR bao luc"), interval="year", split_by="source")
        assert {(p.period, p.split, p.count) for p in yearly.points if p.count} == {
            ("2024", "baodaklak.vn", 1), ("2023", "baodanang.vn", 1)}
        weekly = store.trends(interval="week", filters=SearchFilters(date_from=date(2024, 11, 1)))
        assert [(p.period, p.count) for p in weekly.points] == [("2024-11-11", 1), ("2024-11-18", 1)]

    def test_pending_extraction_follows_the_version(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        assert store.count_pending("v1") == 4
        store.save_extractions([(corpus[0].id, Extraction(version="v1", provinces=["Hà Nội"]))])
        assert {a.id for a in store.pending_extraction("v1")} == {a.id for a in corpus[1:]}
        assert store.count_pending("v2") == 4
        assert store.get_extraction(corpus[0].id).provinces == ["Hà Nội"]

    def test_marked_articles_are_pending_and_keep_their_extraction(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        store.save_extractions([(a.id, Extraction(version="v1", provinces=["Hà Nội"])) for a in corpus])
        assert store.count_pending("v1") == 0
        assert store.mark_pending([corpus[1].id, "0000000000000000", corpus[1].id]) == ["0000000000000000"]
        assert [a.id for a in store.pending_extraction("v1")] == [corpus[1].id]
        assert store.get_extraction(corpus[1].id).provinces == ["Hà Nội"]  # readable until re-extracted
        assert store.search(filters=SearchFilters(provinces=["Hà Nội"])).total == 4  # and filterable
        store.save_extractions([(corpus[1].id, Extraction(version="v1", provinces=["Huế"]))])
        assert store.count_pending("v1") == 0

    def test_on_topic_only_reads_the_extractions_verdict(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        on, off = corpus[0], corpus[1]
        figure = Figure(value=12, unit="người", text="12 người")
        store.save_extractions([(on.id, Extraction(version="v1", on_topic=True, figures=[figure])),
                                (off.id, Extraction(version="v1", on_topic=False, figures=[figure, figure]))])
        only = SearchFilters(on_topic_only=True)
        assert titles(store.search(filters=only)) == [on.title]  # judged off, or not extracted: left out
        assert store.search(filters=SearchFilters()).total == 4
        assert store.trends(filters=only, interval="year").total == 1
        assert (store.figures(filters=only).total, store.figures().total) == (1, 3)
        store.save_extractions([(off.id, Extraction(version="v2", on_topic=True))])  # re-scored
        assert sorted(titles(store.search(filters=only))) == sorted([on.title, off.title])
        changed = on.model_copy(update={"text": "Nội dung mới của bài.", "content_hash": ""})
        store.upsert_articles([Article.model_validate(changed.model_dump())])  # new text: judged again later
        assert titles(store.search(filters=only)) == [off.title]

    def test_feed_only_items_are_kept_and_upgraded_never_downgraded(self, store: Store) -> None:
        day = date(2024, 11, 20)
        item = make_article(7, "Tập huấn bình đẳng giới", "Tóm tắt từ RSS.", day=day, feed_only=True)
        assert store.upsert_articles([item]).new == [item.id]
        assert store.get_article(item.id).feed_only is True
        full = make_article(7, "Tập huấn bình đẳng giới", "Toàn văn bài báo về lớp tập huấn.", day=day)
        assert store.upsert_articles([full]).updated == [full.id]
        assert store.get_article(full.id).feed_only is False
        assert store.upsert_articles([item]).unchanged == [item.id]  # the page could not be read this time
        assert store.get_article(item.id).text == "Toàn văn bài báo về lớp tập huấn."

    def test_a_partial_publication_date_is_kept(self, store: Store) -> None:
        article = Article(url="https://baomau.vn/thang-11.html", source="baomau.vn", title="Tin tháng 11",
                          text="Bài không ghi ngày.", published_at="2024-11")
        assert (article.published_at, article.published_period) == (None, "2024-11")
        store.upsert_articles([article])
        assert store.get_article(article.id).published_period == "2024-11"
        again = article.model_copy(update={"published_period": None})  # a later crawl finds no date at all
        store.upsert_articles([again])
        assert store.get_article(article.id).published_period == "2024-11"

    def test_stories_are_kept_ranked_by_reach_and_counted(self, store: Store) -> None:
        def article(n: int, source: str, day: int) -> Article:
            return make_article(n, f"Tin {n} về bình đẳng giới", f"Nội dung bài {n} về bình đẳng giới.",
                                day=date(2024, 11, day), source=source)

        a1, a2, a3 = article(1, "baomau.vn", 15), article(2, "baodaklak.vn", 16), article(3, "baodanang.vn", 17)
        b1, b2, c = article(4, "baomau.vn", 18), article(5, "baomau.vn", 19), article(6, "baohue.vn", 20)
        store.upsert_articles([a1, a2, a3, b1, b2, c])
        rows = [StoryRow(x.id, x.published_at.date(), story.id, (f"k{n}", "shared"))
                for story, members in ((a1, (a1, a2, a3)), (b1, (b1, b2))) for n, x in enumerate(members)]
        unknown = StoryRow("0000000000000000", date(2024, 11, 15), a1.id, ())
        assert store.save_story_rows([*rows, unknown]) == 5
        by_day = sorted(rows, key=lambda r: (r.day, r.article_id))
        assert list(store.story_rows()) == by_day
        assert [r.article_id for r in store.story_rows(date(2024, 11, 16), date(2024, 11, 18))] == [
            a2.id, a3.id, b1.id]

        ranked = store.stories()
        assert [(s.id, s.articles, len(s.outlets)) for s in ranked] == [(a1.id, 3, 3), (b1.id, 2, 1), (c.id, 1, 1)]
        assert ranked[0].title == a1.title and ranked[0].first_published == a1.published_at
        assert ranked[0].last_published == a3.published_at
        narrowed = store.stories(filters=SearchFilters(sources=["baomau.vn"]))  # reach among the matches
        assert [(s.id, s.articles, s.outlets) for s in narrowed] == [(b1.id, 2, ["baomau.vn"]),
                                                                   (a1.id, 1, ["baomau.vn"])]
        whole = store.get_story(a1.id)
        assert [i.id for i in whole.items] == [a1.id, a2.id, a3.id] and whole.articles == 3
        assert store.get_story("ffffffffffffffff") is None
        assert {h.id: h.story_id for h in store.search(limit=10).hits}[a3.id] == a1.id
        assert store.trends(interval="year", unit="stories").total == 3  # A, B and c (not grouped: its own)
        assert store.trends(interval="year").total == 6

    def test_stats(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        stats = store.stats()
        assert stats.articles == 4 and stats.sources["baomau.vn"] == 2
        assert (stats.first_day, stats.last_day) == ("2023-06-01", "2024-11-20")

    # --- what the API reads beyond search: extractions, figures, entities, trends splits ------------

    def test_extraction_round_trip_and_reset_on_change(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        extraction = rich_extraction()
        assert store.save_extractions([(corpus[0].id, extraction), ("missing-id", extraction)]) >= 1
        assert store.get_extraction(corpus[0].id) == extraction
        assert store.get_extraction(corpus[1].id) is None
        assert store.get_extractions([corpus[1].id, corpus[0].id]) == {corpus[0].id: extraction}
        changed = Article.model_validate({**corpus[0].model_dump(exclude={"content_hash"}), "text": "Bài đã sửa."})
        store.upsert_articles([changed])
        assert store.get_extraction(corpus[0].id) is None  # the text changed: extract again
        assert store.count_pending("test") == 4

    def test_iter_articles_oldest_crawl_first_and_since(self, store: Store, corpus: list[Article]) -> None:
        crawled = [datetime(2024, 12, d, 9, 0, tzinfo=VN_TZ) for d in (4, 1, 3, 2)]
        articles = [a.model_copy(update={"crawled_at": c}) for a, c in zip(corpus, crawled, strict=True)]
        for i in (1, 3, 2, 0):  # stored as crawled: "oldest first" is storage order on SQLite, crawl time on ES
            store.upsert_articles([articles[i]])
        assert [a.id for a in store.iter_articles()] == [articles[i].id for i in (1, 3, 2, 0)]
        assert [a.id for a in store.iter_articles(since=crawled[2])] == [articles[2].id, articles[0].id]
        assert next(iter(store.iter_articles())) == articles[1]

    def test_trends_split_by_extracted_fields(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        store.save_extractions([
            (corpus[0].id, extraction_for("Hà Nội", "Hà Nội", "launch_ceremony")),
            (corpus[1].id, extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50)),
            (corpus[2].id, extraction_for("Đà Nẵng", "Đà Nẵng", "launch_ceremony")),
        ])
        by_province = store.trends(interval="year", split_by="province")
        assert {(p.period, p.split, p.count) for p in by_province.points} == {
            ("2023", "Hà Nội", 0), ("2024", "Hà Nội", 1), ("2023", "Đắk Lắk", 0), ("2024", "Đắk Lắk", 1),
            ("2023", "Đà Nẵng", 1), ("2024", "Đà Nẵng", 0)}
        by_type = store.trends(interval="year", split_by="event_type")
        assert {(p.period, p.split): p.count for p in by_type.points}[("2024", "launch_ceremony")] == 1
        by_topic = store.trends(interval="month", split_by="topic", filters=SearchFilters(date_from=date(2024, 1, 1)))
        assert [(p.period, p.split, p.count) for p in by_topic.points] == [("2024-11", "bình đẳng giới", 2)]
        assert by_province.total == 4
        daily = store.trends(interval="day", filters=SearchFilters(date_from=date(2024, 11, 14)))
        assert len(daily.points) == 7 and daily.points[0].period == "2024-11-14"

    def test_facets_topics_and_has_figures(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        store.save_extractions([(corpus[1].id, extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50)),
                                (corpus[2].id, extraction_for("Đà Nẵng", "Đà Nẵng", "forum"))])
        page = store.search()
        assert page.total == 4
        assert [(f.value, f.count) for f in page.facets["topic"]] == [("bình đẳng giới", 2)]
        assert [(f.value, f.count) for f in page.facets["source"]] == [
            ("baomau.vn", 2), ("baodaklak.vn", 1), ("baodanang.vn", 1)]
        without = store.search(filters=SearchFilters(has_figures=False))
        assert sorted(titles(without)) == sorted(a.title for a in corpus if a.id != corpus[1].id)
        assert titles(store.search(filters=SearchFilters(topics=["bình đẳng giới"], sources=["baodaklak.vn"]))) == [
            corpus[1].title]

    def test_figures_rows_filters_and_aggregates(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        store.save_extractions([
            (corpus[1].id, extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50, 20)),
            (corpus[2].id, extraction_for("Quảng Nam", "Đà Nẵng", "forum", 7)),
        ])
        page = store.figures()
        assert page.total == 3
        assert [(r.article_id, r.position, r.value) for r in page.rows] == [
            (corpus[1].id, 0, 50), (corpus[1].id, 1, 20), (corpus[2].id, 0, 7)]
        row = page.rows[0]
        assert (row.unit, row.text, row.title, row.source, row.day) == (
            "phụ nữ", "50 phụ nữ", corpus[1].title, "baodaklak.vn", "2024-11-20")
        assert {(a.year, a.unit, a.subject, a.count, a.sources, a.total, a.min, a.max) for a in page.aggregates} == {
            ("2024", "phụ nữ", None, 2, 1, 70, 20, 50), ("2023", "phụ nữ", None, 1, 1, 7, 7, 7)}
        assert [a.year for a in page.aggregates] == ["2024", "2023"]
        assert [r.value for r in store.figures(limit=1, offset=1).rows] == [20]
        assert store.figures(limit=2, offset=1).total == 3
        figures = store.figures
        assert [r.value for r in figures(figure_filters=FigureFilters(value_min=10, value_max=30)).rows] == [20]
        assert figures(figure_filters=FigureFilters(unit="PHU NU")).total == 3
        assert figures(figure_filters=FigureFilters(text="phu")).total == 3
        assert figures(figure_filters=FigureFilters(text="tre em")).total == 0
        assert [r.value for r in figures(figure_filters=FigureFilters(provinces=["Da Nang"])).rows] == [7]
        assert figures(figure_filters=FigureFilters(years=[2023], sources=["baodanang.vn"])).total == 1
        assert figures(parse("khoi nghiep")).total == 2
        assert figures(filters=SearchFilters(provinces=["Quảng Nam"])).total == 1

    def test_figure_aggregates_sum_counts_of_one_subject_and_never_rates(
        self, store: Store, corpus: list[Article],
    ) -> None:
        # Three articles of 2024 from two outlets: corpus[0] and ``third`` from baomau.vn, corpus[1] from baodaklak.vn.
        third = make_article(9, "Tỷ lệ nữ lãnh đạo", "Tỷ lệ nữ lãnh đạo tăng.", day=date(2024, 12, 2))
        store.upsert_articles([*corpus, third])

        def figures(*items: tuple[float, str, str | None]) -> Extraction:
            return Extraction(version="test", figures=[
                Figure(value=v, unit=u, subject=s, text=f"{v:g} {u}") for v, u, s in items])

        store.save_extractions([
            (corpus[0].id, figures((30, "%", "nữ lãnh đạo"), (120, "người", "lao động nữ"))),
            (corpus[1].id, figures((45, "%", "Nữ lãnh đạo"), (80, "người", "lao động nữ"), (5, "người", None))),
            (third.id, figures((60, "%", "nữ lãnh đạo"))),
        ])
        groups = {(a.year, a.unit, (a.subject or "").lower()): a for a in store.figures().aggregates}
        assert set(groups) == {("2024", "%", "nữ lãnh đạo"), ("2024", "người", "lao động nữ"), ("2024", "người", "")}
        rate = groups["2024", "%", "nữ lãnh đạo"]
        assert (rate.is_rate, rate.total, rate.median, rate.min, rate.max, rate.count, rate.sources) == (
            True, None, 45, 30, 60, 3, 2)
        counts = groups["2024", "người", "lao động nữ"]
        assert (counts.is_rate, counts.total, counts.median, counts.count, counts.sources) == (False, 200, None, 2, 2)
        assert groups["2024", "người", ""].total == 5  # no subject: not added to "lao động nữ"

    def test_entities_count_articles_once_with_detail(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        lan = Person(name="Nguyễn Thị Lan", title="Chủ tịch Hội LHPN")
        union = Organisation(name="Hội Liên hiệp Phụ nữ Việt Nam", abbreviation="Hội LHPN")
        store.save_extractions([
            (corpus[0].id, Extraction(version="t", people=[lan, Person(name="Nguyễn Thị Lan")], organisations=[union])),
            (corpus[1].id, Extraction(version="t", people=[Person(name="Nguyễn Thị Lan"), Person(name="Y Mai")],
                                      places=[Place(name="Buôn Ma Thuột", level="commune")])),
        ])
        people = store.entities("people")
        assert [(e.name, e.count, e.detail) for e in people] == [
            ("Nguyễn Thị Lan", 2, "Chủ tịch Hội LHPN"), ("Y Mai", 1, None)]
        assert [(e.name, e.detail) for e in store.entities("organisations")] == [(union.name, "Hội LHPN")]
        assert [(e.name, e.detail) for e in store.entities("places")] == [("Buôn Ma Thuột", "commune")]
        assert [e.name for e in store.entities("people", parse("dak lak"))] == ["Nguyễn Thị Lan", "Y Mai"]
        assert [e.name for e in store.entities("people", limit=1)] == ["Nguyễn Thị Lan"]

    def test_stats_count_extractions_and_figures(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        store.save_extractions([(corpus[1].id, extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50, 20))])
        stats = store.stats()
        assert (stats.engine, stats.extracted, stats.figures) == (store.engine, 1, 2)
        assert sum(stats.sources.values()) == stats.articles == 4

    def test_date_cursor_pages_are_disjoint_and_ordered(self, store: Store, corpus: list[Article]) -> None:
        store.upsert_articles(corpus)
        first = store.search(sort="date", limit=2)
        second = store.search(sort="date", limit=2, cursor=first.next_cursor)
        assert titles(first) + titles(second) == [corpus[i].title for i in (1, 0, 2, 3)]
        assert second.next_cursor is None and second.total == 4
        with pytest.raises(InvalidCursor):  # a date cursor cannot resume a relevance search
            store.search(parse("phu nu OR lua"), sort="relevance", cursor=first.next_cursor)

    def test_an_undated_article_is_never_dated_by_its_crawl_day(self, store: Store, corpus: list[Article]) -> None:
        """An old page that gives no date, crawled today: last in date order, in no period, in no date range."""
        crawled = datetime.now(VN_TZ)
        undated = Article(url="https://baomau.vn/khong-ngay.html", source="baomau.vn", crawled_at=crawled,
                          title="Bình đẳng giới ở cơ sở", text="Bài cũ về bình đẳng giới, trang không ghi ngày.")
        store.upsert_articles([*corpus, undated])
        newest_first = store.search(parse("bình đẳng giới"), sort="date", limit=10).hits
        assert newest_first[-1].id == undated.id and newest_first[-1].published_at is None
        for interval, split in (("day", None), ("week", None), ("month", "source"), ("week", "province")):
            series = store.trends(parse("bình đẳng giới"), interval=interval, split_by=split)
            assert series.undated == 1, (interval, split)
            assert crawled.date().isoformat()[:7] not in {p.period[:7] for p in series.points}
        this_week = SearchFilters(date_from=crawled.date(), date_to=crawled.date())
        assert store.search(filters=this_week).total == 0
        assert store.stats().last_day == max(a.published_at for a in corpus).date().isoformat()
        # A date found by a later crawl is kept, and a crawl after that which finds none does not erase it.
        found = undated.model_copy(update={"published_at": datetime(2018, 3, 8, 9, 0, tzinfo=VN_TZ)})
        assert store.upsert_articles([found]).updated == [undated.id]
        assert store.upsert_articles([undated]).unchanged == [undated.id]
        assert store.get_article(undated.id).published_at == found.published_at
        series = store.trends(parse("bình đẳng giới"), interval="year")
        assert series.undated == 0 and {p.period: p.count for p in series.points}["2018"] == 1


def rich_extraction() -> Extraction:
    """An extraction with one of everything, to check a store keeps it whole."""
    return Extraction(
        version="test", provinces=["Hà Nội"], provinces_new=[ProvinceRef(name="Hà Nội", new_name="Hà Nội")],
        figures=[Figure(value=28867, unit="lao động nữ", text="28.867 lao động nữ", subject="được vay vốn",
                        start=10, end=28, sentence="Có 28.867 lao động nữ được vay vốn.", province="Hà Nội")],
        events=[Event(type="launch_ceremony", text="lễ phát động", date="2024-11-14", place="Hà Nội")],
        people=[Person(name="Nguyễn Thị Lan", title="Chủ tịch")], topics=["bình đẳng giới"], campaign_years=[2024],
        organisations=[Organisation(name="Hội Liên hiệp Phụ nữ Việt Nam", abbreviation="Hội LHPN")],
        relevance=0.875,
    )
