"""The process: configuration, graceful shutdown, the CLI commands, the demo."""
import os
import socket
import subprocess
import threading
import time

import requests

from conftest import (BIN, PASSWORD, ROOT, SAMPLE, Server, Session, create_owner, free_port, vitrine)


def test_bad_setting_stops_startup_naming_it(data_dir):
    r = vitrine(["serve", "--http-port", "eighty"], data_dir)
    assert r.returncode != 0
    assert "http.port" in r.stderr and "eighty" in r.stderr
    r = vitrine(["serve"], data_dir, env={"VITRINE_DATABASE_URL": "mysql://x"})
    assert r.returncode != 0
    assert "database.url" in r.stderr and "VITRINE_DATABASE_URL" in r.stderr
    r = vitrine(["serve"], data_dir, env={"VITRINE_LOG_LEVEL": "loud"})
    assert r.returncode != 0 and "log.level" in r.stderr


def test_settings_precedence_command_line_then_environment_then_dotenv(data_dir):
    ports = [free_port() for _ in range(3)]
    cwd = os.path.join(data_dir, "app")
    os.makedirs(cwd)
    with open(os.path.join(cwd, ".env"), "w") as f:
        f.write(f"VITRINE_HTTP_PORT={ports[0]}\nVITRINE_PUBLIC_URL=https://from-dotenv.example\n")
    env = {"VITRINE_DATA_DIR": os.path.join(data_dir, "d"), "VITRINE_AUTH_BCRYPT_COST": "4"}

    def listening_port(extra_env, args):
        full = {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")}
        full.update(env)
        full.update(extra_env)
        p = subprocess.Popen([os.path.abspath(BIN), "serve", *args], cwd=cwd, env=full,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 60
            while time.time() < deadline and p.poll() is None:
                for port in ports:
                    try:
                        if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=0.3).ok:
                            return port
                    except requests.ConnectionError:
                        pass
                time.sleep(0.1)
            return None
        finally:
            p.terminate()
            p.wait(timeout=20)

    assert listening_port({}, []) == ports[0]
    assert listening_port({"VITRINE_HTTP_PORT": str(ports[1])}, []) == ports[1]
    assert listening_port({"VITRINE_HTTP_PORT": str(ports[1])}, ["--http-port", str(ports[2])]) == ports[2]


def test_sigterm_lets_an_in_flight_request_finish(data_dir):
    slug = create_owner(data_dir, "owner@example.com", "Maison")
    server = Server(data_dir, free_port())
    try:
        session = Session(server.url, "owner@example.com")
        brand = session.brand_id(slug)
        body = open(SAMPLE, "rb").read()
        cookie = session.http.cookies.get("vitrine_session")
        head = (f"POST /api/brands/{brand}/imports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: text/csv\r\nContent-Length: {len(body)}\r\n"
                f"Cookie: vitrine_session={cookie}\r\nX-CSRF-Token: {session.me['csrfToken']}\r\n"
                "Connection: close\r\n\r\n").encode()
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(head + body[: len(body) // 2])
        time.sleep(0.3)
        server.process.send_signal(15)
        time.sleep(0.5)
        assert server.process.poll() is None, "the server waits for the request in flight"
        sock.sendall(body[len(body) // 2:])
        sock.settimeout(30)
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
        assert response.startswith(b"HTTP/1.1 200"), response[:300]
        assert b'"created":12' in response
        assert server.process.wait(timeout=30) == 0
        assert "request failed" not in server.output()
    finally:
        server.stop()


def test_import_command_reports_rows_and_reimport_updates_in_place(data_dir):
    slug = create_owner(data_dir, "owner@example.com", "Maison")
    r = vitrine(["import", SAMPLE, "--brand", slug], data_dir)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "12 created" in r.stdout
    r = vitrine(["import", SAMPLE, "--brand", slug], data_dir)
    assert r.returncode == 0
    assert "0 created" in r.stdout and "12 unchanged" in r.stdout
    bad = os.path.join(data_dir, "bad.csv")
    lines = open(SAMPLE, encoding="utf-8").read().splitlines()
    lines[2] = lines[2].replace("24.90", "vingt")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    r = vitrine(["import", bad, "--brand", slug, "--strict"], data_dir)
    assert r.returncode != 0
    assert "line 3" in r.stdout and "vingt" in r.stdout
    assert "Nothing imported" in r.stdout


def test_demo_prints_credentials_that_work(data_dir):
    r = vitrine(["demo", "--no-serve"], data_dir)
    assert r.returncode == 0, r.stderr
    password = next(line.split()[1] for line in r.stdout.splitlines() if line.strip().startswith("Password:"))
    assert "demo@vitrine.test" in r.stdout
    server = Server(data_dir, free_port())
    try:
        session = Session(server.url, "demo@vitrine.test", password)
        brand = session.me["memberships"][0]["brand"]["id"]
        products = session.request("GET", f"/api/brands/{brand}/products?perPage=100").json()
        assert products["total"] == 12
        image = next(p["images"][0] for p in products["items"] if p["images"])
        assert image["url"].startswith("/media/")
        assert requests.get(server.url + image["url"]).status_code == 200
        assert requests.get(server.url + "/admin/").status_code == 200
        assert password not in server.output(), "no secret in the logs"
    finally:
        server.stop()


def test_nodes_migrating_postgres_together_do_not_race(data_dir):
    import pytest
    base = os.environ.get("VITRINE_TEST_POSTGRES_URL")
    if not base:
        pytest.fail("VITRINE_TEST_POSTGRES_URL is not set: scripts/test.sh starts PostgreSQL")
    name = "vt_migrate_" + os.urandom(4).hex()
    subprocess.run(["psql", base, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    url = base.rsplit("/", 1)[0] + "/" + name
    env = {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")}
    env.update({"VITRINE_DATABASE_URL": url, "VITRINE_DATA_DIR": data_dir})
    procs = [subprocess.Popen([os.path.abspath(BIN), "migrate"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    out = subprocess.run(["psql", url, "-tA", "-c", "SELECT count(*), count(DISTINCT name) FROM _fluent_migrations"],
                         check=True, capture_output=True, text=True).stdout.strip()
    total, distinct = out.split("|")
    assert int(total) >= 2 and total == distinct, "each migration ran exactly once"
    subprocess.run(["psql", base, "-q", "-c", f"DROP DATABASE {name} WITH (FORCE)"], capture_output=True)
