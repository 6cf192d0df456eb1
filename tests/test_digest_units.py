"""Digest building blocks: periods and when they are due, numbers, subjects, tokens, filters."""

from __future__ import annotations

import smtplib
from datetime import date, datetime

import pytest

from digest.build import Digest
from digest.period import Period, due_period, last_complete_period, message_id_for, period_ending
from digest.render import subject_for, vn_day, vn_number
from newsmon.mail import classify
from newsmon.models import VN_TZ, Subscription
from newsmon.subscriptions import check_filters
from newsmon.tokens import InvalidToken, make_token, read_token, unsubscribe_url


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("frequency", "now", "weekday", "expected"),
    [
        ("weekly", vn(2024, 11, 25, 0, 0), 0, (date(2024, 11, 18), date(2024, 11, 25))),  # Monday midnight
        ("weekly", vn(2024, 11, 24, 23, 59), 0, (date(2024, 11, 11), date(2024, 11, 18))),  # Sunday night
        ("weekly", vn(2024, 11, 27, 12, 0), 0, (date(2024, 11, 18), date(2024, 11, 25))),
        ("weekly", vn(2024, 11, 27, 12, 0), 4, (date(2024, 11, 15), date(2024, 11, 22))),  # weeks end on Friday
        ("daily", vn(2024, 11, 25, 6, 0), 0, (date(2024, 11, 24), date(2024, 11, 25))),
        # 18:00 UTC on the 24th is already 01:00 on the 25th in Vietnam
        ("daily", datetime.fromisoformat("2024-11-24T18:00:00+00:00"), 0, (date(2024, 11, 24), date(2024, 11, 25))),
        ("weekly", vn(2025, 1, 6, 8, 0), 0, (date(2024, 12, 30), date(2025, 1, 6))),  # across the new year
    ],
)
def test_last_complete_period(frequency: str, now: datetime, weekday: int, expected: tuple[date, date]) -> None:
    assert last_complete_period(frequency, now, weekday) == Period(*expected)


def test_unknown_frequency_is_refused() -> None:
    with pytest.raises(ValueError, match="monthly"):
        last_complete_period("monthly", vn(2024, 11, 25, 8, 0))


@pytest.mark.parametrize(
    ("now", "created", "active", "due"),
    [
        (vn(2024, 11, 25, 6, 59), vn(2024, 1, 1, 0, 0), True, None),  # before the send hour
        (vn(2024, 11, 25, 7, 0), vn(2024, 1, 1, 0, 0), True, date(2024, 11, 18)),
        (vn(2024, 11, 28, 7, 0), vn(2024, 1, 1, 0, 0), True, date(2024, 11, 18)),  # late service still sends
        (vn(2024, 11, 25, 9, 0), vn(2024, 11, 25, 8, 0), True, None),  # subscribed after the week ended
        (vn(2024, 11, 25, 9, 0), vn(2024, 1, 1, 0, 0), False, None),  # unsubscribed
    ],
)
def test_due_period(now: datetime, created: datetime, active: bool, due: date | None) -> None:
    sub = Subscription(email="lan@example.vn", created_at=created, active=active)
    period = due_period(sub, now, weekday=0, hour=7)
    assert (period.start if period else None) == due


def test_period_helpers() -> None:
    week = period_ending("weekly", date(2024, 11, 25))
    assert week == Period(date(2024, 11, 18), date(2024, 11, 25))
    assert week.last_day == date(2024, 11, 24)
    assert week.previous() == Period(date(2024, 11, 11), date(2024, 11, 18))
    assert period_ending("daily", date(2024, 11, 25)).start == date(2024, 11, 24)
    assert message_id_for(7, week, "x.vn") == "<digest-7-20241118-20241125@x.vn>"


@pytest.mark.parametrize(("value", "text"), [(28867, "28.867"), (1_500_000, "1.500.000"), (1.5, "1,5"),
                                             (62.875, "62,88"), (0, "0"), (1234.5, "1.234,5")])
def test_vn_number(value: float, text: str) -> None:
    assert vn_number(value) == text


@pytest.mark.parametrize(("iso", "text"), [("2024-11-20", "20/11/2024"), ("2024-11", "11/2024"), ("", "")])
def test_vn_day(iso: str, text: str) -> None:
    assert vn_day(iso) == text


def test_subject_names_the_kind_dates_count_and_query() -> None:
    sub = Subscription(email="lan@example.vn", query="bình đẳng giới")
    week = Digest(sub, Period(date(2024, 11, 18), date(2024, 11, 25)), total=1234, previous_total=0)
    assert subject_for(week) == "Bản tin tuần 18/11–24/11/2024: 1.234 bài mới về “bình đẳng giới”"
    day = Digest(sub.model_copy(update={"frequency": "daily", "query": ""}),
                 Period(date(2024, 11, 24), date(2024, 11, 25)), total=0, previous_total=3)
    assert subject_for(day) == "Bản tin ngày 24/11/2024: 0 bài mới"


def test_token_round_trip_and_forgery() -> None:
    token = make_token(42, "secret")
    assert read_token(token, "secret") == 42
    with pytest.raises(InvalidToken):
        read_token(token, "another-secret")
    with pytest.raises(InvalidToken):
        read_token(make_token(43, "secret").split(".")[0] + "." + token.split(".")[1], "secret")
    with pytest.raises(InvalidToken):
        read_token("", "secret")
    assert unsubscribe_url("https://x.vn/", 42, "secret") == f"https://x.vn/unsubscribe?token={token}"


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"provinces": ["Hà Nội"], "has_figures": True}, None),
        ({"date_from": "2024-01-01"}, "unknown filter"),  # the period sets the dates
        ({"province": ["Hà Nội"]}, "unknown filter"),
        ({"has_figures": "perhaps"}, "has_figures"),
    ],
)
def test_check_filters(filters: dict[str, object], error: str | None) -> None:
    if error is None:
        assert check_filters(filters) == filters
    else:
        with pytest.raises(ValueError, match=error):
            check_filters(filters)


@pytest.mark.parametrize("email", ["not-an-address", "a@b", "a b@example.vn", "<a@example.vn>"])
def test_subscription_refuses_bad_addresses(email: str) -> None:
    with pytest.raises(ValueError, match="not an email address"):
        Subscription(email=email)


def test_subscription_normalises_address_and_query() -> None:
    sub = Subscription(email=" Lan@Example.VN ", query="hoà  bình")
    assert sub.email == "Lan@example.vn"
    assert sub.query == "hòa bình"


@pytest.mark.parametrize(
    ("error", "transient", "connection"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.vn": (550, b"5.1.1 no such user")}), False, False),
        (smtplib.SMTPRecipientsRefused({"a@x.vn": (452, b"4.2.2 mailbox full")}), True, False),
        (smtplib.SMTPDataError(451, b"4.3.0 try later"), True, False),
        (smtplib.SMTPDataError(554, b"5.7.1 rejected as spam"), False, False),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 bad credentials"), True, True),  # stop the run
        (smtplib.SMTPSenderRefused(553, b"5.7.1 not your address", "digest@x.vn"), True, True),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True, True),
        (ConnectionRefusedError(111, "Connection refused"), True, True),
    ],
)
def test_smtp_errors_are_classified(error: Exception, transient: bool, connection: bool) -> None:
    failure = classify(error)
    assert (failure.transient, failure.connection) == (transient, connection)
    assert failure.error
