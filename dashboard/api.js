/** An HTTP API error: `code` is the API's stable error code (`{ error, details }`). */
export class ApiError extends Error {
  constructor(status, code, details) {
    super(code);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * Calls the backend's API. The login lives in the HttpOnly session cookie, which the browser
 * sends by itself on same-origin requests; the page never sees the token.
 */
export async function api(path, { method = 'GET', body } = {}) {
  const res = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error ?? `HTTP_${res.status}`, data?.details ?? null);
  return data;
}
