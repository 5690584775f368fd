"""Live video end to end: a real ffmpeg publishes over RTMP as OBS would; the server packages it
with ffmpeg into fMP4 HLS; the playlists, segments, the replay and the failure cases are read back
with requests and ffprobe. Small streams (240p, 1 s keyframes, ultrafast) keep two cores calm."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from datetime import datetime, timedelta, timezone

import shutil

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService

from conftest import BIN, ROOT, Server, Session, create_owner, free_port, vitrine

LIVE = {"VITRINE_RTMP_GRACE": "8"}


def publish(port, key, seconds, extra=(), size="426x240"):
    """ffmpeg publishing a test pattern with a tone, as an encoder would (H.264 + AAC, 1 s GOP);
    `size` 240x426 for a phone held upright."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-c:v", "libx264", "-preset", "ultrafast",
         "-tune", "zerolatency", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "64k", *extra, "-t", str(seconds), "-f", "flv", f"rtmp://127.0.0.1:{port}/live/{key}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


def chromium(*flags):
    """Headless Debian Chromium through chromedriver, with `flags` added."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 "--autoplay-policy=no-user-gesture-required", *flags):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=ChromeService(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                            options=options)


def log_in(driver, server):
    """Logs the owner in through the admin app's form."""
    from selenium.webdriver.common.by import By
    driver.get(server.url + "/admin/")
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, "input[name=email]"), 20, "login form")
    driver.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys("owner@example.com")
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys("correct horse battery")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(lambda: "#/brands/" in driver.current_url, 20, "logged in")


def play(base, path, seconds=4, page=None):
    """Headless Chromium plays an HLS playlist in a <video> (or the first video of `page`); returns
    its currentTime each second."""
    driver = chromium()
    try:
        if page:
            driver.get(base + page)
            driver.execute_script("const v = document.querySelector('video'); v.id = 'v'; v.play().catch(() => {});")
        else:
            driver.get(base + "/admin/")
            driver.execute_script(
                "const v = document.createElement('video'); v.id = 'v'; v.muted = true; v.autoplay = true;"
                "v.src = arguments[0]; document.body.append(v); v.play().catch(() => {});", base + path)
        times = []
        for _ in range(seconds + 1):
            time.sleep(1)
            times.append(driver.execute_script(
                "const v = document.getElementById('v'); return v.error ? -1 : v.currentTime"))
        return times
    finally:
        driver.quit()


def segments(text):
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def probe(server, show, init, segment):
    """ffprobe of an init segment followed by one media segment: codecs, media time of its first
    frame, and the seconds of video it holds (its frames at 25 per second)."""
    base = f"{server.url}/hls/{show.lower()}"
    with tempfile.NamedTemporaryFile(suffix=".mp4") as f:
        for name in (init, segment):
            r = requests.get(f"{base}/{name}")
            assert r.status_code == 200, (name, r.status_code)
            f.write(r.content)
        f.flush()
        streams = json.loads(subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,start_time", "-of", "json", f.name],
            capture_output=True, text=True, check=True).stdout)["streams"]
        frames = json.loads(subprocess.run(
            ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
             "stream=nb_read_frames", "-of", "json", f.name], capture_output=True, text=True, check=True).stdout)
    video_start = min(float(s["start_time"]) for s in streams if s["codec_name"] == "h264")
    return {s["codec_name"] for s in streams}, video_start, int(frames["streams"][0]["nb_read_frames"]) / 25


@pytest.fixture
def studio(data_dir):
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=LIVE)
    server = Server(data_dir, free_port(), env=LIVE)
    owner = Session(server.url, "owner@example.com")
    brand = owner.brand_id(slug)

    def new_show(title="Jeudi beauté"):
        start = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        show = owner.request("POST", f"/api/brands/{brand}/shows", json={"title": title, "scheduledStart": start}).json()
        key = owner.request("POST", f"/api/brands/{brand}/shows/{show['id']}/stream-key").json()
        assert key["server"] == f"rtmp://localhost:{server.rtmp_port}/live"
        return show["id"], key["streamKey"]

    def move(show, event):
        r = owner.request("POST", f"/api/brands/{brand}/shows/{show}/transitions", json={"event": event})
        assert r.status_code == 200, r.text
        return r.json()

    yield server, owner, slug, brand, new_show, move
    server.stop()


def test_an_encoder_previews_goes_live_and_the_show_becomes_a_replay(studio):
    # setup
    server, owner, slug, brand, new_show, move = studio
    show, key = new_show()
    hls = f"{server.url}/hls/{show.lower()}"
    # MUT: the encoder connects before the show is live (preview)
    encoder = publish(server.rtmp_port, key, 14)
    try:
        preview = wait(lambda: (lambda r: r.status_code == 200 and len(segments(r.text)) >= 2 and r.text)(
            owner.request("GET", f"/hls/{show.lower()}/preview.m3u8")), 20, "preview playlist")
        # validate: the team previews; viewers see nothing yet
        assert "#EXT-X-MAP:URI=\"init-0.mp4\"" in preview
        assert requests.get(f"{hls}/live.m3u8").status_code == 404
        assert requests.get(f"{hls}/preview.m3u8").status_code == 404, "the preview is for the team"
        health = wait(lambda: (lambda h: h["frameRate"] > 0 and h["keyframeInterval"] and h)(
            owner.request("GET", f"/api/brands/{brand}/shows/{show}/stream").json()["health"]), 15, "health")
        assert health["publishing"] is True and health["audio"] is True
        assert not [w for w in health["warnings"] if "keyframe" in w or "audio" in w or "segments last" in w], health
        assert 20 <= health["frameRate"] <= 30 and 0.8 <= health["keyframeInterval"] <= 1.2, health
        assert health["bitrateKbps"] > 30
        metrics = requests.get(f"{server.url}/metrics").text
        assert "vitrine_live_publishers 1" in metrics
        assert f'vitrine_stream_frame_rate{{show="{show.lower()}"}}' in metrics
        went_live = move(show, "live")["wentLiveAt"]
        live = wait(lambda: (lambda r: r.status_code == 200 and r)(requests.get(f"{hls}/live.m3u8")), 10, "live")
        assert live.headers["Content-Type"] == "application/vnd.apple.mpegurl"
        assert live.headers["Cache-Control"] == "no-cache" and live.headers["Access-Control-Allow-Origin"] == "*"
        first_count = len(segments(requests.get(f"{hls}/event.m3u8").text))
        wait(lambda: len(segments(requests.get(f"{hls}/event.m3u8").text)) > first_count + 1, 10, "playlist grows")
        event = requests.get(f"{hls}/event.m3u8").text
        dates = re.findall(r"#EXT-X-PROGRAM-DATE-TIME:(\S+)", event)
        start = datetime.fromisoformat(went_live.replace("Z", "+00:00"))
        assert datetime.fromisoformat(dates[0]) >= start - timedelta(seconds=0.3), "public from Go live on"
        assert len(segments(event)) < len(segments(owner.request("GET", f"/hls/{show.lower()}/preview.m3u8").text)) \
            or "MEDIA-SEQUENCE:0" not in owner.request("GET", f"/hls/{show.lower()}/preview.m3u8").text
        codecs, media_start, duration = probe(server, show, "init-0.mp4", segments(event)[1])
        assert codecs == {"h264", "aac"}
        assert 0.7 <= duration <= 1.4, duration
        assert media_start > 0, "media time counts from the first frame received, preview included"
        segment = requests.get(f"{hls}/{segments(event)[1]}")
        assert segment.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert segment.headers["Content-Type"] == "video/iso.segment"
        partial = requests.get(f"{hls}/{segments(event)[1]}", headers={"Range": "bytes=0-99"})
        assert partial.status_code == 206 and len(partial.content) == 100
        assert encoder.wait(timeout=30) == 0, encoder.stderr.read()
        # The host ends the show: the playlist is closed and the replay plays.
        ended_at = time.time()
        move(show, "ended")
        wait(lambda: "#EXT-X-ENDLIST" in requests.get(f"{hls}/event.m3u8").text, 15, "ENDLIST")
        print(f"\nreplay closed {time.time() - ended_at:.2f} s after the end")
        public = requests.get(f"{server.url}/api/public/brands/{slug}/shows/{show}").json()
        assert public["replayAvailable"] is True and public["playlistUrl"] == f"/hls/{show.lower()}/event.m3u8"
        replay = requests.get(f"{hls}/event.m3u8").text
        assert len(segments(replay)) >= 6 and "#EXT-X-PLAYLIST-TYPE:EVENT" in replay
        assert key not in server.output(), "the stream key is never logged"
        # The brand downloads the replay as one MP4 file.
        mp4 = owner.request("GET", f"/api/brands/{brand}/shows/{show}/replay.mp4")
        assert mp4.status_code == 200 and mp4.headers["Content-Type"] == "video/mp4"
        assert "attachment" in mp4.headers["Content-Disposition"]
        with tempfile.NamedTemporaryFile(suffix=".mp4") as f:
            f.write(mp4.content)
            f.flush()
            info = json.loads(subprocess.run(
                ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name:format=duration", "-of", "json", f.name],
                capture_output=True, text=True, check=True).stdout)
        assert {s["codec_name"] for s in info["streams"]} == {"h264", "aac"}
        assert abs(float(info["format"]["duration"]) - len(segments(replay))) < 2.5, info["format"]
        assert requests.get(f"{server.url}/api/brands/{brand}/shows/{show}/replay.mp4").status_code == 401
        # An unpublished replay is not reachable by viewers (the team still sees it).
        move(show, "replay_unpublished")
        assert requests.get(f"{hls}/event.m3u8").status_code == 404
        assert requests.get(f"{hls}/{segments(replay)[0]}").status_code == 404
        assert owner.request("GET", f"/hls/{show.lower()}/event.m3u8").status_code == 200
        assert requests.get(f"{server.url}/api/public/brands/{slug}/shows/{show}").json().get("playlistUrl") is None
        move(show, "replay_published")
        page = requests.get(f"{server.url}/b/{slug}/shows/{show}?lang=en").text
        assert f'src="/hls/{show.lower()}/event.m3u8"' in page and "its replay is available" in page
        times = play(server.url, None, page=f"/b/{slug}/shows/{show}")
        assert times[0] >= 0 and times[-1] > times[0] + 1.5 and times[0] < 3, f"the replay plays from the start: {times}"
    finally:
        encoder.kill()


def test_wrong_keys_second_publishers_and_rotated_keys_are_refused(studio):
    # setup
    server, owner, slug, brand, new_show, move = studio
    show, key = new_show()
    # MUT / validate: a wrong key
    wrong = publish(server.rtmp_port, "live_not-a-key", 5)
    assert wrong.wait(timeout=20) != 0
    first = publish(server.rtmp_port, key, 40)
    try:
        wait(lambda: owner.request("GET", f"/hls/{show.lower()}/preview.m3u8").status_code == 200, 20, "preview")
        second = publish(server.rtmp_port, key, 5)
        assert second.wait(timeout=20) != 0, "one publisher per show"
        assert first.poll() is None, "the first publisher goes on"
        # Rotating the key cuts the current publisher off.
        rotated = owner.request("POST", f"/api/brands/{brand}/shows/{show}/stream-key/rotate").json()["streamKey"]
        first.wait(timeout=15)
        again = publish(server.rtmp_port, key, 5)
        assert again.wait(timeout=20) != 0, "the old key no longer works"
        log = server.output()
        assert "RTMP publish refused" in log
        for secret in (key, rotated, "live_not-a-key"):
            assert secret not in log
    finally:
        first.kill()


def packagers(data_dir):
    """The server's ffmpeg packagers for this data folder (pgrep on their output folder)."""
    r = subprocess.run(["pgrep", "-f", f"{data_dir}/hls/"], capture_output=True, text=True)
    return [int(p) for p in r.stdout.split()]


def test_a_reconnect_continues_the_show_and_a_killed_packager_restarts(studio, data_dir):
    # setup
    server, owner, slug, brand, new_show, move = studio
    show, key = new_show()
    move(show, "live")
    hls = f"{server.url}/hls/{show.lower()}"
    first = publish(server.rtmp_port, key, 5)
    assert first.wait(timeout=30) == 0
    wait(lambda: requests.get(f"{hls}/event.m3u8").status_code == 200, 10, "event playlist")
    before = requests.get(f"{hls}/event.m3u8").text
    # MUT: the encoder comes back within the grace period
    second = publish(server.rtmp_port, key, 50)
    try:
        wait(lambda: "init-1.mp4" in requests.get(f"{hls}/event.m3u8").text, 20, "second run")
        # validate: same show, same playlist, a discontinuity, and media time that goes on
        event = requests.get(f"{hls}/event.m3u8").text
        assert event.startswith(before.rstrip("\n").rsplit("\n", 0)[0][:20])
        assert "#EXT-X-DISCONTINUITY" in event
        runs = segments(event)
        last_of_first = [s for s in runs if s.startswith("seg-0-")][-1]
        first_of_second = [s for s in runs if s.startswith("seg-1-")][0]
        _, end_start, end_duration = probe(server, show, "init-0.mp4", last_of_first)
        _, next_start, _ = probe(server, show, "init-1.mp4", first_of_second)
        assert next_start >= end_start + end_duration - 0.05, (end_start, end_duration, next_start)
        assert requests.get(f"{server.url}/api/public/brands/{slug}/shows/{show}").json()["status"] == "live"
        # The packager is killed: a new one takes over after a discontinuity, the playlist keeps growing.
        pids = wait(lambda: packagers(data_dir), 10, "packager process")
        os.kill(pids[0], signal.SIGKILL)
        wait(lambda: "init-2.mp4" in requests.get(f"{hls}/event.m3u8").text, 20, "restarted packager")
        count = len(segments(requests.get(f"{hls}/event.m3u8").text))
        wait(lambda: len(segments(requests.get(f"{hls}/event.m3u8").text)) > count, 10, "growing after restart")
        assert requests.get(f"{hls}/event.m3u8").text.count("#EXT-X-DISCONTINUITY") == 2
        # A hung packager (stopped, not dead) is killed after 15 s without a segment, and replaced.
        pids = wait(lambda: packagers(data_dir), 10, "packager process")
        os.kill(pids[0], signal.SIGSTOP)
        wait(lambda: "init-3.mp4" in requests.get(f"{hls}/event.m3u8").text, 30, "hung packager replaced")
        assert "packager hung" in server.output()
    finally:
        second.kill()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_no_ffmpeg_is_left_when_the_server_stops(data_dir, stop):
    # setup
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=LIVE)
    server = Server(data_dir, free_port(), env=LIVE)
    owner = Session(server.url, "owner@example.com")
    brand = owner.brand_id(slug)
    start = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    show = owner.request("POST", f"/api/brands/{brand}/shows", json={"title": "X", "scheduledStart": start}).json()["id"]
    key = owner.request("POST", f"/api/brands/{brand}/shows/{show}/stream-key").json()["streamKey"]
    encoder = publish(server.rtmp_port, key, 60)
    try:
        wait(lambda: packagers(data_dir), 20, "packager running")
        # MUT
        server.process.send_signal(stop)
        server.process.wait(timeout=30)
        # validate
        wait(lambda: not packagers(data_dir), 15, "every packager gone")
        assert encoder.wait(timeout=15) is not None
    finally:
        encoder.kill()
        server.stop()


def test_the_demo_has_a_live_show_that_chromium_plays(data_dir):
    # setup
    port, rtmp = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")}
    env.update({"VITRINE_DATA_DIR": data_dir, "VITRINE_AUTH_BCRYPT_COST": "4"})
    # MUT: the newcomer's command
    demo = subprocess.Popen([os.path.abspath(BIN), "demo", "--http-port", str(port), "--rtmp-port", str(rtmp)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        def live_show():
            try:
                shows = requests.get(f"{base}/api/public/brands/maison-lumiere/shows", timeout=2).json()["items"]
            except (requests.ConnectionError, ValueError, KeyError):
                return None
            return next((s for s in shows if s["status"] == "live" and s["playlistUrl"]), None)
        show = wait(live_show, 60, "the demo show goes live")
        # validate: its lineup is the catalog's, its video plays in Chromium
        assert show["orientation"] == "vertical"
        wait(lambda: len(segments(requests.get(base + show["playlistUrl"]).text)) >= 3, 20, "segments")
        times = play(base, show["playlistUrl"])
        assert times[-1] > times[0] + 1.5 and min(times) >= 0, f"currentTime advances: {times}"
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=30)
    assert not packagers(data_dir), "no ffmpeg left"


def test_the_host_is_warned_of_a_long_keyframe_interval_and_sees_the_preview_in_the_studio(studio):
    # setup
    server, owner, slug, brand, new_show, move = studio
    show, key = new_show()
    # MUT: keyframes every 5 s, as an encoder left on its default settings
    encoder = publish(server.rtmp_port, key, 30, extra=("-g", "125", "-keyint_min", "125"))
    driver = chromium("--window-size=1280,900", "--lang=en-US")
    try:
        # validate: the API says what to fix
        health = wait(lambda: (lambda h: any("keyframe" in w for w in h["warnings"]) and h)(
            owner.request("GET", f"/api/brands/{brand}/shows/{show}/stream").json()["health"]), 25, "a warning")
        warning = next(w for w in health["warnings"] if "keyframe" in w)
        assert "keyframe interval 5.0 s" in warning and "set it to 1 s" in warning, warning
        # … and so does the studio, with the preview playing before the show is live
        from selenium.webdriver.common.by import By
        log_in(driver, server)
        driver.get(f"{server.url}/admin/#/brands/{brand}/shows/{show}")
        card = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "[aria-labelledby=streamhealth-title]"), 20, "card")[0]
        wait(lambda: "Encoder connected" in card.text and "keyframe interval 5.0 s" in card.text, 20, "studio health")
        wait(lambda: driver.execute_script("return document.querySelector('.stream-preview').currentTime") > 1,
             30, "the preview plays")
    finally:
        driver.quit()
        encoder.kill()


def test_a_private_shows_video_needs_its_signed_token(studio):
    # setup: a private show, live, streaming
    server, owner, slug, brand, new_show, move = studio
    start = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    show = owner.request("POST", f"/api/brands/{brand}/shows", json={
        "title": "Clientes privées", "format": "private", "accessCode": "SALON-7", "scheduledStart": start}).json()["id"]
    key = owner.request("POST", f"/api/brands/{brand}/shows/{show}/stream-key").json()["streamKey"]
    move(show, "live")
    encoder = publish(server.rtmp_port, key, 25)
    hls = f"{server.url}/hls/{show.lower()}"
    try:
        wait(lambda: len(segments(owner.request("GET", f"/hls/{show.lower()}/live.m3u8").text)) >= 3, 25,
             "live playlist with a few segments")
        # MUT: a viewer with the access code gets the show, and its playlist with a token
        resource = requests.get(f"{server.url}/api/public/brands/{slug}/shows/{show}", params={"code": "SALON-7"}).json()
        url = resource["playlistUrl"]
        token = url.split("token=")[1]
        playlist = requests.get(server.url + url)
        # validate
        assert playlist.status_code == 200
        uris = segments(playlist.text)
        assert uris and all(u.endswith(f"?token={token}") for u in uris)
        assert f'init-0.mp4?token={token}"' in playlist.text
        segment = requests.get(f"{hls}/{uris[0]}")
        assert segment.status_code == 200 and segment.headers["Cache-Control"].startswith("private")
        bare = uris[0].split("?")[0]
        assert requests.get(f"{hls}/{bare}").status_code == 403, "no token"
        assert requests.get(f"{hls}/live.m3u8").status_code == 403
        expiry, signature = token.split(".")
        forged = f"{int(expiry) + 3600}.{signature}"
        assert requests.get(f"{hls}/{bare}?token={forged}").status_code == 403, "a changed expiry breaks the signature"
        other = owner.request("POST", f"/api/brands/{brand}/shows", json={
            "title": "Autre", "format": "private", "scheduledStart": start}).json()["id"]
        assert requests.get(f"{server.url}/hls/{other.lower()}/live.m3u8?token={token}").status_code == 403, \
            "a token opens its own show only"
        times = play(server.url, url)
        assert times[-1] > times[0] + 1.5, f"the guest's player plays: {times}"
    finally:
        encoder.kill()


def test_a_host_goes_live_from_the_browser(studio):
    # setup: Chromium with a fake camera and microphone, logged in as the owner
    server, owner, slug, brand, new_show, move = studio
    show, _ = new_show("Depuis le téléphone")
    from selenium.webdriver.common.by import By
    driver = chromium("--window-size=420,900", "--lang=en-US", "--use-fake-device-for-media-stream",
                      "--use-fake-ui-for-media-stream")
    try:
        log_in(driver, server)
        # MUT: the go-live page, camera on, stream
        driver.get(f"{server.url}/studio/{show}/go-live")
        camera = wait(lambda: driver.find_elements(By.XPATH, "//button[normalize-space()='Turn the camera on']"), 20,
                      "go-live page")[0]
        camera.click()
        wait(lambda: driver.find_element(By.XPATH, "//button[normalize-space()='Start streaming']").is_enabled(), 20,
             "camera on")
        driver.find_element(By.XPATH, "//button[normalize-space()='Start streaming']").click()
        wait(lambda: driver.execute_script("return window.vitrineStreaming === true"), 20, "streaming")
        # validate: the packager writes H.264 + AAC segments, vertical as the show asks
        preview = wait(lambda: (lambda r: r.status_code == 200 and len(segments(r.text)) >= 3 and r.text)(
            owner.request("GET", f"/hls/{show.lower()}/preview.m3u8")), 40, "preview from the browser")
        name = segments(preview)[-1]
        with tempfile.NamedTemporaryFile(suffix=".mp4") as f:
            for part in ("init-0.mp4", name):
                f.write(owner.request("GET", f"/hls/{show.lower()}/{part}").content)
            f.flush()
            info = json.loads(subprocess.run(
                ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "json", f.name],
                capture_output=True, text=True, check=True).stdout)
        codecs = {s["codec_name"] for s in info["streams"]}
        assert codecs == {"h264", "aac"}, info
        video = next(s for s in info["streams"] if s["codec_name"] == "h264")
        assert video["height"] > video["width"], f"a 9:16 stream: {video}"
        assert owner.request("GET", f"/api/brands/{brand}/shows/{show}/stream").json()["health"]["publishing"]
        # "Go live" from the same page makes it public.
        driver.find_element(By.XPATH, "//button[normalize-space()='Go live']").click()
        wait(lambda: requests.get(f"{server.url}/hls/{show.lower()}/live.m3u8").status_code == 200, 20, "public")
        # A WebSocket from another site is refused (Origin), and so is one without a session.
        refused = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Connection: Upgrade", "-H",
             "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
             "-H", "Origin: https://evil.example", "-b", "; ".join(f"{c.name}={c.value}" for c in owner.http.cookies),
             f"{server.url}/api/brands/{brand}/shows/{show}/ingest"], capture_output=True, text=True).stdout
        assert refused in ("400", "403"), f"no upgrade (101) for another site: {refused}"
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
                  and not ("/api/me" in e["message"] and "401" in e["message"])]
        assert errors == [], errors
    finally:
        driver.quit()


def test_streams_vitrine_cannot_carry_are_refused_with_a_reason(studio):
    # setup
    server, owner, slug, brand, new_show, move = studio
    show, key = new_show()
    url = f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"
    # MUT: Sorenson video (not H.264), then audio only
    other_codec = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
         "-c:v", "flv1", "-t", "6", "-f", "flv", url], capture_output=True, text=True, timeout=60)
    audio_only = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440",
         "-c:a", "aac", "-t", "12", "-f", "flv", url], capture_output=True, text=True, timeout=60)
    # validate
    log = server.output()
    assert "the video is not H.264" in log
    assert "the stream has no video" in log
    assert other_codec.returncode != 0 or "RTMP stream refused" in log
    # The server is unaffected: a good stream goes through afterwards.
    good = publish(server.rtmp_port, key, 4)
    assert good.wait(timeout=30) == 0
    assert owner.request("GET", f"/hls/{show.lower()}/preview.m3u8").status_code == 200


def test_a_show_is_simulcast_to_another_rtmp_server(data_dir):
    # setup: two shows; the first simulcasts to the second through Vitrine's own ingest on loopback
    env = {**LIVE, "VITRINE_SIMULCAST_PRIVATE_ALLOWED": "true"}
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=env)
    server = Server(data_dir, free_port(), env=env)
    try:
        owner = Session(server.url, "owner@example.com")
        brand = owner.brand_id(slug)
        start = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        shows = [owner.request("POST", f"/api/brands/{brand}/shows",
                               json={"title": title, "scheduledStart": start}).json()["id"] for title in ("A", "B")]
        keys = [owner.request("POST", f"/api/brands/{brand}/shows/{s}/stream-key").json()["streamKey"] for s in shows]
        # MUT
        added = owner.request("POST", f"/api/brands/{brand}/shows/{shows[0]}/destinations", json={
            "name": "Partenaire", "url": f"rtmp://127.0.0.1:{server.rtmp_port}/live", "streamKey": keys[1]})
        assert added.status_code == 201, added.text
        assert added.json()["keyHint"] == keys[1][-4:] and keys[1] not in added.text, "the key stays masked"
        encoder = publish(server.rtmp_port, keys[0], 20)
        try:
            # validate: the second show receives the first one's stream, and the first shows it streaming
            wait(lambda: len(segments(owner.request("GET", f"/hls/{shows[1].lower()}/preview.m3u8").text)) >= 2,
                 30, "the destination receives the stream")
            health = owner.request("GET", f"/api/brands/{brand}/shows/{shows[0]}/stream").json()["health"]
            assert [(d["name"], d["state"]) for d in health["simulcast"]] == [("Partenaire", "streaming")]
            assert keys[1] not in server.output(), "the destination's key is never logged"
        finally:
            encoder.kill()
    finally:
        server.stop()


def test_a_show_left_live_by_a_killed_server_ends_when_its_encoder_does_not_return(data_dir):
    # setup: a live show streaming, then the server is killed outright
    env = {"VITRINE_RTMP_GRACE": "4"}
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=env)
    server = Server(data_dir, free_port(), env=env)
    owner = Session(server.url, "owner@example.com")
    brand = owner.brand_id(slug)
    start = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    show = owner.request("POST", f"/api/brands/{brand}/shows", json={"title": "X", "scheduledStart": start}).json()["id"]
    key = owner.request("POST", f"/api/brands/{brand}/shows/{show}/stream-key").json()["streamKey"]
    owner.request("POST", f"/api/brands/{brand}/shows/{show}/transitions", json={"event": "live"})
    encoder = publish(server.rtmp_port, key, 30)
    try:
        wait(lambda: len(segments(requests.get(f"{server.url}/hls/{show.lower()}/event.m3u8").text)) >= 3, 20,
             "segments")
        server.process.kill()
        server.process.wait(timeout=10)
        encoder.kill()
        # MUT: the server comes back; the encoder does not
        server = Server(data_dir, free_port(), env=env)
        # validate: after the grace period the show ends, and its replay is closed and served
        public = f"{server.url}/api/public/brands/{slug}/shows/{show}"
        wait(lambda: requests.get(public).json()["status"] == "ended", 30, "the show ends")
        replay = wait(lambda: (lambda t: "#EXT-X-ENDLIST" in t and t)(
            requests.get(f"{server.url}/hls/{show.lower()}/event.m3u8").text), 15, "the replay is closed")
        assert len(segments(replay)) >= 3
    finally:
        encoder.kill()
        server.stop()


def test_a_brand_with_renditions_gets_720p_and_360p_with_a_master_playlist(studio):
    # setup: the brand turns renditions on; the encoder sends 640×480
    server, owner, slug, brand, new_show, move = studio
    assert owner.request("PATCH", f"/api/brands/{brand}", json={"renditions": True}).json()["renditions"] is True
    show, key = new_show()
    move(show, "live")
    hls = f"{server.url}/hls/{show.lower()}"
    encoder = subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=640x480:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-c:v", "libx264", "-preset", "ultrafast",
         "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", "14",
         "-f", "flv", f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # MUT / validate: a master playlist with the source and two renditions
        # Each rendition is listed once its first segments exist.
        master = wait(lambda: (lambda r: r.status_code == 200 and len(segments(r.text)) == 3 and r.text)(
            requests.get(f"{hls}/master.m3u8")), 30, "master playlist with the renditions")
        assert segments(master) == ["live.m3u8", "r720/live.m3u8", "r360/live.m3u8"]
        assert master.count("#EXT-X-STREAM-INF:BANDWIDTH=") == 3
        low = wait(lambda: (lambda t: len(segments(t)) >= 2 and t)(requests.get(f"{hls}/r360/live.m3u8").text), 30,
                   "360p segments")
        with tempfile.NamedTemporaryFile(suffix=".mp4") as f:
            for name in (re.search(r'URI="([^"]+)"', low).group(1), segments(low)[-1]):
                r = requests.get(f"{hls}/r360/{name}")
                assert r.status_code == 200, name
                f.write(r.content)
            f.flush()
            info = json.loads(subprocess.run(
                ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,height", "-of", "json", f.name],
                capture_output=True, text=True, check=True).stdout)
        video = next(s for s in info["streams"] if s["codec_name"] == "h264")
        assert video["height"] == 360, info
        assert {s["codec_name"] for s in info["streams"]} == {"h264", "aac"}
        public = requests.get(f"{server.url}/api/public/brands/{slug}/shows/{show}").json()
        assert public["playlistUrl"] == f"/hls/{show.lower()}/master.m3u8"
        times = play(server.url, f"/hls/{show.lower()}/master.m3u8")
        assert times[-1] > times[0] + 1.5, f"Chromium plays the master playlist: {times}"
        assert requests.get(f"{hls}/r999/live.m3u8").status_code == 404
        assert requests.get(f"{hls}/etc/passwd").status_code == 404, "only rendition folders"
        assert requests.get(f"{hls}/r360/master.m3u8").status_code == 404
        encoder.wait(timeout=40)
        move(show, "ended")
        replay = wait(lambda: (lambda t: "#EXT-X-ENDLIST" in t and t)(requests.get(f"{hls}/r360/event.m3u8").text), 15,
                      "360p replay closed")
        assert segments(requests.get(f"{hls}/master-replay.m3u8").text)[2] == "r360/event.m3u8"
        assert len(segments(replay)) >= 5
    finally:
        encoder.kill()
