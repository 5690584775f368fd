#!/usr/bin/env python3
"""Live video benchmark: glass-to-glass latency, seconds from the end of a show to a playable
replay, and CPU and memory of the server and of its ffmpeg per live stream.

The publisher (ffmpeg, as an encoder would) burns its own clock into the picture: 24 black or
white bars carry the milliseconds since it started. Headless Chromium plays the live playlist,
reads the bars back from the frame on screen through a canvas, and compares with its own clock
(the same machine's). Then the viewer's player (/watch): its first video frame after a fresh load, and the same
latency through its own MSE loader. Run by scripts/test.sh at smoke size; `--seconds 60` for the
figures kept in docs/benchmarks.md.

    .build/test-venv/bin/python bench/live_latency.py --seconds 60
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from conftest import PASSWORD, Server, Session, create_owner, free_port  # noqa: E402

BARS = 24
# Milliseconds from navigation start to the first video frame the player presents.
FIRST_FRAME = """
const done = arguments[arguments.length - 1];
const look = () => {
  const v = document.querySelector('video.video');
  if (!v) { setTimeout(look, 5); return; }
  v.requestVideoFrameCallback((now) => done(now));
};
look();
"""
READER = """
const video = document.getElementById('v');
const canvas = document.createElement('canvas');
const samples = [];
window.samples = samples;
function read() {
  if (video.readyState >= 2 && video.videoWidth) {
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    g.drawImage(video, 0, 0);
    const row = g.getImageData(0, Math.floor(canvas.height / 2), canvas.width, 1).data;
    let value = 0;
    for (let bit = 0; bit < %(bars)d; bit++) {
      const x = Math.floor((bit + 0.5) * canvas.width / %(bars)d);
      if (row[x * 4] > 128) value += 2 ** bit;
    }
    samples.push([Date.now(), value, video.currentTime]);
  }
  setTimeout(read, 100);
}
read();
""" % {"bars": BARS}


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long to measure the latency")
    parser.add_argument("--loads", type=int, default=10, help="fresh loads of the player to time its first frame")
    parser.add_argument("--player-seconds", type=int, default=20, help="how long to measure the player's latency")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="vitrine-bench-")
    env = {"VITRINE_RTMP_GRACE": "30", "VITRINE_LOG_LEVEL": "warning"}
    slug = create_owner(data, "bench@example.com", "Bench", env=env)
    server = Server(data, free_port(), env=env)
    publisher = driver = None
    try:
        owner = Session(server.url, "bench@example.com", PASSWORD)
        brand = owner.brand_id(slug)
        start = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        show = owner.request("POST", f"/api/brands/{brand}/shows", json={
            "title": "Bench", "scheduledStart": start, "orientation": "horizontal"}).json()["id"]
        key = owner.request("POST", f"/api/brands/{brand}/shows/{show}/stream-key").json()["streamKey"]
        owner.request("POST", f"/api/brands/{brand}/shows/{show}/transitions", json={"event": "live"})
        # The clock in the picture: bar i is white when bit i of the milliseconds since start is set.
        bars = f"if(eq(mod(floor(T*1000/pow(2\\,floor(X*{BARS}/W)))\\,2)\\,1)\\,235\\,16)"
        duration = args.seconds + args.player_seconds + 3 * args.loads + 40
        published_at = time.time()
        publisher = subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
             "color=c=black:s=426x240:r=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
             "-vf", f"geq=lum='{bars}':cb=128:cr=128", "-c:v", "libx264", "-preset", "ultrafast",
             "-tune", "zerolatency", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-b:a", "64k", "-t", str(duration), "-f", "flv",
             f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        hls = f"{server.url}/hls/{show.lower()}"
        deadline = time.time() + 30
        while time.time() < deadline:
            r = requests.get(f"{hls}/live.m3u8")
            if r.status_code == 200 and r.text.count(".m4s") >= 3:
                break
            time.sleep(0.2)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--autoplay-policy=no-user-gesture-required"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                                  options=options)
        driver.get(server.url + "/admin/")
        driver.execute_script(
            "const v = document.createElement('video'); v.id = 'v'; v.muted = true; v.autoplay = true;"
            "v.src = arguments[0]; document.body.append(v); v.play().catch(() => {});", f"{hls}/live.m3u8")
        driver.execute_script(READER)
        # CPU and memory over the measuring window, for the server and the show's ffmpeg.
        packager = int(subprocess.run(["pgrep", "-f", f"{data}/hls/"], capture_output=True,
                                      text=True).stdout.split()[0])
        before = (time.time(), cpu_seconds(server.process.pid), cpu_seconds(packager))
        time.sleep(args.seconds)
        after = (time.time(), cpu_seconds(server.process.pid), cpu_seconds(packager))
        memory = (rss_mib(server.process.pid), rss_mib(packager))
        samples = driver.execute_script("return window.samples")
        # Skip the first 3 s of playback (start-up), and frames whose bars were not read cleanly.
        wall = published_at * 1000
        latencies = [(now - (wall + value)) / 1000 for now, value, current in samples[30:]
                     if 0 < now - (wall + value) < 60_000]
        # The player (/watch): time to its first video frame from a fresh load (navigation start to
        # the frame presented), then glass-to-glass latency through its own MSE loader.
        player = f"{server.url}/watch/{show.lower()}"
        first_frames = []
        for _ in range(args.loads):
            driver.get(player)
            first_frames.append(driver.execute_async_script(FIRST_FRAME) / 1000)
        driver.execute_script("document.querySelector('video.video').id = 'v';")
        driver.execute_script(READER)
        watch_start = time.time()
        time.sleep(args.player_seconds)
        player_samples = driver.execute_script("return window.samples")
        player_latencies = [(now - (wall + value)) / 1000 for now, value, current in player_samples[30:]
                            if 0 < now - (wall + value) < 60_000]
        # The end of the show: time until the replay playlist is closed and its first segment served.
        ended = time.time()
        publisher.send_signal(signal.SIGINT)
        publisher.wait(timeout=30)
        owner.request("POST", f"/api/brands/{brand}/shows/{show}/transitions", json={"event": "ended"})
        while time.time() < ended + 60:
            replay = requests.get(f"{hls}/event.m3u8").text
            if "#EXT-X-ENDLIST" in replay:
                first = next(l for l in replay.splitlines() if l.endswith(".m4s"))
                if requests.get(f"{hls}/{first}").status_code == 200:
                    break
            time.sleep(0.05)
        to_replay = time.time() - ended
        span = after[0] - before[0]
        result = {
            "latency_median_s": round(statistics.median(latencies), 2) if latencies else None,
            "latency_p95_s": round(sorted(latencies)[int(len(latencies) * 0.95)], 2) if latencies else None,
            "latency_samples": len(latencies),
            "end_to_replay_s": round(to_replay, 2),
            "server_cpu_percent_of_one_core": round(100 * (after[1] - before[1]) / span, 1),
            "ffmpeg_cpu_percent_of_one_core": round(100 * (after[2] - before[2]) / span, 1),
            "server_rss_mib": round(memory[0], 1),
            "ffmpeg_rss_mib": round(memory[1], 1),
            "measured_seconds": args.seconds,
            "player_first_frame_median_s": round(statistics.median(first_frames), 2),
            "player_first_frame_max_s": round(max(first_frames), 2),
            "player_loads": len(first_frames),
            "player_latency_median_s": round(statistics.median(player_latencies), 2) if player_latencies else None,
            "player_latency_p95_s": round(sorted(player_latencies)[int(len(player_latencies) * 0.95)], 2)
            if player_latencies else None,
        }
        print(json.dumps(result, indent=2))
        if not latencies:
            sys.exit("no frame clock could be read back: latency unknown")
    finally:
        if driver:
            driver.quit()
        if publisher and publisher.poll() is None:
            publisher.kill()
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
