"""The realtime room of a show over real WebSockets against `vitrine serve` (docs/realtime.md)."""
import csv
import io
import json
import os
import signal
import socket
import subprocess
import threading
import tempfile
import time
import urllib.parse
import uuid

import pytest
import requests
import websocket

from conftest import Server, Session, create_owner, free_port


class Client:
    """One WebSocket on a show's room; keeps every event it has read."""

    def __init__(self, server, show, viewer=None, name=None, ip="203.0.113.10", session=None, origin=None,
                 token=None, rcvbuf=None):
        query = [f"viewer={viewer}"] if viewer else []
        if name:
            query.append("name=" + urllib.parse.quote(name))
        if token:
            query.append(f"token={token}")
        url = f"ws://127.0.0.1:{server.port}/api/live/shows/{show}" + ("?" + "&".join(query) if query else "")
        options = {}
        if session:
            options["cookie"] = "; ".join(f"{k}={v}" for k, v in session.http.cookies.items())
            options["origin"] = origin or server.url
        elif origin:
            options["origin"] = origin
        if rcvbuf:
            options["sockopt"] = ((socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf),)
        self.ws = websocket.create_connection(url, timeout=10, header=[f"X-Forwarded-For: {ip}"], **options)
        self.events = []
        self.snapshot = self.next("snapshot")

    def read_frame(self, timeout=10):
        self.ws.settimeout(timeout)
        frame = json.loads(self.ws.recv())
        assert frame["v"] == 1
        self.events.extend(frame["events"])
        return frame["events"]

    def next(self, type_, timeout=10, where=lambda e: True):
        """The first unread event of this type (and condition), reading frames until it comes; the
        other events stay unread."""
        deadline = time.time() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event["type"] == type_ and where(event):
                    del self.events[i]
                    return event
            remaining = deadline - time.time()
            assert remaining > 0, f"no {type_} event within {timeout} s; got {[e['type'] for e in self.events]}"
            self.read_frame(remaining)

    def send(self, **message):
        self.ws.send(json.dumps(message))

    def ask(self, **message):
        """Sends a request with a ref and returns its ack or error."""
        ref = str(time.time_ns())
        self.send(ref=ref, **message)
        deadline = time.time() + 10
        while True:
            for i, event in enumerate(self.events):
                if event["type"] in ("ack", "error") and event.get("ref") == ref:
                    del self.events[i]
                    return event
            self.read_frame(max(0.1, deadline - time.time()))

    def close(self):
        self.ws.close()


def control_frame(ws, opcode):
    """Reads until a control frame of this kind; returns its payload (a close: code and reason)."""
    while True:
        kind, data = ws.recv_data(control_frame=True)
        if kind == opcode:
            return data


def close_code(ws):
    """Reads until the server's close frame; returns its code and reason."""
    data = control_frame(ws, websocket.ABNF.OPCODE_CLOSE)
    return int.from_bytes(data[:2], "big"), data[2:]


@pytest.fixture(scope="module")
def live_server():
    """One server for the room tests; each test has a brand of its own (bans hold per brand)."""
    with tempfile.TemporaryDirectory(prefix="vitrine-e2e-") as data_dir:
        create_owner(data_dir, "owner@example.com", "Maison Lumière")
        server = Server(data_dir, free_port(), env={"VITRINE_HTTP_PROXIES_TRUSTED": "127.0.0.1"})
        yield server, Session(server.url, "owner@example.com")
        server.stop()


@pytest.fixture
def room(live_server):
    """A brand with two lineup products and a live show; its owner logged in."""
    return make_room(*live_server)


def make_room(server, owner):
    slug = "brand-" + uuid.uuid4().hex[:8]
    r = owner.request("POST", "/api/brands", json={"name": "Maison " + slug, "slug": slug})
    assert r.status_code == 201, r.text
    brand = r.json()["id"]
    products = [owner.request("POST", f"/api/brands/{brand}/products", json={
        "title": title, "status": "active",
        "variants": [{"sku": f"{slug}-{i}", "price": {"amount": 9900, "currency": "EUR"}, "inventoryQuantity": 5}],
    }).json() for i, title in enumerate(("Pull en cachemire", "Écharpe"))]
    show = owner.request("POST", f"/api/brands/{brand}/shows", json={
        "title": "Le live", "scheduledStart": "2030-01-01T18:00:00Z",
        "lineup": [{"productId": products[0]["id"], "showPrice": {"amount": 7900, "currency": "EUR"}},
                   {"productId": products[1]["id"]}]}).json()
    r = owner.request("POST", f"/api/brands/{brand}/shows/{show['id']}/transitions", json={"event": "live"})
    assert r.status_code == 200, r.text
    return {"server": server, "owner": owner, "brand": brand, "slug": slug, "show": show["id"], "products": products}


def staff(room):
    return Client(room["server"], room["show"], session=room["owner"])


def viewer(room, n, name=None, ip=None):
    return Client(room["server"], room["show"], viewer=f"viewer-{n:04d}-abcdef", name=name,
                  ip=ip or f"203.0.113.{n % 250 + 1}")


def test_the_snapshot_on_connect_holds_pins_poll_chat_and_count(room):
    # setup: a pinned product, an open poll, 55 messages, one viewer already there
    host = staff(room)
    assert host.snapshot["you"]["staff"] and host.snapshot["you"]["canRun"]
    assert host.ask(type="pin", productId=room["products"][0]["id"])["type"] == "ack"
    poll = host.ask(type="open_poll", question="Quelle couleur ?", options=["Bleu", "Rouge"])
    for i in range(55):
        assert host.ask(type="chat", text=f"message {i}")["type"] == "ack"
    first = viewer(room, 1)
    # MUT
    second = viewer(room, 2)
    # validate
    snap = second.snapshot
    assert snap["protocolVersion"] == 1 and snap["show"]["status"] == "live" and snap["show"]["title"] == "Le live"
    assert [p["title"] for p in snap["pins"]] == ["Pull en cachemire"]
    assert snap["pins"][0]["price"] == {"amount": 7900, "currency": "EUR"}
    assert snap["pins"][0]["compareAtPrice"] == {"amount": 9900, "currency": "EUR"}
    assert isinstance(snap["pins"][0]["at"], (int, float)) and snap["pins"][0]["at"] >= 0
    assert snap["poll"]["id"] == poll["id"] and snap["poll"]["options"] == ["Bleu", "Rouge"]
    assert [m["text"] for m in snap["chat"]] == [f"message {i}" for i in range(5, 55)]
    assert all(m["staff"] and m["name"] == "Owner" for m in snap["chat"])
    assert snap["viewers"] == 2, "the host is not counted; both viewers are"
    assert snap["you"]["viewerId"] == "viewer-0002-abcdef" and not snap["you"]["staff"]
    first.close(), second.close(), host.close()


def test_a_viewer_who_arrives_while_chat_flows_sees_each_message_once(room):
    # setup: the team writes a stream of messages
    host = staff(room)

    def talk():
        for i in range(100):
            host.ask(type="chat", text=f"flux {i}")
            time.sleep(0.005)

    writer = threading.Thread(target=talk)
    writer.start()
    time.sleep(0.3)
    # MUT: a viewer arrives in the middle of it
    late = viewer(room, 3)
    writer.join()
    # validate: the snapshot and the frames after it hold each message once, none missing after
    seen = [m["text"] for m in late.snapshot["chat"] if m["text"].startswith("flux")]
    in_snapshot = len(seen)
    deadline = time.time() + 10
    while "flux 99" not in seen and time.time() < deadline:
        late.read_frame(max(0.1, deadline - time.time()))
        seen += [e["message"]["text"] for e in late.events if e["type"] == "chat"]
        late.events.clear()
    assert len(seen) == len(set(seen)), f"a message came twice: {seen}"
    assert 0 < in_snapshot < len(seen), "the viewer arrived while the messages flowed"
    first = int(seen[0].split()[1])  # the snapshot holds the last 50
    assert seen == [f"flux {i}" for i in range(first, 100)]
    host.close(), late.close()


def test_a_chat_message_reaches_every_other_viewer_as_text(room):
    # setup
    writer, readers = viewer(room, 1, name="Zoé"), [viewer(room, n) for n in (2, 3, 4)]
    text = '<script>alert("x")</script> <b>merci</b> & à bientôt'
    # MUT
    answer = writer.ask(type="chat", text=text)
    # validate: the same characters everywhere, never escaped into markup, never interpreted
    assert answer["type"] == "ack"
    for reader in readers + [writer]:
        message = reader.next("chat")["message"]
        assert message["text"] == text and message["name"] == "Zoé" and message["id"] == answer["id"]
        assert not message["staff"] and "viewerId" not in message
    for c in readers + [writer]:
        c.close()


def test_chat_rules_name_length_links_blocked_words_and_rates(room):
    owner, brand = room["owner"], room["brand"]
    r = owner.request("PATCH", f"/api/brands/{brand}", json={"chatBlockedWords": ["arnaque", "Nul"]})
    assert r.status_code == 200, r.text
    time.sleep(2.5)  # the room reads the brand's rules every 2 s
    v = viewer(room, 7)
    # validate: a name first
    assert v.ask(type="chat", text="bonjour")["code"] == "name_required"
    assert v.ask(type="set_name", name="A" * 41)["code"] == "invalid_name"
    assert v.ask(type="set_name", name="Léa")["type"] == "ack"
    # too long, control characters, blocked words (without case or accents), links hidden
    too_long = v.ask(type="chat", text="x" * 301)
    assert too_long["code"] == "message_too_long" and "300" in too_long["message"]
    assert v.ask(type="chat", text="bonjour\u202etxt")["code"] == "control_character"
    assert v.ask(type="chat", text="C'est une ARNAQUE !")["code"] == "blocked_word"
    assert v.ask(type="chat", text="pas nul du tout")["code"] == "blocked_word"
    assert v.ask(type="chat", text="voir https://evil.example.com/x et promo.shop")["type"] == "ack"
    assert v.next("chat")["message"]["text"] == "voir [link] et [link]"
    # rate: a burst of 3, then a wait
    answers = [v.ask(type="chat", text=f"vite {i}") for i in range(4)]
    assert [a["type"] for a in answers[:2]] == ["ack", "ack"]
    assert answers[-1]["code"] == "rate_limited" and answers[-1]["retryAfter"] >= 1
    v.close()


def test_slow_mode_refuses_a_second_message_and_says_how_long_to_wait(room):
    # setup
    host, v = staff(room), viewer(room, 1, name="Marc")
    assert host.ask(type="slow_mode", seconds=30)["type"] == "ack"
    assert v.next("slow_mode")["seconds"] == 30
    # MUT
    first = v.ask(type="chat", text="première question")
    second = v.ask(type="chat", text="deuxième question")
    # validate
    assert first["type"] == "ack"
    assert second["type"] == "error" and second["code"] == "slow_mode"
    assert 28 <= second["retryAfter"] <= 30 and "30 s" in second["message"]
    assert host.ask(type="chat", text="le staff n'attend pas")["type"] == "ack"
    v.close(), host.close()


def test_a_banned_viewer_who_returns_with_a_new_id_from_the_same_address_is_refused(room):
    # setup
    host = staff(room)
    troll = viewer(room, 1, name="Troll", ip="198.51.100.7")
    message = troll.ask(type="chat", text="spam spam")
    owner, brand = room["owner"], room["brand"]
    other_show = owner.request("POST", f"/api/brands/{brand}/shows", json={
        "title": "L'autre live", "scheduledStart": "2030-01-02T18:00:00Z"}).json()["id"]
    owner.request("POST", f"/api/brands/{brand}/shows/{other_show}/transitions", json={"event": "live"})
    elsewhere = Client(room["server"], other_show, viewer="troll-in-the-other-show", name="Troll", ip="198.51.100.7")
    # MUT
    assert host.ask(type="ban", messageId=message["id"], reason="spam")["type"] == "ack"
    # validate: refused at once, in the brand's other show too, and again with a new viewer id
    # from the same address
    assert troll.next("banned")
    assert troll.ask(type="chat", text="encore")["code"] == "banned"
    assert elsewhere.next("banned")
    assert elsewhere.ask(type="chat", text="ailleurs")["code"] == "banned"
    troll.close()
    again = Client(room["server"], room["show"], viewer="brand-new-viewer-id", name="Ami", ip="198.51.100.7")
    assert again.snapshot["you"]["banned"] is True
    assert again.ask(type="chat", text="c'est pas moi")["code"] == "banned"
    other = viewer(room, 2, name="Autre", ip="198.51.100.8")
    assert other.ask(type="chat", text="je peux écrire")["type"] == "ack"
    # the ban is listed for moderators and can be lifted
    bans = room["owner"].request("GET", f"/api/brands/{room['brand']}/bans").json()["items"]
    assert [(b["name"], b["reason"], b["messageText"]) for b in bans] == [("Troll", "spam", "spam spam")]
    assert room["owner"].request("DELETE", f"/api/brands/{room['brand']}/bans/{bans[0]['id']}").status_code == 200
    back = Client(room["server"], room["show"], viewer="brand-new-viewer-id", name="Ami", ip="198.51.100.7")
    assert back.ask(type="chat", text="merci")["type"] == "ack"
    for c in (again, other, back, host):
        c.close()


def test_a_timeout_ends_by_itself_and_a_deleted_message_disappears(room):
    host, v, w = staff(room), viewer(room, 1, name="Impatient"), viewer(room, 2)
    message = v.ask(type="chat", text="message à effacer")
    assert host.ask(type="delete_message", messageId=message["id"])["type"] == "ack"
    assert w.next("chat_deleted")["id"] == message["id"]
    assert message["id"] not in [m["id"] for m in viewer(room, 3).snapshot["chat"]]
    second = v.ask(type="chat", text="encore")
    assert host.ask(type="timeout", messageId=second["id"], seconds=10)["type"] == "ack"
    refused = v.ask(type="chat", text="toujours là")
    assert refused["code"] == "banned" and "s." in refused["message"]
    assert host.ask(type="timeout", messageId=second["id"], seconds=5)["code"] == "invalid_field"


def test_a_viewer_sending_staff_actions_is_refused(room):
    # setup: a viewer, and the owner's cookie used from another site's page
    v = viewer(room, 1, name="Curieux")
    foreign = Client(room["server"], room["show"], session=room["owner"], origin="https://evil.example")
    # MUT / validate
    for action in ({"type": "pin", "productId": room["products"][0]["id"]}, {"type": "announce", "text": "x"},
                   {"type": "slow_mode", "seconds": 5}, {"type": "open_poll", "question": "q", "options": ["a", "b"]}):
        for client in (v, foreign):
            answer = client.ask(**action)
            assert answer["type"] == "error" and answer["code"] == "forbidden", (action, answer)
    assert foreign.snapshot["you"]["staff"] is False
    assert viewer(room, 2).snapshot["pins"] == []


def test_polls_count_one_vote_per_viewer_and_close(room):
    host = staff(room)
    poll = host.ask(type="open_poll", question="Quelle taille ?", options=["S", "M", "L"])
    voters = [viewer(room, n) for n in range(1, 5)]
    for n, v in enumerate(voters):
        assert v.ask(type="vote", pollId=poll["id"], option=n % 2)["type"] == "ack"
    assert voters[0].ask(type="vote", pollId=poll["id"], option=2)["code"] == "already_voted"
    assert voters[0].ask(type="vote", pollId=poll["id"], option=9)["code"] == "invalid_field"
    assert voters[1].next("poll_results", where=lambda e: sum(e["counts"]) == 4)["counts"] == [2, 2, 0]
    assert host.ask(type="close_poll", pollId=poll["id"])["type"] == "ack"
    assert voters[2].next("poll_closed")["counts"] == [2, 2, 0]
    assert voters[3].ask(type="vote", pollId=poll["id"], option=0)["code"] == "poll_closed"


def splitmix64_index(seed, count):
    """docs/realtime.md's recomputation of a giveaway draw."""
    state, mask = seed, (1 << 64) - 1
    limit = mask - ((mask % count) + 1) % count
    while True:
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        if z <= limit:
            return z % count


def test_the_giveaway_winner_is_recomputed_from_the_recorded_seed_and_entrants(room):
    # setup
    host = staff(room)
    watcher = viewer(room, 9)
    giveaway = host.ask(type="open_giveaway", title="Un foulard à gagner",
                        rules="Un gagnant tiré au sort parmi les inscrits. Règlement : /reglement")
    people = [viewer(room, n, name=f"Client {n}") for n in range(1, 8)]
    # Who was there sees it open; who comes later finds it in the snapshot (and not twice).
    opened = watcher.next("giveaway_opened")["giveaway"]
    assert opened["title"] == "Un foulard à gagner" and opened["entries"] == 0
    assert people[0].snapshot["giveaway"]["id"] == opened["id"] == giveaway["id"]
    assert people[0].ask(type="enter_giveaway", giveawayId=giveaway["id"],
                         email="x@example.com")["code"] == "rules_not_accepted"
    for n, person in enumerate(people):
        assert person.ask(type="enter_giveaway", giveawayId=giveaway["id"], email=f"Client{n}@Example.com",
                          acceptRules=True)["type"] == "ack"
    again = people[1].ask(type="enter_giveaway", giveawayId=giveaway["id"], email="client0@example.com",
                          acceptRules=True)
    assert again["code"] == "already_entered"
    assert not any(e["type"] == "giveaway_opened" for e in people[0].events)
    # MUT
    assert host.ask(type="draw_giveaway", giveawayId=giveaway["id"])["type"] == "ack"
    winner = people[3].next("giveaway_winner")
    # validate: the recorded draw gives the announced winner
    audit = room["owner"].request("GET", f"/api/brands/{room['brand']}/shows/{room['show']}/giveaways").json()
    record = audit["items"][0]
    assert record["entrants"] == [f"client{n}@example.com" for n in range(7)]
    index = splitmix64_index(int(record["seed"]), len(record["entrants"]))
    assert index == record["winnerIndex"] and record["entrants"][index] == record["winnerEmail"]
    assert winner["name"] == f"Client {index + 1}"
    assert winner["email"] == record["winnerEmail"][0] + "•••@example.com"
    assert people[4].ask(type="enter_giveaway", giveawayId=giveaway["id"], email="late@example.com",
                         acceptRules=True)["code"] == "giveaway_closed"


def test_a_viewer_who_stops_reading_is_closed_with_the_resync_code(data_dir):
    # setup: a small outbound queue, so that the test fills it quickly
    slug = create_owner(data_dir, "owner@example.com", "Brand")
    server = Server(data_dir, free_port(), env={"VITRINE_LIVE_OUTBOX_BYTES": "65536"})
    try:
        owner = Session(server.url, "owner@example.com")
        brand = owner.brand_id(slug)
        show = owner.request("POST", f"/api/brands/{brand}/shows",
                             json={"title": "Flash", "scheduledStart": "2030-01-01T18:00:00Z"}).json()["id"]
        owner.request("POST", f"/api/brands/{brand}/shows/{show}/transitions", json={"event": "live"})
        room = {"server": server, "show": show}
        host = Client(server, show, session=owner)
        slow = Client(server, show, viewer="slow-reader-0001")
        fast = Client(server, show, viewer="fast-reader-0001")
        received, done = [], threading.Event()

        def read(client, into):
            while not done.is_set():
                try:
                    into.extend(e["message"]["text"] for e in client.read_frame(timeout=1) if e["type"] == "chat")
                except websocket.WebSocketTimeoutException:
                    continue

        readers = [threading.Thread(target=read, args=(fast, received)), threading.Thread(target=read, args=(host, []))]
        for reader in readers:
            reader.start()
        # MUT: 16,000 messages of 280 characters (6 MB of frames: more than the kernel's socket
        # buffers, about 4 MB here, and the 64 KB queue) while the slow viewer reads nothing
        texts = [f"{i:06d} " + "x" * 273 for i in range(16000)]
        for text in texts:
            host.send(type="chat", text=text)
        deadline = time.time() + 60
        while len(received) < len(texts) and time.time() < deadline:
            time.sleep(0.2)
        done.set()
        for reader in readers:
            reader.join()
        # validate: the fast reader got everything, in order; the slow one, once it reads, finds
        # the resync close after what it had been sent
        assert received == texts
        slow.ws.settimeout(20)
        code, reason = close_code(slow.ws)
        assert code == 4000 and b"resync" in reason
        again = Client(server, show, viewer="slow-reader-0001")
        assert again.snapshot["chat"][-1]["text"] == texts[-1]
        del room
    finally:
        server.stop()


def test_a_flood_of_connections_is_slowed_and_a_restart_sends_viewers_to_resync(data_dir):
    # setup: a server that lets 10 connections from one address through, then 1 a second
    create_owner(data_dir, "owner@example.com", "Maison Lumière")
    server = Server(data_dir, free_port(), env={"VITRINE_HTTP_PROXIES_TRUSTED": "127.0.0.1",
                                                 "VITRINE_LIVE_CONNECTIONS_IP_RATE": "1"})
    try:
        room = make_room(server, Session(server.url, "owner@example.com"))
        viewers = [viewer(room, n, ip="198.51.100.7") for n in range(10)]
        # MUT: the 11th from the same address, at once; another address is not held back
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            viewer(room, 11, ip="198.51.100.7")
        other = viewer(room, 12, ip="198.51.100.8")
        # validate
        assert refused.value.status_code == 429
        assert int(refused.value.resp_headers["retry-after"]) >= 1
        assert json.loads(refused.value.resp_body)["error"]["code"] == "rate_limited"
        # MUT: the server is stopped; validate: viewers are told to reconnect and it ends promptly
        started = time.time()
        server.process.send_signal(signal.SIGTERM)
        code, reason = close_code(other.ws)
        assert code == 4000 and b"reconnect" in reason
        for client in viewers + [other]:
            client.ws.close()
        server.process.wait(timeout=15)
        assert time.time() - started < 12, "the server waits for its viewers 10 s at most"
    finally:
        server.stop()


def test_reports_reach_the_team_at_once_and_are_listed_for_review(room):
    # setup: a viewer writes; two others report the message; a moderator is connected
    host = staff(room)
    author, first, second = viewer(room, 1, name="Troll"), viewer(room, 2), viewer(room, 3)
    message = author.ask(type="chat", text="achetez ailleurs")["id"]
    # MUT
    assert first.ask(type="report", messageId=message, reason="publicité")["type"] == "ack"
    assert second.ask(type="report", messageId=message, reason="")["type"] == "ack"
    assert second.ask(type="report", messageId=message, reason="encore")["type"] == "ack"
    # validate: the team hears each first report at once; viewers never do
    live = host.next("report")
    assert (live["messageId"].lower(), live["text"], live["name"], live["reason"]) == (
        message.lower(), "achetez ailleurs", "Troll", "publicité")
    assert host.next("report")["reason"] == ""
    assert not any(e["type"] == "report" for e in author.events + first.events)
    listed = room["owner"].request("GET", f"/api/brands/{room['brand']}/shows/{room['show']}/reports").json()["items"]
    assert [(m["messageId"].lower(), m["name"], m["reports"], m["reasons"], m["deleted"]) for m in listed] == [
        (message.lower(), "Troll", 2, ["publicité"], False)]
    assert requests.get(f"{room['server'].url}/api/brands/{room['brand']}/shows/{room['show']}/reports").status_code == 401
    host.close(), author.close(), first.close(), second.close()


def test_a_registration_names_its_viewer_id_only_in_the_expected_form(room):
    url = f"{room['server'].url}/api/public/brands/{room['slug']}/shows/{room['show']}/registrations"
    r = requests.post(url, json={"email": "lea@example.com", "viewerId": "<b>x</b>"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "viewerId"


def test_bad_input_gets_an_error_or_a_clear_close_and_others_are_untouched(room):
    url = f"ws://127.0.0.1:{room['server'].port}/api/live/shows/{room['show']}"
    bystander = viewer(room, 9, name="Témoin")
    cases = [("binary", lambda ws: ws.send_binary(b"\x00\x01"), 1003),
             ("oversized", lambda ws: ws.send("x" * 5000), 1009),
             ("invalid UTF-8", lambda ws: ws.send(b"\xff\xfe{}", opcode=websocket.ABNF.OPCODE_TEXT), 1007),
             ("flood", lambda ws: [ws.send('{"type":"react"}') for _ in range(200)], 1008)]
    for label, act, code in cases:
        ws = websocket.create_connection(url, timeout=10)
        ws.recv()
        act(ws)
        assert close_code(ws)[0] == code, label
    # A message in two frames is one message; a ping is answered; a continuation without a start
    # breaks the protocol (1002).
    named = viewer(room, 11, name="Morceaux")
    named.ws.send_frame(websocket.ABNF.create_frame('{"type":"chat","text":"en deux ', websocket.ABNF.OPCODE_TEXT, 0))
    named.ws.send_frame(websocket.ABNF.create_frame('morceaux","ref":"r1"}', websocket.ABNF.OPCODE_CONT, 1))
    assert named.next("ack")["ref"] == "r1"
    assert bystander.next("chat", where=lambda e: e["message"]["text"] == "en deux morceaux")
    named.ws.ping(b"hello")
    assert control_frame(named.ws, websocket.ABNF.OPCODE_PONG) == b"hello"
    named.ws.send_frame(websocket.ABNF.create_frame("orphan", websocket.ABNF.OPCODE_CONT, 1))
    assert close_code(named.ws)[0] == 1002
    # A close frame with half a code is refused too.
    odd = viewer(room, 12)
    odd.ws.send_frame(websocket.ABNF.create_frame(b"\x03", websocket.ABNF.OPCODE_CLOSE, 1))
    assert close_code(odd.ws)[0] == 1002
    v = viewer(room, 10)
    v.send(type="chat", text="x")
    v.ws.send("{not json")
    v.ws.send('{"type": "fly"}')
    v.ws.send('{"type": 3}')
    codes = [v.next("error")["code"] for _ in range(4)]
    assert codes == ["name_required", "bad_json", "unknown_type", "bad_json"]
    assert bystander.ask(type="chat", text="tout va bien")["type"] == "ack"


def test_reactions_arrive_as_totals_per_tick(room):
    fans, watcher = [viewer(room, n) for n in range(1, 6)], viewer(room, 20)
    for fan in fans:
        for _ in range(6):
            fan.send(type="react", kind="heart")
        fan.send(type="react", kind="fire")
    fans[0].send(type="react", kind="poop")
    total, frames = {}, 0
    deadline = time.time() + 5
    while total.get("heart", 0) < 30 and time.time() < deadline:
        for event in watcher.read_frame():
            if event["type"] == "reactions":
                frames += 1
                for kind, n in event["counts"].items():
                    total[kind] = total.get(kind, 0) + n
    assert total == {"heart": 30, "fire": 5}
    assert frames < 35 / 2, "hearts are summed per tick, not sent one by one"
    assert fans[0].next("error")["field"] == "kind"


def test_private_shows_need_the_token_and_the_replay_keeps_chat_and_pins(room):
    owner, brand = room["owner"], room["brand"]
    private = owner.request("POST", f"/api/brands/{brand}/shows", json={
        "title": "Clientes", "format": "private", "accessCode": "SOIE2030",
        "scheduledStart": "2030-01-01T18:00:00Z"}).json()
    owner.request("POST", f"/api/brands/{brand}/shows/{private['id']}/transitions", json={"event": "live"})
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        Client(room["server"], private["id"])
    # A private show without its token is not found, as over HTTP.
    assert refused.value.status_code == 404
    assert json.loads(refused.value.resp_body)["error"]["code"] == "not_found"
    public = requests.get(f"{room['server'].url}/api/public/brands/{room['slug']}/shows/{private['id']}",
                          params={"code": "SOIE2030"}).json()
    token = public["realtimeUrl"].split("token=")[1]
    assert Client(room["server"], private["id"], token=token).snapshot["show"]["title"] == "Clientes"
    # the public show's timeline and chat export
    host = staff(room)
    host.ask(type="pin", productId=room["products"][1]["id"])
    v = viewer(room, 1, name="=HYPERLINK(\"x\")")
    v.ask(type="chat", text="+33 6 12 34 56 78, c'est \"mon\" numéro")
    host.ask(type="announce", text="-20 % ce soir")
    time.sleep(0.3)
    timeline = requests.get(
        f"{room['server'].url}/api/public/brands/{room['slug']}/shows/{room['show']}/timeline").json()["items"]
    assert [e["type"] for e in timeline] == ["product_pinned", "chat", "announcement"]
    assert all(isinstance(e.get("at", e.get("product", e.get("message", {})).get("at")), (int, float))
               for e in timeline)
    exported = owner.request("GET", f"/api/brands/{brand}/shows/{room['show']}/chat.csv")
    assert exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[-1]["name"] == "'=HYPERLINK(\"x\")" and rows[-1]["text"] == "'+33 6 12 34 56 78, c'est \"mon\" numéro"
    other = create_owner(room["server"].data_dir, "other@example.com", "Other")
    stranger = Session(room["server"].url, "other@example.com")
    assert stranger.request("GET", f"/api/brands/{brand}/shows/{room['show']}/chat.csv").status_code == 404
    assert other


def test_two_nodes_on_one_postgresql_share_chat_pins_and_viewer_counts(data_dir):
    # setup: one database, two `vitrine serve` processes
    base = os.environ.get("VITRINE_TEST_POSTGRES_URL")
    if not base:
        pytest.fail("VITRINE_TEST_POSTGRES_URL is not set: scripts/test.sh starts PostgreSQL")
    name = "vt_nodes_" + os.urandom(4).hex()
    subprocess.run(["psql", base, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    env = {"VITRINE_DATABASE_URL": base.rsplit("/", 1)[0] + "/" + name, "VITRINE_HTTP_PROXIES_TRUSTED": "127.0.0.1"}
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=env)
    nodes = []
    try:
        for n in (1, 2):
            folder = os.path.join(data_dir, f"node{n}")
            os.makedirs(folder)
            nodes.append(Server(folder, free_port(), env=env))
        owner = Session(nodes[0].url, "owner@example.com")
        brand = owner.brand_id(slug)
        product = owner.request("POST", f"/api/brands/{brand}/products", json={
            "title": "Sac", "status": "active",
            "variants": [{"sku": "sac-1", "price": {"amount": 12000, "currency": "EUR"}}]}).json()
        show = owner.request("POST", f"/api/brands/{brand}/shows", json={
            "title": "Deux nœuds", "scheduledStart": "2030-01-01T18:00:00Z",
            "lineup": [{"productId": product["id"]}]}).json()["id"]
        owner.request("POST", f"/api/brands/{brand}/shows/{show}/transitions", json={"event": "live"})
        # MUT: a viewer on each node; the host on the second node, with the session of the first
        first = Client(nodes[0], show, viewer="node-one-viewer", name="Léa", ip="203.0.113.1")
        second = Client(nodes[1], show, viewer="node-two-viewer", name="Marc", ip="203.0.113.2")
        extra = [Client(nodes[1], show, viewer=f"node-two-extra-{i}", ip="203.0.113.3") for i in range(2)]
        owner.base = nodes[1].url
        host = Client(nodes[1], show, session=owner)
        # validate: chat both ways, the pin, and counts that add up (1 + 3 viewers, the host aside)
        assert first.ask(type="chat", text="bonjour du nœud 1")["type"] == "ack"
        assert second.next("chat")["message"]["text"] == "bonjour du nœud 1"
        assert second.ask(type="chat", text="et du nœud 2")["type"] == "ack"
        assert first.next("chat", where=lambda e: e["message"]["name"] == "Marc")["message"]["text"] == "et du nœud 2"
        assert host.ask(type="pin", productId=product["id"])["type"] == "ack"
        assert first.next("product_pinned")["product"]["title"] == "Sac"
        assert first.next("viewers", timeout=15, where=lambda e: e["count"] == 4)
        assert second.next("viewers", timeout=15, where=lambda e: e["count"] == 4)
        late = Client(nodes[0], show, viewer="node-one-late", ip="203.0.113.4")
        assert [m["text"] for m in late.snapshot["chat"]] == ["bonjour du nœud 1", "et du nœud 2"]
        # slow mode set on node 2 holds on node 1, for viewers there and those who arrive later
        assert host.ask(type="slow_mode", seconds=30)["type"] == "ack"
        assert late.next("slow_mode")["seconds"] == 30
        assert late.ask(type="set_name", name="Zoé")["type"] == "ack"
        assert late.ask(type="chat", text="encore moi")["type"] == "ack"
        assert late.ask(type="chat", text="et encore")["code"] == "slow_mode"
        assert Client(nodes[0], show, viewer="node-one-later", ip="203.0.113.5").snapshot["slowMode"] == 30
        assert [p["title"] for p in late.snapshot["pins"]] == ["Sac"]
        # a poll opened on node 2, voted on both nodes: every viewer sees the same totals
        poll = host.ask(type="open_poll", question="Quelle couleur ?", options=["Noir", "Camel"])["id"]
        assert first.ask(type="vote", pollId=poll, option=1)["type"] == "ack"
        assert second.ask(type="vote", pollId=poll, option=1)["type"] == "ack"
        assert extra[0].ask(type="vote", pollId=poll, option=0)["type"] == "ack"
        for client in (first, second):
            assert client.next("poll_results", timeout=10, where=lambda e: e["counts"] == [1, 2])
    finally:
        for node in nodes:
            node.stop()
        subprocess.run(["psql", base, "-q", "-c", f"DROP DATABASE {name} WITH (FORCE)"], capture_output=True)


def test_stock_pushed_by_the_shop_reaches_viewers_as_left_and_sold_out(room):
    # setup: 5 of each product (the fixture), one viewer
    v = viewer(room, 1)
    first = room["products"][0]
    assert v.snapshot["stock"][first["id"].upper()] == {"available": 5, "soldOut": False, "allReserved": False}
    sku = first["variants"][0]["sku"]
    # MUT: the shop pushes 3 left, then none
    for quantity in (3, 0):
        r = room["owner"].request("POST", f"/api/brands/{room['brand']}/stock",
                                  json={"items": [{"sku": sku, "quantity": quantity}]})
        assert r.status_code == 200, r.text
        # validate
        event = v.next("stock", timeout=5)
        assert event["productId"].lower() == first["id"].lower()
        assert (event["available"], event["soldOut"]) == (quantity, quantity == 0)
