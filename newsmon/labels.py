"""Vietnamese labels of newsmon's codes, shared by the web UI and the digest."""

from __future__ import annotations

EVENT_LABELS = {  # event types the nlp stage extracts (``Event.type``)
    "launch_ceremony": "Lễ phát động", "plan_issued": "Ban hành kế hoạch", "training": "Tập huấn",
    "forum": "Diễn đàn, hội thảo", "communication": "Truyền thông", "support": "Hỗ trợ",
    "inspection": "Kiểm tra, giám sát", "recognition": "Khen thưởng", "model_setup": "Xây dựng mô hình",
}

TOPIC_LABELS = {  # gender topics the nlp stage assigns (``Extraction.topics``; phrases in nlp/data/topics.yaml)
    "gender_equality": "Bình đẳng giới",
    "gender_based_violence": "Bạo lực trên cơ sở giới",
    "domestic_violence": "Bạo lực gia đình",
    "sexual_violence": "Hiếp dâm, xâm hại tình dục",
    "child_sexual_abuse": "Xâm hại tình dục trẻ em",
    "trafficking": "Mua bán người",
    "sexual_harassment": "Quấy rối tình dục",
    "child_marriage": "Tảo hôn, hôn nhân cưỡng ép",
    "women_leadership": "Phụ nữ tham gia lãnh đạo, quản lý",
    "womens_union": "Hội Liên hiệp Phụ nữ",
    "women_workers": "Quyền của lao động nữ",
    "sex_ratio_at_birth": "Mất cân bằng giới tính khi sinh",
    "lgbt": "Bình đẳng cho người LGBT",
    "economic_empowerment": "Phụ nữ khởi nghiệp, sinh kế",
    "ethnic_minority_women": "Phụ nữ dân tộc thiểu số",
    "children": "Trẻ em",
    "reproductive_health": "Sức khỏe sinh sản và quyền sinh sản",
}

# An article whose page gave no date: shown so, never dated by the day it was crawled.
UNDATED_LABEL = "không rõ ngày"
