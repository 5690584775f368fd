"""The viewer's player (/watch), its embed on a brand's site and the pages' accessibility, in a real
headless Chromium against `vitrine serve`, with a real ffmpeg publishing a live test stream.

One show runs through the module: live (playback, pins in sync with the video, chat, the embed),
then ended (the replay, its chapters and deep links). Screenshots go to the test output directory
(VITRINE_TEST_OUTPUT, default .build/test-output)."""
import gzip
import json
import os
import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import ROOT, Server, Session, free_port, vitrine
from test_live_video import publish, wait
from test_realtime import Client

OUTPUT = os.environ.get("VITRINE_TEST_OUTPUT", os.path.join(ROOT, ".build", "test-output"))


def browser(*flags, cookies_blocked=False, lang="en-US"):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--autoplay-policy=no-user-gesture-required", f"--lang={lang}", *flags):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    if cookies_blocked:
        options.add_experimental_option("prefs", {"intl.accept_languages": lang,
                                                  "profile.block_third_party_cookies": True,
                                                  "profile.cookie_controls_mode": 1})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=ChromeService(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                            options=options)


def phone(driver, width=360, height=740):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})


def desktop(driver):
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(1280, 800)


def shot(driver, name):
    os.makedirs(OUTPUT, exist_ok=True)
    driver.save_screenshot(os.path.join(OUTPUT, name))


def media_time(driver):
    return driver.execute_script("return window.vitrinePlayer ? window.vitrinePlayer.mediaTime() : null")


def playing(driver):
    """The video advances: two readings of currentTime 0.6 s apart."""
    first = media_time(driver)
    time.sleep(0.6)
    second = media_time(driver)
    return first is not None and second is not None and second > first + 0.2


WATCH_PINS = """
window.__pins = [];
const seen = new Set();
setInterval(() => {
  for (const title of document.querySelectorAll('.pinned .product .title')) {
    if (seen.has(title.textContent)) continue;
    seen.add(title.textContent);
    window.__pins.push({title: title.textContent, wall: Date.now(), media: window.vitrinePlayer.mediaTime()});
  }
}, 20);
"""


@pytest.fixture(scope="module")
def stage():
    """The demo brand (its catalog with images), served at 127.0.0.1; its site is shop.test.
    A vertical show with three lineup products, live from an ffmpeg test stream."""
    with tempfile.TemporaryDirectory(prefix="vitrine-e2e-") as data_dir:
        r = vitrine(["demo", "--no-serve"], data_dir)
        assert r.returncode == 0, r.stderr
        password = next(line.split()[1] for line in r.stdout.splitlines() if line.strip().startswith("Password:"))
        port = free_port()
        server = Server(data_dir, port, env={"VITRINE_PUBLIC_URL": f"http://127.0.0.1:{port}",
                                             "VITRINE_RTMP_GRACE": "8", "VITRINE_DEMO_SHOP": "true"})
        owner = Session(server.url, "demo@vitrine.test", password)
        slug = "maison-lumiere"
        brand = owner.brand_id(slug)
        r = owner.request("PATCH", f"/api/brands/{brand}", json={"embedOrigins": [f"http://shop.test:{port}"]})
        assert r.status_code == 200, r.text
        products = [p for p in owner.request("GET", f"/api/brands/{brand}/products?perPage=50").json()["items"]
                    if p["images"] and p["status"] == "active"][:3]
        start = (datetime.now(timezone.utc) + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        show = owner.request("POST", f"/api/brands/{brand}/shows", json={
            "title": "Le live cachemire", "scheduledStart": start, "orientation": "vertical",
            "description": "Nos pièces de la semaine, en direct.",
            "lineup": [{"productId": products[0]["id"], "showPrice": {"amount": 1900, "currency": "EUR"}},
                       {"productId": products[1]["id"]}, {"productId": products[2]["id"]}]}).json()
        later = owner.request("POST", f"/api/brands/{brand}/shows", json={
            "title": "Le rendez-vous du jeudi", "scheduledStart": start, "orientation": "horizontal",
            "lineup": [{"productId": products[1]["id"]}]}).json()
        for s in (show, later):
            r = owner.request("POST", f"/api/brands/{brand}/shows/{s['id']}/transitions", json={"event": "scheduled"})
            assert r.status_code == 200, r.text
        key = owner.request("POST", f"/api/brands/{brand}/shows/{show['id']}/stream-key").json()["streamKey"]
        encoder = publish(server.rtmp_port, key, 240, size="240x426")
        hls = f"{server.url}/hls/{show['id'].lower()}"
        wait(lambda: owner.http.get(hls + "/preview.m3u8").status_code == 200, 30, "preview")
        r = owner.request("POST", f"/api/brands/{brand}/shows/{show['id']}/transitions", json={"event": "live"})
        assert r.status_code == 200, r.text
        wait(lambda: requests.get(hls + "/live.m3u8").text.count("#EXTINF") >= 3, 30, "three live segments")
        yield {"server": server, "owner": owner, "brand": brand, "slug": slug, "show": show["id"].lower(),
               "later": later["id"].lower(), "products": products, "port": port, "encoder": encoder}
        encoder.kill()
        server.stop()


def watch(stage, extra=""):
    return f"{stage['server'].url}/watch/{stage['show']}{extra}"


def test_a_viewer_plays_the_live_show_near_its_edge_with_its_lineup(stage):
    driver = browser()
    try:
        # MUT
        driver.get(watch(stage))
        # validate: the video plays, its clock is media time near the newest segment, the lineup is there
        wait(lambda: playing(driver), 15, "the live video plays")
        edge = driver.execute_script("const b = document.querySelector('video').buffered; return b.end(b.length - 1)")
        now = media_time(driver)
        assert 0 < edge - now < 8, (edge, now)
        status = requests.get(f"{stage['server'].url}/api/brands/{stage['brand']}/shows/{stage['show']}/stream",
                              cookies=stage["owner"].http.cookies).json()["health"]
        assert abs(status["mediaTime"] - now) < 10, (status["mediaTime"], now)
        titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".carousel .product .title")]
        assert titles == [p["title"] for p in stage["products"]]
        assert "€19.00" in driver.find_element(By.CSS_SELECTOR, ".carousel li").text  # the show price
        assert driver.find_element(By.CSS_SELECTOR, ".badge").text == "LIVE"
        assert driver.find_element(By.CSS_SELECTOR, ".unmute").is_displayed()
        csp = requests.get(watch(stage)).headers["Content-Security-Policy"]
        assert f"frame-ancestors 'self' http://shop.test:{stage['port']}" in csp
    finally:
        driver.quit()


def test_a_pin_shows_when_the_video_reaches_it_and_ten_seconds_later_for_a_viewer_behind(stage):
    # setup: viewer A at the live edge, viewer B who went back 10 s
    a, b = browser(), browser()
    try:
        for driver in (a, b):
            driver.get(watch(stage))
        for driver in (a, b):
            wait(lambda: playing(driver), 15, "the live video plays")
            driver.execute_script(WATCH_PINS)
        # (the show must have been live for more than 10 s: its video starts when it went live)
        wait(lambda: media_time(a) - (a.execute_script("return window.vitrinePlayer.origin()") or 1e9) > 14, 30,
             "15 s of the show")
        b.execute_script("document.querySelector('video').currentTime = arguments[0] - 10;", media_time(a))
        for driver in (a, b):
            driver.execute_script("window.__stalls = 0; document.querySelector('video').addEventListener('waiting', () => { window.__stalls += 1; });")
        time.sleep(1.5)
        wait(lambda: playing(b), 15, "viewer B plays 10 s behind")
        lag = media_time(a) - media_time(b)
        assert 8.5 < lag < 11.5, f"B is {lag} s behind A (stalls: {[d.execute_script('return window.__stalls') for d in (a, b)]})"
        # the host's studio, logged in (the session's cookie), and a team socket that listens
        studio = browser()
        studio.get(stage["server"].url + "/healthz")
        for name, value in stage["owner"].http.cookies.items():
            studio.add_cookie({"name": name, "value": value})
        studio.get(f"{stage['server'].url}/studio/{stage['show']}")
        wait(lambda: studio.find_elements(By.CSS_SELECTOR, ".connection.open"), 20, "the studio joins the room")
        host = Client(stage["server"], stage["show"], session=stage["owner"])
        product = stage["products"][1]
        # MUT: the host pins the second product with its key, 2
        sent = time.time()
        studio.find_element(By.TAG_NAME, "body").send_keys("2")
        pinned_at = host.next("product_pinned")["product"]["at"]
        # validate: each shows it when its own video reaches `at`, not when the message arrives
        shown_a = wait(lambda: a.execute_script("return window.__pins")[0] if a.execute_script("return window.__pins") else None, 20, "A shows the pin")
        shown_b = wait(lambda: b.execute_script("return window.__pins")[0] if b.execute_script("return window.__pins") else None, 30, "B shows the pin")
        assert shown_a["title"] == shown_b["title"] == product["title"]
        assert 0 <= shown_a["media"] - pinned_at < 0.6, (shown_a, pinned_at)
        assert 0 <= shown_b["media"] - pinned_at < 0.6, (shown_b, pinned_at)
        assert shown_a["wall"] / 1000 - sent > 1, "A sees it after the message, when its video gets there"
        assert 8.5 <= (shown_b["wall"] - shown_a["wall"]) / 1000 <= 11.5, (shown_a, shown_b)
        assert "is-pinned" in a.find_element(By.CSS_SELECTOR, f".carousel li[data-id='{product['id']}']").get_attribute("class")
        host.ask(type="unpin", productId=product["id"])
        host.close()
    finally:
        a.quit()
        b.quit()
        if "studio" in locals():
            studio.quit()


def test_a_chat_message_from_one_browser_appears_in_another_as_text(stage):
    a, b = browser(), browser(lang="fr-FR")
    try:
        for driver in (a, b):
            driver.get(watch(stage))
            wait(lambda: playing(driver), 15, "the live video plays")
        # MUT: A picks a name and writes markup
        text = "<script>window.pwned = 1</script><b>Il taille grand ?</b>"
        a.find_element(By.CSS_SELECTOR, ".chat-form input").send_keys(text)
        a.find_element(By.CSS_SELECTOR, ".chat-form button").click()
        name = wait(lambda: a.find_elements(By.CSS_SELECTOR, ".name-dialog input"), 5, "the name prompt")[0]
        name.send_keys("Léa" + Keys.ENTER)
        # validate: B (in French) shows it, as text, once its video reaches it
        line = wait(lambda: [li for li in b.find_elements(By.CSS_SELECTOR, ".chat li") if "Léa" in li.text], 20,
                    "B shows the message")[0]
        assert line.find_element(By.CSS_SELECTOR, ".text").text == text
        assert not b.find_elements(By.CSS_SELECTOR, ".chat script, .chat b")
        assert b.execute_script("return window.pwned") is None
        assert b.find_element(By.CSS_SELECTOR, ".badge").text == "DIRECT"
        assert a.find_element(By.CSS_SELECTOR, ".chat-form input").get_attribute("value") == ""
    finally:
        a.quit()
        b.quit()


def test_the_embed_on_the_brands_site_hands_the_cart_off_and_other_origins_cannot_drive_it(stage):
    port = stage["port"]
    driver = browser(f"--host-resolver-rules=MAP shop.test 127.0.0.1, MAP evil.test 127.0.0.1", cookies_blocked=True)
    try:
        # MUT: the brand's shop (another origin, third-party cookies blocked) embeds the show
        driver.get(f"http://shop.test:{port}/demo/shop?show={stage['show']}")
        events = lambda: driver.find_element(By.ID, "events").text.splitlines()
        try:
            wait(lambda: "ready live" in events(), 20, "the player says it is ready")
        except AssertionError:
            print("EVENTS", events(), [e["message"][:200] for e in driver.get_log("browser")])
            driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, ".vitrine-frame iframe"))
            print("FRAME", driver.execute_script("return [location.href, document.body.className, document.querySelector('.notice') && document.querySelector('.notice').textContent, window.vitrinePlayer && window.vitrinePlayer.mediaTime(), window.parent !== window, JSON.parse(document.getElementById('vitrine-boot').textContent).parentOrigin]"))
            raise
        frame = driver.find_element(By.CSS_SELECTOR, ".vitrine-frame iframe")
        assert frame.get_attribute("src").startswith(f"http://127.0.0.1:{port}/watch/")
        driver.switch_to.frame(frame)
        assert driver.execute_script("return document.cookie") == ""
        driver.find_elements(By.CSS_SELECTOR, ".carousel li button")[2].click()
        add = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.sheet .primary"), 5, "the product sheet")[0]
        add.click()
        # validate: the shop's page got add-to-cart, its cart answered, the player says so
        notice = lambda: driver.find_element(By.CSS_SELECTOR, ".notice").text
        wait(lambda: notice() == "Added to your cart", 8, "the shop's answer in the player")
        handle = stage["products"][2]["handle"]
        driver.switch_to.default_content()
        assert f"add-to-cart {handle}" in events() and f"product-viewed {handle}" in events()
        assert driver.find_element(By.ID, "cart-count").text == "1"
        # the shop's own stock (2 of each) refuses a third: the player tells the viewer
        driver.switch_to.frame(frame)
        add.click()
        wait(lambda: notice() == "Added to your cart", 8, "second add")
        driver.execute_script("document.querySelector('.notice').textContent = ''")
        add.click()
        wait(lambda: notice() == "Sorry, this is out of stock.", 8, "out of stock from the shop")
        assert "Cart (2)" in driver.find_element(By.CSS_SELECTOR, ".cart").text
        driver.switch_to.default_content()
        # Vitrine kept the add-to-carts for the show's attribution: two taken by the shop, one refused
        sales = f"/api/brands/{stage['brand']}/shows/{stage['show']}/sales"
        product = lambda: next(p for p in stage["owner"].request("GET", sales).json()["products"]
                               if p["productId"].lower() == stage["products"][2]["id"].lower())
        wait(lambda: (product()["addedToCart"], product()["refusedByShop"]) == (2, 1), 5, "the add-to-carts recorded")

        # A page of another origin: the player refuses to be framed there (frame-ancestors)…
        driver.get(f"http://evil.test:{port}/demo/shop?show={stage['show']}")
        time.sleep(4)
        assert events() == []
        driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, ".vitrine-frame iframe"))
        assert not driver.find_elements(By.CSS_SELECTOR, ".player")
        driver.switch_to.default_content()
        # …and a player it opens itself, even claiming the shop's origin, takes no command from it.
        driver.execute_script(
            f"window.w = window.open('http://127.0.0.1:{port}/watch/{stage['show']}?origin=http://shop.test:{port}');")
        evil = driver.current_window_handle
        player = next(h for h in driver.window_handles if h != evil)
        driver.switch_to.window(player)
        wait(lambda: playing(driver), 15, "the opened player plays")
        driver.switch_to.window(evil)
        for _ in range(5):
            driver.execute_script("window.w.postMessage({vitrine: 1, command: 'pause'}, '*');")
            time.sleep(0.2)
        driver.switch_to.window(player)
        assert driver.execute_script("return document.querySelector('video').paused") is False
        assert playing(driver)
    finally:
        driver.quit()


def test_the_mini_player_follows_the_visitor_to_another_page_of_the_site(stage):
    port = stage["port"]
    driver = browser(f"--host-resolver-rules=MAP shop.test 127.0.0.1", cookies_blocked=True)
    try:
        driver.set_window_size(1280, 700)
        driver.get(f"http://shop.test:{port}/demo/shop?show={stage['show']}")
        wait(lambda: "ready live" in driver.find_element(By.ID, "events").text, 20, "ready")
        # MUT: scroll away while it plays, then go to another page
        driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".vitrine-frame.vitrine-mini"), 5, "the mini-player")
        driver.find_element(By.CSS_SELECTOR, "a[href^='/demo/shop/collection']").click()
        # validate: the next page restores it; closing it forgets it
        mini = wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".vitrine-frame.vitrine-mini iframe"), 10,
                    "the mini-player on the next page")[0]
        assert f"/watch/{stage['show']}" in mini.get_attribute("src")
        driver.find_element(By.CSS_SELECTOR, ".vitrine-mini button[aria-label='Close the player']").click()
        driver.refresh()
        time.sleep(1.5)
        assert not driver.find_elements(By.CSS_SELECTOR, ".vitrine-frame")
    finally:
        driver.quit()


def test_layouts_at_phone_and_desktop_sizes_with_no_serious_accessibility_violation(stage):
    from axe_selenium_python import Axe
    driver = browser()
    try:
        pages = [("vertical-live", watch(stage)), ("horizontal-upcoming", f"{stage['server'].url}/watch/{stage['later']}")]
        for name, url in pages:
            for size, apply in (("phone", phone), ("desktop", desktop)):
                apply(driver)
                # MUT
                driver.get(url)
                if "live" in name:
                    wait(lambda: playing(driver), 15, "plays")
                else:
                    wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".countdown"), 10, "the countdown")
                    assert "Starts in" in driver.find_element(By.CSS_SELECTOR, ".countdown").text
                    assert driver.find_element(By.CSS_SELECTOR, ".before a.button").get_attribute("href").endswith(
                        "/calendar.ics")
                time.sleep(0.5)
                shot(driver, f"player-{name}-{size}.png")
                # validate: nothing wider than the screen, no serious or critical axe finding
                overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{name} {size} overflows by {overflow}px"
                axe = Axe(driver)
                axe.inject()
                serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                           for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]
                assert not serious, f"{name} {size}: {serious}"
        phone(driver, 320, 640)
        driver.get(watch(stage))
        wait(lambda: playing(driver), 15, "plays at 320 px")
        assert driver.execute_script("return document.documentElement.scrollWidth") <= 320
    finally:
        driver.quit()


def test_the_player_weighs_less_than_100_kb_compressed(stage):
    driver = browser()
    try:
        driver.get(watch(stage))
        wait(lambda: playing(driver), 15, "plays")
        # MUT: what the page loaded, apart from the video and the catalog's images
        loaded = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
    finally:
        driver.quit()
    code = [u for u in loaded if u.split("?")[0].endswith((".js", ".css"))]
    assert any(u.endswith("/player/player.js") for u in code) and any(u.endswith("/player/mse.js") for u in code)
    total = len(gzip.compress(requests.get(watch(stage)).content))
    for url in code:
        total += len(gzip.compress(requests.get(url).content))
    print(f"player: {len(code)} files of code, {total} bytes gzip-compressed with the page")
    assert total <= 100 * 1024, total


def test_the_show_ends_into_a_replay_with_chapters_and_deep_links(stage):
    server, owner = stage["server"], stage["owner"]
    host = Client(server, stage["show"], session=owner)
    first, second = stage["products"][0], stage["products"][1]
    assert host.ask(type="pin", productId=first["id"])["type"] == "ack"
    time.sleep(4)
    assert host.ask(type="pin", productId=second["id"])["type"] == "ack"
    time.sleep(4)
    host.close()
    driver = browser()
    try:
        driver.get(watch(stage))
        wait(lambda: playing(driver), 15, "plays live")
        time.sleep(5)
        # MUT: the host ends the show while the viewer watches
        r = owner.request("POST", f"/api/brands/{stage['brand']}/shows/{stage['show']}/transitions",
                          json={"event": "ended"})
        assert r.status_code == 200, r.text
        # validate: without a reload the page becomes the replay, with its chapters
        wait(lambda: driver.find_element(By.CSS_SELECTOR, ".badge").text == "REPLAY", 20, "the replay badge")
        chapters = wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".chapters li"), 20, "chapters")
        texts = [c.text for c in chapters]
        assert any(first["title"] in t and "€19.00" in t for t in texts), texts
        assert any(second["title"] in t for t in texts), texts
        wait(lambda: playing(driver), 20, "the replay plays")
        timeline = requests.get(f"{server.url}/api/public/brands/{stage['slug']}/shows/{stage['show']}/timeline").json()["items"]
        pin = next(e["product"] for e in timeline
                   if e["type"] == "product_pinned" and e["product"]["productId"] == second["id"])

        # ?product= starts at that product's pin, shown
        driver.get(watch(stage, f"?product={second['handle']}"))
        wait(lambda: playing(driver), 20, "plays from the product")
        assert abs(media_time(driver) - pin["at"]) < 2.5, (media_time(driver), pin["at"])
        assert second["title"] in driver.find_element(By.CSS_SELECTOR, ".pinned").text
        # ?t= starts that many seconds into the show
        driver.get(watch(stage, "?t=7"))
        wait(lambda: playing(driver), 20, "plays from t=7")
        origin = driver.execute_script("return window.vitrinePlayer.origin()")
        assert origin is not None and abs(media_time(driver) - origin - 7) < 2.5, (media_time(driver), origin)
        # the last chapter jumps to the last pin
        last = [e for e in timeline if e["type"] == "product_pinned"][-1]["product"]
        driver.find_elements(By.CSS_SELECTOR, ".chapters li button")[-1].click()
        wait(lambda: abs(media_time(driver) - last["at"]) < 2.5, 10, "the chapter's moment")
        shot(driver, "player-vertical-replay-desktop.png")
    finally:
        driver.quit()


def test_oembed_and_open_graph_describe_a_shared_link(stage):
    server = stage["server"]
    page = requests.get(watch(stage)).text
    assert '<meta property="og:title" content="Le live cachemire">' in page
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["@type"] == "VideoObject" and ld["name"] == "Le live cachemire"
    r = requests.get(f"{server.url}/api/oembed", params={"url": watch(stage), "maxwidth": 300})
    assert r.status_code == 200, r.text
    embed = r.json()
    assert embed["type"] == "video" and embed["width"] == 300 and embed["height"] == 533
    assert f'src="http://127.0.0.1:{stage["port"]}/watch/{stage["show"]}"' in embed["html"]
    assert requests.get(f"{server.url}/api/oembed", params={"url": "https://elsewhere.example/x"}).status_code == 404
