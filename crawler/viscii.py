"""The VISCII character set (RFC 1456), which Python's codecs lack.

Older Vietnamese sites still serve it, declared or not. Importing this module
registers a ``viscii`` codec, so ``bytes.decode("viscii")`` works everywhere.
The table was generated from glibc's VISCII charmap.
"""

from __future__ import annotations

import codecs

__all__ = ["VISCII_DECODING_TABLE", "register"]

_CONTROL_REMAP = {2: 'Ẳ', 5: 'Ẵ', 6: 'Ẫ', 20: 'Ỷ', 25: 'Ỹ', 30: 'Ỵ'}
_HIGH_HALF = (
    'ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ'
    'ÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ'
    'ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡư'
    'àáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ'
)


def _build_table() -> str:
    chars = [chr(i) for i in range(128)]
    for byte, char in _CONTROL_REMAP.items():
        chars[byte] = char
    return "".join(chars) + _HIGH_HALF


VISCII_DECODING_TABLE: str = _build_table()
_ENCODING_TABLE = codecs.charmap_build(VISCII_DECODING_TABLE)


class _Codec(codecs.Codec):
    def encode(self, text: str, errors: str = "strict") -> tuple[bytes, int]:
        return codecs.charmap_encode(text, errors, _ENCODING_TABLE)

    def decode(self, data: bytes, errors: str = "strict") -> tuple[str, int]:
        return codecs.charmap_decode(data, errors, VISCII_DECODING_TABLE)


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "").replace("_", "").lower() != "viscii":
        return None
    codec = _Codec()
    return codecs.CodecInfo(name="viscii", encode=codec.encode, decode=codec.decode)


_registered = False


def register() -> None:
    """Register the ``viscii`` codec with Python's codec registry (idempotent)."""
    global _registered
    if not _registered:
        codecs.register(_search)
        _registered = True


register()
