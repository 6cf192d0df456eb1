"""Vietnamese labels of newsmon's codes, shared by the web UI and the digest."""

from __future__ import annotations

EVENT_LABELS = {  # event types the nlp stage extracts (``Event.type``)
    "launch_ceremony": "Lễ phát động", "plan_issued": "Ban hành kế hoạch", "training": "Tập huấn",
    "forum": "Diễn đàn, hội thảo", "communication": "Truyền thông", "support": "Hỗ trợ",
    "inspection": "Kiểm tra, giám sát", "recognition": "Khen thưởng", "model_setup": "Xây dựng mô hình",
}

TOPIC_LABELS = {  # gender topics the nlp stage assigns (``Extraction.topics``)
    "gender_equality": "Bình đẳng giới",
    "gender_based_violence": "Bạo lực trên cơ sở giới",
    "domestic_violence": "Bạo lực gia đình",
    "sexual_violence": "Xâm hại, bạo lực tình dục",
    "trafficking": "Mua bán người",
    "child_sexual_abuse": "Xâm hại tình dục trẻ em",
    "sexual_harassment": "Quấy rối tình dục",
    "women_leadership": "Phụ nữ lãnh đạo, tham chính",
    "economic_empowerment": "Phụ nữ và kinh tế, việc làm",
    "sex_ratio_at_birth": "Mất cân bằng giới tính khi sinh",
    "ethnic_minority_women": "Phụ nữ dân tộc thiểu số, Dự án 8",
    "children": "Trẻ em",
}

# An article whose page gave no date: shown so, never dated by the day it was crawled.
UNDATED_LABEL = "không rõ ngày"
