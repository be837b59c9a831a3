// The contacts list: filters as query parameters of GET /api/v1/contacts, keyset pages ("More").
(function () {
  "use strict";
  const L = window.HOTLINE_LIST;
  const form = document.getElementById("contact-filters");
  const rows = document.getElementById("contact-rows");
  const more = document.getElementById("list-more");
  let cursor = null;

  function shown(iso) {
    if (!iso) return "";
    return new Intl.DateTimeFormat(L.lang, { timeZone: L.timezone, dateStyle: "short", timeStyle: "short" })
      .format(new Date(iso));
  }
  function zoneOffsetMinutes(date) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: L.timezone, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(date).map((p) => [p.type, p.value]));
    return Math.round((Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second)
      - date.getTime()) / 60000);
  }
  function dayStart(value, plusDays) {  // a date in the hotline's zone -> the UTC instant its day starts
    const naive = new Date(value + "T00:00:00Z");
    naive.setUTCDate(naive.getUTCDate() + plusDays);
    return new Date(naive.getTime() - zoneOffsetMinutes(naive) * 60000).toISOString();
  }
  const label = (prefix, code) => L.labels[prefix + ":" + code] || code;

  function params() {
    const p = new URLSearchParams();
    if (form.since.value) p.set("since", dayStart(form.since.value, 0));
    if (form.until.value) p.set("until", dayStart(form.until.value, 1));  // "to" includes that day
    for (const name of ["line", "caller_role", "purpose", "risk_level", "operator_id"]) {
      if (form[name].value) p.set(name, form[name].value);
    }
    if (form.open_follow_up.checked) p.set("open_follow_up", "true");
    p.set("limit", "50");
    return p;
  }

  async function load(reset) {
    const error = document.getElementById("list-error");
    error.hidden = true;
    const p = params();
    if (!reset && cursor) p.set("after", cursor);
    const response = await fetch("/api/v1/contacts?" + p, { credentials: "same-origin" });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      error.textContent = body && Array.isArray(body.detail)
        ? body.detail.map((d) => (d.loc || []).slice(-1)[0] + ": " + d.msg).join("; ") : String(response.status);
      error.hidden = false;
      return;
    }
    if (reset) rows.replaceChildren();
    for (const c of body.items) {
      const tr = document.createElement("tr");
      tr.dataset.contactId = c.id;
      const due = c.follow_up_needed ? (c.follow_up_done_at ? L.done : shown(c.follow_up_due_at)) : "";
      for (const value of [shown(c.started_at), label("line", c.line), label("caller_role", c.caller_role),
        label("purpose", c.purpose), label("risk", c.risk_level), c.operator_id, due]) {
        tr.append(Object.assign(document.createElement("td"), { textContent: value }));
      }
      rows.append(tr);
    }
    cursor = body.next_cursor;
    more.hidden = !cursor;
    document.getElementById("list-empty").hidden = rows.children.length > 0;
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); cursor = null; load(true); });
  more.addEventListener("click", () => load(false));
  load(true);
})();
