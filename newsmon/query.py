"""The search query language, parsed into newsmon's own tree.

Grammar (operators are upper case; lower-case "and"/"or" are plain words)::

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*          # juxtaposition means AND
    unary   := ("NOT" | "-")* primary              # "-" is glued to what it negates: -word, -"a b", -(a OR b)
    primary := "(" or ")" | FIELD ":" "(" or ")" | FIELD ":" value | value
    value   := '"' words '"' | WORD ["*"]

Fields: ``title`` (searches titles), ``source``, ``province``, ``type``, ``topic``
(filters); ``field:(a OR "b c")`` applies the field to every value inside the parentheses.
Any other ``name:value`` with a plain ASCII name is refused as an unknown field. Every engine
compiles this tree; no engine ever sees the user's string.

The parser never recurses on negations (a run of NOT / "-" is counted in a loop) and refuses
parentheses nested deeper than ``MAX_DEPTH``, so no query can exhaust Python's stack, here or in
the engines that walk the tree. Each error carries an English and a Vietnamese message
(``QuerySyntaxError.message_vi``, for the web UI) and the 0-based position in the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsmon.errors import QuerySyntaxError
from newsmon.text import fold, normalize

__all__ = [
    "FIELDS",
    "And",
    "Field",
    "MatchAll",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "Term",
    "parse",
    "positive_terms",
]

FIELDS = ("title", "source", "province", "type", "topic")
MAX_QUERY_LENGTH = 1000
MAX_DEPTH = 32  # parentheses (and field groups) nested in one another


@dataclass(frozen=True)
class Term:
    """One word. ``text`` as typed (normalised), ``folded`` for accent-insensitive matching."""

    text: str
    folded: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", fold(self.text))


@dataclass(frozen=True)
class Phrase:
    """Words that must appear together, in order."""

    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def folded(self) -> str:
        return fold(self.text)


@dataclass(frozen=True)
class Prefix:
    """A word prefix: ``phụ*`` matches phụ nữ, phục vụ..."""

    text: str

    @property
    def folded(self) -> str:
        return fold(self.text)


@dataclass(frozen=True)
class Field:
    """``name:value``: a search restricted to titles, or an exact filter on a facet."""

    name: str
    value: Term | Phrase | Prefix


@dataclass(frozen=True)
class And:
    """All children match."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any child matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The child does not match."""

    child: Node


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every article."""


Node = Term | Phrase | Prefix | Field | And | Or | Not | MatchAll

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<lparen>\()
      | (?P<rparen>\))
      | (?P<phrase>"[^"]*"?)
      | (?P<word>[^\s()"]+)""",
    re.VERBOSE,
)
_WORD_CHARS = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
# What looks like a field name: "foo:bar" with such a name and no known field is refused, while
# "10:30", "https://…" and Vietnamese words before a colon stay plain text.
_FIELD_NAME = re.compile(r"[A-Za-z_]+")
_FIELD_LIST = "title:, source:, province:, type:, topic:"


@dataclass
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(query: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(_Token(kind, match.group(), match.start()))
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokenize(query)
        self.i = 0
        self.depth = 0
        self.field_scope: str | None = None  # inside field:( … ), the field every value gets

    def error(self, message: str, message_vi: str, pos: int | None = None) -> QuerySyntaxError:
        where = len(self.query) if pos is None else pos
        return QuerySyntaxError(message, where, self.query, message_vi=message_vi)

    def peek(self, ahead: int = 0) -> _Token | None:
        at = self.i + ahead
        return self.tokens[at] if at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def glued(self, token: _Token, kinds: tuple[str, ...], ahead: int = 0) -> bool:
        """Whether the token ``ahead`` of the current one starts right where ``token`` ends and is one of ``kinds``."""
        nxt = self.peek(ahead)
        return nxt is not None and nxt.pos == token.pos + len(token.text) and nxt.kind in kinds

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.parse_or()
        token = self.peek()
        if token is not None:
            raise self.error(f"unexpected {token.text!r}", f"không cần {token.text!r} ở đây", token.pos)
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (token := self.peek()) and token.kind == "word" and token.text == "OR":
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while (token := self.peek()) and not (token.kind == "rparen" or token.text == "OR"):
            if token.kind == "word" and token.text == "AND":
                self.take()
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self) -> Node:
        """Any run of NOT and "-" (counted in a loop: NOT NOT x is x), then a primary."""
        negations = 0
        while (token := self.peek()) is not None and token.kind == "word":
            if token.text == "NOT":
                self.take()
            elif token.text.startswith("-") and len(token.text) > 1:
                self.tokens[self.i] = _Token("word", token.text[1:], token.pos + 1)  # -word: negate the rest
            elif token.text == "-" and self.glued(token, ("phrase", "lparen"), ahead=1):
                self.take()  # -"a phrase", -(a OR b)
            else:
                break
            negations += 1
        if self.peek() is None:
            raise self.error("the query ends where a word was expected",
                             "truy vấn kết thúc khi còn thiếu một từ")
        node = self.parse_primary()
        return Not(node) if negations % 2 else node

    def parse_primary(self) -> Node:
        token = self.take()
        if token.kind == "lparen":
            return self.group(token)
        if token.kind == "rparen":
            raise self.error("')' without a matching '('", "dấu ')' không có dấu '(' mở tương ứng", token.pos)
        if token.text in ("AND", "OR"):
            raise self.error(f"{token.text} needs a word on each side", f"{token.text} cần một từ ở mỗi bên",
                             token.pos)
        if token.kind == "phrase":
            return self.scoped(self.phrase(token), token)
        return self.word(token)

    def group(self, opening: _Token) -> Node:
        """The inside of ``( … )``, at most MAX_DEPTH deep."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"parentheses nested more than {MAX_DEPTH} deep",
                             f"ngoặc lồng nhau quá {MAX_DEPTH} tầng", opening.pos)
        node = self.parse_or()
        closing = self.peek()
        if closing is None or closing.kind != "rparen":
            raise self.error("missing ')' to close the '(' here", "thiếu dấu ')' để đóng dấu '(' này", opening.pos)
        self.take()
        self.depth -= 1
        return node

    def phrase(self, token: _Token) -> Phrase | Term:
        if len(token.text) < 2 or not token.text.endswith('"'):
            raise self.error('unclosed quote: add the closing "', 'thiếu dấu " đóng cụm từ', token.pos)
        words = tuple(_WORD_CHARS.findall(token.text[1:-1]))
        if not words:
            raise self.error("empty phrase", "cụm từ trong ngoặc kép đang trống", token.pos)
        return Term(words[0]) if len(words) == 1 else Phrase(words)

    def word(self, token: _Token) -> Node:
        name, colon, value = token.text.partition(":")
        if colon and name.lower() in FIELDS:
            if self.field_scope is not None:
                raise self.error(f"{name}: inside {self.field_scope}:( … )",
                                 f"không thể đặt {name}: trong {self.field_scope}:( … )", token.pos)
            return self.field(name.lower(), value, token)
        if colon and _FIELD_NAME.fullmatch(name) and (value[:1] not in ("", "/") or
                                                       self.glued(token, ("phrase", "lparen"))):
            raise self.error(f"unknown field {name!r}: use {_FIELD_LIST}",
                             f"không có trường {name!r}: dùng {_FIELD_LIST}", token.pos)
        if self.field_scope is not None and self.field_scope != "title":
            return Field(self.field_scope, Term(token.text))  # a filter compares whole values
        return self.scoped(self.value(token.text, token.pos), token)

    def scoped(self, value: Term | Phrase | Prefix, token: _Token) -> Node:
        """A value as typed, or inside ``field:( … )`` that field's value."""
        if self.field_scope is None:
            return value
        if self.field_scope == "title":
            return Field("title", value)
        return Field(self.field_scope, Term(token.text.strip('"').strip()))

    def field(self, name: str, value: str, token: _Token) -> Node:
        value_pos = token.pos + len(name) + 1
        if not value and self.glued(token, ("lparen",)):
            self.field_scope = name
            try:
                return self.group(self.take())
            finally:
                self.field_scope = None
        if not value and self.glued(token, ("phrase",)):
            quoted = self.take()
            if name != "title":  # a filter compares whole values: keep "Hà Nội" as typed
                self.phrase(quoted)  # validates the quotes
                return Field(name, Term(quoted.text.strip('"').strip()))
            return Field(name, self.phrase(quoted))
        if value:
            return Field(name, self.value(value, value_pos) if name == "title" else Term(value))
        raise self.error(f"{name}: needs a value, e.g. {name}:\"Hà Nội\"",
                         f"{name}: cần một giá trị, ví dụ {name}:\"Hà Nội\"", value_pos)

    def value(self, text: str, pos: int) -> Term | Phrase | Prefix:
        prefix = text.endswith("*")
        words = _WORD_CHARS.findall(text.rstrip("*"))
        if not words:
            raise self.error(f"{text!r} has no letters or digits to search for",
                             f"{text!r} không có chữ hay số nào để tìm", pos)
        if prefix:
            if len(words) > 1:
                raise self.error("a prefix* must be a single word", "dấu * chỉ đặt sau một từ đơn", pos)
            return Prefix(words[0])
        return Term(words[0]) if len(words) == 1 else Phrase(tuple(words))


def parse(query: str) -> Node:
    """Parse a user query into a tree; raise ``QuerySyntaxError`` with the position.

    >>> parse('"bình đẳng giới" OR -bạo')
    Or(children=(Phrase(words=('bình', 'đẳng', 'giới')), Not(child=Term(text='bạo'))))
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"query longer than {MAX_QUERY_LENGTH} characters", MAX_QUERY_LENGTH, query,
                               message_vi=f"truy vấn dài quá {MAX_QUERY_LENGTH} ký tự")
    return _Parser(normalize(query, quotes=True).replace("\n", " ")).parse()


def positive_terms(node: Node) -> list[Term | Phrase | Prefix]:
    """The words a matching document contains (for highlighting): all but negated ones."""
    if isinstance(node, Term | Phrase | Prefix):
        return [node]
    if isinstance(node, Field):
        return [node.value] if node.name == "title" else []
    if isinstance(node, And | Or):
        return [t for child in node.children for t in positive_terms(child)]
    return []
