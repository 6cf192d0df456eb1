"""Digest emails: each subscriber's saved query, summarised for the past week (or day), by SMTP.

Modules: ``period`` (which days, when due, the Message-ID), ``build`` (the content, read from the
store), ``chart`` (the PNG), ``render`` (subject, text and HTML), ``message`` (the MIME email and
its browser preview) and ``send`` (the run). Signed unsubscribe links (``newsmon.tokens``) and the SMTP
connection with what its errors mean (``newsmon.mail``) live in the core: the API uses them too.

Idempotency
-----------
The store keeps a send log keyed by (subscription id, period start): one ``Delivery`` record with a
state, the number of runs that claimed it, the last error and the Message-ID. A run, per subscription:

1. skips the period if its record is ``sent``, ``failed`` (permanent) or ``empty`` (nothing new);
2. builds the digest (read-only) and connects to SMTP, so an unreachable server or a bad login
   stops the run before anyone's record changes (``SendAborted``);
3. claims the record in one atomic store operation: created as ``claimed``, or re-claimed when it
   is ``retry``, ``ambiguous``, or a ``claimed`` whose lease has run out (its sender died). The lease
   (``NEWSMON_DIGEST_LEASE_MINUTES``, at least 5, and longer than one SMTP try may take) runs from
   the claim, on the real clock: a run that started long ago, or a ``--period-end`` in the past,
   never makes a fresh claim look stale. Two concurrent runs (cron and ``newsmon watch``) never both
   get a record;
4. sends, retrying transient failures (4xx, a connection lost before DATA) a few times, never
   starting a try that could outlast the lease, and records the outcome (waiting out a busy store).

Before any of this, a run refuses to start (``ConfigError``) with a default signing key or a
``NEWSMON_PUBLIC_URL`` readers cannot open (``newsmon.secrets``).

How a send can end
------------------
Every way is tested against a real SMTP server (aiosmtpd) that behaves that way
(``tests/test_digest_outcomes.py``, ``tests/test_digest_send.py``):

=========================================  ===================  ======================================
what happens                               recorded             what comes next
=========================================  ===================  ======================================
250 after DATA                             ``sent``             never sent again
nothing new in the period                  ``empty``            sent only with ``send_empty``
saved query or filter no longer valid      ``failed``           the error is kept; never sent
4xx at MAIL, RCPT or DATA, or the          (same claim)         tried again in this run (2 more tries);
connection lost before DATA                                     still failing: ``retry``, and a lost
                                                                connection or refused sender stops the run
still 4xx / lost after the tries           ``retry``            the next runs try again, up to
                                                                ``NEWSMON_DIGEST_MAX_ATTEMPTS`` runs
more runs than that                        ``failed``           "gave up after N runs"; never sent
5xx at RCPT or DATA                        ``failed``           never sent again; the rest go on
server unreachable, TLS or login refused   nothing              the run stops before claiming anyone
connection lost or timed out once DATA     ``ambiguous``        the run stops: never re-sent in the
was under way (the server may have it)                          same run; a later run sends it again
                                                                (same Message-ID), as for ``retry``
sender killed before the server's reply    ``claimed``          after the lease, a later run sends it
sender killed after the 250, before the    ``claimed``          after the lease, sent again with the
log said ``sent``                                               same Message-ID (see below)
store busy when the outcome is recorded    (waits, ~60 s)       recorded once the lock frees; if it
                                                                stays busy the run stops and the record
                                                                stays ``claimed`` until its lease ends
=========================================  ===================  ======================================

So a run that is repeated sends nothing twice, and a run that dies between two messages leaves
the rest unclaimed for the next run: nobody is skipped.

Two windows no SMTP client can close: a death after the server accepted the DATA and before the
log recorded ``sent``, and a connection that fails while the server holds the message (an
``ambiguous`` outcome). Both are sent again by a later run, never by the same one. We choose this
(at least once) over marking them sent (at most once), because a lost digest is invisible to
everyone while a repeat is visible and harmless, and the repeat carries the same deterministic
Message-ID (``<digest-<id>-<start>-<end>@domain>``), which many mail stores and clients use to
collapse duplicates. The first window lasts one SMTP DATA reply plus one SQLite commit; the second
needs a server that takes longer than ``NEWSMON_SMTP_DATA_TIMEOUT`` (600 s, RFC 5321's ten minutes)
to answer, or a connection cut at that moment.

A period with no matching article is recorded ``empty`` and not sent unless the subscription has
``send_empty``. Articles crawled after their period's digest was sent are not sent later, and
articles without a known publication date are in no period.
"""
