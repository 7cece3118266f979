"""Provides store addresses: a file path (a SQLite store) or a postgresql:// URL (a PostgreSQL store), read the
same way by every command, anything that looks like another kind of address refused, and shown with any password
hidden.

    store_address("hq.sqlite")                              # Path('hq.sqlite')
    store_address("POSTGRESQL://hq@db.example/assess")      # 'postgresql://hq@db.example/assess'
    store_address("host=db.example dbname=assess")         # StoreError E529: not a PostgreSQL address
    shown("postgresql://hq:secret@db.example/assess")       # 'postgresql://hq:***@db.example/assess'

What is refused (E529) rather than taken for a file name, since a desk that mistyped the server's address would
otherwise collect into a new SQLite file believing it wrote to the server: a URL of another scheme (a word of two
or more letters, a colon and a slash: mysql://, sqlite:///, postgresql+psycopg://), a postgresql: or postgres:
address without its two slashes, and libpq's key=value settings (host=… dbname=…). A single letter and a colon is
a Windows drive (C:\\hq.sqlite, C:/hq.sqlite) and a colon anywhere else is part of a file name (hq:2024.sqlite,
./postgresql:/hq is the file hq in the folder postgresql:): ./ before a name always makes it a file.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

from ..errors import problem
from ..i18n import domain
from .migrations import StoreError

_, ngettext, _pgettext = domain("hq")

SCHEMES = ("postgresql", "postgres")
"""The URL schemes of a PostgreSQL store (libpq's own), in any case: POSTGRESQL:// is read as postgresql://."""

HIDDEN = "***"
"""What a password is shown as."""

CONNINFO_KEYS = frozenset(
    (
        "host hostaddr port dbname user password passfile require_auth channel_binding connect_timeout "
        "client_encoding options application_name fallback_application_name keepalives keepalives_idle "
        "keepalives_interval keepalives_count tcp_user_timeout replication gssencmode sslmode sslnegotiation "
        "sslcompression sslcert sslkey sslpassword sslcertmode sslrootcert sslcrl sslcrldir sslsni requirepeer "
        "ssl_min_protocol_version ssl_max_protocol_version krbsrvname gsslib gssdelegation service "
        "target_session_attrs load_balance_hosts"
    ).split()
)
"""libpq's connection settings (key=value): text holding one of them is a connection string, not a file name."""

_SECRET_PARAMS = ("password", "passfile", "sslpassword")  # settings never shown
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")  # a URL's scheme, at the start
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]+):/")  # a URL: two letters or more (one is a Windows drive), :/
_SETTING = re.compile(r"(?:^|\s)([A-Za-z_]+)\s*=")  # key= at the start or after a space
_QUERY_SECRET = re.compile(r"([?&](?:" + "|".join(_SECRET_PARAMS) + r")=)([^&#]*)", re.IGNORECASE)
_SETTING_SECRET = re.compile(
    r"((?:^|\s)(?:" + "|".join(_SECRET_PARAMS) + r")\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)", re.IGNORECASE
)


def is_url(address: str | Path) -> bool:
    """Whether a store address is a PostgreSQL URL (postgresql:// or postgres://, in any case), not a file path."""
    if isinstance(address, Path):
        return False
    scheme, sep, _rest = address.strip().partition("://")
    return bool(sep) and scheme.lower() in SCHEMES


def store_address(text: str | Path) -> Path | str:
    """A store address as given (--store, $ASSESS_STORE): a PostgreSQL URL (its scheme in lower case, as the driver
    takes it), or a file path as a Path. Raises StoreError E529 for text that looks like another kind of address
    (see the module's docstring), shown with its password hidden."""
    if isinstance(text, Path):
        return text
    given = text.strip()
    if is_url(given):
        scheme, _sep, rest = given.partition("://")
        return f"{scheme.lower()}://{rest}"
    reason = _not_an_address(given)
    if reason is None:
        return Path(text)
    where = shown(given)
    raise StoreError([problem(where, None, "E529", path=where, reason=reason)])


def _not_an_address(text: str) -> str | None:
    """Why text is neither a PostgreSQL URL nor a file path, with the URL meant when it can be told; None when it
    is a file path."""
    m = _SCHEME.match(text)
    scheme = m.group(1) if m else ""
    if scheme.lower() in SCHEMES:  # postgresql:/host/db, postgres:host
        meant = shown(f"{scheme.lower()}://{text[m.end() :].lstrip('/')}") if m else ""
        return _("a PostgreSQL address begins with {scheme}:// (two slashes), as in {url}").format(
            scheme=scheme.lower(), url=meant
        )
    if m and scheme.lower().startswith("postgres") and "+" in scheme:  # SQLAlchemy's postgresql+psycopg://
        meant = shown("postgresql:" + text[m.end() :])
        return _("{scheme}:// is SQLAlchemy's form, with its driver; assess takes the address alone: {url}").format(
            scheme=scheme, url=meant
        )
    if _URL.match(text):
        if scheme.lower() in ("sqlite", "file"):
            return _("a SQLite store is given by its file's path alone, without {scheme}:").format(scheme=scheme)
        return _(
            "{scheme}: is another kind of address; a store is a PostgreSQL database or a SQLite file "
            "(a file of that name: write ./ before it)"
        ).format(scheme=scheme)
    if any(k.lower() in CONNINFO_KEYS for k in _SETTING.findall(text)):
        told = _as_url(text)
        if told is None:
            return _(
                "it is written as key=value settings, which assess does not take (a file of that name: write ./ "
                "before it)"
            )
        return _(
            "it is written as key=value settings, which assess does not take: {url}, the password (if any) in "
            "~/.pgpass or $PGPASSWORD (a file of that name: write ./ before it)"
        ).format(url=told)
    return None


def _as_url(text: str) -> str | None:
    """The postgresql:// URL of simple key=value settings (one host, no quotes), its passwords left out; None when
    it cannot be told simply."""
    settings = dict(token.partition("=")[::2] for token in text.split())
    if any(k not in CONNINFO_KEYS or not v or "'" in v or "," in v for k, v in settings.items()):
        return None
    for secret in _SECRET_PARAMS:
        settings.pop(secret, None)
    user, host, port, dbname = (settings.pop(k, "") for k in ("user", "host", "port", "dbname"))
    if host.startswith("/"):  # a socket's folder: a parameter, as the URL's host cannot hold a path
        settings["host"] = host
        host = ""
    elif ":" in host and not host.startswith("["):  # an IPv6 address: bracketed in a URL
        host = f"[{host}]"
    url = "postgresql://" + (quote(user, safe="") + "@" if user else "") + quote(host, safe="[]:")
    url += (":" + quote(port, safe="") if port else "") + "/" + quote(dbname, safe="")
    url += "?" + "&".join(f"{k}={quote(v, safe='/')}" for k, v in settings.items()) if settings else ""
    return shown(url)


def _password(url: str) -> tuple[int, int] | None:
    """Where the password of a URL's user:password@ lies (start, end), or None. Read generously (up to the last @
    before the parameters, whatever comes between) so that a password holding /, ? or @ unescaped is hidden whole."""
    m = _SCHEME.match(url)
    if m is None:
        return None
    start = m.end()
    while url[start : start + 1] == "/":
        start += 1
    query = url.find("?", start)
    at = url.rfind("@", start, query if query >= 0 else len(url))
    if at < 0 and query >= 0:  # a password holding ?, unless that @ is a parameter's value (?user=name@server)
        at = url.rfind("@", query)
        at = -1 if "=" in url[query:at] else at
    colon = url.find(":", start, at) if at >= 0 else -1
    return (colon + 1, at) if colon >= 0 else None


def shown(address: str) -> str:
    """The address as given, for messages, with every password hidden (***): in user:password@, in a password=
    parameter of a URL, or in a password= setting of a connection string."""
    span = _password(address)
    if span is not None:
        address = address[: span[0]] + HIDDEN + address[span[1] :]
    if _SCHEME.match(address):
        address = _QUERY_SECRET.sub(lambda m: m.group(1) + HIDDEN, address)
    return _SETTING_SECRET.sub(lambda m: m.group(1) + HIDDEN, address)


def secrets(url: str) -> list[str]:
    """The password(s) an address carries (as written and decoded), to scrub from a server's or driver's message."""
    out = []
    span = _password(url)
    if span is not None:
        out.append(url[span[0] : span[1]])
    if _SCHEME.match(url):
        out += [m.group(2) for m in _QUERY_SECRET.finditer(url)]
    out += [m.group(2).strip("'") for m in _SETTING_SECRET.finditer(url)]
    out += [unquote(s) for s in out]
    return sorted({s for s in out if s}, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """A message with every password the URL carries replaced by ***."""
    for secret in secrets(url):
        text = text.replace(secret, HIDDEN)
    return re.sub(r"(password\s*=\s*)\S+", r"\1" + HIDDEN, text, flags=re.IGNORECASE)
