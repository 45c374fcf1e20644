"""Real servers for tests that cross process boundaries: Redis, gunicorn, and a small HTTP browser."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.helpers import csrf_token_from

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port, process, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout} s")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class RedisServer:
    """redis-server on a free loopback port, in memory only, for the run of one test module."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        """Start the server; returns self."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server was not found; `make test` installs it (Debian: redis-server).")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, self.process, "redis-server")
        return self

    def stop(self):
        """Stop the server."""
        if self.process:
            _stop(self.process)


class AppServer:
    """The platform under gunicorn (sync workers), configured only through the environment."""

    def __init__(self, environment, workers=2, app_module="wsgi:app"):
        self.port = free_port()
        self.workers = workers
        self.app_module = app_module
        self.instance = Path(tempfile.mkdtemp(prefix="academy-app-"))
        self.environment = {**os.environ, "ACADEMY_INSTANCE_DIR": str(self.instance), **environment}
        self.process = None

    def start(self):
        """Start gunicorn and wait until it answers; returns self."""
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = open(self.instance / "gunicorn.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(gunicorn), "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--worker-class", "sync", "--no-control-socket", "--graceful-timeout", "5", self.app_module],
            cwd=ROOT, env=self.environment, stdout=self.log, stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port, self.process, f"gunicorn ({self.instance / 'gunicorn.log'})", timeout=60)
        return self

    def output(self):
        """What gunicorn and the app printed, for assertion messages."""
        return (self.instance / "gunicorn.log").read_text(errors="replace")

    def stop(self):
        """Stop gunicorn and remove its instance folder."""
        if self.process:
            _stop(self.process)
            self.log.close()
        shutil.rmtree(self.instance, ignore_errors=True)


class Browser:
    """A minimal browser over http.client: keeps cookies (also Secure ones, as TLS ends at the proxy).

    `forwarded_for` is what a trusted reverse proxy would append to X-Forwarded-For; `spoofed` is
    what the client itself claims in that header before the proxy appends the real address.
    """

    def __init__(self, port, forwarded_for="203.0.113.10", spoofed=None):
        self.port = port
        self.cookies = {}
        self.forwarded_for = forwarded_for
        self.spoofed = spoofed

    def request(self, method, path, form=None, headers=None):
        """Send one request (with extra `headers`); returns (status, headers, body text). No redirects."""
        headers = {"X-Forwarded-Proto": "https", "Host": "academy.test", **(headers or {})}
        chain = [self.spoofed, self.forwarded_for] if self.spoofed else [self.forwarded_for]
        headers["X-Forwarded-For"] = ", ".join(chain)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:  # a browser sends the page it posts from; Flask-WTF checks it over HTTPS
            headers["Referer"] = f"https://academy.test{path}"
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if (morsel["expires"] and "1970" in morsel["expires"]) or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def submit(self, path, form, page=None):
        """GET `page` (or `path`) for its CSRF token, then POST the form to `path`."""
        status, _headers, text = self.request("GET", page or path)
        assert status == 200, (status, text[:500])
        return self.request("POST", path, {**form, "csrf_token": csrf_token_from(text)})

    def sign_in(self, email, password):
        """Sign in through the form; returns the response status (302 on success)."""
        status, headers, _text = self.submit("/account/login", {"email": email, "password": password})
        if status == 302:
            assert urlsplit(headers["Location"]).path != "/account/login"
        return status
