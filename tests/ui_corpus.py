"""A month of invented provincial coverage for the browser tests: enough articles for several result pages,
from several outlets and provinces, with figures, events and people for the extractor to find, and some
general news that names women (off-topic: the search leaves it out unless asked).

The sentences are written for these tests (no third-party text). Every article is extracted by the real
pipeline when the fixture builds the store.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from newsmon.models import VN_TZ, Article

PROVINCES = ("Lào Cai", "Nghệ An", "Cần Thơ", "Đà Nẵng", "Thanh Hóa", "Sơn La")
OUTLETS = ("baophunu.vn", "vnexpress.net", "tuoitre.vn", "baolaocai.vn", "baonghean.vn")
LEAD = "(Tin {p}) Hoạt động nằm trong chuỗi sự kiện hưởng ứng Tháng hành động vì bình đẳng giới năm 2024."
STORIES = (
    ("{p} tập huấn phòng, chống bạo lực gia đình cho {n} cán bộ",
     "Ngày {d}, Hội Liên hiệp Phụ nữ tỉnh {p} tổ chức lớp tập huấn phòng, chống bạo lực gia đình cho {n} cán bộ "
     "hội cơ sở.\nBà Nguyễn Thị Hằng, Chủ tịch Hội, cho biết năm nay hội phấn đấu {r}% chi hội có tổ truyền thông "
     "cộng đồng."),
    ("{p} phát động Tháng hành động vì bình đẳng giới",
     "Sáng {d}, UBND tỉnh {p} tổ chức lễ phát động Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với "
     "bạo lực trên cơ sở giới.\nDịp này, tỉnh trao {n} suất quà cho phụ nữ có hoàn cảnh khó khăn."),
    ("Hội Liên hiệp Phụ nữ giúp phụ nữ {p} vay vốn khởi nghiệp",
     "Ngân hàng Chính sách xã hội tỉnh {p} đã giải ngân cho {n} phụ nữ vay vốn khởi nghiệp trong năm.\n"
     "Tỷ lệ nữ làm chủ doanh nghiệp của tỉnh đạt {r}%, tăng so với năm trước."),
    ("Hội thảo về bình đẳng giới trong trường học tại {p}",
     "Ngày {d}, Sở Giáo dục và Đào tạo tỉnh {p} tổ chức hội thảo về lồng ghép bình đẳng giới trong trường học với "
     "{n} giáo viên tham dự.\nCác đại biểu thảo luận cách phòng ngừa xâm hại trẻ em gái."),
    # General news that names women: what the on-topic default leaves out.
    ("Người phụ nữ ở {p} trúng xổ số {n} triệu đồng",
     "Một người phụ nữ bán vé số dạo ở tỉnh {p} trúng giải đặc biệt trị giá {n} triệu đồng.\n"
     "Người dân xung quanh kéo đến chúc mừng chị."),
)
# One news item retold by three outlets over two days: one story of three articles, for the story counts.
RETOLD = (
    ("baophunu.vn", 0, "Quảng Trị ra mắt Ngôi nhà an toàn đầu tiên cho phụ nữ",
     "Hội Liên hiệp Phụ nữ tỉnh Quảng Trị khai trương Ngôi nhà an toàn tại xã Hải Thượng, có thể tiếp nhận "
     "12 phụ nữ và trẻ em bị bạo lực gia đình."),
    ("vnexpress.net", 3, "Xã Hải Thượng có Ngôi nhà an toàn cho nạn nhân bạo lực gia đình",
     "Ngôi nhà an toàn vừa khai trương ở xã Hải Thượng (Quảng Trị) đón tối đa 12 phụ nữ và trẻ em bị bạo lực "
     "gia đình, do Hội Liên hiệp Phụ nữ tỉnh quản lý."),
    ("tuoitre.vn", 26, "Quảng Trị: Ngôi nhà an toàn ở Hải Thượng tiếp nhận 12 nạn nhân",
     "Sau khi khai trương, Ngôi nhà an toàn tại xã Hải Thượng, tỉnh Quảng Trị sẵn sàng tiếp nhận 12 phụ nữ và "
     "trẻ em bị bạo lực gia đình."),
)
RETOLD_BODY = ("Nạn nhân được ở miễn phí, được tư vấn tâm lý và hỗ trợ pháp lý trong thời gian tạm lánh.\n"
               "Mô hình hưởng ứng Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở "
               "giới năm 2024.")
START = datetime(2024, 11, 16, 8, 0, tzinfo=VN_TZ)
COUNT = 40


def ui_articles() -> list[Article]:
    """``COUNT`` articles, one every 20 hours from 16/11/2024, cycling through stories, provinces and outlets,
    then the ``RETOLD`` story's three articles (from 21/11/2024, hours apart)."""
    items = []
    for i in range(COUNT):
        when = START + timedelta(hours=20 * i)
        title, text = STORIES[i % len(STORIES)]
        values = {"p": PROVINCES[i % len(PROVINCES)], "n": 40 + 7 * i, "r": 30 + i, "d": f"{when:%d/%m}"}
        source = OUTLETS[i % len(OUTLETS)]
        items.append(Article(
            url=f"https://{source}/tin-{i}.html", source=source, title=title.format(**values),
            lead=LEAD.format(**values), text=text.format(**values), published_at=when,
        ))
    retold = START + timedelta(days=5)
    for n, (source, hours, title, lead) in enumerate(RETOLD):
        items.append(Article(url=f"https://{source}/ngoi-nha-an-toan-{n}.html", source=source, title=title,
                             lead=lead, text=RETOLD_BODY, published_at=retold + timedelta(hours=hours)))
    return items
