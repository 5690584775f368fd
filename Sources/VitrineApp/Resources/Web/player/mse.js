// Plays Vitrine's own fMP4 HLS through Media Source Extensions, keeping each segment's own
// timestamps: `video.currentTime` is then the show's media time (the `at` of realtime events) in
// every browser with MSE. Where MSE is missing (iPhone Safari), the browser's native HLS plays and
// media time is derived from EXT-X-PROGRAM-DATE-TIME and `getStartDate()` (untested here: no
// such browser runs on our machines).
//
// Not a general HLS player: one rendition (the first of a master playlist), fMP4 segments with
// EXT-X-MAP, H.264 and AAC, as Vitrine's packager writes them.

const AHEAD = 20; // seconds buffered ahead of the playhead
const BEHIND = 30; // seconds kept behind it
const START_SEGMENTS = 3; // a live start begins this many segments before the newest

/** Parses a media or master playlist; URIs are made absolute against `base`. */
export function parsePlaylist(text, base) {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '#EXTM3U') throw new Error('not an HLS playlist');
  const out = { variants: [], segments: [], sequence: 0, target: 1, ended: false };
  let duration = 0;
  let map = null;
  let date = null;
  let discontinuity = false;
  let pendingVariant = null;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#EXT-X-STREAM-INF:')) {
      pendingVariant = { bandwidth: Number(/BANDWIDTH=(\d+)/.exec(line)?.[1] ?? 0) };
    } else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) out.sequence = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-TARGETDURATION:')) out.target = Number(line.slice(22)) || 1;
    else if (line.startsWith('#EXT-X-ENDLIST')) out.ended = true;
    else if (line.startsWith('#EXT-X-MAP:')) map = new URL(/URI="([^"]+)"/.exec(line)?.[1] ?? '', base).href;
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) date = Date.parse(line.slice(25));
    else if (line.startsWith('#EXT-X-DISCONTINUITY')) discontinuity = true;
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (!line.startsWith('#')) {
      const uri = new URL(line, base).href;
      if (pendingVariant) {
        out.variants.push({ ...pendingVariant, uri });
        pendingVariant = null;
      } else {
        out.segments.push({ seq: out.sequence + out.segments.length, uri, duration, map, date, discontinuity });
        duration = 0;
        date = null;
        discontinuity = false;
      }
    }
  }
  return out;
}

// MARK: ISO BMFF (just what is needed: track time scales, codecs, a fragment's start)

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'moof', 'traf', 'mvex', 'edts']);

function* boxes(view, start, end) {
  let p = start;
  while (p + 8 <= end) {
    let size = view.getUint32(p);
    const type = String.fromCharCode(view.getUint8(p + 4), view.getUint8(p + 5), view.getUint8(p + 6), view.getUint8(p + 7));
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(p + 8));
      header = 16;
    } else if (size === 0) size = end - p;
    if (size < header) return;
    const boxEnd = Math.min(p + size, end); // a ranged fetch may cut the last box
    yield { type, body: p + header, end: boxEnd, whole: p + size <= end };
    p += size;
  }
}

function find(view, start, end, path) {
  const found = [];
  for (const box of boxes(view, start, end)) {
    if (box.type !== path[0]) continue;
    if (path.length === 1) found.push(box);
    else if (CONTAINERS.has(box.type)) found.push(...find(view, box.body, box.end, path.slice(1)));
  }
  return found;
}

/** An init segment's tracks (id → time scale and kind) and the MSE codecs string. */
export function parseInit(buffer) {
  const view = new DataView(buffer);
  const tracks = new Map();
  for (const trak of find(view, 0, view.byteLength, ['moov', 'trak'])) {
    const tkhd = find(view, trak.body, trak.end, ['tkhd'])[0];
    const mdhd = find(view, trak.body, trak.end, ['mdia', 'mdhd'])[0];
    const hdlr = find(view, trak.body, trak.end, ['mdia', 'hdlr'])[0];
    if (!tkhd || !mdhd || !hdlr) continue;
    const id = view.getUint32(tkhd.body + (view.getUint8(tkhd.body) === 1 ? 20 : 12));
    const scale = view.getUint32(mdhd.body + (view.getUint8(mdhd.body) === 1 ? 20 : 12));
    const kind = String.fromCharCode(...new Uint8Array(buffer, hdlr.body + 8, 4));
    tracks.set(id, { scale, kind });
  }
  const bytes = new Uint8Array(buffer);
  const codecs = [];
  const avcC = indexOf(bytes, [0x61, 0x76, 0x63, 0x43]);
  if (avcC >= 0) {
    const hex = (n) => n.toString(16).padStart(2, '0');
    codecs.push(`avc1.${hex(bytes[avcC + 5])}${hex(bytes[avcC + 6])}${hex(bytes[avcC + 7])}`);
  }
  if (indexOf(bytes, [0x6d, 0x70, 0x34, 0x61]) >= 0) codecs.push('mp4a.40.2');
  return { tracks, codecs: codecs.join(',') };
}

function indexOf(bytes, pattern) {
  outer: for (let i = 0; i + pattern.length <= bytes.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

/** The media time (seconds) at which a media segment starts: its video track's `tfdt`. */
export function fragmentStart(buffer, tracks) {
  const view = new DataView(buffer);
  let best = null;
  for (const traf of find(view, 0, view.byteLength, ['moof', 'traf'])) {
    const tfhd = find(view, traf.body, traf.end, ['tfhd'])[0];
    const tfdt = find(view, traf.body, traf.end, ['tfdt'])[0];
    if (!tfhd || !tfdt) continue;
    const track = tracks.get(view.getUint32(tfhd.body + 4));
    if (!track) continue;
    const base = view.getUint8(tfdt.body) === 1 ? Number(view.getBigUint64(tfdt.body + 4)) : view.getUint32(tfdt.body + 4);
    const start = base / track.scale;
    if (track.kind === 'vide') return start;
    best = best === null ? start : Math.min(best, start);
  }
  return best;
}

// MARK: The player

async function fetchBytes(url, { range, signal } = {}) {
  const response = await fetch(url, { signal, headers: range ? { Range: `bytes=${range}` } : {} });
  if (!response.ok) throw new Error(`${response.status} for ${url}`);
  return response.arrayBuffer();
}

async function fetchText(url, signal) {
  const response = await fetch(url, { signal, cache: 'no-cache' });
  if (!response.ok) throw new Error(`${response.status} for ${url}`);
  return response.text();
}

/** Whether this browser can play through MSE (else native HLS is used). */
export function mseAvailable() {
  return typeof window.MediaSource === 'function' && MediaSource.isTypeSupported('video/mp4; codecs="avc1.42e01e,mp4a.40.2"');
}

/**
 * Plays a playlist into `video`. Events: `ready`, `error` (detail: message), `ended-stream`.
 * `mediaTime` is the media time of the frame on screen; `liveEdge` the end of the newest segment.
 */
export class HlsPlayer extends EventTarget {
  constructor(video, url) {
    super();
    this.video = video;
    this.url = new URL(url, location.href).href;
    this.segments = new Map(); // seq → segment of either playlist
    this.starts = new Map(); // seq → media time measured from the segment itself
    this.inits = new Map(); // init URI → parsed init
    this.live = true;
    this.ended = false;
    this.liveEdge = null;
    this.native = !mseAvailable();
    this.timers = new Set();
    this.controller = new AbortController();
    this.nativeOffset = null;
  }

  /**
   * Starts playback at media time `at`, or `offset` seconds after the show's start, or near the
   * live edge (or at the start of a replay).
   */
  async start(at = null, offset = null) {
    let text = await fetchText(this.url, this.controller.signal);
    let playlist = parsePlaylist(text, this.url);
    if (playlist.variants.length) {
      // The source rendition: the first the master lists.
      this.url = playlist.variants[0].uri;
      text = await fetchText(this.url, this.controller.signal);
      playlist = parsePlaylist(text, this.url);
    }
    this.live = !playlist.ended;
    this.eventUrl = this.url.replace(/\blive\.m3u8/, 'event.m3u8');
    this.absorb(playlist);
    if (offset !== null) at = (await this.origin()) + offset;
    if (this.native) return this.startNative(playlist, at);
    this.source = new MediaSource();
    this.video.src = URL.createObjectURL(this.source);
    await new Promise((resolve) => this.source.addEventListener('sourceopen', resolve, { once: true }));
    if (!this.live) {
      // A replay's whole length, so that the seek bar and any seek reach its end at once.
      const end = (await this.origin().catch(() => null)) !== null ? this.estimate(this.newest) : null;
      if (end !== null) this.source.duration = end + this.segments.get(this.newest).duration;
    }
    const last = playlist.segments.at(-1);
    let first;
    if (at !== null) first = await this.segmentAt(at);
    else first = this.live ? playlist.segments.at(-Math.min(START_SEGMENTS, playlist.segments.length)) : playlist.segments[0];
    if (!first) throw new Error('the playlist has no segments yet');
    this.next = first.seq;
    this.startAt = at;
    this.appendedMap = null;
    this.listeners = { seeking: () => this.onSeeking(), waiting: () => this.skipGap() };
    for (const [type, listener] of Object.entries(this.listeners)) this.video.addEventListener(type, listener);
    this.loop();
    if (this.live) this.refreshLater(playlist.target);
    return last;
  }

  /** Keeps the segments of a playlist (both live and event playlists use the same numbers). */
  absorb(playlist) {
    for (const segment of playlist.segments) this.segments.set(segment.seq, segment);
    const last = playlist.segments.at(-1);
    if (last) this.newest = Math.max(this.newest ?? 0, last.seq);
    if (playlist.ended && !this.ended) {
      this.ended = true;
      this.live = false;
      this.dispatchEvent(new Event('ended-stream'));
    }
    this.updateEdge();
  }

  updateEdge() {
    if (this.newest === undefined) return;
    const start = this.estimate(this.newest);
    if (start !== null) this.liveEdge = start + (this.segments.get(this.newest)?.duration ?? 0);
  }

  later(fn, ms) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Media time where the show starts: the first segment of the whole show's playlist. */
  async origin() {
    if (this.originTime !== undefined) return this.originTime;
    if (this.live && !this.eventLoaded) {
      this.absorb(parsePlaylist(await fetchText(this.eventUrl, this.controller.signal), this.eventUrl));
      this.eventLoaded = true;
    }
    const first = Math.min(...this.segments.keys());
    const start = await this.measure(this.segments.get(first));
    if (start !== null) this.originTime = start;
    return start;
  }

  refreshLater(target) {
    this.later(async () => {
      try {
        const playlist = parsePlaylist(await fetchText(this.url, this.controller.signal), this.url);
        this.failures = 0;
        this.absorb(playlist);
        this.kick();
        if (!playlist.ended) this.refreshLater(playlist.target);
      } catch (error) {
        if (error.name === 'AbortError') return;
        // The live playlist is served only while the show is live: gone for good, the stream ended.
        this.failures = (this.failures ?? 0) + 1;
        if (this.failures >= 5 && /^4\d\d /.test(error.message)) {
          this.live = false;
          this.dispatchEvent(new Event('ended-stream'));
        } else this.refreshLater(2);
      }
    }, Math.max(500, Math.min(target, 2) * 1000));
  }

  /** A segment's media start: measured, else from the nearest measured one and the durations between. */
  estimate(seq) {
    if (this.starts.has(seq)) return this.starts.get(seq);
    let best = null;
    for (const [known, start] of this.starts) {
      if (best === null || Math.abs(known - seq) < Math.abs(best[0] - seq)) best = [known, start];
    }
    if (!best) return null;
    let [at, time] = best;
    while (at < seq) {
      const segment = this.segments.get(at);
      if (!segment) return null;
      time += segment.duration;
      at += 1;
    }
    while (at > seq) {
      at -= 1;
      const segment = this.segments.get(at);
      if (!segment) return null;
      time -= segment.duration;
    }
    return time;
  }

  async init(uri) {
    if (!this.inits.has(uri)) {
      const bytes = await fetchBytes(uri, { signal: this.controller.signal });
      this.inits.set(uri, { bytes, ...parseInit(bytes) });
    }
    return this.inits.get(uri);
  }

  /** Measures where a segment starts with a ranged read of its first bytes (its `moof`). */
  async measure(segment) {
    if (this.starts.has(segment.seq)) return this.starts.get(segment.seq);
    const init = await this.init(segment.map);
    const head = await fetchBytes(segment.uri, { range: '0-16383', signal: this.controller.signal });
    const start = fragmentStart(head, init.tracks);
    if (start !== null) this.starts.set(segment.seq, start);
    return start;
  }

  /** The segment that holds media time `at`, reading the whole show's playlist when needed. */
  async segmentAt(at) {
    if (!this.eventLoaded || this.live) {
      try {
        this.absorb(parsePlaylist(await fetchText(this.eventUrl, this.controller.signal), this.eventUrl));
        this.eventLoaded = true;
      } catch {
        // No event playlist (a preview): the live window has to do.
      }
    }
    const seqs = [...this.segments.keys()].sort((a, b) => a - b);
    if (!seqs.length) return null;
    if (!this.starts.size) await this.measure(this.segments.get(seqs[0]));
    // Guess: starts in one pass (from each measured segment on, adding durations), then a binary
    // search; then measure and step until the segment holds `at`.
    const starts = [];
    let time = null;
    for (const seq of seqs) {
      if (this.starts.has(seq)) time = this.starts.get(seq);
      starts.push(time);
      if (time !== null) time += this.segments.get(seq).duration;
    }
    let low = 0;
    let high = seqs.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? Number.NEGATIVE_INFINITY) <= at) low = mid;
      else high = mid - 1;
    }
    let seq = seqs[low];
    for (let step = 0; step < 8; step++) {
      const segment = this.segments.get(seq);
      const start = await this.measure(segment);
      if (start === null) break;
      if (at < start && this.segments.has(seq - 1)) seq -= 1;
      else if (at >= start + segment.duration && this.segments.has(seq + 1)) seq += 1;
      else break;
    }
    this.updateEdge();
    return this.segments.get(seq);
  }

  bufferedAhead() {
    const t = this.video.currentTime;
    const b = this.video.buffered;
    for (let i = 0; i < b.length; i++) if (b.start(i) <= t + 0.3 && b.end(i) > t) return b.end(i) - t;
    return 0;
  }

  kick() {
    if (!this.running && !this.reloading && !this.native) this.loop();
  }

  async loop() {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.destroyed) {
        const segment = this.segments.get(this.next);
        if (!segment) {
          // Fell out of the live window (a long pause): the whole show's playlist has it.
          if (this.next < Math.min(...this.segments.keys())) {
            await this.segmentAt(this.estimate(this.next) ?? 0);
            if (!this.segments.has(this.next)) this.next = Math.min(...this.segments.keys());
            continue;
          }
          break;
        }
        if (this.appendedCount && this.bufferedAhead() > AHEAD) break;
        if (this.reloading) break;
        const generation = this.generation;
        const init = await this.init(segment.map);
        const bytes = await fetchBytes(segment.uri, { signal: this.controller.signal });
        if (generation !== this.generation) break; // a seek moved on meanwhile
        const start = fragmentStart(bytes, init.tracks);
        if (start !== null) this.starts.set(segment.seq, start);
        if (!this.buffer) {
          const type = `video/mp4; codecs="${init.codecs}"`;
          this.buffer = this.source.addSourceBuffer(MediaSource.isTypeSupported(type) ? type : 'video/mp4; codecs="avc1.42e01e,mp4a.40.2"');
        }
        if (this.appendedMap !== segment.map) {
          await this.append(init.bytes);
          this.appendedMap = segment.map;
        }
        await this.append(bytes);
        if (generation !== this.generation) break;
        this.next = segment.seq + 1;
        this.appendedCount = (this.appendedCount ?? 0) + 1;
        if (this.appendedCount === 1 || this.jumpTo !== undefined) this.placeHead(start);
        await this.prune();
        this.updateEdge();
      }
      if (this.ended && this.next > this.newest && this.source.readyState === 'open' && !this.buffer?.updating) {
        this.source.endOfStream();
      }
    } catch (error) {
      if (error.name !== 'AbortError') this.dispatchEvent(new CustomEvent('error', { detail: error.message }));
    } finally {
      this.running = false;
    }
    if (!this.destroyed) this.later(() => this.kick(), 500);
  }

  /** After the first append (or a seek), puts the playhead where it was asked to be. */
  placeHead(segmentStart) {
    const target = this.jumpTo ?? this.startAt ?? segmentStart ?? this.video.buffered.start(0);
    this.jumpTo = undefined;
    this.startAt = undefined;
    const b = this.video.buffered;
    // Within what was appended (a target in a segment's last instant, or past the end, would
    // otherwise seek out of the buffer again).
    const lowest = b.length ? b.start(0) : target;
    const highest = b.length ? b.end(b.length - 1) - 0.3 : target;
    this.video.currentTime = Math.max(lowest, Math.min(target, highest));
    if (this.appendedCount === 1) this.dispatchEvent(new Event('ready'));
  }

  async append(bytes) {
    while (this.buffer.updating) await new Promise((resolve) => this.buffer.addEventListener('updateend', resolve, { once: true }));
    return new Promise((resolve, reject) => {
      const done = () => {
        this.buffer.removeEventListener('updateend', done);
        this.buffer.removeEventListener('error', failed);
        resolve();
      };
      const failed = () => {
        this.buffer.removeEventListener('updateend', done);
        this.buffer.removeEventListener('error', failed);
        reject(new Error('the browser refused a video segment'));
      };
      this.buffer.addEventListener('updateend', done);
      this.buffer.addEventListener('error', failed);
      this.buffer.appendBuffer(bytes);
    });
  }

  async remove(from, to) {
    if (!this.buffer || to <= from) return;
    while (this.buffer.updating) await new Promise((resolve) => this.buffer.addEventListener('updateend', resolve, { once: true }));
    await new Promise((resolve) => {
      this.buffer.addEventListener('updateend', resolve, { once: true });
      this.buffer.remove(from, to);
    });
  }

  /** Drops what is well behind the playhead (a long live show would otherwise fill memory). */
  async prune() {
    const behind = this.video.currentTime - BEHIND;
    const b = this.video.buffered;
    if (b.length && b.start(0) < behind - 5) await this.remove(0, behind);
  }

  isBuffered(t) {
    const b = this.video.buffered;
    for (let i = 0; i < b.length; i++) if (b.start(i) <= t && t < b.end(i) - 0.2) return true;
    return false;
  }

  /** A seek (by the browser's own controls) out of what is buffered. */
  onSeeking() {
    if (this.native || this.isBuffered(this.video.currentTime)) return;
    this.reload(this.video.currentTime);
  }

  /** Drops the buffer and loads from the segment that holds media time `t`, then plays from `t`. */
  async reload(t) {
    if (this.reloading) {
      this.reloadTo = t; // the newest wish wins once this one is through
      return;
    }
    this.reloading = true;
    this.generation = (this.generation ?? 0) + 1;
    try {
      const segment = await this.segmentAt(t);
      if (!segment || this.destroyed) return;
      while (this.running) await new Promise((resolve) => setTimeout(resolve, 20));
      this.next = segment.seq;
      this.appendedMap = null;
      this.jumpTo = t;
      await this.remove(0, Infinity);
    } catch (error) {
      if (error.name !== 'AbortError') this.dispatchEvent(new CustomEvent('error', { detail: error.message }));
    } finally {
      this.reloading = false;
    }
    if (this.reloadTo !== undefined) {
      const next = this.reloadTo;
      this.reloadTo = undefined;
      return this.reload(next);
    }
    this.kick();
  }

  /** Steps over a small hole between buffered ranges (where two runs of the packager meet). */
  skipGap() {
    const t = this.video.currentTime;
    const b = this.video.buffered;
    for (let i = 0; i < b.length; i++) {
      if (b.start(i) > t && b.start(i) - t < 1.5) {
        this.video.currentTime = b.start(i) + 0.05;
        return;
      }
    }
  }

  /** Media time of the frame on screen. */
  get mediaTime() {
    if (!this.native) return this.video.currentTime;
    const date = this.video.getStartDate?.();
    if (!date || Number.isNaN(date.getTime()) || this.nativeOffset === null) return this.video.currentTime;
    return (date.getTime() + this.video.currentTime * 1000) / 1000 - this.nativeOffset;
  }

  /** Native HLS: wall-clock seconds minus this offset is media time (program dates against a measured segment). */
  async startNative(playlist, at) {
    this.video.src = this.url;
    const dated = playlist.segments.find((s) => s.date);
    if (dated) {
      const start = await this.measure(dated).catch(() => null);
      if (start !== null) this.nativeOffset = dated.date / 1000 - start;
    }
    this.video.addEventListener('loadedmetadata', () => {
      if (at !== null && this.nativeOffset !== null) {
        const date = this.video.getStartDate?.();
        if (date && !Number.isNaN(date.getTime())) this.video.currentTime = at + this.nativeOffset - date.getTime() / 1000;
      }
      this.dispatchEvent(new Event('ready'));
    }, { once: true });
    if (this.live) this.refreshLater(playlist.target);
  }

  /**
   * Moves the playhead to media time `at`, loading what it needs. (Setting `currentTime` beyond
   * what is buffered would be clamped to the media's duration so far: hence `reload`.)
   */
  seek(at) {
    if (this.native) {
      const date = this.video.getStartDate?.();
      if (date && this.nativeOffset !== null) this.video.currentTime = at + this.nativeOffset - date.getTime() / 1000;
      return;
    }
    if (this.isBuffered(at)) this.video.currentTime = at;
    else this.reload(at);
  }

  destroy() {
    this.destroyed = true;
    this.controller.abort();
    for (const timer of this.timers) clearTimeout(timer);
    for (const [type, listener] of Object.entries(this.listeners ?? {})) this.video.removeEventListener(type, listener);
    if (this.video.src.startsWith('blob:')) URL.revokeObjectURL(this.video.src);
  }
}
