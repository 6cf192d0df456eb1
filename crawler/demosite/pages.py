"""HTML and XML of the demo site, rendered the way Vietnamese outlets render them.

Article pages carry the chrome real outlets have (top bar, menu, breadcrumbs, share
buttons, "Tin liên quan" and "Đọc nhiều" blocks, comments, footer) around the article,
plus JSON-LD ``NewsArticle``, OpenGraph, a canonical link and ``<time>``. The mock
outlet server in ``tests/mocksite`` reuses these functions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from email.utils import format_datetime
from html import escape

from crawler.demosite.site import OUTLETS, DemoArticle, Outlet

__all__ = [
    "page_shell",
    "render_article",
    "render_listing",
    "render_news_sitemap",
    "render_rss",
    "render_sitemap_index",
    "render_urlset",
]

#: Teasers of the related/most-read blocks: chrome that must never reach the article text.
RELATED_TEASERS: tuple[tuple[str, str], ...] = (
    ("Tái chế vỏ bắp thành những sản phẩm hữu ích",
     "Từ những chiếc vỏ bắp phơi khô, nhóm sinh viên đã sáng tạo nên nhiều sản phẩm thủ công độc đáo."),
    ("Nhiều cách làm sáng tạo trong giảm nghèo",
     "Các chính sách giảm nghèo đã tiếp thêm động lực cho hộ nghèo vươn lên phát triển kinh tế."),
    ("Dấu ấn an sinh xã hội từ những căn nhà mới",
     "Hoàn thành mục tiêu xóa nhà tạm, nhà dột nát là minh chứng cho tinh thần đại đoàn kết."),
)


def _esc(text: str) -> str:
    return escape(text, quote=True)


def page_shell(outlet: Outlet, base: str, title: str, head: str, main: str) -> str:
    """Wrap ``main`` in the outlet's header, menu and footer."""
    menu = "".join(
        f'<li><a href="{base}/{outlet.key}/chuyen-muc/{i}">{_esc(m)}</a></li>' for i, m in enumerate(outlet.menu)
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)} | {_esc(outlet.name)}</title>
<style>body{{font-family:sans-serif;margin:0}}header{{background:{outlet.color};color:#fff;padding:8px}}
header a{{color:#fff}}nav ul{{display:flex;gap:12px;list-style:none}}main{{max-width:900px;margin:auto}}</style>
{head}
</head><body>
<header class="site-header"><div class="topbar">Việt Nam vươn mình trong kỷ nguyên mới |
<a href="{base}/{outlet.key}/dang-ky">Đăng ký ấn phẩm</a> | <a href="{base}/{outlet.key}/dang-nhap">Đăng nhập</a></div>
<a class="logo" href="{base}/{outlet.key}/"><img src="{base}/static/logo.png" alt="Logo"> {_esc(outlet.name)}</a>
<nav class="main-menu"><ul><li><a href="{base}/{outlet.key}/">Trang chủ</a></li>{menu}</ul></nav>
<form class="search" action="{base}/{outlet.key}/tim-kiem"><input name="q" placeholder="Tìm kiếm"></form>
</header>
<main>{main}</main>
<footer class="site-footer"><p>{_esc(outlet.copyright)}</p>
<p>Địa chỉ: Hà Nội (trang minh họa ngoại tuyến của newsmon). Điện thoại: 024 0000 0000.</p>
<p>Chỉ được phát hành lại thông tin từ website này khi có sự đồng ý bằng văn bản.</p></footer>
</body></html>"""


def _json_ld(article: DemoArticle, url: str, outlet: Outlet, base: str) -> str:
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title, "description": article.lead,
        "datePublished": article.published_at.isoformat(), "dateModified": article.published_at.isoformat(),
        "author": [{"@type": "Person", "name": a} for a in article.authors],
        "publisher": {"@type": "Organization", "name": outlet.name,
                      "logo": {"@type": "ImageObject", "url": f"{base}/static/logo.png"}},
        "articleSection": article.section, "keywords": ", ".join(article.tags), "inLanguage": "vi",
    }
    breadcrumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Trang chủ", "item": f"{base}/{outlet.key}/"},
        {"@type": "ListItem", "position": 2, "name": article.section},
    ]}
    return (f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>\n'
            f'<script type="application/ld+json">{json.dumps(breadcrumbs, ensure_ascii=False)}</script>')


def _head(article: DemoArticle, url: str, outlet: Outlet, base: str) -> str:
    tags = "".join(f'<meta property="article:tag" content="{_esc(t)}">' for t in article.tags)
    return f"""<meta name="description" content="{_esc(article.lead)}">
<meta name="keywords" content="{_esc(', '.join(article.tags))}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article"><meta property="og:site_name" content="{_esc(outlet.name)}">
<meta property="og:title" content="{_esc(article.title)}"><meta property="og:url" content="{url}">
<meta property="og:description" content="{_esc(article.lead)}"><meta property="og:locale" content="vi_VN">
<meta property="og:image" content="{base}/static/{article.number}.jpg">
<meta property="article:published_time" content="{article.published_at.isoformat()}">
<meta property="article:section" content="{_esc(article.section)}">{tags}
<link rel="alternate" type="application/rss+xml" href="{base}/{outlet.key}/rss/home.rss">
{_json_ld(article, url, outlet, base)}"""


def _block(kind: str, text: str, base: str) -> str:
    if kind == "h":
        return f"<h3>{_esc(text)}</h3>"
    if kind == "image":
        return f'<p class="image"><img src="{base}/static/{_esc(text)}" alt=""></p>'
    if kind == "alt":
        return f'<p class="image"><img src="{base}/static/photo.jpg" alt="{_esc(text)}"></p>'
    if kind == "caption":
        return f'<p style="text-align:center"><em>{_esc(text)}</em></p>'
    if kind == "byline":
        return f'<p style="text-align:right"><strong>{_esc(text)}</strong></p>'
    return f"<p>{_esc(text)}</p>"


def _body(article: DemoArticle, base: str) -> str:
    return "\n".join(_block(kind, text, base) for kind, text in article.blocks)


def _related(others: Sequence[DemoArticle], base: str) -> str:
    items = "".join(
        f'<li><a href="{base}{o.path}"><img src="{base}/static/{o.number}.jpg" alt="">{_esc(o.title)}</a></li>'
        for o in others
    )
    teasers = "".join(
        f'<div class="item"><a href="{base}/static/teaser{i}.html">{_esc(t)}</a><p>{_esc(s)}</p></div>'
        for i, (t, s) in enumerate(RELATED_TEASERS)
    )
    return (f'<section class="related-news"><h3>Tin liên quan</h3><ul>{items}</ul></section>'
            f'<aside class="most-read"><h3>Đọc nhiều</h3>{teasers}</aside>'
            '<section class="comments"><h3>BÌNH LUẬN (0)</h3><form><textarea name="c"></textarea>'
            '<button>Gửi bình luận</button></form></section>')


def render_article(article: DemoArticle, base: str, related: Sequence[DemoArticle] = (),
                   outlet: Outlet | None = None) -> str:
    """One article page with full chrome; ``base`` is the server's URL (no trailing slash)."""
    outlet = outlet or OUTLETS[article.outlet]
    url = base + article.path
    when = article.published_at
    authors = ", ".join(article.authors)
    kicker = f'<p class="kicker">{_esc(article.kicker)}</p>' if article.kicker else ""
    main = f"""<div class="breadcrumb"><a href="{base}/{outlet.key}/">Trang chủ</a> &rsaquo;
<a href="{base}/{outlet.key}/chuyen-muc/1">{_esc(article.section)}</a></div>
<article class="article-detail">{kicker}<h1 class="title">{_esc(article.title)}</h1>
<div class="meta"><span class="byline">{_esc(authors)}</span>
<time datetime="{when.isoformat()}">{when:%d/%m/%Y %H:%M}</time></div>
<div class="share"><a href="#fb">Chia sẻ Facebook</a> <a href="#zalo">Zalo</a> <a href="#print">In bài</a></div>
<h2 class="sapo">{_esc(article.lead)}</h2>
<div class="content">{_body(article, base)}</div>
<div class="tags">Từ khóa: {" ".join(f'<a href="#">{_esc(t)}</a>' for t in article.tags)}</div>
</article>
{_related(related, base)}"""
    return page_shell(outlet, base, article.title, _head(article, url, outlet, base), main)


def render_listing(outlet: Outlet, base: str, articles: Sequence[DemoArticle], title: str,
                   next_url: str | None = None, prev_url: str | None = None) -> str:
    """A home/category/search page: article cards and pagination links."""
    cards = "".join(
        f'<div class="story"><h3><a href="{base}{a.path}">{_esc(a.title)}</a></h3>'
        f'<time datetime="{a.published_at.isoformat()}">{a.published_at:%d/%m/%Y}</time>'
        f'<p class="sapo">{_esc(a.lead[:200])}</p></div>'
        for a in articles
    ) or "<p>Không có bài viết nào.</p>"
    pager = ""
    if prev_url:
        pager += f'<a rel="prev" class="prev" href="{prev_url}">Trang trước</a> '
    if next_url:
        pager += f'<a rel="next" class="next" href="{next_url}">Trang sau</a>'
    main = f'<h1 class="cat-title">{_esc(title)}</h1><div class="list">{cards}</div>' \
           f'<div class="pagination">{pager}</div>'
    head = '<meta property="og:type" content="website">'
    return page_shell(outlet, base, title, head, main)


def render_rss(outlet: Outlet, base: str, articles: Sequence[DemoArticle]) -> str:
    """An RSS 2.0 feed of ``articles``."""
    items = "".join(
        f"<item><title>{_esc(a.title)}</title><link>{_esc(base + a.path)}</link>"
        f"<guid isPermaLink=\"true\">{_esc(base + a.path)}</guid>"
        f"<pubDate>{format_datetime(a.published_at)}</pubDate>"
        f"<description><![CDATA[{a.lead}]]></description></item>"
        for a in articles
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{_esc(outlet.name)}</title><link>{base}/{outlet.key}/</link>"
            f"<description>Tin mới</description><language>vi</language>{items}</channel></rss>")


def render_urlset(urls: Sequence[tuple[str, str]]) -> str:
    """A plain sitemap of ``(loc, lastmod)`` pairs."""
    entries = "".join(f"<url><loc>{_esc(u)}</loc><lastmod>{m}</lastmod></url>" for u, m in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')


def render_news_sitemap(outlet: Outlet, base: str, articles: Sequence[DemoArticle]) -> str:
    """A Google News sitemap (``news:news`` with publication date and title)."""
    entries = "".join(
        f"<url><loc>{_esc(base + a.path)}</loc><news:news><news:publication>"
        f"<news:name>{_esc(outlet.name)}</news:name><news:language>vi</news:language></news:publication>"
        f"<news:publication_date>{a.published_at.isoformat()}</news:publication_date>"
        f"<news:title>{_esc(a.title)}</news:title></news:news></url>"
        for a in articles
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>')


def render_sitemap_index(locs: Sequence[str]) -> str:
    """A sitemap index pointing at ``locs``."""
    entries = "".join(f"<sitemap><loc>{_esc(u)}</loc></sitemap>" for u in locs)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>')
