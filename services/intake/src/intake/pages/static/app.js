// The operator's call screen: the record sheet in sections, screening with the live risk level,
// the advice script, the directory side panel, and a draft saved to the server as the operator types.
(function () {
  "use strict";
  const text = window.HOTLINE_TEXT;
  const TZ = window.HOTLINE_TIMEZONE || "Asia/Baku";
  const form = document.getElementById("contact-form");
  const draftStatus = document.getElementById("draft-status");
  const conflict = document.getElementById("draft-conflict");
  let contactId = null;
  let draft = null;
  let saveTimer = null;
  let saving = Promise.resolve();

  function problems(body) {
    if (body && Array.isArray(body.detail)) {
      return body.detail.map((d) => (d.loc || []).filter((p) => p !== "body").join(".") + ": " + d.msg).join("; ");
    }
    return (body && body.detail) || text.failed;
  }

  async function api(method, url, payload) {
    const response = await fetch(url, {
      method, credentials: "same-origin",
      headers: payload ? { "Content-Type": "application/json" } : {},
      body: payload ? JSON.stringify(payload) : undefined,
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error(problems(body));
    return body;
  }

  function show(el, message) { el.textContent = message; el.hidden = !message; }
  function emit(name, detail) { document.dispatchEvent(new CustomEvent(name, { detail })); }

  // Times: stored and sent in UTC, shown and typed in the hotline's zone (Asia/Baku).
  function zoneOffsetMinutes(date) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
      timeZone: TZ, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(date).map((p) => [p.type, p.value]));
    const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
    return Math.round((asUtc - date.getTime()) / 60000);
  }
  function shownTime(iso) {
    if (!iso) return "—";
    return new Intl.DateTimeFormat(window.HOTLINE_LANG || "az", {
      timeZone: TZ, dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
  }
  function localInputToIso(value) {  // "2026-11-23T10:00" typed in TZ -> UTC ISO
    if (!value) return null;
    const naive = new Date(value + ":00Z");
    return new Date(naive.getTime() - zoneOffsetMinutes(naive) * 60000).toISOString();
  }
  function isoToLocalInput(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    return new Date(date.getTime() + zoneOffsetMinutes(date) * 60000).toISOString().slice(0, 16);
  }

  // The whole form, as the draft keeps it: line/caller_role/purpose/note on top, the rest in `sheet`.
  const TOP = ["line", "caller_role", "purpose", "note"];
  const MULTI = ["indicators", "exploitation_types", "tactics", "advice_given"];
  const BOOLS = ["crisis_support", "follow_up_needed", "script_followed"];
  const SINGLE = ["started_at", "ended_at", "caller_id", "caller_sex", "caller_age_group", "caller_citizenship",
    "caller_country", "caller_region", "caller_language", "motive", "destination_country", "agency",
    "police_report", "labour_industry", "state_at_start", "state_at_end", "follow_up_local", "script_version_id"];
  let informed = [];

  function checked(name) {
    return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  }

  function formFields() {
    const sheet = {};
    for (const f of SINGLE) sheet[f] = form[f].value;
    for (const f of MULTI) sheet[f] = checked(f);
    for (const f of BOOLS) sheet[f] = form[f].checked;
    sheet.services_informed = informed.slice();
    return { ...Object.fromEntries(TOP.map((f) => [f, form[f].value])), sheet };
  }

  function fill(fields) {
    for (const f of TOP) { if (fields[f]) form[f].value = fields[f]; }
    const sheet = fields.sheet || {};
    for (const f of SINGLE) form[f].value = sheet[f] || "";
    for (const f of MULTI) {
      const on = new Set(sheet[f] || []);
      for (const box of form.querySelectorAll(`input[name="${f}"]`)) box.checked = on.has(box.value);
    }
    for (const f of BOOLS) form[f].checked = !!sheet[f];
    informed = (sheet.services_informed || []).slice();
    refreshShown();
    assessRisk();
    loadScript();
  }

  function refreshShown() {
    document.getElementById("started-shown").textContent = shownTime(form.started_at.value);
    document.getElementById("ended-shown").textContent = shownTime(form.ended_at.value);
    document.getElementById("caller-shown").textContent = form.caller_id.value ? text.linked : text.anonymous;
    document.getElementById("informed-count").textContent = String(informed.length);
    for (const button of document.querySelectorAll("#services button[data-informed]")) {
      button.setAttribute("aria-pressed", String(informed.includes(button.dataset.informed)));
    }
  }

  function sameFields(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  async function startDraft(clear) {
    draft = await api("POST", "/api/v1/drafts");
    if (clear) {  // a new call; on the page's first load, keep what was typed while the draft was coming
      form.reset();
      for (const hidden of form.querySelectorAll("input[type=hidden]")) hidden.value = "";
      informed = [];
    }
    form.started_at.value = new Date().toISOString();
    refreshShown();
    draft.fields = clear ? formFields() : { sheet: {} };  // saved at the first edit (or now, if typed already)
    assessRisk();
    loadScript();
  }

  async function loadDraft() {
    const response = await fetch("/api/v1/drafts/current", { credentials: "same-origin" });
    if (response.status === 200) {
      draft = await response.json();
      fill(draft.fields);
      if (!form.started_at.value) form.started_at.value = draft.updated_at;
      refreshShown();
      // What is on screen now is what the server has: the first save waits for the first edit.
      draft.fields = formFields();
    } else {
      await startDraft(false);
    }
    emit("hotline:call-started", { draftId: draft.id });
    scheduleSave();  // anything typed while the draft was loading
  }

  function normalised(fields) {  // what the server gives back for the draft, to compare like with like
    return JSON.parse(JSON.stringify({ line: "", caller_role: "", purpose: "", note: "", sheet: {}, ...fields }));
  }

  async function saveDraft() {
    // Nothing new to save: no version bump, so another tab's next save is not stale.
    if (!draft || !conflict.hidden || contactId) return;
    const fields = formFields();
    if (sameFields(normalised(draft.fields), normalised(fields))) return;
    draftStatus.textContent = text.draftSaving;
    const response = await fetch(`/api/v1/drafts/${draft.id}`, {
      method: "PUT", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ version: draft.version, fields }),
    }).catch(() => null);
    if (response && response.ok) {
      draft = await response.json();
      draftStatus.textContent = text.draftSaved;
    } else if (response && response.status === 409) {
      const body = await response.json();
      draft.pending = body.current;
      document.getElementById("their-note").textContent = body.current.fields.note;
      showTheirChanges(body.current.fields, fields);
      conflict.hidden = false;
      draftStatus.textContent = "";
    } else {
      draftStatus.textContent = text.draftRetry;
      scheduleSave(3000);
    }
  }

  // Every other field the other tab changed: its label, their value and mine, side by side.
  function showTheirChanges(theirs, mine) {
    const list = document.getElementById("their-changes");
    const flat = (f) => ({ ...(f.sheet || {}), line: f.line, caller_role: f.caller_role, purpose: f.purpose });
    const a = flat(normalised(theirs));
    const b = flat(normalised(mine));
    const shownValue = (v) => (Array.isArray(v) ? v.join(", ") : String(v === undefined ? "" : v)) || "—";
    list.replaceChildren();
    for (const key of Object.keys({ ...a, ...b })) {
      if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
      const label = document.querySelector(`label[for="${key}"]`);
      const item = document.createElement("li");
      item.textContent = `${label ? label.textContent.trim() : key}: ${shownValue(a[key])} ↔ ${shownValue(b[key])}`;
      list.append(item);
    }
  }

  function scheduleSave(delay = 300) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => { saving = saving.then(saveDraft); }, delay);
  }

  // Leaving the page (reload, closing the tab) with a save still pending: send it anyway.
  window.addEventListener("pagehide", () => {
    if (!draft || !conflict.hidden || contactId) return;
    const fields = formFields();
    if (sameFields(normalised(draft.fields), normalised(fields))) return;
    fetch(`/api/v1/drafts/${draft.id}`, {
      method: "PUT", credentials: "same-origin", keepalive: true, headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ version: draft.version, fields }),
    }).catch(() => null);
  });

  function flushSave() {
    clearTimeout(saveTimer);
    saving = saving.then(saveDraft);
    return saving;
  }

  form.addEventListener("input", () => scheduleSave());
  form.addEventListener("change", (ev) => {
    if (ev.target.name === "indicators") assessRisk();
    if (ev.target.name === "purpose" || ev.target.name === "destination_country") loadScript();
    scheduleSave();
  });
  document.getElementById("keep-mine").addEventListener("click", () => {
    draft = draft.pending;  // their version, then save ours over it knowingly
    conflict.hidden = true;
    flushSave();
  });
  document.getElementById("take-theirs").addEventListener("click", () => {
    draft = draft.pending;
    fill(draft.fields);
    conflict.hidden = true;
    draftStatus.textContent = text.draftSaved;
  });
  // Switching language reloads the page: save what was typed first.
  for (const link of document.querySelectorAll(".langs a")) {
    link.addEventListener("click", async (ev) => {
      ev.preventDefault();
      await flushSave();
      window.location.href = link.href;
    });
  }

  // Screening: the server applies the documented rules; the screen shows the level and why.
  let assessing = 0;
  async function assessRisk() {
    const mine = ++assessing;
    let result;
    try {
      result = await api("POST", "/api/v1/screening/assess", { indicators: checked("indicators") });
    } catch (e) { return; }
    if (mine !== assessing) return;  // a newer tick is on its way
    const label = text.risk[result.risk_level] || result.risk_level;
    const badge = document.getElementById("risk-badge");
    badge.textContent = label;
    badge.className = "risk risk-" + result.risk_level;
    document.getElementById("risk-level").textContent = label;
    document.getElementById("risk-level").dataset.level = result.risk_level;
    document.getElementById("risk-rules").textContent = result.rules.map((r) => text.rules[r] || r).join("; ");
    document.getElementById("police-suggestion").hidden = !result.suggest_police_report;
  }

  // The advice script for the purpose and destination, in the screen's language.
  let scriptAsked = 0;
  async function loadScript() {
    const mine = ++scriptAsked;
    const panel = document.getElementById("script-panel");
    const params = new URLSearchParams({ purpose: form.purpose.value, destination_country: form.destination_country.value,
      language: window.HOTLINE_LANG || "az" });
    let script = null;
    if (form.purpose.value.startsWith("advice_")) {
      try { script = await api("GET", "/api/v1/scripts/find?" + params); } catch (e) { script = null; }
    }
    if (mine !== scriptAsked) return;  // the purpose or destination changed again meanwhile
    panel.hidden = !script;
    if (!script) { form.script_version_id.value = ""; return; }
    if (form.script_version_id.value !== script.version_id) {
      form.script_version_id.value = script.version_id;
      form.script_followed.checked = false;  // a different script: the operator ticks it again
    }
    document.getElementById("script-title").textContent = script.title;
    document.getElementById("script-version").textContent = `${text.version} ${script.version}`;
    document.getElementById("script-steps").replaceChildren(...script.body.split("\n").filter(Boolean).map(
      (line) => Object.assign(document.createElement("li"), { textContent: line })));
  }

  document.getElementById("end-call").addEventListener("click", () => {
    form.ended_at.value = new Date().toISOString();
    refreshShown();
    scheduleSave(0);
  });

  async function newCall() {
    await loaded;  // the draft the page opened with, so its arrival cannot wipe the new call
    await flushSave();
    contactId = null;
    document.getElementById("contact-saved").hidden = true;
    document.getElementById("save-contact").disabled = false;
    document.getElementById("refer").hidden = true;
    document.getElementById("referrals").replaceChildren();
    show(document.getElementById("contact-error"), "");
    await startDraft(true);
    draftStatus.textContent = "";
    for (const button of document.querySelectorAll("#services button[data-service-id]")) button.disabled = true;
    emit("hotline:call-started", { draftId: draft.id });
    form.line.focus();
  }
  document.getElementById("new-call").addEventListener("click", newCall);

  function payload() {
    const f = formFields();
    const s = f.sheet;
    const body = { line: f.line, caller_role: f.caller_role, purpose: f.purpose, note: f.note,
      draft_id: draft ? draft.id : null, started_at: s.started_at || null,
      ended_at: s.ended_at || new Date().toISOString(), caller_id: s.caller_id || null,
      follow_up_needed: s.follow_up_needed, follow_up_due_at: localInputToIso(s.follow_up_local),
      crisis_support: s.crisis_support, services_informed: s.services_informed,
      script_version_id: s.script_followed && s.script_version_id ? s.script_version_id : null };
    for (const k of ["caller_sex", "caller_age_group", "caller_citizenship", "caller_country", "caller_region",
      "caller_language", "motive", "destination_country", "agency", "police_report", "labour_industry",
      "state_at_start", "state_at_end"]) body[k] = s[k];
    for (const k of MULTI) body[k] = s[k];
    return body;
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const error = document.getElementById("contact-error");
    show(error, "");
    try {
      await flushSave();
      const contact = await api("POST", "/api/v1/contacts", payload());
      contactId = contact.id;
      form.ended_at.value = contact.ended_at || "";
      refreshShown();
      document.getElementById("contact-id").textContent = contact.id;
      document.getElementById("contact-saved").hidden = false;
      document.getElementById("save-contact").disabled = true;
      document.getElementById("refer").hidden = false;
      for (const button of document.querySelectorAll("#services button[data-service-id]")) button.disabled = false;
      emit("hotline:call-recorded", { contact });
      document.getElementById("service_type").focus();
    } catch (e) { show(error, e.message); }
  });

  // The keyboard: one keystroke for a new call, end of call, save, and each section.
  const SECTIONS = ["sec-call", "sec-caller", "sec-purpose", "sec-screening", "sec-support", "sec-follow", "directory"];
  document.addEventListener("keydown", (ev) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const key = ev.key.toLowerCase();
    if (key === "n" || ev.code === "KeyN") { ev.preventDefault(); newCall(); return; }
    if (key === "e" || ev.code === "KeyE") { ev.preventDefault(); document.getElementById("end-call").click(); return; }
    if (key === "s" || ev.code === "KeyS") { ev.preventDefault(); form.requestSubmit(); return; }
    const digit = /^Digit([1-7])$/.exec(ev.code);
    if (digit) {
      ev.preventDefault();
      const section = document.getElementById(SECTIONS[+digit[1] - 1]);
      if (section.tagName === "DETAILS") section.open = true;
      const first = section.querySelector("select, input:not([type=hidden]), textarea, button");
      if (first) first.focus();
    }
  });

  // The directory side panel: tell the caller about a service (counted on the sheet), or refer.
  document.getElementById("search-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const params = new URLSearchParams({ service_type: ev.target.service_type.value, region: ev.target.region.value });
    const list = document.getElementById("services");
    const error = document.getElementById("refer-error");
    show(error, "");
    list.replaceChildren();
    try {
      const services = await api("GET", "/api/v1/directory/services?" + params);
      if (!services.length) { list.append(Object.assign(document.createElement("li"), { textContent: text.none })); }
      for (const s of services) {
        const item = document.createElement("li");
        const what = document.createElement("span");
        what.textContent = `${s.name} — ${s.organisation_name}, ${s.city}, ${s.address} (${s.opening_hours}; ${s.phone})`;
        const tell = Object.assign(document.createElement("button"), { type: "button", textContent: text.informed });
        tell.dataset.informed = s.id;
        tell.setAttribute("aria-pressed", String(informed.includes(s.id)));
        tell.addEventListener("click", () => {
          informed = informed.includes(s.id) ? informed.filter((i) => i !== s.id) : [...informed, s.id];
          refreshShown();
          scheduleSave(0);
        });
        const button = Object.assign(document.createElement("button"), { type: "button", textContent: text.refer });
        button.dataset.serviceId = s.id;
        button.disabled = !contactId;
        button.addEventListener("click", () => refer(s, button));
        item.append(what, tell, button);
        list.append(item);
      }
    } catch (e) { show(error, e.message); }
  });

  // Referring asks for the caller's consent first (a modal dialog: focus stays in it, Escape cancels).
  // Nothing ticked = no consent. Only the field codes leave the browser; intake reads the values.
  const consentDialog = document.getElementById("consent-dialog");
  const consentForm = document.getElementById("consent-form");
  let referring = null;

  function refer(service, button) {
    show(document.getElementById("refer-error"), "");
    show(document.getElementById("consent-error"), "");
    referring = { service, button };
    consentForm.reset();
    const until = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    document.getElementById("consent-until").value = isoToLocalInput(until.toISOString()).slice(0, 10);
    document.getElementById("consent-service").textContent = `${service.name} — ${service.organisation_name}`;
    consentDialog.showModal();
    consentForm.querySelector("input[name=consent_field]").focus();
  }

  function consentChoice() {
    const fields = [...consentForm.querySelectorAll("input[name=consent_field]:checked")].map((i) => i.value);
    if (!fields.length) return { consent: null };
    const purpose = document.getElementById("consent-purpose").value.trim();
    if (!purpose) return { problem: text.purposeNeeded, focus: "consent-purpose" };
    const day = document.getElementById("consent-until").value;
    const until = day ? localInputToIso(day + "T23:59") : null;
    if (!until || new Date(until) <= new Date()) return { problem: text.untilNeeded, focus: "consent-until" };
    return { consent: { fields, purpose, valid_until: until } };
  }

  // For a specialist without an account: the URL is shown once, to be read out or sent; not kept here.
  async function oneTimeLink(referralId, item, linkButton) {
    const error = document.getElementById("refer-error");
    show(error, "");
    linkButton.disabled = true;
    try {
      const link = await api("POST", `/api/v1/referrals/${referralId}/one-time-link`);
      const shown = Object.assign(document.createElement("p"), { className: "link-once" });
      const url = Object.assign(document.createElement("input"), { readOnly: true, value: link.url, className: "link-url" });
      url.setAttribute("aria-label", text.linkOnce);
      shown.append(`${text.linkOnce} (${text.linkUntil} ${shownTime(link.expires_at)}): `, url);
      linkButton.replaceWith(shown);
      url.focus();
      url.select();
    } catch (e) { show(error, e.message); linkButton.disabled = false; }
  }

  document.getElementById("consent-cancel").addEventListener("click", () => consentDialog.close());
  consentDialog.addEventListener("close", () => { if (referring) referring.button.focus(); referring = null; });
  consentForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!referring) return;
    const error = document.getElementById("consent-error");
    const choice = consentChoice();
    if (choice.problem) { show(error, choice.problem); document.getElementById(choice.focus).focus(); return; }
    const { service, button } = referring;
    const submit = document.getElementById("consent-refer");
    submit.disabled = true;
    try {
      const referral = await api("POST", `/api/v1/contacts/${contactId}/referrals`, {
        service_id: service.id, reason: document.getElementById("reason").value,
        urgency: document.getElementById("urgency").value, consent: choice.consent,
      });
      const shared = choice.consent
        ? `${text.consentTo}: ${choice.consent.fields.map((f) => text.consentFields[f] || f).join(", ")}`
        : text.noConsent;
      const item = document.createElement("li");
      item.className = "referral-sent";
      item.dataset.referralId = referral.referral_id;
      item.textContent = `${text.sent}: ${service.name} (${text.status[referral.status] || referral.status}) — ${shared}`;
      const linkButton = Object.assign(document.createElement("button"), { type: "button",
        className: "one-time-link", textContent: text.sendLink });
      linkButton.addEventListener("click", () => oneTimeLink(referral.referral_id, item, linkButton));
      item.append(" ", linkButton);
      document.getElementById("referrals").append(item);
      button.disabled = true;
      consentDialog.close();
      emit("hotline:referral-made", { referral });
    } catch (e) { show(error, e.message); } finally { submit.disabled = false; }
  });

  // Hooks for the caller's journal panel (journal.js fills <aside id="journal-panel">):
  // it links a caller to this call, and listens to "hotline:call-started" / "hotline:call-recorded".
  document.addEventListener("hotline:caller-linked", (ev) => window.HotlineCall.setCaller(ev.detail.callerId));
  window.HotlineCall = {
    panel: document.getElementById("journal-panel"),
    setCaller(callerId) { form.caller_id.value = callerId || ""; refreshShown(); scheduleSave(0); },
    callerId() { return form.caller_id.value || null; },
    draftId() { return draft ? draft.id : null; },
    contactId() { return contactId; },
  };

  setInterval(() => {
    document.getElementById("call-clock").textContent = shownTime(new Date().toISOString()) + ` (${TZ})`;
  }, 1000);
  const loaded = loadDraft().then(() => { document.body.dataset.callReady = "true"; });
})();
