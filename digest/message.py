"""The digest email: MIME structure, headers, and the previews ``newsmon digest --dry-run`` writes.

    multipart/alternative
    ├── text/plain; charset=utf-8
    └── multipart/related
        ├── text/html; charset=utf-8      (<img src="cid:chart-…">)
        └── image/png                     (Content-ID: <chart-…>, inline)

The subject is RFC 2047 encoded by ``email.policy.SMTP``; List-Unsubscribe and
List-Unsubscribe-Post make the unsubscribe one click (RFC 8058).
"""

from __future__ import annotations

import base64
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr

from digest.build import Digest
from digest.chart import coverage_png
from digest.render import render_digest
from newsmon.settings import Settings

__all__ = ["build_message", "preview_html"]


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "newsmon.local"


def build_message(digest: Digest, settings: Settings, *, message_id: str, unsubscribe_link: str,
                  now: datetime) -> EmailMessage:
    """The complete email for ``digest``, addressed to its subscriber."""
    cid = make_msgid("chart", domain=_domain(settings.smtp_from))
    rendered = render_digest(digest, unsubscribe_link=unsubscribe_link, public_url=settings.public_url,
                             chart_cid=cid[1:-1])
    message = EmailMessage(policy=SMTP)
    message["Subject"] = rendered.subject
    message["From"] = settings.smtp_from
    message["To"] = Address(addr_spec=digest.subscription.email)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["List-Unsubscribe"] = f"<{unsubscribe_link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(rendered.text, charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    html_part = message.get_payload()[1]
    kind = "ngày" if digest.subscription.frequency == "daily" else "tuần"
    png = coverage_png(digest.coverage, f"Số bài theo {kind}")
    html_part.add_related(png, "image", "png", cid=cid, disposition="inline", filename="bieu-do.png")
    return message


def preview_html(message: EmailMessage) -> str:
    """The HTML body with every ``cid:`` image inlined as a data URI, to open in a browser."""
    html_part = message.get_body(preferencelist=("html",))
    if html_part is None:
        raise ValueError("the message has no HTML body")
    html = html_part.get_content()
    for part in message.walk():
        content_id = part.get("Content-ID")
        if content_id and part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_content()).decode("ascii")
            html = html.replace(f"cid:{content_id.strip('<>')}", f"data:{part.get_content_type()};base64,{data}")
    return html
