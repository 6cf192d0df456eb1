"""The crawler's cheap keyword pre-filter keeps gender-based-violence crime news, which names no policy term."""


import pytest

from crawler.pipelines import is_on_topic
from newsmon.models import Article
from newsmon.settings import Settings
from newsmon.text import fold
from nlp.relevance_data import load_stream
from tests.shared_data import STREAM

KEYWORDS = [fold(k) for k in Settings.model_fields["topic_keywords"].default_factory()]  # the default, not the env's


def _passes(title: str, text: str) -> bool:
    return is_on_topic(Article(url="https://bao.vn/a-1.html", source="bao.vn", title=title, text=text), KEYWORDS)


@pytest.mark.parametrize("title", [
    "Khởi tố đối tượng hiếp dâm bé gái 12 tuổi",
    "Chồng dùng dao sát hại vợ tại nhà riêng",
    "Triệt phá đường dây mua bán người qua biên giới",
    "Giám đốc bị tố quấy rối nữ nhân viên",
    "Thầy giáo dâm ô học sinh lớp 5",
    "Phạt công ty không cho lao động nữ nghỉ thai sản",
])
def test_gender_based_violence_crime_news_passes(title: str) -> None:
    assert _passes(title, "Cơ quan công an đang điều tra.")


def test_general_news_does_not_pass() -> None:
    assert not _passes("Giá vàng hôm nay tăng mạnh", "Giá vàng miếng tăng 500.000 đồng mỗi lượng.")


@pytest.mark.skipif(not (STREAM / "items.json").is_file(), reason=f"stream not found at {STREAM}")
def test_every_on_topic_stream_item_passes_on_its_headline_and_summary() -> None:
    missed = [i.id for i in load_stream(STREAM) if i.label == "on" and not _passes(i.title, i.summary)]
    assert not missed
