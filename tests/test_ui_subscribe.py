"""Subscribing to a digest from the web UI, through the app (TestClient) and a real SMTP server (aiosmtpd).

A search's form sends a confirmation email and stores nothing; the email's link opens a page whose button
creates the subscription once; forged, altered and expired links, cross-site posts, a server that is down
or refuses, and every rate limit get a Vietnamese page and send nothing more.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest

from api.ratelimit import RateLimit, client_key
from api.signup import SignupRequest, make_token
from newsmon.models import VN_TZ
from newsmon.store.base import SearchFilters
from newsmon.subscriptions import saved_filters, search_filters_of
from newsmon.tokens import make_token as unsubscribe_token
from tests.digest_seed import SECRET

SEARCH = "q=b%C3%ACnh+%C4%91%E1%BA%B3ng+gi%E1%BB%9Bi&source=baophunu.vn&topic=gender_equality&has_figures=true"
SAVED = {"sources": ["baophunu.vn"], "topics": ["gender_equality"], "has_figures": True}
LINK = re.compile(r"https://newsmon\.test/ui/subscribe/confirm\?token=\S+")


def ask(client, email: str = "lan@example.vn", frequency: str = "weekly", search: str = SEARCH, **headers: str):
    """Press the form's button: POST the email and frequency to the action URL of the search."""
    return client.post(f"/ui/subscribe?{search}", data={"email": email, "frequency": frequency}, headers=headers)


def link_in(message: EmailMessage) -> str:
    """The confirmation link of the plain-text part, as a path for the app under test."""
    found = LINK.search(message.get_body(("plain",)).get_content())
    assert found, "no confirmation link in the email"
    parts = urlsplit(found.group(0))
    return f"{parts.path}?{parts.query}"


def text_of(response) -> str:
    """The page's main text, without tags."""
    main = response.text.split("<main>", 1)[-1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_form_sends_a_vietnamese_confirmation_and_stores_nothing(signup_site) -> None:
    site = signup_site()
    response = ask(site.client, "Lan.Nguyen@Example.VN", "daily", SEARCH + "&date_from=2024-11-01&sort=date")
    assert response.status_code == 200
    assert "Đã gửi thư xác nhận tới Lan.Nguyen@example.vn" in text_of(response)
    assert site.store.list_subscriptions() == []
    [message] = site.inbox.messages
    assert site.inbox.recipients == [["Lan.Nguyen@example.vn"]]
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert str(message["Subject"]) == "Xác nhận đăng ký nhận bản tin newsmon"
    assert message["From"] == "newsmon <digest@newsmon.test>"
    text, html = (message.get_body((kind,)).get_content() for kind in ("plain", "html"))
    assert "hằng ngày" in text and "“bình đẳng giới”" in text and "Nguồn: baophunu.vn" in text
    assert "Chủ đề: Bình đẳng giới" in text and "Chỉ bài có số liệu" in text
    link = LINK.search(text).group(0)
    assert f'href="{link}"' in html and "“bình đẳng giới”" in html and "Nguồn: baophunu.vn" in html
    assert "2024-11-01" not in text  # a subscription keeps no dates: each period sets them


def test_the_link_asks_before_it_subscribes_then_subscribes_once(signup_site) -> None:
    site = signup_site()
    ask(site.client, frequency="daily")
    path = link_in(site.inbox.messages[0])

    page = site.client.get(path)  # what a mail scanner opening the link does: nothing is stored
    assert page.status_code == 200 and "Xác nhận đăng ký" in text_of(page)
    assert "lan@example.vn" in text_of(page) and site.store.list_subscriptions() == []

    done = site.client.post(path)
    assert done.status_code == 200 and "Đã đăng ký" in text_of(done) and "Hủy đăng ký" in text_of(done)
    [subscription] = site.store.list_subscriptions()
    assert (subscription.email, subscription.query, subscription.filters, subscription.frequency,
            subscription.active) == ("lan@example.vn", "bình đẳng giới", SAVED, "daily", True)

    again = site.client.post(path)
    assert again.status_code == 200 and "đã đăng ký bản tin này từ trước" in text_of(again)
    assert len(site.store.list_subscriptions()) == 1


def test_the_digest_sends_what_the_page_subscribed_to(signup_site) -> None:
    from digest.send import send_digests  # the two stages meet in the store; only the test uses both

    site = signup_site()
    ask(site.client, search="q=b%C3%ACnh+%C4%91%E1%BA%B3ng+gi%E1%BB%9Bi&source=baophunu.vn&has_figures=true")
    site.client.post(link_in(site.inbox.messages[0]))
    report = send_digests(site.store, site.settings, now=datetime(2024, 11, 18, 8, tzinfo=VN_TZ),
                          period_end=date(2024, 11, 18))
    assert len(report.sent) == 1 and not report.failed
    digest = site.inbox.messages[1]
    assert site.inbox.recipients[1] == ["lan@example.vn"]
    assert "Hà Giang phát động" in digest.get_body(("plain",)).get_content()  # the one match of the week


def test_off_topic_articles_are_saved_only_when_asked_for(signup_site) -> None:
    site = signup_site()
    ask(site.client, "lan@example.vn", search="q=t%E1%BA%A3o+h%C3%B4n&include_off_topic=true")
    ask(site.client, "minh@example.vn", search="q=t%E1%BA%A3o+h%C3%B4n")
    assert "Gồm cả bài ngoài chủ đề" in site.inbox.messages[0].get_body(("plain",)).get_content()
    for message in site.inbox.messages:
        site.client.post(link_in(message))
    saved = {s.email: s.filters for s in site.store.list_subscriptions()}
    assert saved == {"lan@example.vn": {"on_topic_only": False}, "minh@example.vn": {}}
    assert [search_filters_of(saved[e]).on_topic_only for e in ("lan@example.vn", "minh@example.vn")] == \
        [False, True]


def test_saved_filters_mean_the_search_they_came_from() -> None:
    searches = [SearchFilters(on_topic_only=True), SearchFilters(on_topic_only=False, sources=["a.vn"]),
                SearchFilters(on_topic_only=True, has_figures=False, include_duplicates=True, topics=["x"])]
    for filters in searches:
        dated = filters.model_copy(update={"date_from": date(2024, 1, 1)})
        assert search_filters_of(saved_filters(dated)) == filters
    assert saved_filters(searches[0]) == {}


def test_the_confirmed_page_links_a_working_unsubscribe(signup_site) -> None:
    site = signup_site()
    ask(site.client)
    done = site.client.post(link_in(site.inbox.messages[0]))
    stop = re.search(r'href="(/unsubscribe\?token=[^"]+)"', done.text).group(1)
    assert site.client.post(stop).status_code == 200
    assert [s.active for s in site.store.list_subscriptions()] == [False]


def test_a_second_request_for_the_same_search_adds_no_subscription(signup_site) -> None:
    site = signup_site()
    ask(site.client, frequency="weekly")
    site.client.post(link_in(site.inbox.messages[0]))
    same_filters_other_order = "q=b%C3%ACnh+%C4%91%E1%BA%B3ng+gi%E1%BB%9Bi&has_figures=true&topic=gender_equality" \
                               "&source=baophunu.vn"
    ask(site.client, frequency="daily", search=same_filters_other_order)
    changed = site.client.post(link_in(site.inbox.messages[1]))
    assert "Đã đăng ký lại" in text_of(changed)
    [subscription] = site.store.list_subscriptions()
    assert subscription.frequency == "daily"

    site.store.update_subscription(subscription.model_copy(update={"active": False}))  # unsubscribed since
    site.client.post(link_in(site.inbox.messages[1]))
    assert [(s.id, s.active) for s in site.store.list_subscriptions()] == [(subscription.id, True)]

    ask(site.client, search="q=b%C3%ACnh+%C4%91%E1%BA%B3ng+gi%E1%BB%9Bi")  # another search: its own subscription
    site.client.post(link_in(site.inbox.messages[2]))
    assert sorted(s.filters == {} for s in site.store.list_subscriptions()) == [False, True]


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_or_altered_links_get_a_vietnamese_400(signup_site, method: str) -> None:
    site = signup_site()
    ask(site.client)
    token = parse_qs(urlsplit(link_in(site.inbox.messages[0])).query)["token"][0]
    request = SignupRequest("mallory@example.vn", "", {}, "weekly")
    forged = [
        token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),  # the signature altered
        make_token(request, "another-key-of-twenty-chars"),  # signed by another server
        unsubscribe_token(1, SECRET),  # an unsubscribe token, signed by this server
        "", "garbage", "x" * 5000,
    ]
    for bad in forged:
        response = getattr(site.client, method)("/ui/subscribe/confirm", params={"token": bad})
        assert response.status_code == 400, bad[:40]
        assert "Liên kết xác nhận không hợp lệ" in text_of(response)
    assert site.store.list_subscriptions() == []


def test_an_expired_link_gets_a_vietnamese_410_and_a_recent_one_works(signup_site) -> None:
    site = signup_site()
    request = SignupRequest("lan@example.vn", "tảo hôn", {}, "weekly")
    old = make_token(request, SECRET, issued_at=time.time() - 3 * 86_400 - 60)
    for method in ("get", "post"):
        response = getattr(site.client, method)("/ui/subscribe/confirm", params={"token": old})
        assert response.status_code == 410 and "đã hết hạn" in text_of(response)
    assert site.store.list_subscriptions() == []
    recent = make_token(request, SECRET, issued_at=time.time() - 2 * 86_400)
    assert site.client.post("/ui/subscribe/confirm", params={"token": recent}).status_code == 200
    assert [s.query for s in site.store.list_subscriptions()] == ["tảo hôn"]


@pytest.mark.parametrize(("email", "frequency", "message"), [
    ("", "weekly", "Hãy nhập địa chỉ email"),
    ("   ", "weekly", "Hãy nhập địa chỉ email"),
    ("lan@", "weekly", "không phải một địa chỉ email"),
    ("lan@example.vn\r\nBcc: x@example.vn", "weekly", "không phải một địa chỉ email"),
    ("lân@example.vn", "weekly", "phần trước @ phải là chữ không dấu"),
    ("a" * 250 + "@example.vn", "weekly", "không quá 254 ký tự"),
    ("lan@example.vn", "hourly", "hằng tuần hoặc hằng ngày"),
])
def test_a_bad_address_or_frequency_shows_the_form_again(signup_site, email: str, frequency: str,
                                                        message: str) -> None:
    site = signup_site()
    response = ask(site.client, email, frequency)
    assert response.status_code == 422 and message in text_of(response)
    assert 'name="email"' in response.text and f'action="/ui/subscribe?{SEARCH}"'.replace("&", "&amp;") in response.text
    assert site.inbox.messages == []


def test_an_international_domain_is_sent_as_punycode(signup_site) -> None:
    site = signup_site()
    assert ask(site.client, "lan@bộ.vn").status_code == 200
    assert site.inbox.recipients == [["lan@xn--b-8xm.vn"]]


def test_a_query_that_does_not_parse_is_a_400_and_sends_nothing(signup_site) -> None:
    site = signup_site()
    response = ask(site.client, search="q=%28b%C3%ACnh+%C4%91%E1%BA%B3ng")
    assert response.status_code == 400 and "Truy vấn không hợp lệ" in response.text
    bad_filter = ask(site.client, search="q=x&event_type=party")
    assert bad_filter.status_code == 422
    assert site.inbox.messages == []


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "https://evil.example"}, {"Origin": "null"}])
def test_a_cross_site_post_is_refused(signup_site, headers: dict[str, str]) -> None:
    site = signup_site()
    response = ask(site.client, **headers)
    assert response.status_code == 403 and "Yêu cầu bị từ chối" in text_of(response)
    assert site.inbox.messages == []
    assert ask(site.client, **{"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}).status_code == 200


def test_five_requests_per_client_address_per_hour(signup_site) -> None:
    site = signup_site()
    for n in range(5):
        assert ask(site.client, f"reader{n}@example.vn").status_code == 200
    refused = ask(site.client, "reader5@example.vn")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "Quá nhiều yêu cầu đăng ký" in text_of(refused) and "thử lại sau khoảng 60 phút" in text_of(refused)
    assert len(site.inbox.messages) == 5
    assert ask(site.client_from("203.0.113.9"), "reader5@example.vn").status_code == 200  # another client


def test_three_confirmation_emails_per_address_per_day(signup_site) -> None:
    site = signup_site()
    for n in range(3):
        assert ask(site.client_from(f"203.0.113.{n}"), "lan@example.vn").status_code == 200
    refused = ask(site.client_from("198.51.100.1"), "LAN@example.vn")
    assert refused.status_code == 429 and 3600 < int(refused.headers["Retry-After"]) <= 86_400
    assert "giờ" in text_of(refused)
    assert len(site.inbox.by_recipient()["lan@example.vn"]) == 3 and len(site.inbox.messages) == 3
    assert ask(site.client_from("198.51.100.1"), "minh@example.vn").status_code == 200


def test_confirmation_emails_per_process_per_hour(signup_site) -> None:
    site = signup_site(signup_emails_per_hour=2)
    assert [ask(site.client_from(f"203.0.113.{n}"), f"r{n}@example.vn").status_code for n in range(3)] == \
        [200, 200, 429]
    assert len(site.inbox.messages) == 2
    assert ask(site.client_from("203.0.113.2"), "r2@example.vn").status_code == 429  # its address was not counted


def test_an_smtp_server_that_is_down_gets_a_503_page_and_nothing_is_created(signup_site) -> None:
    site = signup_site(smtp=False)
    response = ask(site.client)
    assert response.status_code == 503 and "Không gửi được thư xác nhận" in text_of(response)
    assert "lan@example.vn" in text_of(response) and response.headers["Retry-After"]
    assert site.store.list_subscriptions() == []


def test_a_refused_email_gets_a_503_and_does_not_use_up_the_address_limit(signup_site) -> None:
    site = signup_site(signup_per_email_day=1)
    site.inbox.replies = ["554 5.7.1 rejected by policy"]
    refused = ask(site.client)
    assert refused.status_code == 503 and "Không gửi được thư xác nhận" in text_of(refused)
    assert site.inbox.messages == [] and site.store.list_subscriptions() == []
    assert ask(site.client).status_code == 200  # the failed one was given back
    assert ask(site.client).status_code == 429
    assert len(site.inbox.messages) == 1


@pytest.mark.parametrize("public_url", ["http://127.0.0.1:8000", "not a url", "http://newsmon.local"])
def test_no_confirmation_leaves_while_links_would_not_open(signup_site, public_url: str) -> None:
    site = signup_site(public_url=public_url)
    response = ask(site.client)
    assert response.status_code == 503 and "chưa được cấu hình để gửi thư" in text_of(response)
    assert public_url not in response.text  # the log, not the page, says which setting
    assert site.inbox.messages == []


def test_the_search_page_has_the_form_with_the_search_in_its_action(signup_site) -> None:
    site = signup_site()
    page = site.client.get(f"/?{SEARCH}&sort=date&date_from=2024-01-01&page=2")
    action = re.search(r'<form class="subscribe-form" method="post" action="([^"]+)"', page.text).group(1)
    query = parse_qs(urlsplit(action.replace("&amp;", "&")).query)
    assert urlsplit(action).path == "/ui/subscribe"
    assert query == {"q": ["bình đẳng giới"], "source": ["baophunu.vn"], "topic": ["gender_equality"],
                     "has_figures": ["true"]}
    assert "Nhận bản tin qua email" in page.text


def test_the_form_page_shows_what_would_be_saved(signup_site) -> None:
    site = signup_site()
    page = site.client.get(f"/ui/subscribe?{SEARCH}&source=&province=")  # blank fields are absent
    assert page.status_code == 200
    assert "Nguồn: baophunu.vn" in text_of(page) and "Tỉnh/thành" not in text_of(page)


def test_rate_limit_counts_a_sliding_window_and_gives_back() -> None:
    now = [1000.0]
    limit = RateLimit(2, 60, clock=lambda: now[0])
    assert limit.take("a") is None and limit.take("a") is None
    assert limit.take("a") == 60 and limit.take("b") is None
    now[0] += 30
    assert limit.take("a") == 30
    limit.give_back("a")
    assert limit.take("a") is None and limit.take("a") == 30
    now[0] += 30
    assert limit.take("a") is None  # the first two left the window


def test_client_keys_group_an_ipv6_subscriber_line() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:203.0.113.5") == "203.0.113.5" == client_key("203.0.113.5")
    assert client_key(None) == "unknown" and client_key("testclient") == "testclient"


def test_hostile_form_bodies_get_a_4xx_and_send_nothing(signup_site) -> None:
    site = signup_site()
    url = f"/ui/subscribe?{SEARCH}"
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert site.client.post(url, content=b"email=" + b"a" * 5000, headers=form).status_code == 413
    assert site.client.post(url, content=b"email=\xff\xfe%00&frequency=\x00", headers=form).status_code == 422
    assert site.client.post(url, content=b'{"email": "lan@example.vn"}',
                            headers={"content-type": "application/json"}).status_code == 422
    repeated = site.client.post(url, content=b"email=&email=lan@example.vn&email=minh@example.vn", headers=form)
    assert repeated.status_code == 200 and site.inbox.recipients == [["lan@example.vn"]]  # the first filled one
