"""Synthetic Vietnamese news articles, for the test mock site and the crawl benchmark.

Deterministic (seeded) sentences drawn from a vocabulary of the gender-equality beat,
varied enough that two generated articles are never near-duplicates of each other.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from crawler.demosite.site import DemoArticle
from newsmon.models import VN_TZ

__all__ = ["OFFTOPIC_WORDS", "TOPIC_WORDS", "synthetic_article"]

#: Words and phrases of on-topic articles (always includes a default topic keyword).
TOPIC_WORDS: tuple[str, ...] = (
    "bình đẳng giới", "phụ nữ", "trẻ em gái", "Hội Liên hiệp Phụ nữ", "tuyên truyền", "cộng đồng",
    "phòng ngừa", "bạo lực gia đình", "hỗ trợ", "sinh kế", "huyện", "xã", "thôn", "cán bộ", "tập huấn",
    "mô hình", "địa chỉ tin cậy", "lao động nữ", "vay vốn", "an sinh xã hội", "kế hoạch", "triển khai",
    "năm nay", "hiệu quả", "nâng cao", "nhận thức", "chính quyền", "người dân", "đồng bào", "dân tộc thiểu số",
    "trao quà", "hoàn cảnh khó khăn", "học sinh", "giáo viên", "trường học", "y tế", "sức khỏe", "việc làm",
    "đào tạo nghề", "doanh nghiệp", "hợp tác xã", "câu lạc bộ", "gia đình", "thanh niên", "tình nguyện",
)
OFFTOPIC_WORDS: tuple[str, ...] = (
    "giao thông", "xe buýt", "tuyến phố", "ùn tắc", "cầu vượt", "công trình", "nhà thầu", "tiến độ",
    "mặt bằng", "vốn đầu tư", "bóng đá", "giải đấu", "cầu thủ", "huấn luyện viên", "sân vận động",
    "thời tiết", "mưa lớn", "nhiệt độ", "giá vàng", "chứng khoán", "xuất khẩu", "nông sản", "lúa gạo",
)

#: Invented bylines: a family name and a given name, chosen by the article's number.
FAMILY_NAMES: tuple[str, ...] = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng")
GIVEN_NAMES: tuple[str, ...] = (
    "An", "Bình", "Châu", "Dung", "Giang", "Hà", "Khánh", "Lan", "Minh", "Ngọc", "Phương", "Quân", "Thảo",
    "Trang", "Tuấn", "Vân", "Yến",
)


def _sentence(rng: random.Random, words: tuple[str, ...]) -> str:
    count = rng.randint(10, 18)
    text = " ".join(rng.choice(words) for _ in range(count))
    return text[0].upper() + text[1:] + f" {rng.randint(2, 9999)}."


def _paragraphs(rng: random.Random, words: tuple[str, ...], count: int) -> list[str]:
    return [" ".join(_sentence(rng, words) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def synthetic_article(n: int, outlet: str, path: str, *, on_topic: bool = True,
                      published_at: datetime | None = None, paragraphs: int = 5) -> DemoArticle:
    """Generated article number ``n`` (same ``n``, same text) served at ``path``."""
    rng = random.Random(n * 7919 + (0 if on_topic else 1))
    words = TOPIC_WORDS if on_topic else OFFTOPIC_WORDS
    title = f"{_sentence(rng, words)[:-1][:90]} (bài {n})"
    lead = _sentence(rng, words) + (" Bình đẳng giới là mục tiêu chung." if on_topic else "")
    when = published_at or datetime(2024, 11, 15, 8, 0, tzinfo=VN_TZ) - timedelta(hours=n)
    return DemoArticle(
        id=f"gen{n}", outlet=outlet, slug=f"bai-{n}", number=100000 + n, section="Xã hội", title=title,
        lead=lead, blocks=tuple(("p", p) for p in _paragraphs(rng, words, paragraphs)),
        authors=(f"{FAMILY_NAMES[n % 7]} {GIVEN_NAMES[n % 17]}",), published_at=when, tags=("xã hội",), url_path=path,
    )
