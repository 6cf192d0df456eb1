"""The colours of newsmon's charts, shared by the web UI and the digest so a series looks the same in both."""

PALETTE = ("#7b2d8b", "#e07a1f", "#1f77b4", "#2a9d8f", "#d62828", "#6c757d", "#8d6e63")
