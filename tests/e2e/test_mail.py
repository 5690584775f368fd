"""E-mail through a real SMTP server on loopback (aiosmtpd), read back with Python's email package."""
import contextlib
import email
import mailbox
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from email import policy

import pytest
import requests

from conftest import Server, Session, create_owner, free_port


@pytest.fixture
def smtp(data_dir, request):
    """aiosmtpd writing to a Maildir; with TLS it requires STARTTLS, with a self-signed certificate."""
    tls = getattr(request, "param", False)
    port = free_port()
    maildir = os.path.join(data_dir, "Maildir")
    args = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox"]
    cert = None
    if tls:
        cert, key = os.path.join(data_dir, "smtp.crt"), os.path.join(data_dir, "smtp.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        args[3:3] = ["--tlscert", cert, "--tlskey", key]
    process = subprocess.Popen(args + [maildir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    yield {"port": port, "maildir": maildir, "cert": cert, "tls": tls}
    process.terminate()
    process.wait(timeout=10)


def wait_for_mail(maildir, count=1, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.isdir(maildir):
            messages = [email.message_from_bytes(m.as_bytes(), policy=policy.default)
                        for m in mailbox.Maildir(maildir, create=False)]
            if len(messages) >= count:
                return messages
        time.sleep(0.2)
    raise AssertionError(f"no e-mail arrived in {timeout} s")


def wait_for_subject(maildir, subject, timeout=40):
    """The message with this subject (a Maildir has no order)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for message in wait_for_mail(maildir, timeout=timeout):
            if message["Subject"] == subject:
                return message
        time.sleep(0.2)
    raise AssertionError(f"no e-mail with the subject {subject!r} in {timeout} s")


def mail_env(smtp, **extra):
    """Settings that point a server at the test's SMTP server."""
    return {"VITRINE_SMTP_HOST": "127.0.0.1", "VITRINE_SMTP_PORT": str(smtp["port"]),
            "VITRINE_SMTP_STARTTLS": "false", **extra}


@contextlib.contextmanager
def brand_with_mail(data_dir, smtp):
    """A brand, its owner logged in, and a server sending e-mail to the test's SMTP server."""
    env = mail_env(smtp)
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=env)
    server = Server(data_dir, free_port(), env=env)
    try:
        owner = Session(server.url, "owner@example.com")
        yield server, owner, slug, owner.brand_id(slug)
    finally:
        server.stop()


def iso(moment):
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def create_show(owner, brand, title, start):
    return owner.request("POST", f"/api/brands/{brand}/shows", json={"title": title, "scheduledStart": iso(start)}).json()


def register_and_confirm(server, slug, show, smtp, subject, language="fr"):
    """A viewer registers for the show and follows the confirmation link."""
    r = requests.post(f"{server.url}/api/public/brands/{slug}/shows/{show['id']}/registrations",
                      json={"email": "viewer@example.com", "language": language})
    assert r.status_code == 202
    confirmation = wait_for_subject(smtp["maildir"], subject)
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert requests.get(next(w for w in text.split() if "/registrations/confirm/" in w)).status_code == 200
    return confirmation


@pytest.mark.parametrize("smtp", [False, True], indirect=True, ids=["plain", "starttls"])
def test_invitation_is_emailed_and_its_link_works(data_dir, smtp):
    env = {"VITRINE_SMTP_HOST": "127.0.0.1", "VITRINE_SMTP_PORT": str(smtp["port"]),
           "VITRINE_SMTP_STARTTLS": "true" if smtp["tls"] else "false",
           "VITRINE_MAIL_FROM": "Maison Lumière <live@maison.test>"}
    if smtp["cert"]:
        env["VITRINE_SMTP_CACERT"] = smtp["cert"]
    slug = create_owner(data_dir, "owner@example.com", "Maison « Lumière »", env=env)
    server = Server(data_dir, free_port(), env=env)
    try:
        owner = Session(server.url, "owner@example.com")
        brand = owner.brand_id(slug)
        r = owner.request("POST", f"/api/brands/{brand}/invitations", json={"email": "lea@example.com", "role": "host"})
        assert r.status_code == 201
        assert r.json()["emailed"] is True
        link = r.json()["link"]

        try:
            message = wait_for_mail(smtp["maildir"])[0]
        except AssertionError:
            raise AssertionError(server.output()[-3000:])
        assert message["To"] == "lea@example.com"
        assert "live@maison.test" in message["From"]
        assert message["Subject"] == "Invitation à rejoindre « Maison « Lumière » » sur Vitrine"
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert link in text and link in html
        assert "rôle : host" in text
        assert "&laquo;" not in html and "Maison « Lumière »" in html, "text is escaped, not mangled"

        token = link.rsplit("/", 1)[1]
        accepted = requests.post(f"{server.url}/api/invitations/{token}/accept",
                                 json={"name": "Léa", "password": "a long enough password"})
        assert accepted.status_code == 200
        assert "a long enough password" not in server.output()
        assert token not in server.output(), "the link's token never reaches the logs"
    finally:
        server.stop()


def test_without_smtp_the_link_is_only_shown(server):
    slug = create_owner(server.data_dir, "owner@example.com", "Maison")
    owner = Session(server.url, "owner@example.com")
    r = owner.request("POST", f"/api/brands/{owner.brand_id(slug)}/invitations",
                      json={"email": "lea@example.com", "role": "host"})
    assert r.status_code == 201
    assert r.json()["emailed"] is False


@pytest.mark.parametrize("smtp", [False], indirect=True, ids=["plain"])
def test_password_reset_by_emailed_link(data_dir, smtp):
    env = {"VITRINE_SMTP_HOST": "127.0.0.1", "VITRINE_SMTP_PORT": str(smtp["port"]), "VITRINE_SMTP_STARTTLS": "false"}
    create_owner(data_dir, "owner@example.com", "Maison", env=env)
    server = Server(data_dir, free_port(), env=env)
    try:
        old_session = Session(server.url, "owner@example.com")
        for address in ("owner@example.com", "nobody@example.com"):
            r = requests.post(server.url + "/api/auth/password-reset", json={"email": address})
            assert r.status_code == 202, "the same answer whether the account exists or not"
        message = wait_for_mail(smtp["maildir"])[0]
        assert message["To"] == "owner@example.com"
        assert message["Subject"] == "Choisir un nouveau mot de passe Vitrine"
        text = message.get_body(preferencelist=("plain",)).get_content()
        link = next(word for word in text.split() if "/reset/" in word)
        token = link.rsplit("/", 1)[1]
        assert requests.get(link.replace("http://localhost:8080", server.url)).status_code == 200, "the page opens"
        r = requests.post(server.url + "/api/auth/password-reset/confirm", json={"token": token, "newPassword": "short"})
        assert r.status_code == 422
        r = requests.post(server.url + "/api/auth/password-reset/confirm",
                          json={"token": token, "newPassword": "a brand new password"})
        assert r.status_code == 204
        again = requests.post(server.url + "/api/auth/password-reset/confirm",
                              json={"token": token, "newPassword": "another new password"})
        assert again.status_code == 404, "a link works once"
        assert old_session.request("GET", "/api/me").status_code == 401, "every session ended"
        Session(server.url, "owner@example.com", "a brand new password")
        assert token not in server.output()
        time.sleep(0.5)
        assert len(wait_for_mail(smtp["maildir"])) == 1, "no mail for an address without an account"
    finally:
        server.stop()


@pytest.mark.parametrize("smtp", [False], indirect=True, ids=["plain"])
def test_remind_me_double_opt_in_reminder_live_and_one_click_unsubscribe(data_dir, smtp):
    env = {"VITRINE_SMTP_HOST": "127.0.0.1", "VITRINE_SMTP_PORT": str(smtp["port"]), "VITRINE_SMTP_STARTTLS": "false",
           "VITRINE_MAIL_FROM": "Maison <live@maison.test>"}
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=env)
    server = Server(data_dir, free_port(), env=env)
    try:
        owner = Session(server.url, "owner@example.com")
        brand = owner.brand_id(slug)
        start = datetime.now(timezone.utc) + timedelta(minutes=15, seconds=5)
        show = owner.request("POST", f"/api/brands/{brand}/shows", json={
            "title": "Jeudi beauté", "scheduledStart": start.replace(microsecond=0).isoformat().replace("+00:00", "Z")}).json()
        url = f"{server.url}/api/public/brands/{slug}/shows/{show['id']}/registrations"
        r = requests.post(url, json={"email": "Viewer@Example.com", "language": "fr"})
        assert r.status_code == 202 and r.json()["status"] == "pending"
        assert requests.post(url, json={"email": "not an address"}).status_code == 422

        confirmation = wait_for_mail(smtp["maildir"])[0]
        assert confirmation["To"] == "viewer@example.com"
        assert confirmation["Subject"] == "Confirmez votre rappel pour « Jeudi beauté »"
        unsubscribe = re.search(r"<([^>]+)>", str(confirmation["List-Unsubscribe"])).group(1)
        assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = confirmation.get_body(preferencelist=("plain",)).get_content()
        link = next(w for w in text.split() if "/registrations/confirm/" in w).replace("http://localhost:8080", server.url)
        page = requests.get(link)
        assert page.status_code == 200 and "C’est noté" in page.text

        reminder = wait_for_subject(smtp["maildir"], "Rappel : « Jeudi beauté » dans 15 minutes")
        assert reminder["To"] == "viewer@example.com"

        assert owner.request("POST", f"/api/brands/{brand}/shows/{show['id']}/transitions",
                             json={"event": "live"}).status_code == 200
        live = wait_for_subject(smtp["maildir"], "En direct maintenant : « Jeudi beauté »")
        live_text = live.get_body(preferencelist=("plain",)).get_content()
        show_page = next(w for w in live_text.split() if "/b/" in w).replace("http://localhost:8080", server.url)
        assert "En direct" in requests.get(show_page).text, "the e-mail links to the show's page, live now"

        local = unsubscribe.replace("http://localhost:8080", server.url)
        assert requests.get(local).status_code == 200, "a GET only shows the button"
        one_click = requests.post(local, data="List-Unsubscribe=One-Click",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert one_click.status_code == 200
        assert "Désinscription faite" in one_click.text
        token = unsubscribe.rsplit("/", 1)[1]
        assert token not in server.output()
    finally:
        server.stop()


def test_remind_me_without_smtp_says_so(server):
    slug = create_owner(server.data_dir, "owner@example.com", "Maison")
    owner = Session(server.url, "owner@example.com")
    brand = owner.brand_id(slug)
    start = (datetime.now(timezone.utc) + timedelta(days=2)).replace(microsecond=0)
    show = owner.request("POST", f"/api/brands/{brand}/shows", json={
        "title": "X", "scheduledStart": start.isoformat().replace("+00:00", "Z")}).json()
    r = requests.post(f"{server.url}/api/public/brands/{slug}/shows/{show['id']}/registrations",
                      json={"email": "viewer@example.com"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "email_unavailable"


@pytest.mark.parametrize("smtp", [False], indirect=True, ids=["plain"])
def test_registrants_hear_of_a_new_time_with_its_calendar_and_of_a_cancellation(data_dir, smtp):
    import icalendar
    with brand_with_mail(data_dir, smtp) as (server, owner, slug, brand):
        start = (datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0)
        show = create_show(owner, brand, "Soirée parfums", start)
        register_and_confirm(server, slug, show, smtp, "Confirm your reminder for “Soirée parfums”", language="en")

        later = start + timedelta(hours=1)
        assert owner.request("PATCH", f"/api/brands/{brand}/shows/{show['id']}",
                             json={"scheduledStart": iso(later)}).status_code == 200
        moved = wait_for_subject(smtp["maildir"], "New time: “Soirée parfums”")
        ics = next(part for part in moved.iter_attachments() if part.get_filename() == "show.ics")
        event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
        assert event.decoded("DTSTART") == later
        assert int(event.get("SEQUENCE")) == 1

        assert owner.request("POST", f"/api/brands/{brand}/shows/{show['id']}/transitions",
                             json={"event": "cancelled"}).status_code == 200
        cancelled = wait_for_subject(smtp["maildir"], "Cancelled: “Soirée parfums”")
        ics = next(part for part in cancelled.iter_attachments() if part.get_filename() == "show.ics")
        assert "STATUS:CANCELLED" in ics.get_content()


@pytest.mark.parametrize("smtp", [False], indirect=True, ids=["plain"])
def test_after_the_show_registrants_rate_it_and_the_brand_sees_the_results(data_dir, smtp):
    with brand_with_mail(data_dir, smtp) as (server, owner, slug, brand):
        start = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0)
        show = create_show(owner, brand, "Atelier <maquillage>", start)
        register_and_confirm(server, slug, show, smtp, "Confirmez votre rappel pour « Atelier <maquillage> »")
        base = f"/api/brands/{brand}/shows/{show['id']}"
        for event in ("live", "ended"):
            assert owner.request("POST", base + "/transitions", json={"event": event}).status_code == 200

        survey_mail = wait_for_subject(smtp["maildir"], "Merci ! Votre avis sur « Atelier <maquillage> » ?")
        html = survey_mail.get_body(preferencelist=("html",)).get_content()
        assert "<maquillage>" not in html and "&lt;maquillage&gt;" in html, "user text is escaped in e-mails"
        link = next(w for w in survey_mail.get_body(preferencelist=("plain",)).get_content().split()
                    if "/api/public/feedback/" in w)
        page = requests.get(link)
        assert page.status_code == 200 and 'name="rating"' in page.text and "<maquillage>" not in page.text
        answer = requests.post(link, data={"rating": "4", "comment": "Très clair, <b>merci</b>"})
        assert answer.status_code == 200
        assert requests.post(link, data={"rating": "9"}).status_code == 422

        results = owner.request("GET", base + "/feedback").json()
        assert results["asked"] == 1 and results["answered"] == 1
        assert results["average"] == 4.0 and results["counts"] == [0, 0, 0, 1, 0]
        assert results["answers"][0]["comment"] == "Très clair, <b>merci</b>"


@pytest.mark.parametrize("smtp", [False], indirect=True, ids=["plain"])
def test_a_viewer_downloads_then_erases_their_data_after_confirming_by_email(data_dir, smtp):
    with brand_with_mail(data_dir, smtp) as (server, owner, slug, brand):
        show = create_show(owner, brand, "Jeudi beauté", datetime.now(timezone.utc) + timedelta(days=2))
        register_and_confirm(server, slug, show, smtp, "Confirmez votre rappel pour « Jeudi beauté »")

        def confirm_link(kind, count):
            r = requests.post(server.url + "/api/public/privacy", json={"email": "viewer@example.com", "request": kind})
            assert r.status_code == 202
            messages = [m for m in wait_for_mail(smtp["maildir"], count=count) if m["Subject"] == "Vos données sur Vitrine"]
            assert len(messages) == count - 1
            texts = [m.get_body(preferencelist=("plain",)).get_content() for m in messages]
            links = [w for t in texts for w in t.split() if "/api/public/privacy/" in w]
            return links

        export_link = confirm_link("export", 2)[0]
        assert requests.get(export_link).status_code == 200, "a GET shows a button and acts on nothing"
        data = requests.post(export_link)
        assert data.status_code == 200 and "attachment" in data.headers["Content-Disposition"]
        body = data.json()
        assert body["email"] == "viewer@example.com"
        assert [(r["brand"], r["show"], r["status"], r["marketingConsent"]) for r in body["registrations"]] == [
            ("Maison", "Jeudi beauté", "confirmed", False)]
        assert requests.post(export_link).status_code == 404, "a link works once"

        assert requests.post(server.url + "/api/public/privacy",
                             json={"email": "stranger@example.com", "request": "delete"}).status_code == 202
        links = confirm_link("delete", 3)
        delete_link = next(link for link in links if link != export_link)
        erased = requests.post(delete_link)
        assert erased.status_code == 200 and "1 registration(s) erased" in erased.text
        again = requests.post(server.url + "/api/public/privacy", json={"email": "viewer@example.com", "request": "export"})
        assert again.status_code == 202
        time.sleep(1.5)
        assert len(wait_for_mail(smtp["maildir"], count=3)) == 3, "nothing is held any more, so no e-mail"
