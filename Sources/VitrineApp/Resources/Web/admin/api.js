// The one way to talk to the server: same-origin cookies, JSON, the CSRF header, errors as ApiError.

import { t } from './i18n.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = null;
let unauthorizedHandler = () => location.assign('/admin/#/login');

/** An error answered by the server (`{"error":{code,message,field}}`) or a failed request. */
export class ApiError extends Error {
  constructor(status, { code, message, field } = {}, retryAfter = null) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code ?? `http_${status}`;
    this.field = field ?? null;
    this.retryAfter = retryAfter;
  }
}

/** Keeps the token from login, GET /api/me or an accepted invitation; null forgets it. */
export function setCsrfToken(token) {
  csrfToken = token ?? null;
}

/** What to do when the session is gone (the app shows its login view). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

async function readError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page): the status alone has to do.
  }
  const retry = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  const error = body?.error ?? { code: `http_${response.status}`, message: response.statusText };
  return new ApiError(response.status, error, Number.isFinite(retry) ? retry : null);
}

async function refreshCsrf() {
  try {
    const response = await fetch('/api/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) return false;
    csrfToken = (await response.json()).csrfToken ?? null;
    return csrfToken !== null;
  } catch {
    return false;
  }
}

/**
 * Sends one request. `json` is encoded as JSON; `body` is sent as is with `contentType`.
 * `redirectOn401: false` is for calls where 401 is an expected answer (login, the first /api/me).
 */
async function request(method, path, { json, body, contentType, redirectOn401 = true, retried = false } = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = body;
  }
  if (WRITES.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'network_error', message: t('error.network_error') });
  }
  if (response.ok) {
    if (response.status === 204) return null;
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  const error = await readError(response);
  // A token refreshed in another tab is fetched again once, then the write is retried.
  if (response.status === 403 && !retried && /^csrf_token_/.test(error.code) && (await refreshCsrf())) {
    return request(method, path, { json, body, contentType, redirectOn401, retried: true });
  }
  if (response.status === 401 && redirectOn401) unauthorizedHandler(error);
  throw error;
}

/** `encodeURIComponent` for each value interpolated in a path. */
export function path(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(values[i]) : ''), '');
}

export const api = {
  get: (url, options) => request('GET', url, options),
  post: (url, json, options) => request('POST', url, { ...options, json }),
  patch: (url, json, options) => request('PATCH', url, { ...options, json }),
  put: (url, json, options) => request('PUT', url, { ...options, json }),
  del: (url, options) => request('DELETE', url, options),
  /** Sends a file as the raw body (CSV imports). */
  upload: (url, file, contentType, options) => request('POST', url, { ...options, body: file, contentType }),
};
