"""Calendar files of shows, read by an independent iCalendar parser."""
from datetime import datetime, timedelta, timezone

import icalendar
import requests

from conftest import Session, create_owner


def test_show_calendar_gives_the_stored_instant_and_follows_reschedules(server):
    slug = create_owner(server.data_dir, "owner@example.com", "Maison")
    owner = Session(server.url, "owner@example.com")
    brand = owner.brand_id(slug)
    start = (datetime.now(timezone.utc) + timedelta(days=10)).replace(microsecond=0)
    show = owner.request("POST", f"/api/brands/{brand}/shows", json={
        "title": "Jeudi beauté, «édition de Noël»", "scheduledStart": start.isoformat().replace("+00:00", "Z"),
        "durationMinutes": 45}).json()

    feed = requests.get(f"{server.url}/api/public/brands/{slug}/calendar.ics")
    assert feed.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.content)
    events = [e for e in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=45)
    assert str(event.get("SUMMARY")) == "Jeudi beauté, «édition de Noël»"
    assert int(event.get("SEQUENCE")) == 0

    later = start + timedelta(hours=2)
    r = owner.request("PATCH", f"/api/brands/{brand}/shows/{show['id']}",
                      json={"scheduledStart": later.isoformat().replace("+00:00", "Z")})
    assert r.status_code == 200
    single = requests.get(server.url + show_calendar_url(slug, show["id"]))
    event = icalendar.Calendar.from_ical(single.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == later
    assert int(event.get("SEQUENCE")) == 1
    assert str(event.get("UID")) == f"{show['id'].lower()}@vitrine"


def show_calendar_url(slug, show_id):
    return f"/api/public/brands/{slug}/shows/{show_id}/calendar.ics"
