"""A real PostgreSQL server for the tests: Debian's binaries, a temporary cluster, a free port.

`initdb` refuses to run as root, so when the tests run as root the cluster belongs to the
`postgres` user (every command runs through `runuser`); otherwise it belongs to whoever runs the
tests. The server listens on 127.0.0.1 only, with its unix socket in the cluster's own folder,
and is stopped when the session ends. Two roles are made: the superuser that loads graphs
(password authentication, the password kept in a `.pgpass` file, never on a command line) and a
reader that `kg serve` uses.

Import the fixtures in a test module: `from postgres import postgres_server  # noqa: F401`.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

OWNER = "postgres"
START_SECONDS = 60


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise pytest.UsageError("PostgreSQL is not installed (.ci/run installs Debian's `postgresql`)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    """A running server: `url(role)` is a DSN without password; `env` holds PGPASSFILE."""

    host: str
    port: int
    database: str
    admin: str
    reader: str
    passfile: Path

    def url(self, role: str | None = None) -> str:
        return f"postgresql://{role or self.admin}@{self.host}:{self.port}/{self.database}"

    @property
    def env(self) -> dict[str, str]:
        return {"PGPASSFILE": str(self.passfile)}


def _as_owner(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        command = ["runuser", "-u", OWNER, "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A PostgreSQL server for the whole session, with PGPASSFILE set for libpq."""
    with running_server(tmp_path_factory.mktemp("pgpass")) as server:
        yield server


@contextmanager
def running_server(private: Path, *, shared_buffers: str = "64MB"):
    """A temporary PostgreSQL server while the block runs; its .pgpass file goes in `private`."""
    bindir = _bin_dir()
    # Outside pytest's temp folder: root's temp folders are closed to the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="kg-pg-"))
    data = folder / "data"
    admin, reader = "kg_admin", "kg_reader"
    admin_password, reader_password = secrets.token_hex(16), secrets.token_hex(16)
    pwfile = folder / "pw"
    pwfile.write_text(admin_password + "\n")
    if os.geteuid() == 0:
        shutil.chown(folder, OWNER, OWNER)
        shutil.chown(pwfile, OWNER, OWNER)
    pwfile.chmod(0o600)
    _as_owner([str(bindir / "initdb"), "-D", str(data), "-U", admin, "--pwfile", str(pwfile),
               "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"])
    pwfile.unlink()
    port = _free_port()
    log = folder / "server.log"
    _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", str(START_SECONDS),
               "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off "
                     f"-c shared_buffers={shared_buffers} -c max_connections=100", "start"])
    passfile = private / "pgpass"
    passfile.write_text(f"127.0.0.1:{port}:*:{admin}:{admin_password}\n"
                        f"127.0.0.1:{port}:*:{reader}:{reader_password}\n")
    passfile.chmod(0o600)
    previous = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(passfile)
    server = PostgresServer(host="127.0.0.1", port=port, database="kg", admin=admin, reader=reader,
                            passfile=passfile)
    try:
        import psycopg
        from psycopg import sql

        with psycopg.connect(server.url().rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE kg")
            # The password travels as a literal inside the server connection, never on a command line.
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(reader), sql.Literal(reader_password)))
        yield server
    finally:
        if previous is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = previous
        _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
