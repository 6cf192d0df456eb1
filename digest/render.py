"""A digest as text: the subject line, the plain-text body and the HTML body (Jinja2, Vietnamese).

The HTML is one 600 px table with inline CSS (mail clients drop ``<style>`` and ignore classes),
fluid below 600 px so it reads on a phone; the chart is referenced as ``cid:``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from digest.build import Digest

__all__ = ["RenderedDigest", "render_digest", "subject_for", "vn_day", "vn_number"]

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)


@dataclass(frozen=True)
class RenderedDigest:
    """The three texts of one digest email."""

    subject: str
    text: str
    html: str


def vn_number(value: float) -> str:
    """A number written the Vietnamese way: "28.867", "1,5"."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _, decimals = f"{value:,.2f}".rstrip("0").partition(".")
    return whole.replace(",", ".") + "," + decimals


def vn_day(iso: str) -> str:
    """An ISO day or month as Vietnamese write it: "2024-11-20" → "20/11/2024", "2024-11" → "11/2024"."""
    return "/".join(reversed(iso.split("-"))) if iso else ""


def subject_for(digest: Digest) -> str:
    """The subject line: kind, dates, article count and the saved query."""
    kind = "Bản tin ngày" if digest.subscription.frequency == "daily" else "Bản tin tuần"
    p = digest.period
    dates = f"{p.start:%d/%m/%Y}" if p.start == p.last_day else f"{p.start:%d/%m}–{p.last_day:%d/%m/%Y}"
    about = f" về “{digest.subscription.query}”" if digest.subscription.query else ""
    return f"{kind} {dates}: {vn_number(digest.total)} bài mới{about}"


def _change(digest: Digest) -> str:
    diff = digest.total - digest.previous_total
    if diff == 0:
        return f"bằng kỳ trước ({vn_number(digest.previous_total)} bài)"
    word = "tăng" if diff > 0 else "giảm"
    return f"{word} {vn_number(abs(diff))} so với kỳ trước ({vn_number(digest.previous_total)} bài)"


def render_digest(digest: Digest, *, unsubscribe_link: str, public_url: str, chart_cid: str) -> RenderedDigest:
    """Render the subject, text and HTML of ``digest``; ``chart_cid`` is the chart's Content-ID without <>."""
    context = {
        "d": digest, "subject": subject_for(digest), "change": _change(digest), "num": vn_number, "day": vn_day,
        "unsubscribe_link": unsubscribe_link, "public_url": public_url.rstrip("/"), "chart_cid": chart_cid,
        "kind": "ngày" if digest.subscription.frequency == "daily" else "tuần",
    }
    return RenderedDigest(
        subject=context["subject"],
        text=_ENV.get_template("digest.txt").render(context),
        html=_ENV.get_template("digest.html").render(context),
    )
