"""A throwaway PostgreSQL cluster for the test run, on a free port, also when run as root."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _find_binary(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise RuntimeError(
        f"PostgreSQL's {name} was not found. Install the server (Debian: apt-get install postgresql); "
        "`make test` does this for you when it may."
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """initdb + pg_ctl in a temporary folder; never touches a system cluster."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="academy-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args):
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            log = self.sockets / "server.log"
            detail = log.read_text() if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{detail}")

    def start(self):
        """Create the cluster and start the server; returns self."""
        self.root.chmod(0o755)
        self.data.mkdir()
        self.sockets.mkdir()
        if self.as_root:
            postgres = pwd.getpwnam("postgres")
            for path in (self.data, self.sockets):
                os.chown(path, postgres.pw_uid, postgres.pw_gid)
        self._run(_find_binary("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        return self.resume()

    def resume(self):
        """Start the server process on the existing cluster (after `start` or `halt`); returns self."""
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(_find_binary("pg_ctl"), "-D", str(self.data), "-l", str(self.sockets / "server.log"),
                  "-w", "-o", options, "start")
        return self

    def halt(self):
        """Stop the server process as an outage would (connections dropped), keeping its data for `resume`."""
        self._run(_find_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database="postgres"):
        """SQLAlchemy URL for a database on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        """Create an empty database and return its URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self):
        """Stop the server and delete its files."""
        try:
            self._run(_find_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
