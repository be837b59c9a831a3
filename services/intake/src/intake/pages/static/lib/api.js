// The screens' JSON API calls, with the session cookie and its CSRF token. A refusal throws an Error whose message is what
// the server said (each field problem as "field: reason"), with .status and .body for the callers
// that branch on them (a stale draft, the journal's break-glass).

// FastAPI's own problems name the request part first ("body", "query"): the operator needs the field.
const PARTS = new Set(["body", "query", "path"]);

function problems(body) {
  if (body && Array.isArray(body.detail)) {
    return body.detail.map((d) => {
      const loc = (d.loc || []).filter((part, i) => !(i === 0 && PARTS.has(part)));
      return `${loc.join(".")}: ${d.msg}`;
    }).join("; ");
  }
  return body && typeof body.detail === "string" ? body.detail : "";
}

// The session's proof that a state change comes from this site's page (common/page.html's meta).
function csrfHeaders(method) {
  if (method === "GET" || method === "HEAD") return {};
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  return token ? { "X-CSRF-Token": token } : {};
}

// `failed`: the page's own (translated) message for a failure the server does not explain, else the status.
export async function api(method, url, payload, { failed, keepalive } = {}) {
  const response = await fetch(url, {
    method, credentials: "same-origin", keepalive,
    headers: { ...(payload ? { "Content-Type": "application/json" } : {}), ...csrfHeaders(method) },
    body: payload ? JSON.stringify(payload) : undefined,
  });
  const body = await response.json().catch(() => null);  // 204, or an error page that is not JSON
  if (!response.ok) {
    const message = problems(body) || failed || String(response.status);
    throw Object.assign(new Error(message), { status: response.status, body });
  }
  return body;
}

// api() with the page's message for unexplained failures filled in.
export const apiFor = (failed) => (method, url, payload, options) => api(method, url, payload, { failed, ...options });
