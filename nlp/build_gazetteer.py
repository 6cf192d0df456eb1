"""Build ``nlp/data/gazetteer.json.gz`` from the address data underthesea ships.

Run once after upgrading underthesea (the output is committed; nothing is downloaded):

    .venv/bin/python -m nlp.build_gazetteer

The output holds the 63 pre-2025 provinces with their post-2025 province (name, code),
and every pre-2025 district and commune as ``[name, level word, parent index]``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsmon.text import normalize

OUTPUT = Path(__file__).parent / "data" / "gazetteer.json.gz"

# The pre-2025 province underthesea calls "Huế" was "Thừa Thiên Huế" until 2025.
OLD_NAME_FIXES = {"thanhphohue": "Thừa Thiên Huế"}
LEVEL_WORDS = ("Thành phố", "Thị xã", "Thị trấn", "Quận", "Huyện", "Phường", "Xã", "Đặc khu")


def _split_level(full: str) -> tuple[str, str]:
    """Split "Huyện Hoài Đức" into ("huyện", "Hoài Đức")."""
    for word in LEVEL_WORDS:
        if full.startswith(word + " "):
            return word.lower(), normalize(full[len(word) + 1:])
    return "", normalize(full)


def build(mapping_path: Path) -> dict:
    """Turn underthesea's ``mapping.json`` into newsmon's compact gazetteer."""
    data = json.loads(mapping_path.read_text(encoding="utf-8"))
    new_names = data["province_names"]
    provinces, province_index = [], {}
    for key, info in data["old_province_names"].items():
        new = new_names[data["province_mapping"][key]]
        province_index[key] = len(provinces)
        provinces.append([OLD_NAME_FIXES.get(key, info["short"]), info["code"], new["short"], new["code"]])
    districts, district_index, communes, seen = [], {}, [], set()
    for record in data["ward_mapping"]:
        dkey = (record["old_province_key"], record["old_district_key"])
        if dkey not in district_index:
            level, name = _split_level(record["old_district"])
            district_index[dkey] = len(districts)
            districts.append([name, level, province_index[record["old_province_key"]]])
        if record["old_ward"] and (dkey, record["old_ward"]) not in seen:
            seen.add((dkey, record["old_ward"]))
            level, name = _split_level(record["old_ward"])
            communes.append([name, level, district_index[dkey]])
    return {"provinces": provinces, "districts": districts, "communes": communes}


def main() -> None:
    """Write the gazetteer next to this module."""
    import underthesea.address as address

    mapping = Path(address.__file__).parent / "data" / "mapping.json"
    gazetteer = build(mapping)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(gazetteer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUTPUT.write_bytes(gzip.compress(payload, mtime=0))
    print(f"{OUTPUT}: {len(gazetteer['provinces'])} provinces, {len(gazetteer['districts'])} districts, "
          f"{len(gazetteer['communes'])} communes")


if __name__ == "__main__":
    main()
