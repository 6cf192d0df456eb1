"""Keywords from word segmentation: compounds whole; generic words, places and people left out."""

from nlp.keywords import keywords
from nlp.normalize import sentences
from nlp.pipeline import extract

TEXT = (
    "Đà Nẵng phòng chống bạo lực gia đình\n"
    "Sáng nay, thành phố Đà Nẵng tổ chức hội nghị về phòng chống bạo lực gia đình. "
    "Bà Nguyễn Thị Hà cho biết các vụ bạo lực gia đình giảm nhờ mô hình địa chỉ tin cậy. "
    "Mỗi địa chỉ tin cậy tiếp nhận phụ nữ bị bạo lực gia đình và hỗ trợ họ."
)


def test_keywords_merge_compounds_and_skip_generic_words() -> None:
    found = keywords(sentences(TEXT), title_end=TEXT.index("\n"))
    assert found[0] == "bạo lực gia đình"
    assert "địa chỉ tin cậy" in found
    assert "tổ chức" not in found and "cho biết" not in found


def test_pipeline_keywords_leave_out_places_and_people() -> None:
    ext = extract(TEXT, title=TEXT.split("\n")[0])
    assert "bạo lực gia đình" in ext.keywords
    assert not any("Đà Nẵng" in k or "đà nẵng" in k or "Nguyễn" in k for k in ext.keywords)
    assert extract(TEXT, title=TEXT.split("\n")[0], segment=False).keywords == []
