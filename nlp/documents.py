"""Legal and administrative documents: "Kế hoạch số 247/KH-UBND ngày 10/11/2024 của UBND TP".

Vietnamese document numbers follow the state's drafting rules (Nghị định 30/2020/NĐ-CP):
"số/TYPE-ISSUER" for typed documents ("247/KH-UBND"), "số/ISSUER-UNIT" for official letters
("45/SLĐTBXH-BĐG", no type code), and "số-TYPE/ISSUER" for Party documents ("21-CT/TW").
``issuer_code`` is the issuer read that way; ``issuer`` is the issuing body's full name, from
"của ..." after the document when the text names it, else expanded from the code.
"""

from __future__ import annotations

import re

from newsmon.models import Document
from nlp.dates import DateMatch
from nlp.organisations import normalise_organisation

__all__ = ["DOCUMENT_TYPES", "ISSUER_CODES", "find_documents", "issuer_code"]

DOCUMENT_TYPES = ("Kế hoạch", "Quyết định", "Chỉ thị", "Công văn", "Nghị quyết", "Nghị định", "Thông tư",
                  "Hướng dẫn", "Thông báo", "Luật")
_DOCUMENT = re.compile(
    r"(?P<type>" + "|".join(f"[{t[0]}{t[0].lower()}]{t[1:]}" for t in DOCUMENT_TYPES)
    + r")\s+(?:số\s*:?\s*)?(?P<number>\d+[\w/.\-–&Đđ]*)"
    r"(?:,?\s+(?:ban hành\s+)?ngày\s+(?:\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|[\d/.\-]+)"
    r"|,?\s*\(?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\)?)?"
    r"(?:\s+của\s+(?P<issuer>[^,.;()\n]{3,60}?)(?=\s+(?:về|triển khai|thực hiện)|[,.;(\n]|$))?"
)
# Type codes of the drafting rules: what comes before the issuer in "số/TYPE-ISSUER".
_TYPE_CODES = frozenset({"KH", "QĐ", "CT", "NQ", "NĐ", "TT", "HD", "TB", "BC", "TTr", "KL", "QC", "CTr", "ĐA",
                         "QyĐ", "TTLT", "CV", "GM", "PA"})
_TYPED = re.compile(r"^\d+[a-z]?/(?:\d{4}/)?(?P<type>[A-ZĐa-z]+)-(?P<issuer>[A-ZĐ&]+)(?:-[A-ZĐ&]+)*$")
_LETTER = re.compile(r"^\d+[a-z]?/(?P<issuer>[A-ZĐ&]+)(?:-[A-ZĐ&]+)*$")
_PARTY = re.compile(r"^\d+-(?P<type>[A-ZĐa-z]+)/(?P<issuer>[A-ZĐ&]+)$")
# Issuer codes that no organisation pattern spells out; the others expand through
# ``nlp.organisations`` ("UBND" -> "Ủy ban nhân dân").
ISSUER_CODES: dict[str, str] = {
    "TW": "Ban Chấp hành Trung ương Đảng", "TU": "Tỉnh ủy", "HU": "Huyện ủy", "QU": "Quận ủy",
    "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ", "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "HLHPN": "Hội Liên hiệp Phụ nữ", "LHPN": "Hội Liên hiệp Phụ nữ",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội", "SLĐTBXH": "Sở Lao động - Thương binh và Xã hội",
    # Ministries number their decisions with their short code: 2232/QĐ-LĐTBXH.
    "LĐTBXH": "Bộ Lao động - Thương binh và Xã hội", "BCĐ": "Ban Chỉ đạo", "BTV": "Ban Thường vụ",
    "MTTQ": "Ủy ban Mặt trận Tổ quốc Việt Nam", "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
}


def issuer_code(number: str) -> str | None:
    """The issuer's code in a document number, by the drafting rules, or None."""
    for pattern in (_TYPED, _PARTY):
        match = pattern.match(number)
        if match and match.group("type") in _TYPE_CODES:
            return match.group("issuer")
    match = _LETTER.match(number)
    return match.group("issuer") if match else None


def _full_issuer(written: str | None, code: str | None) -> str | None:
    if written:
        normalised = normalise_organisation(written)
        return normalised[0] if normalised else written.strip()
    if not code:
        return None
    normalised = normalise_organisation(code)
    return normalised[0] if normalised else ISSUER_CODES.get(code, code)


def find_documents(text: str, dates: list[DateMatch]) -> list[Document]:
    """Every numbered document of ``text`` with its number, issuer and date when given."""
    documents = []
    for match in _DOCUMENT.finditer(text):
        number = match.group("number").rstrip(".-–")
        code = issuer_code(number)
        date = next((d.value for d in dates if match.start() <= d.start < match.end()), None)
        kind = match.group("type")[0].upper() + match.group("type")[1:]
        documents.append(Document(type=kind, number=number, issuer=_full_issuer(match.group("issuer"), code),
                                  issuer_code=code, date=date, text=match.group(),
                                  start=match.start(), end=match.end()))
    return documents
