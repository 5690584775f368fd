"""A brand's public pages: upcoming shows (list and calendar), a show page with its countdown and
"remind me" form, in French and English, read by requests and by Chromium."""
import re
import shutil
import time
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Server, Session, create_owner, free_port
from test_mail import create_show, iso, mail_env, smtp, wait_for_subject  # noqa: F401 (smtp is a fixture)


PARIS = ZoneInfo("Europe/Paris")
JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre"]


def paris_at_19(days):
    """19:00 in Paris, `days` from today (summer or winter time, whichever it is then)."""
    day = (datetime.now(PARIS) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, 19, 0, tzinfo=PARIS).astimezone(timezone.utc)


class Elements(HTMLParser):
    """The tags of a page, to prove a title with markup stayed text."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture
def brand(data_dir, smtp):  # noqa: F811
    env = mail_env(smtp)
    slug = create_owner(data_dir, "owner@example.com", "Maison Lumière", env=env)
    server = Server(data_dir, free_port(), env=env)
    owner = Session(server.url, "owner@example.com")
    yield server, owner, slug, owner.brand_id(slug)
    server.stop()


def test_upcoming_shows_are_listed_in_the_brands_time_and_language(brand):
    # setup: two shows at 19:00 in Paris, one with markup in its title, one private, one draft
    server, owner, slug, brand_id = brand
    first = paris_at_19(20)
    second = paris_at_19(48)
    create_show(owner, brand_id, "Jeudi <b>beauté</b>", first)
    create_show(owner, brand_id, "Soirée parfums", second)
    owner.request("POST", f"/api/brands/{brand_id}/shows",
                  json={"title": "Clientes privées", "format": "private", "scheduledStart": iso(first)})
    owner.request("POST", f"/api/brands/{brand_id}/shows", json={"title": "Brouillon"})
    # MUT
    fr = requests.get(f"{server.url}/b/{slug}", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    en = requests.get(f"{server.url}/b/{slug}?lang=en", headers={"Accept-Language": "fr-FR"})
    # validate
    assert fr.status_code == 200 and fr.headers["Content-Type"].startswith("text/html")
    assert "Prochains lives" in fr.text and "Upcoming live shows" in en.text
    for moment in (first, second):
        local = moment.astimezone(PARIS)
        assert f"{JOURS[local.weekday()]} {local.day} {MOIS[local.month - 1]} {local.year} à 19:00" in fr.text
        assert f"{local.strftime('%A')}, {local.day} {local.strftime('%B')} {local.year} at 19:00" in en.text
    captions = re.findall(r"<caption>([^<]+)</caption>", fr.text)
    months = []
    for moment in (first, second):
        name = f"{MOIS[moment.astimezone(PARIS).month - 1]} {moment.astimezone(PARIS).year}"
        if name not in months:
            months.append(name)
    assert captions == months
    assert re.search(rf'class="has-show"><span class="day">{first.astimezone(PARIS).day}</span>', fr.text)
    assert "Jeudi &lt;b&gt;beauté&lt;/b&gt;" in fr.text
    assert not any(tag == "b" for tag, _ in Elements(fr.text).tags), "a title never becomes markup"
    assert "Clientes privées" not in fr.text and "Brouillon" not in fr.text
    assert f"webcal://localhost:{server.port}/api/public/brands/{slug}/calendar.ics" in fr.text
    assert requests.get(f"{server.url}/b/no-such-brand").status_code == 404


def test_a_viewer_asks_to_be_reminded_from_the_show_page_without_script(brand, smtp):  # noqa: F811
    # setup
    server, owner, slug, brand_id = brand
    show = create_show(owner, brand_id, "Soirée parfums", datetime.now(timezone.utc) + timedelta(days=3))
    page = f"{server.url}/b/{slug}/shows/{show['id']}"
    html = requests.get(page, headers={"Accept-Language": "fr"}).text
    consent = next(attrs for tag, attrs in Elements(html).tags
                   if tag == "input" and attrs.get("name") == "marketingConsent")
    assert "checked" not in consent, "marketing consent is unchecked by default"
    assert 'class="countdown"' in html and "Ajouter à mon agenda" in html
    # MUT: a bad address, then a good one, as a browser without script posts the form
    bad = requests.post(page, data={"email": "not-an-address", "language": "fr"})
    good = requests.post(page, data={"email": "Viewer@Example.com", "language": "en"})
    # validate
    assert bad.status_code == 422 and "semble incorrecte" in bad.text and 'value="not-an-address"' in bad.text
    assert good.status_code == 202 and "open the e-mail sent to Viewer@Example.com" in good.text
    mail = wait_for_subject(smtp["maildir"], "Confirm your reminder for “Soirée parfums”")
    assert mail["To"] == "viewer@example.com"
    registrations = owner.request("GET", f"/api/brands/{brand_id}/shows/{show['id']}/registrations").json()
    assert [(r["email"], r["language"], r["marketingConsent"], r["status"]) for r in registrations["items"]] == \
        [("viewer@example.com", "en", False, "pending")]
    # A cancelled show keeps its page, without the form.
    owner.request("POST", f"/api/brands/{brand_id}/shows/{show['id']}/transitions", json={"event": "cancelled"})
    cancelled = requests.get(page + "?lang=en").text
    assert "This show is cancelled." in cancelled and "marketingConsent" not in cancelled


def test_in_chromium_the_countdown_ticks_and_the_form_answers(brand, smtp):  # noqa: F811
    # setup
    server, owner, slug, brand_id = brand
    show = create_show(owner, brand_id, "Jeudi beauté", datetime.now(timezone.utc) + timedelta(hours=2, minutes=5))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844",
                 "--lang=fr-FR"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    try:
        # MUT
        driver.get(f"{server.url}/b/{slug}/shows/{show['id']}?lang=fr")
        countdown = driver.find_element(By.CSS_SELECTOR, ".countdown")
        WebDriverWait(driver, 10).until(lambda d: countdown.text.startswith("Début dans"))
        first = countdown.text
        time.sleep(1.5)
        # validate
        assert re.fullmatch(r"Début dans 0?2:0[45]:\d\d", first), first
        assert countdown.text != first, "the countdown ticks"
        assert driver.find_element(By.NAME, "marketingConsent").is_selected() is False
        driver.find_element(By.ID, "email").send_keys("viewer@example.com")
        driver.find_element(By.CSS_SELECTOR, "form.remind button[type=submit]").click()
        notice = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "notice"))
        assert "Presque fini" in notice.text
        assert driver.switch_to.active_element == notice, "the answer gets the focus"
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], errors
    finally:
        driver.quit()


def test_a_guest_opens_a_private_show_from_the_invitation_email(brand, smtp):  # noqa: F811
    # setup
    server, owner, slug, brand_id = brand
    show = owner.request("POST", f"/api/brands/{brand_id}/shows", json={
        "title": "Ventes privées", "format": "private", "accessCode": "SALON-7", "language": "fr",
        "scheduledStart": iso(paris_at_19(5))}).json()
    page = f"{server.url}/b/{slug}/shows/{show['id']}"
    # MUT
    invited = owner.request("POST", f"/api/brands/{brand_id}/shows/{show['id']}/guests",
                            json={"email": "lea@example.com", "name": "Léa"})
    # validate
    assert invited.status_code == 201 and invited.json()["emailed"] is True
    mail = wait_for_subject(smtp["maildir"], "Invitation : « Ventes privées »")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour Léa," in text
    link = next(w for w in text.split() if "guest=" in w).replace(f"http://localhost:{server.port}", server.url)
    assert link == invited.json()["link"].replace(f"http://localhost:{server.port}", server.url)
    calendar = [part for part in mail.iter_attachments() if part.get_filename() == "show.ics"]
    assert len(calendar) == 1 and "SUMMARY:Ventes privées" in calendar[0].get_content()
    opened = requests.get(link)
    assert opened.status_code == 200 and "Ventes privées" in opened.text and "countdown" in opened.text
    # Without the link: the code form; a wrong code is refused, the right one opens the page.
    assert "Code d’accès" in requests.get(page + "?lang=fr").text
    wrong = requests.get(page, params={"code": "SALON-8", "lang": "fr"})
    assert wrong.status_code == 403 and "n’ouvre pas ce live" in wrong.text and "Ventes privées" not in wrong.text
    assert requests.get(page, params={"code": "salon-7"}).status_code == 200
    # The private show is never listed on the brand's public page.
    assert "Ventes privées" not in requests.get(f"{server.url}/b/{slug}").text
