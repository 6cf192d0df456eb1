"""The ``newsmon`` Typer app and what its commands share: the consoles, ``--store`` and error exits.

Commands are registered by the modules of this package (``newsmon/cli/__init__.py`` imports them).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsmon.settings import get_settings

__all__ = ["StoreOpt", "app", "err", "fail", "out", "store_url"]

app = typer.Typer(
    help="newsmon: follow how the Vietnamese press covers gender-equality work.",
    no_args_is_help=True, rich_markup_mode="rich",
)
out = Console()
err = Console(stderr=True)

StoreOpt = Annotated[str | None, typer.Option("--store", help="Store URL (default: NEWSMON_STORE_URL).")]


def store_url(store: str | None) -> str:
    """The store URL a command uses: ``--store``, else ``NEWSMON_STORE_URL``."""
    return store or get_settings().store_url


def fail(error: object) -> typer.Exit:
    """Print ``error`` on one line of stderr (never wrapped, never read as markup); the Exit (status 2) to raise."""
    message = " ".join(str(error).split())
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    return typer.Exit(code=2)
