// The director's live board: calls in progress (open drafts) and follow-ups due, refreshed every few
// seconds; a follow-up is reassigned in place. High-risk alerts show when intake offers them.
(function () {
  "use strict";
  const B = window.HOTLINE_BOARD;
  const t = B.text;
  const REFRESH_MS = 5000;
  const $ = (id) => document.getElementById(id);

  function when(iso) {
    if (!iso) return t.noDate;
    return new Date(iso).toLocaleString(B.lang === "az" ? "az-Latn-AZ" : B.lang,
      { timeZone: B.timezone, dateStyle: "short", timeStyle: "short" });
  }

  function cell(text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw Object.assign(new Error(String(response.status)), { status: response.status });
    return response.json();
  }

  function staffSelect(current, id) {
    const select = document.createElement("select");
    select.id = id;
    B.staff.forEach((staffId, i) => {
      const option = document.createElement("option");
      option.value = staffId;
      option.textContent = B.staffNames[i];
      option.selected = staffId === current;
      select.append(option);
    });
    return select;
  }

  function renderCalls(calls) {
    const body = $("calls").tBodies[0];
    body.replaceChildren();
    for (const call of calls) {
      const tr = document.createElement("tr");
      tr.dataset.draftId = call.draft_id;
      tr.append(cell(call.operator_name), cell(when(call.started_at)), cell(when(call.last_saved_at)));
      body.append(tr);
    }
    $("calls-none").hidden = calls.length > 0;
  }

  function renderFollowUps(items, force) {
    const body = $("follow-ups").tBodies[0];
    // Keep a row the director is working in (its select focused) as it is, until they act on it.
    if (!force && body.contains(document.activeElement)) return;
    body.replaceChildren();
    for (const item of items) {
      const tr = document.createElement("tr");
      tr.dataset.contactId = item.contact_id;
      if (item.overdue) tr.className = "overdue";
      const caller = document.createElement("td");
      if (item.caller_id) {
        const a = document.createElement("a");
        a.href = "/callers/" + item.caller_id;
        a.textContent = item.caller_code;
        caller.append(a);
      } else {
        caller.textContent = t.anonymous;
      }
      const select = staffSelect(item.operator_id, "assignee-" + item.contact_id);
      select.setAttribute("aria-label", t.reassign);
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = t.reassign;
      const done = document.createElement("span");
      done.setAttribute("role", "status");
      button.addEventListener("click", async () => {
        const response = await fetch(`/api/v1/director/follow-ups/${item.contact_id}/assignee`, {
          method: "PUT", credentials: "same-origin", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ operator_id: select.value }),
        });
        if (!response.ok) { done.textContent = t.failed; return; }
        await refresh(true);
        const row = [...$("follow-ups").tBodies[0].rows].find((r) => r.dataset.contactId === item.contact_id);
        if (row) {
          row.querySelector("[role=status]").textContent = t.reassigned;
          row.querySelector("button").focus();
        }
      });
      const action = document.createElement("td");
      action.append(select, " ", button, " ", done);
      tr.append(cell(when(item.due_at) + (item.overdue ? " · " + t.overdue : "")), caller,
        cell(item.operator_name, "assignee"), action);
      body.append(tr);
    }
    $("follow-ups-none").hidden = items.length > 0;
  }

  async function refreshAlerts() {
    try {
      const alerts = await getJson("/api/v1/alerts");
      const items = Array.isArray(alerts) ? alerts : (alerts.items || []);
      const list = $("alerts");
      list.replaceChildren();
      for (const alert of items) {
        const li = document.createElement("li");
        li.className = "alert-" + (alert.risk_level || "high");
        const label = (key) => B.labels[key] || key.split(":")[1];
        li.textContent = [when(alert.raised_at), label("risk:" + alert.risk_level),
          (alert.indicator_groups || []).map((g) => label("indicator_group:" + g)).join(", ")]
          .filter(Boolean).join(" · ") + " ";
        if (alert.caller_id) {
          const a = document.createElement("a");
          a.href = "/callers/" + alert.caller_id;
          a.textContent = t.journal;
          li.append(a);
        }
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
      const items = await getJson("/api/v1/director/overdue-referrals");
      const label = (key) => B.labels[key] || key.split(":")[1];
      body.replaceChildren();
      for (const item of items) {
        const tr = document.createElement("tr");
        tr.dataset.referralId = item.referral_id;
        const caller = document.createElement("td");
        if (item.caller_id) {
          const a = document.createElement("a");
          a.href = "/callers/" + item.caller_id;
          a.textContent = item.caller_code;
          caller.append(a);
        } else {
          caller.textContent = t.anonymous;
        }
        tr.append(cell(when(item.acknowledgement_due_at)), caller, cell(label("service_type:" + item.service_type)),
          cell(label("urgency:" + item.urgency)), cell(item.region));
        body.append(tr);
      }
      $("overdue-none").hidden = items.length > 0;
      $("overdue-unavailable").hidden = true;
    } catch (err) {
      $("overdue-unavailable").hidden = false;
    }
  }

  async function refresh(force) {
    try {
      const board = await getJson("/api/v1/director/board");
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
})();
