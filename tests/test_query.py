"""The query language: parse trees and errors that point at the position."""

import pytest

from newsmon.errors import QuerySyntaxError
from newsmon.query import MAX_DEPTH, And, Field, MatchAll, Not, Or, Phrase, Prefix, Term, parse, positive_terms


def test_words_are_anded_and_folded() -> None:
    tree = parse("bình đẳng giới")
    assert tree == And((Term("bình"), Term("đẳng"), Term("giới")))
    assert [t.folded for t in tree.children] == ["binh", "dang", "gioi"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"bình đẳng giới"', Phrase(("bình", "đẳng", "giới"))),
        ("“bình đẳng”", Phrase(("bình", "đẳng"))),  # typographic quotes work too
        ("a OR b", Or((Term("a"), Term("b")))),
        ("a AND b", And((Term("a"), Term("b")))),
        ("a or b", And((Term("a"), Term("or"), Term("b")))),  # lower case is a word
        ("-bạo", Not(Term("bạo"))),
        ("NOT bạo", Not(Term("bạo"))),
        ("phụ*", Prefix("phụ")),
        ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
        ("title:phụ*", Field("title", Prefix("phụ"))),
        ('province:"Hà Nội"', Field("province", Term("Hà Nội"))),
        ("source:vnexpress.net", Field("source", Term("vnexpress.net"))),
        ("type:launch_ceremony", Field("type", Term("launch_ceremony"))),
        ("", MatchAll()),
        ("   ", MatchAll()),
        ("hoà", Term("hòa")),  # normalised before parsing
    ],
)
def test_parse(query: str, expected: object) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ("a OR", 4, "ends"),
        ("(a b", 0, "missing ')'"),
        ("a b)", 3, "unexpected"),
        ('"bình đẳng', 0, "unclosed quote"),
        ("a AND OR b", 6, "OR needs a word"),
        ("province:", 9, "needs a value"),
        ('""', 0, "empty phrase"),
        ("a ---", 4, "no letters"),
    ],
)
def test_syntax_errors_point_at_the_position(query: str, position: int, words: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    assert info.value.position == position
    assert words in info.value.message


def test_overlong_query_is_refused() -> None:
    with pytest.raises(QuerySyntaxError):
        parse("a " * 600)


def test_positive_terms_skip_negations_and_filters() -> None:
    tree = parse('"bình đẳng" -bạo source:x.vn title:giới')
    assert positive_terms(tree) == [Phrase(("bình", "đẳng")), Term("giới")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('-"bình đẳng giới"', Not(Phrase(("bình", "đẳng", "giới")))),
        ('phụ nữ -"bạo lực"', And((Term("phụ"), Term("nữ"), Not(Phrase(("bạo", "lực")))))),
        ("-(a OR b)", Not(Or((Term("a"), Term("b"))))),
        ('province:("Hà Nội" OR Huế)', Or((Field("province", Term("Hà Nội")), Field("province", Term("Huế"))))),
        ("title:(giới OR nữ*)", Or((Field("title", Term("giới")), Field("title", Prefix("nữ"))))),
        ("source:(a.vn OR -b.vn)", Or((Field("source", Term("a.vn")), Not(Field("source", Term("b.vn")))))),
        ("--a", Term("a")),  # a run of negations is counted, not nested
        ("NOT -a", Term("a")),
        ("lúc 10:30", And((Term("lúc"), Phrase(("10", "30"))))),  # a colon after digits is text
        ("https://x.vn", Phrase(("https", "x", "vn"))),  # so is a pasted address
        ("Lưu ý: x", And((Term("Lưu"), Term("ý"), Term("x")))),
    ],
)
def test_negated_phrases_field_groups_and_colons(query: str, expected: object) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "position", "english", "vietnamese"),
    [
        ("bình foo:bar", 5, "unknown field 'foo'", "không có trường 'foo'"),
        ('x author:"Lan"', 2, "unknown field 'author'", "không có trường"),
        ("a date:(x OR y)", 2, "unknown field 'date'", "không có trường"),
        ("province:(title:x)", 10, "title: inside province:", "không thể đặt title:"),
        ("(a", 0, "missing ')'", "thiếu dấu ')'"),
        ('"a', 0, "unclosed quote", "thiếu dấu"),
        ("a OR", 4, "ends", "kết thúc"),
    ],
)
def test_errors_name_the_problem_in_both_languages(query: str, position: int, english: str, vietnamese: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    assert (info.value.position, english in info.value.message) == (position, True)
    assert vietnamese in info.value.message_vi


def test_deep_nesting_is_a_syntax_error_not_a_recursion_error() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse("(" * 250 + "a" + ")" * 250)
    assert info.value.position == MAX_DEPTH and "nested" in info.value.message
    assert "ngoặc" in info.value.message_vi
    nested = "(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH  # the deepest allowed still parses
    assert parse(nested) == Term("a")


@pytest.mark.parametrize("query", ["-" * 150 + "a", "NOT " * 150 + "a", "-" * 151 + "a"])
def test_long_runs_of_negation_parse_without_recursion(query: str) -> None:
    expected = Term("a") if query.count("-") % 2 == 0 and query.count("NOT") % 2 == 0 else Not(Term("a"))
    assert parse(query) == expected
