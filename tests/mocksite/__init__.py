"""A mock outlet server for the crawler tests (see ``server.py``)."""
