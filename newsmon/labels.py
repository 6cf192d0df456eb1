"""Vietnamese labels of newsmon's codes, shared by the web UI and the digest."""

from __future__ import annotations

EVENT_LABELS = {  # event types the nlp stage extracts (``Event.type``)
    "launch_ceremony": "Lễ phát động", "plan_issued": "Ban hành kế hoạch", "training": "Tập huấn",
    "forum": "Diễn đàn, hội thảo", "communication": "Truyền thông", "support": "Hỗ trợ",
    "inspection": "Kiểm tra, giám sát", "recognition": "Khen thưởng", "model_setup": "Xây dựng mô hình",
}

# An article whose page gave no date: shown so, never dated by the day it was crawled.
UNDATED_LABEL = "không rõ ngày"
