"""End-to-end tests: a real `vitrine serve` process on 127.0.0.1, driven over HTTP."""
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest
import requests

BIN = os.environ.get("VITRINE_BIN", ".build/debug/vitrine")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(os.path.dirname(ROOT), "shared", "data", "catalog", "maison-lumiere-products.csv")
PASSWORD = "correct horse battery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env():
    """The test's environment without VITRINE_ settings, except VITRINE_WEB_RESOURCES (pages served
    from the checkout while working on them)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_") or k == "VITRINE_WEB_RESOURCES"}


def vitrine(args, data_dir, env=None, cwd=None, input=None, timeout=120):
    """Runs a vitrine subcommand to completion and returns the CompletedProcess."""
    full_env = clean_env()
    full_env.update({"VITRINE_DATA_DIR": data_dir, "VITRINE_AUTH_BCRYPT_COST": "4"})
    full_env.update(env or {})
    return subprocess.run([os.path.abspath(BIN)] + args, env=full_env, cwd=cwd or ROOT, input=input,
                          capture_output=True, text=True, timeout=timeout)


class Server:
    """A running `vitrine serve`, stopped by SIGTERM at the end of the test."""

    def __init__(self, data_dir, port, env=None, args=(), cwd=None):
        self.data_dir, self.port = data_dir, port
        full_env = clean_env()
        full_env.update({"VITRINE_DATA_DIR": data_dir, "VITRINE_AUTH_BCRYPT_COST": "4", "VITRINE_LOG_LEVEL": "info"})
        full_env.update(env or {})
        self.log = open(os.path.join(data_dir, "server.log"), "w+")
        # Each server gets its own RTMP port, so that servers of a test never compete for 1935.
        if not any(a.startswith("--rtmp-port") for a in args) and "VITRINE_RTMP_PORT" not in (env or {}):
            rtmp = free_port()
            while rtmp == port:  # the kernel may hand out the HTTP port again once it is closed
                rtmp = free_port()
            args = ("--rtmp-port", str(rtmp), *args)
        self.rtmp_port = int(args[args.index("--rtmp-port") + 1]) if "--rtmp-port" in args else None
        self.process = subprocess.Popen([os.path.abspath(BIN), "serve", "--http-port", str(port), *args],
                                        env=full_env, cwd=cwd or ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + self.output())
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("server did not start: " + self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self, timeout=20):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def data_dir():
    with tempfile.TemporaryDirectory(prefix="vitrine-e2e-") as d:
        yield d


@pytest.fixture
def server(data_dir):
    s = Server(data_dir, free_port())
    yield s
    s.stop()


def create_owner(data_dir, email, brand_name, env=None):
    """A user and a brand owned by it, through the CLI; returns the brand slug."""
    r = vitrine(["user", "create", "--email", email, "--name", "Owner", "--password-stdin"], data_dir,
                env=env, input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    slug = re.sub(r"[^a-z0-9]+", "-", brand_name.lower()).strip("-") + "-" + uuid.uuid4().hex[:6]
    r = vitrine(["brand", "create", "--name", brand_name, "--slug", slug, "--owner", email], data_dir, env=env)
    assert r.returncode == 0, r.stderr
    return slug


class Session:
    """A logged-in person: cookie jar plus the CSRF header on writes."""

    def __init__(self, base, email, password=PASSWORD):
        self.base = base
        self.http = requests.Session()
        r = self.http.post(base + "/api/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        self.me = r.json()
        self.http.headers["X-CSRF-Token"] = self.me["csrfToken"]

    def brand_id(self, slug):
        return next(m["brand"]["id"] for m in self.me["memberships"] if m["brand"]["slug"] == slug)

    def request(self, method, path, **kw):
        return self.http.request(method, self.base + path, **kw)
