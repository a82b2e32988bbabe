"""Scrapers: fetch provincial portals politely into a raw WARC archive (see issue 4)."""
