"""Name a failed request's reason, for the crawl report's failed-by-reason counters."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

__all__ = ["failure_reason"]

#: Exception types and the report's reason for them, checked in order.
FAILURE_REASONS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    ((TimeoutError, TCPTimedOutError), "timeout"),
    (DNSLookupError, "dns"),
    (ConnectionRefusedError, "connection_refused"),
    (CancelledError, "too_large"),
    ((ConnectionLost, ResponseFailed, ResponseNeverReceived), "connection_lost"),
)

#: Scrapy's own download exceptions (2.13+), by class name so older Scrapy still imports this.
FAILURE_NAMES: dict[str, str] = {
    "DownloadTimeoutError": "timeout", "CannotResolveHostError": "dns",
    "DownloadConnectionRefusedError": "connection_refused", "DownloadCancelledError": "too_large",
    "DownloadFailedError": "connection_lost", "ResponseDataLossError": "connection_lost",
}


def failure_reason(failure: Failure) -> str:
    """A short, stable reason for a failed request: ``http_404``, ``timeout``, ``robots``…"""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, IgnoreRequest):
        return "robots" if "robots" in str(error).lower() else "ignored"
    name = type(error).__name__
    if name in FAILURE_NAMES:
        return FAILURE_NAMES[name]
    if "maxsize" in str(error).lower():
        return "too_large"
    for types, reason in FAILURE_REASONS:
        if isinstance(error, types):
            return reason
    return name.lower()
