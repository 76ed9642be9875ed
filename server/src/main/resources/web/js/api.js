// Tiny JSON client for /api/v1 (docs/api.md): session cookie, CSRF header on every non-GET,
// errors as ApiError {status, code, message, fieldErrors}.

let csrfToken = null;
let onUnauthenticated = null;

export function setCsrfToken(token) { csrfToken = token || null; }
export function isLoggedIn() { return csrfToken != null; }
/** Called (once per failing request) when the session is gone; pages redirect to the login page. */
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status;
    this.code = (body && body.code) || codeForStatus(status);
    this.fieldErrors = (body && Array.isArray(body.fieldErrors)) ? body.fieldErrors : [];
  }
  /** Field errors as {field: message}. */
  fields() {
    const out = {};
    for (const fe of this.fieldErrors) if (fe && fe.field && !(fe.field in out)) out[fe.field] = fe.message || '';
    return out;
  }
}

function codeForStatus(status) {
  switch (status) {
    case 0: return 'network';
    case 400: return 'bad_request';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 429: return 'locked_out';
    default: return 'internal';
  }
}

export async function request(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  const multipart = typeof FormData !== 'undefined' && body instanceof FormData;
  // FormData: the browser sets multipart/form-data with its boundary itself.
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : (multipart ? body : JSON.stringify(body)),
    });
  } catch (e) {
    throw new ApiError(0, { code: 'network', message: String(e) });
  }
  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    // OPS-3: this enterprise is served by another node (Location: the same request there); the page moves to that node.
    if (res.status === 421 && res.headers.get('Location')) {
      err.nodeOrigin = new URL(res.headers.get('Location')).origin;
      if (path !== '/auth/login') location.assign(err.nodeOrigin + location.pathname + location.search + location.hash);
    }
    if (res.status === 401 && path !== '/auth/login' && onUnauthenticated) onUnauthenticated(err);
    throw err;
  }
  return data;
}

/** A POST of a JSON body answered with a file (a backup): the Blob, or an ApiError like {@link request}'s. */
export async function postForBlob(path, body) {
  const headers = { 'Accept': 'application/zip, application/json', 'Content-Type': 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch('/api/v1' + path, { method: 'POST', headers, credentials: 'same-origin', cache: 'no-store', body: JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { code: 'network', message: String(e) });
  }
  if (!res.ok) {
    let data = null;
    try { data = JSON.parse(await res.text()); } catch (e) { data = null; }
    throw new ApiError(res.status, data);
  }
  return res.blob();
}

/** Builds "?a=1&b=2" from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export const api = {
  get: (path, params) => request('GET', path + query(params)),
  post: (path, body) => request('POST', path, body === undefined ? {} : body),
  put: (path, body) => request('PUT', path, body === undefined ? {} : body),
  del: (path) => request('DELETE', path),
  /** POST of a file as multipart/form-data (one part named by field, "file" unless told). */
  upload: (path, file, field) => { const fd = new FormData(); fd.append(field || 'file', file, file.name); return request('POST', path, fd); },
  /** PUT of a file as multipart/form-data (part "file"): replaces the resource. */
  uploadPut: (path, file) => { const fd = new FormData(); fd.append('file', file, file.name); return request('PUT', path, fd); },
};
