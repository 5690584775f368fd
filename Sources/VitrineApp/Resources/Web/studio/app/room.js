// The show's realtime room as the team sees it (docs/realtime.md): one WebSocket from this page, so
// the server knows the member by the session cookie. Events go to the listeners of their type, the
// snapshot first after every (re)connection; requests carry a `ref` answered by `ack` or `error`.

const ANSWER_MS = 10_000;
const MAX_DELAY_MS = 30_000;
const RESYNC = 4000;

/** A failed request: `code` for programs (docs/realtime.md "Answers and errors"), `message` for people. */
export class RoomError extends Error {
  constructor({ code, message, field, retryAfter }) {
    super(message || code);
    this.name = 'RoomError';
    this.code = code;
    this.field = field ?? null;
    this.retryAfter = retryAfter ?? null;
  }
}

/**
 * Connects to `/api/live/shows/{showId}` and keeps connecting. `on(type, fn)` listens to an event
 * type (`*` for all; `connection` hears `open`/`closed`), `request(message)` resolves with the ack.
 */
export function connectRoom(showId) {
  const listeners = new Map();
  const waiting = new Map();
  let socket = null;
  let refs = 0;
  let delay = 1000;
  let closed = false;

  const emit = (type, event) => {
    for (const fn of [...(listeners.get(type) ?? []), ...(type === 'connection' ? [] : listeners.get('*') ?? [])]) {
      try {
        fn(event);
      } catch (error) {
        console.error(error);
      }
    }
  };

  function failWaiting(code) {
    for (const { reject, timer } of waiting.values()) {
      clearTimeout(timer);
      reject(new RoomError({ code }));
    }
    waiting.clear();
  }

  function handle(event) {
    const pending = event.ref ? waiting.get(event.ref) : null;
    if (pending && (event.type === 'ack' || event.type === 'error')) {
      waiting.delete(event.ref);
      clearTimeout(pending.timer);
      if (event.type === 'ack') pending.resolve(event);
      else pending.reject(new RoomError(event));
      return;
    }
    emit(event.type, event);
  }

  function open() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/api/live/shows/${encodeURIComponent(showId)}`);
    socket = ws;
    ws.onmessage = (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (frame?.v !== 1 || !Array.isArray(frame.events)) return;
      for (const event of frame.events) {
        if (event.type === 'snapshot') {
          delay = 1000;
          emit('connection', 'open');
        }
        handle(event);
      }
    };
    ws.onclose = (event) => {
      failWaiting('disconnected');
      emit('connection', 'closed');
      if (closed) return;
      // 4000: too far behind, or the server restarts: a fresh snapshot at once. Otherwise back off.
      const wait = event.code === RESYNC ? 0 : delay;
      delay = Math.min(delay * 2, MAX_DELAY_MS);
      setTimeout(() => { if (!closed) open(); }, wait);
    };
  }

  /** Sends a team message with a fresh `ref`; resolves with the `ack`, rejects with a RoomError. */
  function request(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.reject(new RoomError({ code: 'offline' }));
    refs += 1;
    const ref = `s${refs}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(ref);
        reject(new RoomError({ code: 'no_answer' }));
      }, ANSWER_MS);
      waiting.set(ref, { resolve, reject, timer });
      socket.send(JSON.stringify({ ...message, ref }));
    });
  }

  function on(type, fn) {
    if (!listeners.has(type)) listeners.set(type, []);
    listeners.get(type).push(fn);
  }

  function close() {
    closed = true;
    socket?.close();
  }

  open();
  return { on, request, close };
}
