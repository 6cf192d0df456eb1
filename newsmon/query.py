"""The search query language, parsed into newsmon's own tree.

Grammar (operators are upper case; lower-case "and"/"or" are plain words)::

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*          # juxtaposition means AND
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or ")" | FIELD ":" value | value
    value   := '"' words '"' | WORD ["*"]

Fields: ``title`` (searches titles), ``source``, ``province``, ``type``, ``topic``
(filters). Every engine compiles this tree; no engine ever sees the user's string.
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

    def error(self, message: str, pos: int | None = None) -> QuerySyntaxError:
        where = len(self.query) if pos is None else pos
        return QuerySyntaxError(message, where, self.query)

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.parse_or()
        token = self.peek()
        if token is not None:
            raise self.error(f"unexpected {token.text!r}", token.pos)
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
        token = self.peek()
        if token is None:
            raise self.error("the query ends where a word was expected")
        if token.kind == "word" and token.text == "NOT":
            self.take()
            return Not(self.parse_unary())
        if token.kind == "word" and token.text.startswith("-") and len(token.text) > 1:
            self.take()
            rest = token.text[1:]
            self.tokens.insert(self.i, _Token("word", rest, token.pos + 1))
            return Not(self.parse_unary())
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.take()
        if token.kind == "lparen":
            node = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise self.error("missing ')' to close the '(' here", token.pos)
            self.take()
            return node
        if token.kind == "rparen":
            raise self.error("')' without a matching '('", token.pos)
        if token.text in ("AND", "OR"):
            raise self.error(f"{token.text} needs a word on each side", token.pos)
        if token.kind == "phrase":
            return self.phrase(token)
        return self.word(token)

    def phrase(self, token: _Token) -> Phrase | Term:
        if len(token.text) < 2 or not token.text.endswith('"'):
            raise self.error('unclosed quote: add the closing "', token.pos)
        words = tuple(_WORD_CHARS.findall(token.text[1:-1]))
        if not words:
            raise self.error("empty phrase", token.pos)
        return Term(words[0]) if len(words) == 1 else Phrase(words)

    def word(self, token: _Token) -> Node:
        name, colon, value = token.text.partition(":")
        if colon and name.lower() in FIELDS:
            return self.field(name.lower(), value, token)
        return self.value(token.text, token.pos)

    def field(self, name: str, value: str, token: _Token) -> Field:
        value_pos = token.pos + len(name) + 1
        nxt = self.peek()
        if not value and nxt is not None and nxt.kind == "phrase" and nxt.pos == value_pos:
            quoted = self.take()
            if name != "title":  # a filter compares whole values: keep "Hà Nội" as typed
                self.phrase(quoted)  # validates the quotes
                return Field(name, Term(quoted.text.strip('"').strip()))
            return Field(name, self.phrase(quoted))
        if value:
            return Field(name, self.value(value, value_pos) if name == "title" else Term(value))
        raise self.error(f"{name}: needs a value, e.g. {name}:\"Hà Nội\"", value_pos)

    def value(self, text: str, pos: int) -> Term | Phrase | Prefix:
        prefix = text.endswith("*")
        words = _WORD_CHARS.findall(text.rstrip("*"))
        if not words:
            raise self.error(f"{text!r} has no letters or digits to search for", pos)
        if prefix:
            if len(words) > 1:
                raise self.error("a prefix* must be a single word", pos)
            return Prefix(words[0])
        return Term(words[0]) if len(words) == 1 else Phrase(tuple(words))


def parse(query: str) -> Node:
    """Parse a user query into a tree; raise ``QuerySyntaxError`` with the position.

    >>> parse('"bình đẳng giới" OR -bạo')
    Or(children=(Phrase(words=('bình', 'đẳng', 'giới')), Not(child=Term(text='bạo'))))
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"query longer than {MAX_QUERY_LENGTH} characters", MAX_QUERY_LENGTH, query)
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
