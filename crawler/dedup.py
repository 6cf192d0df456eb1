"""Near-duplicate detection of syndicated copies: MinHash + LSH over word shingles.

Outlets republish each other's stories under new URLs, so canonical-URL identity
misses them. Each article's MinHash signature (of accent-folded word 3-shingles) is
persisted in the crawl-state database, so copies are found across crawls. A copy is
stored with ``duplicate_of`` pointing at the *earliest* published member of its group,
never dropped; when an earlier original turns up later, the group is re-pointed.

``signature_values(text)`` is a pure function, so the crawl computes it in its page
workers (``crawler.workers``) and hands ``add`` the values; every signature shares one
set of permutation parameters (building them is most of a fresh ``MinHash``'s cost).
The index answers from memory; its writes reach the database in one transaction per
``flush()`` (the pipeline flushes with each store batch) and on ``close()``.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from hashlib import sha1
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch import __version__ as _datasketch_version

from crawler.state import connect, write_in_order
from newsmon.models import Article
from newsmon.text import fold

__all__ = ["DedupDecision", "NearDuplicateIndex", "shingle_hashes", "shingles", "signature_values"]

NUM_PERM = 64
SHINGLE_WORDS = 3
SCHEME = "affine32"  # persisted signatures must be re-read with the scheme that made them
HASH_DTYPE = np.uint32 if tuple(int(p) for p in _datasketch_version.split(".")[:1]) >= (2,) else np.uint64
THRESHOLD = 0.8  # estimated Jaccard similarity above which two texts are one story
_WORD = re.compile(r"\w+")
_UPSERT_SQL = (
    "INSERT INTO minhashes (article_id, published_at, root_id, signature) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(article_id) DO UPDATE SET published_at = excluded.published_at, "
    "root_id = excluded.root_id, signature = excluded.signature"
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS minhashes (
    article_id TEXT PRIMARY KEY,
    published_at TEXT,
    root_id TEXT NOT NULL,
    signature BLOB NOT NULL
);
"""


def _new_minhash(**kwargs: object) -> MinHash:
    """A MinHash of the pinned scheme (datasketch >= 2 asks for it; 1.x has only one)."""
    try:
        return MinHash(**kwargs, scheme=SCHEME)
    except TypeError:  # datasketch < 2.0: no scheme argument, uint64 storage
        return MinHash(**kwargs)


@cache
def _permutations(num_perm: int) -> np.ndarray:
    """The (seeded, so stable) permutation parameters, built once per process."""
    return _new_minhash(num_perm=num_perm).permutations


def _minhash(num_perm: int, hashvalues: np.ndarray | None = None) -> MinHash:
    return _new_minhash(num_perm=num_perm, hashvalues=hashvalues, permutations=_permutations(num_perm))


def signature_values(text: str, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash hash values of ``text`` (what ``NearDuplicateIndex.add`` accepts precomputed).

    The same values as ``MinHash.update_batch(shingles(text))`` with datasketch's default hash,
    which the shingles get in one pass here (``shingle_hashes``) instead of one call each.
    """
    minhash = _new_minhash(num_perm=num_perm, permutations=_permutations(num_perm), hashfunc=int)
    minhash.update_batch(shingle_hashes(text).tolist())
    return np.asarray(minhash.hashvalues, dtype=HASH_DTYPE)


def shingle_hashes(text: str) -> np.ndarray:
    """datasketch's ``sha1_hash32`` of each of ``text``'s shingles (the first 4 bytes of SHA-1, little-endian)."""
    return np.frombuffer(b"".join([sha1(s).digest()[:4] for s in shingles(text)]), dtype="<u4")


def warm_up() -> None:
    """Build the lookup tables now (before the page workers fork, so they share them)."""
    fold("x" * 1000 + "ă")  # builds newsmon.text's folding table
    _permutations(NUM_PERM)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Accent-folded word ``size``-grams of ``text``, as bytes for hashing."""
    words = _WORD.findall(fold(text))
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return set(map(str.encode, map(" ".join, zip(*(words[i:] for i in range(size)), strict=False))))


@dataclass
class DedupDecision:
    """``duplicate_of`` for the new article, and ids of stored articles to re-point to it."""

    duplicate_of: str | None = None
    relink: list[str] = field(default_factory=list)


def _sort_key(published: str | None) -> str:
    return published or "9999"


class NearDuplicateIndex:
    """A persistent MinHash LSH index of article texts."""

    def __init__(self, path: Path | str, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self._conn: sqlite3.Connection = connect(path)
        self._conn.executescript(_SCHEMA)
        self.num_perm = num_perm
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._meta: dict[str, tuple[str | None, str]] = {}  # id -> (published_at, root)
        self._groups: dict[str, set[str]] = {}  # root -> its members, so a lookup is not a scan
        self._signatures: dict[str, MinHash] = {}
        self._pending: list[tuple[str, tuple[object, ...]]] = []  # writes not yet in the database
        for article_id, published, root, blob in self._conn.execute("SELECT * FROM minhashes"):
            signature = _minhash(num_perm, np.frombuffer(blob, dtype=HASH_DTYPE))
            self._remember(article_id, published, root, signature)

    def __len__(self) -> int:
        return len(self._meta)

    def _remember(self, article_id: str, published: str | None, root: str, signature: MinHash) -> None:
        if article_id not in self._meta:
            self._lsh.insert(article_id, signature)
        self._set_meta(article_id, published, root)
        self._signatures[article_id] = signature

    def _set_meta(self, article_id: str, published: str | None, root: str) -> None:
        if article_id in self._meta:
            old_root = self._meta[article_id][1]
            self._groups[old_root].discard(article_id)
            if not self._groups[old_root]:
                del self._groups[old_root]
        self._meta[article_id] = (published, root)
        self._groups.setdefault(root, set()).add(article_id)

    def signature(self, text: str) -> MinHash:
        """The MinHash signature of ``text``."""
        return _minhash(self.num_perm, signature_values(text, self.num_perm))

    def add(self, article: Article, values: np.ndarray | None = None) -> DedupDecision:
        """Index ``article`` and decide what it duplicates (None when it is the earliest).

        ``values``: its ``signature_values`` when already computed (by a page worker).
        """
        if values is not None and len(values) != self.num_perm:
            raise ValueError(f"a signature of {len(values)} values for an index of {self.num_perm} permutations")
        signature = self.signature(article.text) if values is None else _minhash(self.num_perm, values)
        published = article.published_at.isoformat() if article.published_at else None
        group = {
            other for other in self._lsh.query(signature)
            if other != article.id and self._signatures[other].jaccard(signature) >= self.threshold
        }
        roots = {self._meta[g][1] for g in group}
        members = group.union(*(self._groups[root] for root in roots))
        earliest = min(members | {article.id}, key=lambda m: (
            _sort_key(published if m == article.id else self._meta[m][0]), m))
        decision = DedupDecision(duplicate_of=None if earliest == article.id else earliest)
        if earliest == article.id:
            decision.relink = sorted(m for m in members if self._meta[m][1] != article.id)
        for member in decision.relink:
            self._set_root(member, article.id)
        self._store(article.id, published, earliest, signature)
        return decision

    def _set_root(self, article_id: str, root: str) -> None:
        self._set_meta(article_id, self._meta[article_id][0], root)
        self._pending.append(("UPDATE minhashes SET root_id = ? WHERE article_id = ?", (root, article_id)))

    def _store(self, article_id: str, published: str | None, root: str, signature: MinHash) -> None:
        self._remember(article_id, published, root, signature)
        blob = np.asarray(signature.hashvalues, dtype=HASH_DTYPE).tobytes()
        self._pending.append((_UPSERT_SQL, (article_id, published, root, blob)))

    def root_of(self, article_id: str) -> str | None:
        """The earliest article of ``article_id``'s group (itself when it is the original)."""
        meta = self._meta.get(article_id)
        return meta[1] if meta else None

    def flush(self) -> None:
        """Write the index's changes since the last flush, in one transaction."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            write_in_order(self._conn, pending)
        except sqlite3.Error:
            self._pending = pending + self._pending  # kept for the next flush, not lost
            raise

    def close(self) -> None:
        """Write what is pending and close the connection."""
        self.flush()
        self._conn.close()

