"""The query language: parse trees and errors that point at the position."""

import pytest

from newsmon.errors import QuerySyntaxError
from newsmon.query import And, Field, MatchAll, Not, Or, Phrase, Prefix, Term, parse, positive_terms


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
