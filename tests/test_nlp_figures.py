"""Figure detection: what counts as a reported quantity and what does not."""

import pytest

from nlp.figures import find_figures


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "span"),
    [
        ("Năm nay có 1.250 hộ gia đình được hỗ trợ.", 1250, "hộ gia đình", "1.250 hộ gia đình"),
        ("Tỷ lệ nữ đạt 45,5% tổng số.", 45.5, "%", "đạt 45,5%"),
        ("Quỹ đã giải ngân 2,3 tỷ đồng cho hội viên.", 2_300_000_000, "đồng", "2,3 tỷ đồng"),
        ("Đơn vị trao gần 80 triệu đồng tiền mặt.", 80_000_000, "đồng", "gần 80 triệu đồng"),
        ("Có hơn 300 học sinh tham dự.", 300, "học sinh", "hơn 300 học sinh"),
        ("Xã có 04 câu lạc bộ mới.", 4, "câu lạc bộ mới", "04 câu lạc bộ mới"),
        ("Hội đã tổ chức hai buổi nói chuyện.", 2, "buổi nói chuyện", "hai buổi nói chuyện"),
        ("Kết quả có hai mươi lăm người đăng ký.", 25, "người đăng ký", "hai mươi lăm người đăng ký"),
        ("Có 7.000.000 đồng được trao.", 7_000_000, "đồng", "7.000.000 đồng"),
        ("Tỷ lệ tăng 3,2% so với cùng kỳ.", 3.2, "%", "tăng 3,2%"),
    ],
)
def test_figures(sentence: str, value: float, unit: str, span: str) -> None:
    figures = find_figures(sentence)
    assert len(figures) == 1
    figure = figures[0]
    assert figure.value == pytest.approx(value)
    assert figure.unit == unit
    assert sentence[figure.start:figure.end] == span


def test_fraction_gives_two_figures() -> None:
    figures = find_figures("Số nữ trúng cử là 12/30 ủy viên.")
    assert [f.value for f in figures] == [12, 30]
    assert {f.unit for f in figures} == {"ủy viên"}


def test_range_shares_unit_and_multiplier() -> None:
    figures = find_figures("Mỗi hộ được vay từ 20 đến 50 triệu đồng.")
    assert [f.value for f in figures] == [20_000_000, 50_000_000]
    assert {f.unit for f in figures} == {"đồng"}


def test_range_of_percentages() -> None:
    figures = find_figures("Tỷ lệ dao động từ 16% đến 58%.")
    assert [f.value for f in figures] == [16, 58]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ngày 20/10/2023, hội nghị diễn ra.",
        "Sáng 8/3, hội viên tập trung tại nhà văn hóa.",
        "Chương trình giai đoạn 2021-2030 đã được phê duyệt.",
        "Theo Kế hoạch số 112/KH-UBND của tỉnh.",
        "Nội dung thuộc Dự án 8 của chương trình.",
        "Thực hiện Chỉ thị 21 của Ban Bí thư.",
        "Năm 2023 là năm bản lề.",
        "Đại hội lần thứ 3 đã thành công.",
        "Hội nghị lần 2 bàn về nhân sự.",
        "Buổi lễ bắt đầu lúc 07 giờ 30 phút.",
        "Đại biểu Quốc hội khóa 15 tiếp xúc cử tri.",
        "Ảnh chụp IMG_2041.jpg được đăng tải.",
        "Hội nghị tổ chức tại Quận 3 và phường 12.",
        "Hưởng ứng Ngày quốc tế phụ nữ (8/3), hội viên tham gia.",
        "Một số hộ còn khó khăn.",
        "Năm người đã đến muộn.",
        "Từ ngày 5 đến 12-4, các xã ra quân.",
        "Dịch Covid-19 ảnh hưởng nhiều mặt.",
        "Cập nhật lúc 10:45, thứ Hai.",
    ],
)
def test_not_figures(sentence: str) -> None:
    assert find_figures(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    ["Trong 6 tháng đầu năm, hội phát triển mạnh.", "Sau 3 năm qua, mô hình duy trì tốt.",
     "Chỉ tiêu đạt ở cả 3 cấp."],
)
def test_borderline_figures_are_optional(sentence: str) -> None:
    figures = find_figures(sentence)
    assert figures and all(f.optional for f in figures)
