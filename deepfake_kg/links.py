"""Which IRIs from data may become a link: http and https only (a `javascript:` or `data:` IRI stays text)."""

from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")


def is_web_link(value: object) -> bool:
    """True when `value` is an absolute http(s) IRI, safe as an href."""
    text = str(value).strip()
    try:
        return urlsplit(text).scheme.lower() in WEB_SCHEMES and not any(c in text for c in "\x00\t\n\r")
    except ValueError:
        return False
