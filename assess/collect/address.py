"""Provides store addresses: a file path (a SQLite store) or a postgresql:// URL (a PostgreSQL store), shown
with any password hidden.

    is_url("postgresql://hq:secret@db.example/assess")   # True
    shown("postgresql://hq:secret@db.example/assess")    # 'postgresql://hq:***@db.example/assess'
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

SCHEMES = ("postgresql", "postgres")
"""The URL schemes of a PostgreSQL store (libpq's own)."""

HIDDEN = "***"
"""What a password is shown as."""

_SECRET_PARAMS = {"password", "passfile", "sslpassword"}  # query parameters never shown


def is_url(address: str | Path) -> bool:
    """Whether a store address is a PostgreSQL URL (postgresql:// or postgres://), not a file path."""
    if isinstance(address, Path):
        return False
    scheme, sep, _rest = address.partition("://")
    return bool(sep) and scheme.lower() in SCHEMES


def store_address(text: str | Path) -> Path | str:
    """A store address as given (--store, $ASSESS_STORE): the URL itself, or the file path as a Path."""
    return text if isinstance(text, str) and is_url(text) else Path(text)


def shown(url: str) -> str:
    """The URL as messages show it: any password (in user:password@ or a password= parameter) replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not even a URL: show only its scheme
        return url.partition("://")[0] + "://" + HIDDEN
    netloc = parts.netloc
    user, at, hosts = netloc.rpartition("@")
    if at:
        name, colon, _password = user.partition(":")
        netloc = f"{name}:{HIDDEN}@{hosts}" if colon else netloc
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(k.lower() in _SECRET_PARAMS for k, _v in pairs):
            query = urlencode([(k, HIDDEN if k.lower() in _SECRET_PARAMS else v) for k, v in pairs], safe="/*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def secrets(url: str) -> list[str]:
    """The password(s) a URL carries (as written and decoded), to scrub from a server's or driver's message."""
    out = []
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]  # unreadable: scrub all of it
    user, at, _hosts = parts.netloc.rpartition("@")
    if at and ":" in user:
        out.append(user.partition(":")[2])
    out += [v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() in _SECRET_PARAMS]
    out += [unquote(s) for s in out]
    return sorted({s for s in out if s}, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """A message with every password the URL carries replaced by ***."""
    for secret in secrets(url):
        text = text.replace(secret, HIDDEN)
    return re.sub(r"(password\s*=\s*)\S+", r"\1" + HIDDEN, text, flags=re.IGNORECASE)
