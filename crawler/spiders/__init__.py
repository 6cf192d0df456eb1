"""crawler/spiders."""
