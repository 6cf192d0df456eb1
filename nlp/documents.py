"""Legal and administrative documents: "Kế hoạch số 247/KH-UBND ngày 10/11/2024 của UBND TP".

The issuer is read from the number's suffix ("KH-UBND" -> "UBND", "NQ/TW" -> "TW") or
from "của ..." right after the document.
"""

from __future__ import annotations

import re

from newsmon.models import Document
from nlp.dates import DateMatch

__all__ = ["DOCUMENT_TYPES", "find_documents"]

DOCUMENT_TYPES = ("Kế hoạch", "Quyết định", "Chỉ thị", "Công văn", "Nghị quyết", "Nghị định", "Thông tư",
                  "Hướng dẫn", "Thông báo", "Luật")
_DOCUMENT = re.compile(
    r"(?P<type>" + "|".join(f"[{t[0]}{t[0].lower()}]{t[1:]}" for t in DOCUMENT_TYPES)
    + r")\s+(?:số\s*:?\s*)?(?P<number>\d+[\w/.\-–&Đđ]*)"
    r"(?:,?\s+(?:ban hành\s+)?ngày\s+(?:\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|[\d/.\-]+))?"
    r"(?:\s+của\s+(?P<issuer>[^,.;()\n]{3,60}?)(?=\s+(?:về|triển khai|thực hiện)|[,.;(\n]|$))?"
)
_ISSUER_IN_NUMBER = re.compile(r"/[A-ZĐ]+[-/](?P<issuer>[A-ZĐ&]+)$|-[A-Z]+/(?P<party>[A-Z]+)$")


def find_documents(text: str, dates: list[DateMatch]) -> list[Document]:
    """Every numbered document of ``text`` with its number, issuer and date when given."""
    documents = []
    for match in _DOCUMENT.finditer(text):
        number = match.group("number").rstrip(".-–")
        issuer = match.group("issuer")
        coded = _ISSUER_IN_NUMBER.search(number)
        if not issuer and coded:
            issuer = coded.group("issuer") or coded.group("party")
        date = next((d.value for d in dates if match.start() <= d.start < match.end()), None)
        kind = match.group("type")[0].upper() + match.group("type")[1:]
        documents.append(Document(type=kind, number=number, issuer=issuer, date=date,
                                  text=match.group(), start=match.start(), end=match.end()))
    return documents
