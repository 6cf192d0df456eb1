"""The digest commands through typer's runner on a real store: subscribe, list, unsubscribe, preview."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsmon.cli import app
from newsmon.store.sqlite import SqliteStore
from tests.digest_seed import PERIOD_END

runner = CliRunner()

@pytest.mark.parametrize("command", ["subscribe", "subscriptions", "unsubscribe", "digest"])
def test_commands_explain_themselves(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_subscribe_list_unsubscribe(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["subscribe", "lan@example.vn", "--query", "bình đẳng giới", "--province",
                                 "Hà Nội", "--daily", "--store", url])
    assert result.exit_code == 0, result.output
    runner.invoke(app, ["subscribe", "lan@example.vn", "--store", url])
    with SqliteStore(tmp_path / "cli.db") as store:
        first = store.get_subscription(1)
        assert (first.query, first.filters, first.frequency) == ("bình đẳng giới", {"provinces": ["Hà Nội"]}, "daily")
    listed = runner.invoke(app, ["subscriptions", "--store", url])
    assert "lan@example.vn" in listed.output and "daily" in listed.output
    gone = runner.invoke(app, ["unsubscribe", "LAN@example.vn", "--store", url])
    assert gone.exit_code == 0 and "unsubscribed 1, 2" in gone.output
    with SqliteStore(tmp_path / "cli.db") as store:
        assert store.list_subscriptions(active=True) == []
    assert runner.invoke(app, ["unsubscribe", "99", "--store", url]).exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["subscribe", "lan@example.vn", "--query", "(bạo lực"], "position"),
        (["subscribe", "not-an-address"], "not an email address"),
        (["digest"], "choose one of --dry-run or --send"),
        (["digest", "--dry-run", "--send"], "choose one of --dry-run or --send"),
    ],
)
def test_bad_input_is_refused_clearly(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--store", f"sqlite:///{tmp_path / 'cli.db'}"])
    assert result.exit_code == 2
    assert message in result.output


def test_dry_run_writes_previews_and_sends_nothing(digest_store: SqliteStore, tmp_path: Path) -> None:
    out = tmp_path / "previews"
    result = runner.invoke(app, ["digest", "--dry-run", "--out", str(out), "--period-end", PERIOD_END.isoformat(),
                                 "--store", f"sqlite:///{digest_store.path}"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"{i}-2024-11-18.{ext}" for i in (1, 2, 3) for ext in ("eml", "html")]
    message = message_from_bytes((out / "1-2024-11-18.eml").read_bytes(), policy=default)
    assert str(message["Subject"]).startswith("Bản tin tuần 18/11–24/11/2024")
    html = (out / "1-2024-11-18.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html and "cid:" not in html
    assert digest_store.list_deliveries() == []  # a preview is not a delivery
