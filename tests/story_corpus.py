"""Invented news items for the story tests: a background of unrelated news (as a store holds
around any story) and helpers that key and assign articles. Every headline here is made up."""

from __future__ import annotations

from datetime import date, timedelta

from nlp.pipeline import extract
from nlp.stories import StoryIndex, story_features

DAY = date(2026, 3, 10)

# Ordinary news of a fortnight: weather, economy, schools, health, traffic, other crimes, sport,
# and gender-related items about other matters, so that topic words are as common as in a real store.
BACKGROUND: list[tuple[str, str]] = [
    ("Miền Bắc đón đợt không khí lạnh mới, vùng núi có nơi dưới 8 độ C",
     "Trung tâm Dự báo khí tượng thủy văn quốc gia cho biết không khí lạnh sẽ ảnh hưởng đến các tỉnh miền Bắc."),
    ("Giá vàng miếng tăng mạnh phiên đầu tuần",
     "Giá vàng miếng trong nước sáng nay tăng thêm 800.000 đồng mỗi lượng so với cuối tuần trước."),
    ("Hà Nội công bố phương án tuyển sinh lớp 10 năm học mới",
     "Sở Giáo dục và Đào tạo Hà Nội giữ ổn định ba môn thi vào lớp 10 công lập."),
    ("Xe tải lật trên quốc lộ, giao thông ùn tắc nhiều giờ",
     "Chiếc xe tải chở vật liệu xây dựng bị lật khi xuống dốc, tài xế bị thương nhẹ."),
    ("Khởi tố nhóm đối tượng lừa đảo qua mạng chiếm đoạt 12 tỷ đồng",
     "Công an thành phố Hải Phòng đã khởi tố 7 bị can giả danh nhân viên ngân hàng để lừa đảo."),
    ("Đội tuyển bóng đá nữ Việt Nam hội quân chuẩn bị vòng loại châu Á",
     "Ban huấn luyện triệu tập 26 cầu thủ cho đợt tập trung kéo dài ba tuần."),
    ("Bệnh viện tuyến tỉnh quá tải vì bệnh nhân sốt xuất huyết tăng",
     "Số ca mắc sốt xuất huyết trong tháng tăng gấp đôi cùng kỳ, nhiều khoa phải kê thêm giường."),
    ("Xuất khẩu cà phê quý I đạt kỷ lục",
     "Kim ngạch xuất khẩu cà phê ba tháng đầu năm tăng mạnh nhờ giá thế giới ở mức cao."),
    ("Hội Liên hiệp Phụ nữ tỉnh Bình Định tập huấn kỹ năng số cho hội viên",
     "Lớp tập huấn giúp hội viên phụ nữ nông thôn bán nông sản trên các sàn thương mại điện tử."),
    ("Phụ nữ khởi nghiệp với mô hình trồng nấm sạch ở Tây Ninh",
     "Chị em trong tổ hợp tác được vay vốn ưu đãi để mở rộng nhà nấm và bao tiêu sản phẩm."),
    ("Cháy nhà kho chứa hàng ở Bình Dương, thiệt hại hàng tỷ đồng",
     "Ngọn lửa bùng phát lúc rạng sáng, lực lượng chữa cháy mất hai giờ mới khống chế được."),
    ("Tăng cường phòng chống bạo lực học đường trong các trường phổ thông",
     "Bộ Giáo dục và Đào tạo yêu cầu các trường thành lập tổ tư vấn tâm lý cho học sinh."),
    ("Bắt đối tượng trộm cắp xe máy liên tỉnh",
     "Công an huyện đã bắt giữ đối tượng chuyên trộm xe máy tại các khu công nghiệp."),
    ("Ngân hàng Nhà nước điều chỉnh lãi suất điều hành",
     "Mức lãi suất tái cấp vốn được giữ nguyên, lãi suất cho vay qua đêm giảm nhẹ."),
    ("Đề xuất tăng lương tối thiểu vùng từ đầu năm sau",
     "Hội đồng Tiền lương quốc gia họp phiên thứ nhất bàn phương án điều chỉnh lương tối thiểu."),
    ("Tai nạn giao thông giảm trong dịp nghỉ lễ",
     "Cục Cảnh sát giao thông cho biết số vụ tai nạn giảm so với cùng kỳ năm trước."),
    ("Khánh thành cầu dân sinh ở xã vùng sâu Quảng Nam",
     "Cây cầu dài 60 mét giúp hơn 300 hộ dân đi lại thuận tiện trong mùa mưa lũ."),
    ("Học sinh Việt Nam giành 4 huy chương vàng Olympic Tin học châu Á",
     "Đoàn học sinh Việt Nam xếp thứ ba toàn đoàn tại kỳ thi năm nay."),
    ("Nữ bác sĩ trẻ nhận giải thưởng nghiên cứu về bệnh tim bẩm sinh",
     "Công trình của nhóm nghiên cứu giúp phát hiện sớm dị tật tim ở trẻ sơ sinh."),
    ("Triệt phá đường dây đánh bạc qua mạng quy mô lớn",
     "Công an tỉnh Thanh Hóa bắt 12 đối tượng tổ chức đánh bạc qua ứng dụng trực tuyến."),
    ("Mưa lớn gây sạt lở đất tại Hà Giang, nhiều tuyến đường bị chia cắt",
     "Chính quyền địa phương đã sơ tán các hộ dân ở khu vực có nguy cơ sạt lở cao."),
    ("Giá xăng dầu giảm nhẹ trong kỳ điều hành mới",
     "Liên Bộ Công Thương - Tài chính điều chỉnh giá bán lẻ xăng dầu từ 15 giờ chiều nay."),
    ("Khai mạc hội chợ nông sản vùng Đồng bằng sông Cửu Long",
     "Hơn 200 gian hàng giới thiệu trái cây, thủy sản và sản phẩm OCOP của các tỉnh."),
    ("Tư vấn pháp luật miễn phí cho phụ nữ dân tộc thiểu số",
     "Các luật sư tình nguyện giải đáp thắc mắc về hôn nhân, đất đai và quyền thừa kế."),
    ("Phát hiện cơ sở sản xuất nước giải khát không rõ nguồn gốc",
     "Đoàn kiểm tra liên ngành tạm giữ hơn 3.000 chai nước ngọt không có nhãn mác."),
    ("Hơn 1.000 thanh niên tham gia ngày hội hiến máu tình nguyện",
     "Ban tổ chức tiếp nhận hơn 900 đơn vị máu bổ sung cho ngân hàng máu khu vực."),
    ("Tòa tuyên án vụ tham ô tài sản tại công ty cấp nước",
     "Nguyên giám đốc công ty bị tuyên phạt 9 năm tù về tội tham ô tài sản."),
    ("Vận động viên Việt Nam phá kỷ lục quốc gia môn điền kinh",
     "Nữ vận động viên giành huy chương vàng nội dung 400 mét tại giải vô địch quốc gia."),
    ("Tuyên truyền phòng chống mua bán người cho học sinh vùng biên",
     "Các buổi ngoại khóa giúp học sinh nhận biết thủ đoạn dụ dỗ việc nhẹ lương cao."),
    ("Trẻ em được tiêm vắc xin sởi miễn phí trong đợt chiến dịch",
     "Ngành y tế triển khai tiêm bổ sung cho trẻ từ 1 đến 5 tuổi tại các trạm y tế xã."),
    ("Ùn tắc kéo dài trên cao tốc do sửa chữa mặt đường",
     "Đơn vị quản lý khuyến cáo người dân chọn tuyến đường khác trong thời gian thi công."),
    ("Nông dân trúng mùa lúa đông xuân, giá bán ổn định",
     "Năng suất lúa đạt trung bình 7 tấn mỗi héc-ta, thương lái thu mua tận ruộng."),
    ("Phạt nặng hành vi quảng cáo thực phẩm chức năng sai sự thật",
     "Cục An toàn thực phẩm xử phạt hai công ty quảng cáo sản phẩm như thuốc chữa bệnh."),
    ("Mở lớp dạy bơi miễn phí cho trẻ em dịp hè",
     "Đoàn thanh niên phối hợp các trường tổ chức lớp dạy bơi an toàn cho học sinh tiểu học."),
    ("Bắt giữ nghi phạm cướp tiệm vàng",
     "Chỉ sau 10 giờ gây án, nghi phạm đã bị lực lượng công an bắt giữ khi đang lẩn trốn."),
    ("Hội nghị xúc tiến đầu tư thu hút nhiều doanh nghiệp nước ngoài",
     "Tỉnh trao giấy chứng nhận đầu tư cho 15 dự án với tổng vốn hơn 2 tỷ USD."),
]


# One trafficking bust told by three outlets, and another bust in another province that week.
BUST = [
    ("lc1", 0, "Lào Cai: Triệt phá đường dây mua bán người qua biên giới, bắt 5 đối tượng",
     "Ngày 9/3, Công an tỉnh Lào Cai cho biết đã triệt phá một đường dây mua bán người qua biên giới, "
     "bắt giữ 5 đối tượng, giải cứu 4 phụ nữ bị lừa bán sang Trung Quốc."),
    ("lc2", 0, "Giải cứu 4 phụ nữ bị lừa bán sang Trung Quốc làm vợ",
     "Phòng Cảnh sát hình sự Công an tỉnh Lào Cai vừa bắt 5 đối tượng trong đường dây mua bán người, "
     "giải cứu bốn nạn nhân bị đưa qua biên giới."),
    ("lc3", 1, "Bắt 5 nghi phạm lừa bán phụ nữ qua biên giới ở Lào Cai",
     "Năm đối tượng bị bắt giữ khi đang đưa các nạn nhân qua biên giới; 4 phụ nữ đã được giải cứu an toàn."),
]
OTHER_BUST = [
    ("cb1", 2, "Cao Bằng: Bắt 3 đối tượng mua bán người, giải cứu 2 thiếu nữ",
     "Công an tỉnh Cao Bằng vừa triệt phá đường dây mua bán người qua biên giới, bắt 3 đối tượng và giải cứu "
     "2 thiếu nữ bị lừa bán."),
    ("cb2", 2, "Triệt phá đường dây mua bán người qua biên giới, bắt giữ 3 đối tượng",
     "Công an tỉnh Cao Bằng cho biết đã bắt giữ 3 đối tượng, giải cứu hai thiếu nữ 16 tuổi bị đưa sang Trung Quốc."),
]
# A draft rule, then a retelling of it some days later by another outlet.
DRAFT = ("dr1", "Đề xuất cấm quảng cáo sữa cho trẻ dưới 36 tháng tuổi",
         "Bộ Y tế đang lấy ý kiến dự thảo Nghị định sửa đổi Nghị định 100/2014/NĐ-CP, trong đó đề xuất cấm quảng cáo "
         "sản phẩm dinh dưỡng cho trẻ dưới 36 tháng tuổi.")
DRAFT_LATER = ("dr2", "Trẻ dưới 36 tháng tuổi có được bảo vệ khỏi quảng cáo sữa?",
               "Bộ Y tế đề xuất cấm quảng cáo sữa và sản phẩm dinh dưỡng cho trẻ dưới 36 tháng tuổi trong dự thảo sửa "
               "đổi nghị định, thay vì 24 tháng như hiện nay.")
# Two provinces launch the same campaign on the same morning; a second outlet retells one launch.
LAUNCHES = [
    ("qn1", 0, "Quảng Ngãi phát động Tháng hành động vì bình đẳng giới năm 2026",
     "Sáng 15/11, UBND tỉnh Quảng Ngãi tổ chức lễ phát động Tháng hành động vì bình đẳng giới và phòng, chống bạo "
     "lực trên cơ sở giới năm 2026 với sự tham gia của 500 đại biểu."),
    ("ht1", 0, "Hà Tĩnh phát động Tháng hành động vì bình đẳng giới năm 2026",
     "Sáng 15/11, UBND tỉnh Hà Tĩnh tổ chức lễ phát động Tháng hành động vì bình đẳng giới và phòng, chống bạo lực "
     "trên cơ sở giới năm 2026."),
    ("qn2", 1, "500 đại biểu dự lễ phát động Tháng hành động vì bình đẳng giới ở Quảng Ngãi",
     "Phó Chủ tịch UBND tỉnh Quảng Ngãi kêu gọi các cấp, các ngành chung tay phòng, chống bạo lực trên cơ sở giới."),
]
# Two abuse cases in one province in one week, one of them reported twice.
CASES = [
    ("nx1", 0, "Khởi tố người đàn ông xâm hại bé gái 8 tuổi ở Nghệ An",
     "Công an huyện Quỳnh Lưu, tỉnh Nghệ An đã khởi tố bị can 45 tuổi về tội dâm ô đối với bé gái 8 tuổi là hàng xóm."),
    ("nx2", 1, "Bé gái 8 tuổi bị hàng xóm xâm hại, công an khởi tố bị can",
     "Người đàn ông 45 tuổi ở huyện Quỳnh Lưu bị khởi tố vì dâm ô bé gái 8 tuổi sống cạnh nhà."),
    ("ny1", 2, "Nghệ An: Bắt nghi phạm hiếp dâm nữ sinh 14 tuổi",
     "Công an huyện Yên Thành, tỉnh Nghệ An vừa bắt tạm giam nam thanh niên 20 tuổi về hành vi hiếp dâm người dưới "
     "16 tuổi."),
]


def story_keys(title: str, lead: str, day: date) -> frozenset[str]:
    """The story keys of an invented article (headline and lead), as the crawl would compute them."""
    text = f"{title}\n{lead}"
    extraction = extract(text, title=title, published_at=day, segment=False)
    return story_features(extraction, title, lead, day=day)


def background_index(index: StoryIndex | None = None, start: date = DAY - timedelta(days=7),
                     days: int = 21) -> StoryIndex:
    """An index holding the background news, spread over ``days`` days from ``start``."""
    index = StoryIndex() if index is None else index
    for n, (title, lead) in enumerate(BACKGROUND):
        day = start + timedelta(days=n % days)
        index.assign(f"bg{n:02d}", story_keys(title, lead, day), day)
    return index
