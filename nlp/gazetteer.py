"""The administrative gazetteer: 63 pre-2025 provinces, their districts and communes.

Data comes from ``data/gazetteer.json.gz`` (built by ``nlp/build_gazetteer.py`` from the
address tables underthesea ships). Lookups go through a *key*: the accent-folded name
without spaces, hyphens or apostrophes, so "CưM'gar", "Cư M'gar" and "cu mgar" agree.
The index is built once, lazily, on first use.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsmon.text import fold

__all__ = ["Gazetteer", "Province", "Unit", "gazetteer", "key_of", "province_aliases"]

DATA_PATH = Path(__file__).parent / "data" / "gazetteer.json.gz"

def province_aliases() -> dict[str, tuple[str, ...]]:
    """Other ways the press writes each province, old spellings included (``nlp/data/places.yaml``)."""
    from nlp.lexicon import load

    return {name: tuple(aliases) for name, aliases in load("places")["province_aliases"].items()}


_NON_KEY = re.compile(r"[\s\-'’.]+")


def key_of(name: str) -> str:
    """The lookup key of a place name: folded, without spaces, hyphens, dots or apostrophes."""
    return _NON_KEY.sub("", fold(name))


@dataclass(frozen=True, slots=True)
class Province:
    """A pre-2025 province and the post-2025 province it became."""

    name: str
    code: str
    new_name: str
    new_code: str


@dataclass(frozen=True, slots=True)
class Unit:
    """A district- or commune-level unit; ``district`` is set for communes."""

    name: str
    level: str  # "district" or "commune"
    level_word: str  # "huyện", "quận", "thị xã", "thành phố", "xã", "phường", "thị trấn"
    province: Province
    district: str | None = None


class Gazetteer:
    """Indexes of provinces and units by key."""

    def __init__(self, data: dict) -> None:
        self.provinces = [Province(*row) for row in data["provinces"]]
        self.province_by_name = {p.name: p for p in self.provinces}
        self.province_keys: dict[str, Province] = {}
        aliases = province_aliases()
        for province in self.provinces:
            self.province_keys[key_of(province.name)] = province
            for alias in aliases.get(province.name, ()):
                self.province_keys[key_of(alias)] = province
        districts = [Unit(n, "district", w, self.provinces[p]) for n, w, p in data["districts"]]
        self.units: dict[str, list[Unit]] = {}
        for unit in districts:
            self.units.setdefault(key_of(unit.name), []).append(unit)
        for name, word, d in data["communes"]:
            parent = districts[d]
            unit = Unit(name, "commune", word, parent.province, parent.name)
            self.units.setdefault(key_of(name), []).append(unit)
        self.max_syllables = max(len(u.name.split()) for units in self.units.values() for u in units)

    def province(self, text: str) -> Province | None:
        """The province that ``text`` names ("TP.HCM", "Thừa Thiên - Huế"), if any."""
        return self.province_keys.get(key_of(text))

    def lookup(self, text: str) -> list[Unit]:
        """Every district or commune whose name is ``text`` (any spacing, case, accents)."""
        return self.units.get(key_of(text), [])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded on first call and cached."""
    return Gazetteer(json.loads(gzip.decompress(DATA_PATH.read_bytes())))
