"""The subscription and digest send-log behaviour every store engine must have.

Mixed into each engine's test class beside ``BackendContract``; the class provides a ``store`` fixture.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest

from newsmon.errors import StoreError
from newsmon.models import VN_TZ, Subscription
from newsmon.store.base import Store

NOW = datetime(2024, 11, 25, 7, 0, tzinfo=VN_TZ)
LEASE = timedelta(minutes=15)
WEEK = (date(2024, 11, 18), date(2024, 11, 25))


def _sub(email: str = "lan@example.vn", **extra: object) -> Subscription:
    return Subscription(email=email, query="bình đẳng giới", filters={"provinces": ["Hà Nội"]}, **extra)


class SubscriptionContract:
    """Subscriptions CRUD and the atomic claim of the send log (not collected on its own)."""

    def test_subscription_round_trip(self, store: Store) -> None:
        stored = store.add_subscription(_sub(frequency="daily", send_empty=True))
        assert stored.id is not None
        again = store.get_subscription(stored.id)
        assert again == stored
        assert again.filters == {"provinces": ["Hà Nội"]} and again.query == "bình đẳng giới"
        assert store.get_subscription(stored.id + 1000) is None

    def test_list_filters_by_email_and_state(self, store: Store) -> None:
        first = store.add_subscription(_sub())
        second = store.add_subscription(_sub("Mai@Example.vn", active=False))
        assert [s.id for s in store.list_subscriptions()] == [first.id, second.id]
        assert [s.id for s in store.list_subscriptions(email="MAI@example.VN")] == [second.id]
        assert [s.id for s in store.list_subscriptions(active=True)] == [first.id]
        assert [s.id for s in store.list_subscriptions(active=False)] == [second.id]

    def test_update_and_delete(self, store: Store) -> None:
        stored = store.add_subscription(_sub())
        changed = stored.model_copy(update={"active": False, "query": "bạo lực gia đình"})
        assert store.update_subscription(changed) == changed
        assert store.get_subscription(stored.id) == changed
        assert store.update_subscription(changed.model_copy(update={"id": stored.id + 1000})) is None
        store.claim_delivery(stored.id, *WEEK, "<m1@x>", now=NOW, lease=LEASE)
        assert store.delete_subscription(stored.id) is True
        assert store.get_subscription(stored.id) is None
        assert store.list_deliveries(stored.id) == []
        assert store.delete_subscription(stored.id) is False

    def test_claim_is_taken_once(self, store: Store) -> None:
        sub_id = store.add_subscription(_sub()).id
        first = store.claim_delivery(sub_id, *WEEK, "<m1@x>", now=NOW, lease=LEASE)
        assert (first.state, first.attempts, first.message_id, first.period_end) == ("claimed", 1, "<m1@x>", WEEK[1])
        assert store.claim_delivery(sub_id, *WEEK, "<other@x>", now=NOW + timedelta(minutes=1), lease=LEASE) is None
        assert store.get_delivery(sub_id, WEEK[0]).message_id == "<m1@x>"

    def test_stale_claim_is_taken_again(self, store: Store) -> None:
        sub_id = store.add_subscription(_sub()).id
        store.claim_delivery(sub_id, *WEEK, "<m1@x>", now=NOW, lease=LEASE)
        later = store.claim_delivery(sub_id, *WEEK, "<m1@x>", now=NOW + LEASE + timedelta(seconds=1), lease=LEASE)
        assert (later.state, later.attempts) == ("claimed", 2)

    @pytest.mark.parametrize(("state", "claimable"), [("retry", True), ("ambiguous", True), ("sent", False),
                                                      ("failed", False), ("empty", False)])
    def test_finished_states(self, store: Store, state: str, claimable: bool) -> None:
        sub_id = store.add_subscription(_sub()).id
        store.claim_delivery(sub_id, *WEEK, "<m1@x>", now=NOW, lease=LEASE)
        error = "451 busy" if state in ("retry", "ambiguous") else None
        done = store.finish_delivery(sub_id, WEEK[0], state, now=NOW, error=error)
        assert done.state == state
        assert store.get_delivery(sub_id, WEEK[0]).last_error == error
        again = store.claim_delivery(sub_id, *WEEK, "<m1@x>", now=NOW + timedelta(seconds=1), lease=LEASE)
        assert (again is not None) == claimable
        if claimable:
            assert again.attempts == 2

    def test_finishing_an_unknown_delivery_is_an_error(self, store: Store) -> None:
        with pytest.raises(StoreError):
            store.finish_delivery(999, WEEK[0], "sent", now=NOW)

    def test_periods_are_separate_records(self, store: Store) -> None:
        sub_id = store.add_subscription(_sub()).id
        other = store.add_subscription(_sub("mai@example.vn")).id
        next_week = (WEEK[1], WEEK[1] + timedelta(days=7))
        store.claim_delivery(sub_id, *WEEK, "<a@x>", now=NOW, lease=LEASE)
        assert store.claim_delivery(sub_id, *next_week, "<b@x>", now=NOW, lease=LEASE) is not None
        assert store.claim_delivery(other, *WEEK, "<c@x>", now=NOW, lease=LEASE) is not None
        assert [(d.subscription_id, d.period_start) for d in store.list_deliveries()] == [
            (sub_id, next_week[0]), (sub_id, WEEK[0]), (other, WEEK[0])]
        assert len(store.list_deliveries(sub_id)) == 2

    def test_concurrent_claims_have_one_winner(self, store: Store) -> None:
        sub_id = store.add_subscription(_sub()).id
        results: list[object] = []
        barrier = threading.Barrier(8)

        def claim() -> None:
            barrier.wait()
            results.append(store.claim_delivery(sub_id, *WEEK, "<m@x>", now=NOW, lease=LEASE))

        threads = [threading.Thread(target=claim) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r is not None for r in results) == 1
