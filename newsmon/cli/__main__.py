"""``python -m newsmon.cli``: the same as the ``newsmon`` command."""

from newsmon.cli import app

app()
