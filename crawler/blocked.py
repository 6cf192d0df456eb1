"""Pages that stand between the crawler and an article: JavaScript challenges and paywalls.

A challenge page is a tiny document whose script sets a cookie and reloads (or redirects)
so that only a browser gets the article: laodong.vn answers bots this way, and so do
anti-DDoS services. It is counted as ``blocked:js_challenge`` and never stored as an article;
the feed item that linked to it is kept instead (``feed_only``). A paywall page shows the
sapo and a subscription prompt instead of the body.
"""

from __future__ import annotations

import re

__all__ = ["BLOCK_REASONS", "INTERSTITIAL_MARKERS", "INTERSTITIAL_TITLES", "block_reason"]

#: Why an article page could not be read, for the crawl report (``blocked/<reason>``).
BLOCK_REASONS: dict[str, str] = {
    "js_challenge": "a JavaScript cookie challenge instead of the page",
    "paywall": "the article is behind a paywall",
}
#: A challenge page is small: at most this many bytes of HTML and characters of visible text.
MAX_CHALLENGE_BYTES = 32_768
MAX_CHALLENGE_TEXT = 400
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_SETS_COOKIE = re.compile(r"document\.cookie\s*=", re.IGNORECASE)
_RELOADS = re.compile(r"location\.(?:reload|replace|assign)\s*\(|location(?:\.href)?\s*=|\.submit\s*\(", re.IGNORECASE)
#: Markers of well-known anti-bot interstitials in the page, whatever its size, and in its title (lower case).
INTERSTITIAL_MARKERS: tuple[str, ...] = ("cf-browser-verification", "cf_chl_", "challenge-platform", "jschl-answer")
INTERSTITIAL_TITLES: tuple[str, ...] = ("just a moment", "attention required", "checking your browser", "ddos-guard")
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.IGNORECASE | re.DOTALL)
#: Paywall markers: classes/ids of subscription prompts on Vietnamese outlets and generic ones.
_PAYWALL = re.compile(r"""(?:class|id)\s*=\s*["'][^"']*\b(?:paywall|premium-lock|content-locked|"""
                      r"""box-subscribe-premium|article-locked)\b""", re.IGNORECASE)


def _visible_text_length(html: str) -> int:
    return len(" ".join(_TAGS.sub(" ", html).split()))


def block_reason(html: str, text_chars: int | None = None) -> str | None:
    """``"js_challenge"`` or ``"paywall"`` when the page is one, else None.

    ``text_chars``: the length of the article text found on the page, when known (a paywall
    page holds little of it).
    """
    head = html[:MAX_CHALLENGE_BYTES]
    at = head.find("<title")
    title = head[at:at + 80].lower() if at >= 0 else ""
    if any(marker in head for marker in INTERSTITIAL_MARKERS) or any(t in title for t in INTERSTITIAL_TITLES):
        return "js_challenge"
    small = len(html) <= MAX_CHALLENGE_BYTES and "document.cookie" in head
    if small and _visible_text_length(html) <= MAX_CHALLENGE_TEXT:
        scripts = " ".join(_SCRIPT.findall(html))
        if _SETS_COOKIE.search(scripts) and _RELOADS.search(scripts):
            return "js_challenge"
    if text_chars is not None and _PAYWALL.search(html):
        return "paywall"
    return None
