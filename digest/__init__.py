"""Digest emails: each subscriber's saved query, summarised for the past week (or day), by SMTP.

Modules: ``period`` (which days, when due, the Message-ID), ``build`` (the content, read from the
store), ``chart`` (the PNG), ``render`` (subject, text and HTML), ``message`` (the MIME email and
its browser preview), ``tokens`` (signed unsubscribe links), ``smtp`` (the connection and what its
errors mean) and ``send`` (the run).

Idempotency
-----------
The store keeps a send log keyed by (subscription id, period start): one ``Delivery`` record with a
state, the number of runs that claimed it, the last error and the Message-ID. A run, per subscription:

1. skips the period if its record is ``sent``, ``failed`` (permanent) or ``empty`` (nothing new);
2. builds the digest (read-only) and connects to SMTP, so an unreachable server or a bad login
   stops the run before anyone's record changes (``SendAborted``);
3. claims the record in one atomic store operation: created as ``claimed``, or re-claimed when it
   is ``retry`` or a ``claimed`` older than ``NEWSMON_DIGEST_LEASE_MINUTES`` (its sender died).
   Two concurrent runs (cron and ``newsmon watch``) never both get it;
4. sends, retrying transient failures (4xx, dropped connection) a few times, and records ``sent``,
   ``retry`` (the next run tries again, up to ``NEWSMON_DIGEST_MAX_ATTEMPTS`` runs) or ``failed``
   (5xx: permanent, with the server's reply).

So a run that is repeated sends nothing twice, and a run that dies between two messages leaves
the rest unclaimed for the next run: nobody is skipped.

The one window no SMTP client can close is a death after the server accepted the DATA and before
step 4 recorded ``sent``: the record stays ``claimed`` and, once the lease has passed, the next run
sends that digest again. We choose this (at least once) over marking it sent before sending (at
most once), because a lost digest is invisible to everyone while a repeat is visible and harmless,
and the repeat carries the same deterministic Message-ID (``<digest-<id>-<start>-<end>@domain>``),
which many mail stores and clients use to collapse duplicates. The window lasts as long as one
``SMTP DATA`` reply plus one SQLite commit.

A period with no matching article is recorded ``empty`` and not sent unless the subscription has
``send_empty``. Articles crawled after their period's digest was sent are not sent later.
"""
