"""The extractor's data files, pinned to the ``EXTRACTOR_VERSION`` they were recorded for (issue 14).

Stored extractions, relevance scores and stories are redone only for articles whose extraction has another
version (``Store.pending_extraction``): a lexicon, the relevance model or the story parameters changed without
a new version would leave every stored article scored and grouped by the old ones. ``tests/extractor_pin.json``
records a SHA-256 of each data file with the version; ``test_nlp_pipeline`` fails when they no longer agree.

After changing a data file: bump ``EXTRACTOR_VERSION`` in ``nlp/pipeline.py``, then re-record with

    PYTHONPATH=. python -m tests.extractor_pin
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIRS = (ROOT / "nlp" / "data", ROOT / "nlp" / "stories" / "data")
PIN = Path(__file__).with_name("extractor_pin.json")
NOTE = ("SHA-256 of every data file under nlp/data and nlp/stories/data (READMEs aside) and the EXTRACTOR_VERSION "
        "they were recorded for. Changing a data file needs a new version (stored articles are re-extracted, "
        "re-scored and regrouped only for a new version): bump it in nlp/pipeline.py, then re-record with "
        "`PYTHONPATH=. python -m tests.extractor_pin`.")


def data_hashes() -> dict[str, str]:
    """The SHA-256 of each data file's content (a .gz file's decompressed, line ends as LF), by its path from
    the repository root."""
    hashes = {}
    for folder in DATA_DIRS:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name == "README.md" or path.name.startswith(".") \
                    or "__pycache__" in path.parts:
                continue
            # A rebuilt archive of the same content is no change (gzip stamps the time), nor is a CRLF checkout.
            data = path.read_bytes()
            data = gzip.decompress(data) if path.suffix == ".gz" else data.replace(b"\r\n", b"\n")
            hashes[path.relative_to(ROOT).as_posix()] = hashlib.sha256(data).hexdigest()
    return hashes


def recorded() -> dict:
    """The pin as recorded: ``extractor_version`` and ``files`` (path -> SHA-256)."""
    return json.loads(PIN.read_text(encoding="utf-8"))


def record() -> None:
    """Write the pin for the current data files and ``EXTRACTOR_VERSION``."""
    from nlp.pipeline import EXTRACTOR_VERSION

    pin = {"note": NOTE, "extractor_version": EXTRACTOR_VERSION, "files": data_hashes()}
    PIN.write_text(json.dumps(pin, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record()
    print(f"recorded {len(data_hashes())} data files for extractor {recorded()['extractor_version']} in {PIN}")
