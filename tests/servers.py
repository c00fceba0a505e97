"""Real servers for infrastructure tests: gunicorn in a subprocess, a tiny HTTP client, a TCP
forwarder that can cut the line to the database.

Every wait is bounded; every process started here is stopped by the context manager that
started it, whatever happens in the test.
"""

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "t3st-Pr0duction-k3y-for-infrastructure-tests-8f1c2e9a7b6d5c4e3f2a1b0c9d8e",
    "ALLOWED_HOSTS": "127.0.0.1",
    "BEHIND_PROXY": "true",
    "LOG_LEVEL": "WARNING",
}
# Environment variables of the test run that must not leak into a server under test.
_NOT_INHERITED = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}


def server_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(PRODUCTION_ENV)
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> str:
    """Run a management command in a subprocess with the given environment; fail loudly."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def database_url(host: str | None = None, port: int | None = None) -> str:
    """The address of the database this test run uses (PostgreSQL), optionally via a proxy."""
    db = settings.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{host or db['HOST']}:{port or db['PORT']}/{db['NAME']}"


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 1, timeout: float = 30) -> Iterator[str]:
    """Start gunicorn on a free loopback port; yield its base URL; stop it afterwards.

    The port is bound here and the listening socket handed to gunicorn (`--bind fd://`), so no
    other process (another pytest-xdist worker, another test run) can take it in between, and
    no request can reach someone else's server by mistake.
    """
    with (
        socket.create_server(("127.0.0.1", 0), backlog=128) as listener,
        tempfile.NamedTemporaryFile("w+", prefix="stox-gunicorn-", suffix=".log") as log,
    ):
        port = listener.getsockname()[1]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "stoxothesia.wsgi",
                "--bind",
                f"fd://{listener.fileno()}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "3",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
        )
        try:
            _wait_until_it_answers(process, port, log, timeout)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _wait_until_it_answers(process: subprocess.Popen, port: int, log, timeout: float) -> None:
    """The socket listens from the start: a request waits in its queue until a worker answers."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, f"gunicorn stopped:\n{_read(log)}"
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"gunicorn did not start:\n{_read(log)}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=min(remaining, 2))
        try:
            connection.request("GET", "/static/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()


def _read(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def set_cookies(self) -> SimpleCookie:
        cookies = SimpleCookie()
        for value in self.headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        return cookies


@dataclass
class Browser:
    """A minimal HTTP client that keeps cookies (secure ones too) and sends the proxy's headers.

    The servers under test run as behind a TLS-terminating proxy: every request says
    `X-Forwarded-Proto: https`, as the proxy would.
    """

    base_url: str
    https: bool = True
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.cookies = dict(self.cookies)

    @property
    def host(self) -> str:
        return self.base_url.removeprefix("http://")

    def request(self, method: str, path: str, data: dict | None = None, **headers) -> Response:
        hostname, port = self.host.split(":")
        connection = http.client.HTTPConnection(hostname, int(port), timeout=15)
        body = urlencode(data, doseq=True) if data is not None else None
        all_headers = {"Host": self.host, **headers}
        if self.https:
            all_headers["X-Forwarded-Proto"] = "https"
            all_headers.setdefault("Referer", f"https://{self.host}{path}")
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=all_headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for name, morsel in response.set_cookies.items():
            if morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, **headers)

    def post_form(self, path: str, data: dict, **headers) -> Response:
        """POST a form the way a browser does: fetch the page first for its CSRF token."""
        page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {path} ({page.status})"
        return self.request("POST", path, {"csrfmiddlewaretoken": match[1], **data}, **headers)

    def log_in(self, username: str, password: str) -> Response:
        response = self.post_form("/accounts/login/", {"username": username, "password": password})
        assert response.status == 302, f"login as {username} failed: {response.status}"
        return response


class TcpForwarder:
    """Forwards a local port to the database; `cut()` drops every connection and refuses new
    ones, as a database restart does; `restore()` lets them through again."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update({client, upstream})
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def cut(self) -> None:
        self.open.clear()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self._stopped = True
        self.cut()
        self.listener.close()
