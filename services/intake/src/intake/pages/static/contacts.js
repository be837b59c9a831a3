// The contacts list: filters as query parameters of GET /api/v1/contacts, keyset pages ("More").
import { api } from "./lib/api.js";
import { $, el, pageData, show } from "./lib/dom.js";
import { labeller } from "./lib/i18n.js";
import { timeFormatter, zonedToIso } from "./lib/time.js";

const L = pageData("hotline-list");
const form = $("contact-filters");
const rows = $("contact-rows");
const more = $("list-more");
const shown = timeFormatter(L.lang, L.timezone);
const label = labeller(L.labels);
let cursor = null;

// A day in the hotline's zone (plus some days) -> the UTC instant that day starts.
function dayStart(day, plusDays) {
  const next = new Date(Date.parse(day + "T00:00:00Z") + plusDays * 86400000).toISOString().slice(0, 10);
  return zonedToIso(next + "T00:00", L.timezone);
}

// The filters are the form's own named controls (the template is the one list of them): a date as the
// instant its day starts ("to" includes that day), a tick as "true", the rest as chosen or typed.
function params() {
  const p = new URLSearchParams();
  for (const control of form.elements) {
    if (!control.name || !control.value) continue;
    if (control.type === "checkbox") {
      if (control.checked) p.set(control.name, "true");
    } else if (control.type === "date") {
      p.set(control.name, dayStart(control.value, control.name === "until" ? 1 : 0));
    } else {
      p.set(control.name, control.value);
    }
  }
  p.set("limit", "50");
  return p;
}

async function load(reset) {
  const error = $("list-error");
  show(error, "");
  const p = params();
  if (!reset && cursor) p.set("after", cursor);
  let body;
  try {
    body = await api("GET", "/api/v1/contacts?" + p);
  } catch (e) { show(error, e.message); return; }
  if (reset) rows.replaceChildren();
  for (const c of body.items) {
    const due = c.follow_up_needed ? (c.follow_up_done_at ? L.done : shown(c.follow_up_due_at)) : "";
    const values = [shown(c.started_at), label("line", c.line), label("caller_role", c.caller_role),
      label("purpose", c.purpose), label("risk", c.risk_level), c.operator_id, due];
    rows.append(el("tr", { "data-contact-id": c.id }, ...values.map((value) => el("td", { text: value }))));
  }
  cursor = body.next_cursor;
  more.hidden = !cursor;
  $("list-empty").hidden = rows.children.length > 0;
}

form.addEventListener("submit", (ev) => { ev.preventDefault(); cursor = null; load(true); });
more.addEventListener("click", () => load(false));
load(true);
