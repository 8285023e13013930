"""PostgreSQL connection strings: recognised, checked and shown without their secrets.

Credentials come the way libpq looks for them (`~/.pgpass` or `PGPASSFILE`, `PGSERVICE` and
`~/.pg_service.conf`, `PGPASSWORD` and the other `PG*` variables), never from a command line:
whatever is on a command line shows in `ps`.
"""

from __future__ import annotations

import os
import re

from kg.errors import WorkspaceError

_URL = re.compile(r"postgres(?:ql)?://", re.IGNORECASE)
# A key=value connection string naming a server or a service.
_KEYWORDS = re.compile(r"^\s*(?:service|host|dbname)\s*=", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@?#]*):[^@/?#]*@", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def is_postgres(location: str | os.PathLike) -> bool:
    """Whether `location` names a PostgreSQL database rather than a workspace folder."""
    text = str(location)
    return bool(_URL.match(text) or _KEYWORDS.match(text))


def redact(dsn: str) -> str:
    """`dsn` with any password replaced by `***`, fit for logs, pages and error messages."""
    text = _URL_PASSWORD.sub(r"\1:***@", str(dsn))
    text = _QUERY_PASSWORD.sub(r"\1***", text)
    return _KEYWORD_PASSWORD.sub(r"\1***", text)


#: How a SQLite store file is named where a workspace folder could be (`--workspace sqlite:FILE`).
SCHEME = "sqlite:"


def is_store_file(location: str | os.PathLike) -> bool:
    """Whether `location` names a SQLite store file (`sqlite:FILE`) rather than a workspace folder."""
    return str(location).startswith(SCHEME)


def has_password(dsn: str) -> bool:
    return redact(dsn) != str(dsn)


def refuse_password(dsn: str) -> None:
    """Raise WorkspaceError when `dsn`, given on a command line, carries a password."""
    if has_password(dsn):
        raise WorkspaceError(
            f"{redact(dsn)}: a password on the command line shows in `ps`; put it in ~/.pgpass "
            "(or the file PGPASSFILE names), a service file (PGSERVICE) or PGPASSWORD instead")
