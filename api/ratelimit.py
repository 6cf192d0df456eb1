"""In-process rate limits: at most ``limit`` events per key in a sliding window.

The counts live in this process's memory: every worker of a server keeps its own, and a restart
forgets them (the README says what that means for several workers). ``client_key`` groups IPv6
clients by their /64, the block one subscriber line usually gets, so rotating addresses within it
does not multiply the limit.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["RateLimit", "client_key"]

MAX_KEYS = 100_000  # beyond this many keys, those with no recent event are forgotten first


class RateLimit:
    """At most ``limit`` events per key within ``window`` seconds, counted on ``clock`` (monotonic)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> int | None:
        """Count one event for ``key`` and return None, or, over the limit, count nothing and return
        the whole seconds until an event is allowed again."""
        now = self.clock()
        with self._lock:
            events = self._recent(key, now)
            if len(events) >= self.limit:
                return max(1, math.ceil(events[0] + self.window - now))
            events.append(now)
            if len(self._events) > MAX_KEYS:
                self._forget_idle(now)
            return None

    def give_back(self, key: str) -> None:
        """Uncount the latest event of ``key`` (it did not happen after all, e.g. the email was not sent)."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, events in self._events.items() if not events or events[-1] <= now - self.window]:
            del self._events[key]


def client_key(host: str | None) -> str:
    """The rate-limit key of a client address: the IPv4 address, an IPv6 address's /64, else the text."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
