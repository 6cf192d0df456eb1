"""The relevance classifier: our devset labels, invented news items of each kind, the lexicon and the model file.

The invented headlines below are ours, written to probe kinds of items (crime-news gender-based
violence, "phụ nữ" in general news); none is taken from a real article.
"""

import hashlib
import json
from pathlib import Path

import pytest

from newsmon.text import normalize
from nlp.pipeline import extract
from nlp.relevance import RULE_SCORE, THRESHOLD, classify, relevance, topic_labels
from nlp.relevance_model import LEAD_CHARS, MODEL_PATH, RULE_VALUE, LinearModel, default_model
from nlp.relevance_rules import HARD, find_hits, lexicon_path, load_lexicon, syllables
from tests.shared_data import DEVSET, require

LABELS = json.loads((Path(__file__).parent / "relevance_labels.json").read_text(encoding="utf-8"))
GBV_TOPICS = {"domestic_violence", "sexual_violence", "trafficking", "child_sexual_abuse", "sexual_harassment"}

ON_TOPIC = [
    ("Chồng dùng dao đâm vợ trọng thương sau cuộc cãi vã", "Người đàn ông bị bắt sau khi tấn công vợ tại nhà.",
     "domestic_violence"),
    ("Nghi phạm sát hại người yêu cũ rồi bỏ trốn", "Vụ án xảy ra tối qua tại một phòng trọ.", "domestic_violence"),
    ("Người phụ nữ bị chồng cũ tạt axit", "Nạn nhân đang được điều trị tại bệnh viện.", "domestic_violence"),
    ("Bé gái 10 tuổi bị người hàng xóm xâm hại", "Công an huyện đang điều tra vụ việc.", "child_sexual_abuse"),
    ("Nữ sinh lớp 8 bị thầy giáo giở trò đồi bại", "Phụ huynh đã trình báo công an.", "child_sexual_abuse"),
    ("Nam thanh niên hiếp dâm cô gái đi đường lúc nửa đêm", "Nghi phạm bị bắt sau 24 giờ.", "sexual_violence"),
    ("Khởi tố giám đốc sàm sỡ nữ nhân viên", "Cơ quan điều tra đã vào cuộc.", "sexual_harassment"),
    ("Giải cứu 5 thiếu nữ bị lừa bán sang bên kia biên giới làm vợ", "Các nạn nhân đã về địa phương.",
     "trafficking"),
    ("Phạt doanh nghiệp không bố trí phòng vắt sữa cho lao động nữ", "Thanh tra phát hiện nhiều vi phạm.",
     "women_workers"),
    ("Hội LHPN tỉnh tổ chức hội thi phụ nữ khởi nghiệp", "Hơn 50 dự án tham gia vòng chung kết.", "womens_union"),
    ("Tảo hôn vẫn còn ở nhiều bản vùng cao", "Nhiều em gái lấy chồng khi mới 15 tuổi.", "child_marriage"),
    ("Phụ nữ xã vùng cao được vay vốn làm kinh tế", "Ngân hàng giải ngân cho 40 hộ do phụ nữ làm chủ.",
     "economic_empowerment"),
]
OFF_TOPIC = [
    ("Người phụ nữ trúng độc đắc 2 tỷ đồng nhờ mua vé số dạo", "Chị bán hàng ăn sáng trúng giải đặc biệt."),
    ("Xe máy va chạm xe tải, một phụ nữ tử vong tại chỗ", "Vụ tai nạn xảy ra trên quốc lộ 1 sáng nay."),
    ("Người phụ nữ giả danh cán bộ ngân hàng lừa đảo 1 tỷ đồng", "Nhiều người dân đã sập bẫy."),
    ("5 loại rau giúp phụ nữ giữ dáng, đẹp da", "Ăn đều đặn mỗi ngày, chị em sẽ thấy làn da căng mịn."),
    ("Đối tượng sát hại vợ chồng chủ tiệm vàng để cướp tài sản", "Công an tỉnh đã bắt giữ nghi phạm."),
    ("Đội tuyển bóng đá nữ thắng đậm trận ra quân", "Các cô gái giành chiến thắng 5-0."),
    ("Khởi công dự án 8.000 tỷ đồng ven sông", "Dự án 8 làn xe dự kiến hoàn thành năm sau."),
    ("Người phụ nữ lừa đảo vay vốn ngân hàng hơn 2 tỷ đồng", "Công an tỉnh đã bắt giữ đối tượng."),
]


@pytest.fixture(scope="module")
def devset_verdicts() -> dict[str, object]:
    verdicts = {}
    for path in sorted(require(DEVSET).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        body = normalize(record["text"][len(record["title"]) + 1:])
        verdicts[record["id"]] = classify(body, normalize(record["title"]))
    return verdicts


def test_every_on_topic_devset_article_is_on_topic(devset_verdicts) -> None:
    missed = {k: v.score for k, v in devset_verdicts.items() if k not in LABELS["off_topic"] and not v.on_topic}
    assert not missed


def test_off_topic_devset_articles_are_off_topic_without_topics(devset_verdicts) -> None:
    verdicts = [devset_verdicts[k] for k in LABELS["off_topic"]]
    assert verdicts and all(not v.on_topic and not v.topics and v.score < 0.1 for v in verdicts)


@pytest.mark.parametrize(("headline", "summary", "topic"), ON_TOPIC)
def test_gender_news_is_on_topic_with_its_topic(headline: str, summary: str, topic: str) -> None:
    verdict = classify(f"{headline}\n{summary}", headline)
    assert verdict.on_topic and verdict.score >= THRESHOLD
    assert topic in verdict.topics


@pytest.mark.parametrize(("headline", "summary"), OFF_TOPIC)
def test_a_woman_merely_appearing_is_off_topic(headline: str, summary: str) -> None:
    verdict = classify(f"{headline}\n{summary}", headline)
    assert not verdict.on_topic and verdict.topics == [] and verdict.rule is None


def test_full_article_and_its_feed_item_agree() -> None:
    headline = "Huyện miền núi ra mắt mô hình phòng chống bạo lực gia đình"
    lead = "Mô hình giúp chị em biết nơi tìm trợ giúp khi bị bạo hành."
    paragraphs = [
        "Buổi ra mắt có đại diện chính quyền xã, công an và các thôn.",
        "Mỗi thôn có một địa chỉ tin cậy ở cộng đồng, nơi nạn nhân bạo lực gia đình được tạm lánh.",
        "Các chi hội phụ nữ sẽ tuyên truyền về bình đẳng giới trong các buổi sinh hoạt hằng tháng.",
    ] * 4
    short = classify(f"{headline}\n{lead}", headline)
    full = classify("\n".join([headline, lead, *paragraphs]), headline)
    assert short.on_topic and full.on_topic
    assert {"domestic_violence"} <= set(short.topics) <= set(full.topics)
    assert {"gender_equality", "womens_union"} <= set(full.topics)


def test_body_rule_reads_the_whole_article() -> None:
    headline = "Một ngày ở trung tâm hỗ trợ cộng đồng của xã"
    opening = "Trung tâm mở cửa từ sáng sớm, đón người dân đến hỏi thủ tục. " * 8
    body = opening + ("Cán bộ tư vấn cho nạn nhân bạo lực gia đình, giới thiệu nhà tạm lánh"
                      " và hướng dẫn về bình đẳng giới.")
    assert len(opening) > LEAD_CHARS
    verdict = classify(f"{headline}\n{body}", headline)
    assert verdict.rule == "body" and verdict.on_topic and verdict.score >= RULE_SCORE
    assert "domestic_violence" in verdict.topics
    assert not classify(f"{headline}\n{opening}", headline).on_topic


def test_headline_comes_from_the_first_line_without_a_title() -> None:
    assert classify("Nam thanh niên hiếp dâm bé gái\nNghi phạm đã bị bắt.").rule == "headline"
    assert classify("Giá vàng hôm nay tăng mạnh\nGiá vàng miếng tăng.").score < 0.05


def test_topic_labels_name_every_kind_of_gender_based_violence() -> None:
    labels = topic_labels()
    assert labels.keys() >= GBV_TOPICS
    assert all(label.strip() and label != code for code, label in labels.items())
    assert labels["domestic_violence"] == "Bạo lực gia đình"


def test_phrases_match_whole_syllables_and_respect_joins() -> None:
    def topics(text: str) -> set[str]:
        return {h.topic for h in find_hits(syllables(text)) if h.kind == "strong"}

    assert topics("anh ta đánh vợ") == {"domestic_violence"}
    assert topics("anh ta đánh vợt rất hay") == set()
    assert topics("nghi phạm sát hại vợ chồng chủ tiệm") == set()
    assert topics("nghi phạm sát hại, phi tang bạn gái") == {"domestic_violence"}
    assert topics("nghi phạm sát hại anh ta. bạn gái của anh ta bỏ trốn") == set()


def test_numbers_stay_whole_and_sentences_break() -> None:
    assert syllables("Dự án 8.000 tỷ, năm (2021).\nBé gái") == [
        "dự", "án", "8.000", "tỷ", ",", "năm", ",", "2021", ",", HARD, HARD, "bé", "gái"]


@pytest.mark.parametrize(("text", "message"), [
    ("topics:\n  - strong: [x]\n", "needs a code"),
    ("topics:\n  - {code: a, strong: ['x, y']}\n", "cannot hold punctuation"),
    ("topics:\n  - {code: a}\n  - {code: a}\n", "listed twice"),
    ("topics:\n  - {code: a}\nnear:\n  - {topic: b, within: 2}\n", "near #1"),
    ("topics:\n  - {code: a, label: A}\njoins: [một hai ba]\n", "two syllables"),
])
def test_a_malformed_lexicon_is_refused_by_name(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_lexicon(path)


def test_shipped_model_was_trained_with_the_shipped_lexicon_and_settings() -> None:
    meta = default_model().meta
    assert meta["lexicon_sha256"] == hashlib.sha256(lexicon_path().read_bytes()).hexdigest(), (
        "topics.yaml changed since the model was trained: run python -m nlp.train_relevance ../shared/stream")
    assert (meta["lead_chars"], meta["rule_value"]) == (LEAD_CHARS, RULE_VALUE)
    assert MODEL_PATH.stat().st_size < 200_000


def test_model_json_round_trip_and_explanation() -> None:
    model = LinearModel(-2.0, {"bạo": 1.5, "S@h": 2.0}, {"trained": "today"})
    again = LinearModel.from_json(model.to_json())
    assert again == model
    assert again.probability({"S@h": 1.0}) == pytest.approx(0.5)
    assert again.explain({"bạo": 1.0, "S@h": 3.0, "khác": 1.0}) == [("S@h", 6.0), ("bạo", 1.5)]
    with pytest.raises(ValueError):
        LinearModel.from_json("[]")


def test_score_is_a_probability_and_on_topic_its_threshold() -> None:
    texts = [f"{h}\n{s}" for h, s, _ in ON_TOPIC] + [f"{h}\n{s}" for h, s in OFF_TOPIC]
    verdicts = [classify(t) for t in texts]
    assert all(0.0 <= v.score <= 1.0 and v.on_topic == (v.score >= THRESHOLD) for v in verdicts)
    assert relevance(texts[0]) == verdicts[0].score


def test_extraction_carries_the_verdict() -> None:
    title = "Khởi tố đối tượng hiếp dâm bé gái 12 tuổi"
    extraction = extract(f"{title}\nCông an huyện đã bắt giữ nghi phạm.", title=title, segment=False)
    assert extraction.on_topic and extraction.relevance >= RULE_SCORE
    assert {"sexual_violence", "child_sexual_abuse"} <= set(extraction.topics)
    off = extract("Giá vàng hôm nay tăng mạnh\nGiá vàng miếng tăng 500.000 đồng.", segment=False)
    assert not off.on_topic and off.topics == []
