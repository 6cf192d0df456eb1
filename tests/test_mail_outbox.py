"""The mail outbox (``NEWSMON_MAIL_OUTBOX``): emails written as files instead of sent, as the demo does."""

from __future__ import annotations

from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default

import pytest

from newsmon.errors import ConfigError
from newsmon.mail import Mailer
from newsmon.secrets import public_url
from newsmon.settings import Settings


def _message(n: int) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "newsmon <a@newsmon.test>", "lan@example.vn", f"Thư {n}"
    message.set_content(f"Nội dung thư {n}, tiếng Việt có dấu.")
    return message


def test_every_message_becomes_its_own_file_and_no_server_is_asked(tmp_path) -> None:
    settings = Settings(_env_file=None, mail_outbox=tmp_path / "mail", smtp_port=9)  # nothing listens on 9
    with Mailer(settings) as mailer:
        for n in range(3):
            mailer.send(_message(n))
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 3
    subjects = {BytesParser(policy=default).parsebytes(f.read_bytes())["Subject"] for f in files}
    assert subjects == {"Thư 0", "Thư 1", "Thư 2"}


def test_a_local_public_url_is_fine_only_when_nothing_is_sent(tmp_path) -> None:
    local = "http://127.0.0.1:8000"
    with pytest.raises(ConfigError, match="points at this machine"):
        public_url(Settings(_env_file=None, public_url=local))
    assert public_url(Settings(_env_file=None, public_url=local, mail_outbox=tmp_path)) == local
