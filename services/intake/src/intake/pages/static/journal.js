// The caller's journal: on the call screen (find a returning caller by phone, create a profile, link
// it to the call, show the timeline) and on its own page (/callers/<id>). Every open is audited by
// the server; without a link to the caller the operator must state a reason (break-glass).
import { apiFor } from "./lib/api.js";
import { $, checkedValues, el, show } from "./lib/dom.js";
import { labeller, pageText } from "./lib/i18n.js";
import { timeFormatter } from "./lib/time.js";

const J = pageText("HOTLINE_JOURNAL");  // from /journal-text.js
const t = J.text;
const label = labeller(J.labels);
const when = timeFormatter(J.lang, J.timezone);
const api = apiFor(t.failed);

function showError(message) {
  const box = $("journal-error");
  if (box) show(box, message);
}

// --- rendering the journal --------------------------------------------------------------------

function flags(codes) {
  const list = el("ul", { class: "danger-flags" });
  for (const code of codes) list.append(el("li", { class: "danger-flag", "data-flag": code, text: label("danger_flag", code) }));
  return list;
}

function identityBlock(identity) {
  const dl = el("dl", { class: "identity" });
  const row = (name, value) => { if (value) dl.append(el("dt", { text: name }), el("dd", { text: value })); };
  row(t.name, identity.name);
  row(t.phones, (identity.phones || []).join(", "));
  row(t.address, identity.address);
  row(t.safeTimes, identity.safe_times);
  row(t.ways, (identity.callback_ways || []).map((w) => label("callback_way", w)).join(", "));
  return dl;
}

function entryText(entry) {
  const d = entry.details || {};
  switch (entry.kind) {
    case "contact":
      return [label("line", d.line), label("caller_role", d.caller_role), label("purpose", d.purpose),
        d.risk_level && d.risk_level !== "none" ? t.risk + ": " + label("risk", d.risk_level) : ""]
        .filter(Boolean).join(" · ");
    case "screening":
      return t.risk + ": " + label("risk", d.risk_level) + ((d.indicator_groups || []).length
        ? " — " + d.indicator_groups.map((g) => label("indicator_group", g)).join(", ") : "");
    case "referral":
      return t.referralTo + ": " + d.service_type + " (" + d.status + ")";
    case "referral_status":
      return t.statusChange + ": " + d.from_status + " → " + d.to_status + (d.reason_code ? " (" + d.reason_code + ")" : "");
    case "follow_up":
      return t.due + ": " + (d.due_at ? when(d.due_at) : "—") + (d.done ? " · " + t.done : "");
    case "merge":
    case "unmerge":
      return d.merged_code + " → " + d.survivor_code + (d.reason ? " — " + d.reason : "");
    default:
      return "";
  }
}

function render(view, journal) {
  view.replaceChildren();
  const p = journal.profile;
  const head = el("div", { class: "journal-head" },
    el("h3", {}, t.code + ": ", el("strong", { class: "caller-code", text: p.code })),
    el("p", { class: "caller-status", "data-status": p.status, text: t.status + ": " + label("caller_status", p.status) }));
  if (p.merged_into_code) {
    head.append(el("p", {}, t.mergedInto + " ", el("a", { href: "/callers/" + p.merged_into_id, text: p.merged_into_code })));
  }
  view.append(head);
  if (p.danger_flags.length) view.append(el("h4", { text: t.flags }), flags(p.danger_flags));
  if (journal.identity) {
    view.append(el("h4", { text: t.identity }), identityBlock(journal.identity));
  } else {
    view.append(el("p", { class: "destroyed", role: "note", text: t.destroyed }));
  }
  if (journal.merged_profiles.length) {
    view.append(el("h4", { text: t.mergedProfiles }));
    const list = el("ul", { class: "merged-profiles" });
    for (const m of journal.merged_profiles) {
      const undo = el("button", { type: "button", class: "undo-merge", "data-merge-id": m.merge_id, text: t.undoMerge });
      undo.addEventListener("click", async () => {
        const reason = window.prompt(t.undoReason);
        if (!reason) return;
        try {
          await api("POST", `/api/v1/caller-merges/${m.merge_id}/undo`, { reason });
          await open(view, p.id, "");
        } catch (err) { showError(err.message); }
      });
      list.append(el("li", {}, el("strong", { text: m.code }), " — " + m.reason + " ",
        m.identity ? identityBlock(m.identity) : "", undo));
    }
    view.append(list);
  }
  view.append(el("h4", { text: t.timeline }));
  const list = el("ol", { class: "timeline", reversed: "" });
  for (const entry of journal.timeline) {
    const item = el("li", { class: "entry entry-" + entry.kind, "data-kind": entry.kind },
      el("time", { datetime: entry.at, text: when(entry.at) }), " ",
      el("strong", { text: label("journal_kind", entry.kind) }), " ", entryText(entry));
    if (entry.kind === "contact" && entry.details.note) {
      item.append(el("p", { class: "note", text: t.note + ": " + entry.details.note }));
    }
    if (entry.kind === "referral" && entry.details.consent_shared) {
      item.append(" ", revokeButton(entry.details.referral_id));
    }
    list.append(item);
  }
  view.append(list);
}

// The caller withdrew consent: referrals deletes the shared data and the partner loses it at once.
function revokeButton(referralId) {
  const button = el("button", { type: "button", class: "revoke-consent", "data-referral-id": referralId,
    text: t.revokeConsent });
  button.addEventListener("click", async () => {
    if (!window.confirm(t.revokeConfirm)) return;
    button.disabled = true;
    try {
      await api("POST", `/api/v1/referrals/${referralId}/revoke-consent`);
      button.replaceWith(el("span", { class: "consent-revoked", role: "status", text: t.consentRevoked }));
    } catch (err) { showError(err.message); button.disabled = false; }
  });
  return button;
}

function breakGlassForm(view, callerId, tooShort) {
  view.replaceChildren();
  const input = el("input", { id: "break-glass-reason", maxlength: "300", autocomplete: "off",
    "aria-describedby": "break-glass-why" });
  const form = el("form", { id: "break-glass", novalidate: "" },
    el("p", { role: "alert", id: "break-glass-why", text: t.breakGlassWhy }),
    el("label", { for: "break-glass-reason", text: t.reason }), input,
    el("p", { class: "error", id: "break-glass-error", role: "alert", text: tooShort ? t.reasonTooShort : "" }),
    el("button", { type: "submit", id: "break-glass-open", text: t.openWithReason }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    open(view, callerId, input.value);
  });
  view.append(form);
  input.focus();
}

async function open(view, callerId, reason) {
  showError("");
  try {
    const journal = await api("POST", `/api/v1/callers/${callerId}/journal`, { reason: reason || "" });
    render(view, journal);
    return journal;
  } catch (err) {
    if (err.status === 403 && /state why/.test(err.message)) {
      breakGlassForm(view, callerId, Boolean(reason));
    } else {
      showError(err.message);
    }
    return null;
  }
}

// --- the journal page ---------------------------------------------------------------------------

const page = $("journal-page");
if (page) {
  const callerId = page.dataset.callerId;
  $("caller-merge").addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    try {
      const code = $("merge-code").value.trim().toUpperCase();
      const other = await api("GET", `/api/v1/callers/by-code/${encodeURIComponent(code)}`);
      await api("POST", `/api/v1/callers/${other.id}/merge`, { into_caller_id: callerId, reason: $("merge-reason").value });
      event.target.reset();
      await open($("journal-view"), callerId, "");
    } catch (err) { showError(err.message); }
  });
  open($("journal-view"), callerId, "").then((journal) => {
    if (journal && journal.profile.status === "active") $("caller-merge-box").hidden = false;
    const assign = $("caller-assign");
    if (!assign || !journal) return;
    assign.hidden = false;
    if (journal.profile.assigned_operator_id) $("caller-assignee").value = journal.profile.assigned_operator_id;
    assign.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("PUT", `/api/v1/director/callers/${callerId}/assignee`, { operator_id: $("caller-assignee").value });
        $("caller-assign-done").textContent = t.assigned;
      } catch (err) { showError(err.message); }
    });
  });
}

// --- the panel on the call screen ---------------------------------------------------------------

if ($("journal-tools")) callScreenPanel();

function callScreenPanel() {
  const view = $("journal-view");
  // The call screen's script (app.js) keeps the linked caller in the call's draft, so a reload or a
  // second tab brings the link back; without it, the panel links the recorded call itself.
  // app.js runs after this module: look its hook up when needed.
  const call = () => window.HotlineCall || null;
  let linkedCaller = null;

  for (const [fieldset, prefix, name] of [["caller-ways", "callback_way", "way"], ["caller-flags", "danger_flag", "flag"]]) {
    const codes = Object.keys(J.labels).filter((k) => k.startsWith(prefix + ":")).map((k) => k.slice(prefix.length + 1));
    for (const code of codes) {
      const id = `${name}-${code}`;
      $(fieldset).append(el("label", { class: "check", for: id },
        el("input", { type: "checkbox", id, name, value: code }), " " + label(prefix, code)));
    }
  }

  function showLinked(caller) {
    linkedCaller = caller;
    $("journal-linked-code").textContent = caller ? caller.code : "";
    $("journal-linked").hidden = !caller;
  }

  async function linkRecordedCall(contactId) {
    // Only without app.js's hook: with it, the call was recorded with the caller already.
    if (call() || !linkedCaller || !contactId) return;
    try {
      await api("POST", `/api/v1/callers/${linkedCaller.id}/contacts`, { contact_id: contactId });
    } catch (err) { showError(err.message); }
  }

  function choose(caller) {
    showLinked({ id: caller.id, code: caller.code });
    document.dispatchEvent(new CustomEvent("hotline:caller-linked", { detail: { callerId: caller.id } }));
  }

  // A second Enter while a lookup is on its way (or an early Enter replayed) must not list the
  // callers twice: only the newest lookup's answer is shown.
  let lookups = 0;
  $("caller-lookup").addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    const results = $("journal-results");
    results.replaceChildren();
    const mine = ++lookups;
    try {
      const found = await api("POST", "/api/v1/callers/lookup", { phone: $("journal-phone").value });
      if (mine !== lookups) return;
      results.replaceChildren();
      if (!found.length) {
        results.append(el("li", { class: "no-match", text: t.noMatch }));
        $("caller-new").open = true;
        $("caller-phone").value = $("journal-phone").value;
        return;
      }
      for (const caller of found) {
        const openButton = el("button", { type: "button", class: "open-journal", "data-caller-id": caller.id, text: t.open });
        const linkButton = el("button", { type: "button", class: "link-caller", "data-caller-id": caller.id, text: t.link });
        openButton.addEventListener("click", () => open(view, caller.id, ""));
        linkButton.addEventListener("click", () => { choose(caller); open(view, caller.id, ""); });
        results.append(el("li", { class: "caller-hit" }, el("strong", { class: "caller-code", text: caller.code }), " ",
          el("span", { class: "link-mark", text: caller.linked ? t.linkedMark : t.notLinkedMark }),
          flags(caller.danger_flags), openButton, linkButton));
      }
      results.querySelector("button").focus();
    } catch (err) { showError(err.message); }
  });

  $("caller-create").addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    const checked = (name) => checkedValues(event.target, name);
    const phone = $("caller-phone").value.trim();
    try {
      const profile = await api("POST", "/api/v1/callers", {
        name: $("caller-name").value, phones: phone ? [phone] : [], safe_times: $("caller-safe-times").value,
        callback_ways: checked("way"), danger_flags: checked("flag"),
      });
      $("caller-new").open = false;
      event.target.reset();
      choose(profile);
      await open(view, profile.id, "");
    } catch (err) { showError(err.message); }
  });

  // A new call (or the draft of this one, brought back): show its caller, if it has one.
  document.addEventListener("hotline:call-started", async () => {
    const callerId = call() ? call().callerId() : null;
    if (!callerId) { showLinked(null); view.replaceChildren(); return; }
    const journal = await open(view, callerId, "");
    if (journal) showLinked({ id: callerId, code: journal.profile.code });
  });
  // A referral made on the call screen shows in the linked caller's timeline at once.
  document.addEventListener("hotline:referral-made", async () => {
    if (linkedCaller) await open(view, linkedCaller.id, "");
  });
  document.addEventListener("hotline:call-recorded", async (event) => {
    const contact = (event.detail || {}).contact || {};
    await linkRecordedCall(contact.id);
    if (linkedCaller) await open(view, linkedCaller.id, "");
  });
}
