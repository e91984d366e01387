// Talks to /api/v1 with the session cookie; state changes carry the session's CSRF token.
// Errors are RFC 9457 problem details: their detail becomes the Error's message.

let csrf = '';

export function setCsrf(token) {
  csrf = token || '';
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// A body is sent as JSON, unless a content type is given: then it is sent as the text it is.
export async function call(method, path, body, contentType) {
  // x-requested-with: the server then leaves the Basic challenge out of a 401, which would make the
  // browser show its own password dialog instead of letting this page show its login form.
  const headers = { accept: 'application/json', 'x-requested-with': 'debvisor-panel' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = contentType || 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : contentType ? body : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 204) return null;
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.detail) || `HTTP ${response.status}`);
  }
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const postText = (path, text, contentType) => call('POST', path, text, contentType);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);
