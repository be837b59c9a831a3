// The director's live board: calls in progress (open drafts) and follow-ups due, refreshed every few
// seconds; a follow-up is reassigned in place. High-risk alerts show when intake offers them.
import { api } from "./lib/api.js";
import { $, el, pageData } from "./lib/dom.js";
import { labeller } from "./lib/i18n.js";
import { timeFormatter } from "./lib/time.js";

const B = pageData("hotline-board");
const t = B.text;
const REFRESH_MS = 5000;
const when = timeFormatter(B.lang, B.timezone, t.noDate);
const label = labeller(B.labels);

const cell = (text, cls) => el("td", { text, class: cls });

// The caller's code, linking to their journal; a call without a profile is anonymous.
function callerCell(item) {
  if (!item.caller_id) return cell(t.anonymous);
  return el("td", {}, el("a", { href: "/callers/" + item.caller_id, text: item.caller_code }));
}

function staffSelect(current, id) {
  const select = el("select", { id });
  B.staff.forEach((staffId, i) => {
    const option = el("option", { value: staffId, text: B.staffNames[i] });
    option.selected = staffId === current;
    select.append(option);
  });
  return select;
}

function renderCalls(calls) {
  const body = $("calls").tBodies[0];
  body.replaceChildren();
  for (const call of calls) {
    body.append(el("tr", { "data-draft-id": call.draft_id },
      cell(call.operator_name), cell(when(call.started_at)), cell(when(call.last_saved_at))));
  }
  $("calls-none").hidden = calls.length > 0;
}

function renderFollowUps(items, force) {
  const body = $("follow-ups").tBodies[0];
  // Keep a row the director is working in (its select focused) as it is, until they act on it.
  if (!force && body.contains(document.activeElement)) return;
  body.replaceChildren();
  for (const item of items) {
    const select = staffSelect(item.operator_id, "assignee-" + item.contact_id);
    select.setAttribute("aria-label", t.reassign);
    const button = el("button", { type: "button", text: t.reassign });
    const done = el("span", { role: "status" });
    button.addEventListener("click", async () => {
      try {
        await api("PUT", `/api/v1/director/follow-ups/${item.contact_id}/assignee`, { operator_id: select.value });
      } catch (err) { done.textContent = t.failed; return; }
      await refresh(true);
      const row = [...$("follow-ups").tBodies[0].rows].find((r) => r.dataset.contactId === item.contact_id);
      if (row) {
        row.querySelector("[role=status]").textContent = t.reassigned;
        row.querySelector("button").focus();
      }
    });
    body.append(el("tr", { "data-contact-id": item.contact_id, class: item.overdue ? "overdue" : null },
      cell(when(item.due_at) + (item.overdue ? " · " + t.overdue : "")), callerCell(item),
      cell(item.operator_name, "assignee"), el("td", {}, select, " ", button, " ", done)));
  }
  $("follow-ups-none").hidden = items.length > 0;
}

async function refreshAlerts() {
  try {
    const alerts = await api("GET", "/api/v1/alerts");
    const items = Array.isArray(alerts) ? alerts : (alerts.items || []);
    const list = $("alerts");
    list.replaceChildren();
    for (const alert of items) {
      const li = el("li", { class: "alert-" + (alert.risk_level || "high"),
        text: [when(alert.raised_at), label("risk", alert.risk_level),
          (alert.indicator_groups || []).map((g) => label("indicator_group", g)).join(", ")]
          .filter(Boolean).join(" · ") + " " });
      if (alert.caller_id) li.append(el("a", { href: "/callers/" + alert.caller_id, text: t.journal }));
      list.append(li);
    }
    $("board-alerts").hidden = items.length === 0;
  } catch (err) {
    $("board-alerts").hidden = true;  // this intake has no alerts API (yet)
  }
}

async function refreshOverdue() {
  const body = $("overdue").tBodies[0];
  try {
    const items = await api("GET", "/api/v1/director/overdue-referrals");
    body.replaceChildren();
    for (const item of items) {
      body.append(el("tr", { "data-referral-id": item.referral_id },
        cell(when(item.acknowledgement_due_at)), callerCell(item), cell(label("service_type", item.service_type)),
        cell(label("urgency", item.urgency)), cell(item.region)));
    }
    $("overdue-none").hidden = items.length > 0;
    $("overdue-unavailable").hidden = true;
  } catch (err) {
    $("overdue-unavailable").hidden = false;
  }
}

async function refresh(force) {
  try {
    const board = await api("GET", "/api/v1/director/board");
    renderCalls(board.calls_in_progress);
    renderFollowUps(board.follow_ups_due, force);
    $("board-updated").textContent = t.updated + ": " + when(board.now);
    $("break-glass-last-day").textContent = String(board.break_glass_last_day);
  } catch (err) {
    $("board-updated").textContent = t.failed;
  }
  refreshAlerts();
  refreshOverdue();
}

refresh(false);
setInterval(() => refresh(false), REFRESH_MS);
