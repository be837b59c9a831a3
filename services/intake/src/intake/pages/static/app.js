// The operator's call screen: the record sheet in sections, screening with the live risk level,
// the advice script, the directory side panel, and a draft saved to the server as the operator types.
import { apiFor } from "./lib/api.js";
import { $, checkedValues, el, pageData, show } from "./lib/dom.js";
import { labelIn } from "./lib/i18n.js";
import { isoToZoned, timeFormatter, zonedToIso } from "./lib/time.js";

const text = pageData("hotline-text");
const settings = pageData("hotline-settings");
const TZ = settings.timezone || "Asia/Baku";
const api = apiFor(text.failed);
const shownTime = timeFormatter(settings.lang || "az", TZ, "—");
const form = $("contact-form");
const draftStatus = $("draft-status");
const conflict = $("draft-conflict");
let contactId = null;
let draft = null;
let saveTimer = null;
let saving = Promise.resolve();

function emit(name, detail) { document.dispatchEvent(new CustomEvent(name, { detail })); }

// The whole form, as the draft keeps it: line/caller_role/purpose/note on top, the rest in `sheet`.
const TOP = ["line", "caller_role", "purpose", "note"];
const MULTI = ["indicators", "exploitation_types", "tactics", "advice_given"];
const BOOLS = ["crisis_support", "follow_up_needed", "script_followed"];
// Sheet fields the recorded call takes as they are; payload() turns the others into its own fields.
const AS_IS = ["caller_sex", "caller_age_group", "caller_citizenship", "caller_country", "caller_region",
  "caller_language", "motive", "destination_country", "agency", "police_report", "labour_industry",
  "state_at_start", "state_at_end"];
const SINGLE = ["started_at", "ended_at", "caller_id", ...AS_IS, "follow_up_local", "script_version_id"];
let informed = [];

const checked = (name) => checkedValues(form, name);

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
  $("started-shown").textContent = shownTime(form.started_at.value);
  $("ended-shown").textContent = shownTime(form.ended_at.value);
  $("caller-shown").textContent = form.caller_id.value ? text.linked : text.anonymous;
  $("informed-count").textContent = String(informed.length);
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
  draft = await api("GET", "/api/v1/drafts/current").catch(() => null);  // 204 (none open): null too
  if (draft) {
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
  return JSON.parse(JSON.stringify({ ...Object.fromEntries(TOP.map((f) => [f, ""])), sheet: {}, ...fields }));
}

async function saveDraft() {
  // Nothing new to save: no version bump, so another tab's next save is not stale.
  if (!draft || !conflict.hidden || contactId) return;
  const fields = formFields();
  if (sameFields(normalised(draft.fields), normalised(fields))) return;
  draftStatus.textContent = text.draftSaving;
  try {
    draft = await api("PUT", `/api/v1/drafts/${draft.id}`, { version: draft.version, fields });
    draftStatus.textContent = text.draftSaved;
  } catch (e) {
    if (e.status === 409) {  // another tab saved first: its version comes with the refusal
      const current = e.body.current;
      draft.pending = current;
      $("their-note").textContent = current.fields.note;
      showTheirChanges(current.fields, fields);
      conflict.hidden = false;
      draftStatus.textContent = "";
    } else {  // offline, or the server failed: keep trying
      draftStatus.textContent = text.draftRetry;
      scheduleSave(3000);
    }
  }
}

// Every other field the other tab changed: its label, their value and mine, side by side.
function showTheirChanges(theirs, mine) {
  const list = $("their-changes");
  const flat = ({ note, sheet, ...top }) => ({ ...(sheet || {}), ...top });  // the note is shown on its own
  const a = flat(normalised(theirs));
  const b = flat(normalised(mine));
  const shownValue = (v) => (Array.isArray(v) ? v.join(", ") : String(v === undefined ? "" : v)) || "—";
  list.replaceChildren();
  for (const key of Object.keys({ ...a, ...b })) {
    if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
    const label = document.querySelector(`label[for="${key}"]`);
    list.append(el("li", { text: `${label ? label.textContent.trim() : key}: ${shownValue(a[key])} ↔ ${shownValue(b[key])}` }));
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
  api("PUT", `/api/v1/drafts/${draft.id}`, { version: draft.version, fields }, { keepalive: true }).catch(() => null);
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
$("keep-mine").addEventListener("click", () => {
  draft = draft.pending;  // their version, then save ours over it knowingly
  conflict.hidden = true;
  flushSave();
});
$("take-theirs").addEventListener("click", () => {
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
  const label = labelIn(text.risk, result.risk_level);
  const badge = $("risk-badge");
  badge.textContent = label;
  badge.className = "risk risk-" + result.risk_level;
  $("risk-level").textContent = label;
  $("risk-level").dataset.level = result.risk_level;
  $("risk-rules").textContent = result.rules.map((r) => labelIn(text.rules, r)).join("; ");
  $("police-suggestion").hidden = !result.suggest_police_report;
}

// The advice script for the purpose and destination, in the screen's language.
let scriptAsked = 0;
async function loadScript() {
  const mine = ++scriptAsked;
  const panel = $("script-panel");
  const params = new URLSearchParams({ purpose: form.purpose.value, destination_country: form.destination_country.value,
    language: settings.lang || "az" });
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
  $("script-title").textContent = script.title;
  $("script-version").textContent = `${text.version} ${script.version}`;
  $("script-steps").replaceChildren(...script.body.split("\n").filter(Boolean).map((line) => el("li", { text: line })));
}

$("end-call").addEventListener("click", () => {
  form.ended_at.value = new Date().toISOString();
  refreshShown();
  scheduleSave(0);
});

async function newCall() {
  await loaded;  // the draft the page opened with, so its arrival cannot wipe the new call
  await flushSave();
  contactId = null;
  $("contact-saved").hidden = true;
  $("save-contact").disabled = false;
  $("refer").hidden = true;
  $("referrals").replaceChildren();
  show($("contact-error"), "");
  await startDraft(true);
  draftStatus.textContent = "";
  for (const button of document.querySelectorAll("#services button[data-service-id]")) button.disabled = true;
  emit("hotline:call-started", { draftId: draft.id });
  form.line.focus();
}
$("new-call").addEventListener("click", newCall);

function payload() {
  const { sheet: s, ...top } = formFields();
  const body = { ...top,
    draft_id: draft ? draft.id : null, started_at: s.started_at || null,
    ended_at: s.ended_at || new Date().toISOString(), caller_id: s.caller_id || null,
    follow_up_needed: s.follow_up_needed, follow_up_due_at: zonedToIso(s.follow_up_local, TZ),
    crisis_support: s.crisis_support, services_informed: s.services_informed,
    script_version_id: s.script_followed && s.script_version_id ? s.script_version_id : null };
  for (const k of [...AS_IS, ...MULTI]) body[k] = s[k];
  return body;
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const error = $("contact-error");
  show(error, "");
  try {
    await flushSave();
    const contact = await api("POST", "/api/v1/contacts", payload());
    contactId = contact.id;
    form.ended_at.value = contact.ended_at || "";
    refreshShown();
    $("contact-id").textContent = contact.id;
    $("contact-saved").hidden = false;
    $("save-contact").disabled = true;
    $("refer").hidden = false;
    for (const button of document.querySelectorAll("#services button[data-service-id]")) button.disabled = false;
    emit("hotline:call-recorded", { contact });
    $("service_type").focus();
  } catch (e) { show(error, e.message); }
});

// The keyboard: one keystroke for a new call, end of call, save, and each section.
const SECTIONS = ["sec-call", "sec-caller", "sec-purpose", "sec-screening", "sec-support", "sec-follow", "directory"];
document.addEventListener("keydown", (ev) => {
  if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
  const key = ev.key.toLowerCase();
  if (key === "n" || ev.code === "KeyN") { ev.preventDefault(); newCall(); return; }
  if (key === "e" || ev.code === "KeyE") { ev.preventDefault(); $("end-call").click(); return; }
  if (key === "s" || ev.code === "KeyS") { ev.preventDefault(); form.requestSubmit(); return; }
  const digit = /^Digit([1-7])$/.exec(ev.code);
  if (digit) {
    ev.preventDefault();
    const section = $(SECTIONS[+digit[1] - 1]);
    if (section.tagName === "DETAILS") section.open = true;
    const first = section.querySelector("select, input:not([type=hidden]), textarea, button");
    if (first) first.focus();
  }
});

// The directory side panel: tell the caller about a service (counted on the sheet), or refer.
$("search-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  // POST: the search's filters travel in the body, never in a URL (traces and proxies keep URLs).
  const query = { service_type: ev.target.service_type.value, region: ev.target.region.value };
  const list = $("services");
  const error = $("refer-error");
  show(error, "");
  list.replaceChildren();
  try {
    const services = await api("POST", "/api/v1/directory/search", query);
    if (!services.length) list.append(el("li", { text: text.none }));
    for (const s of services) {
      const what = el("span", { text: `${s.name} — ${s.organisation_name}, ${s.city}, ${s.address} (${s.opening_hours}; ${s.phone})` });
      const tell = el("button", { type: "button", text: text.informed, "data-informed": s.id,
        "aria-pressed": String(informed.includes(s.id)) });
      tell.addEventListener("click", () => {
        informed = informed.includes(s.id) ? informed.filter((i) => i !== s.id) : [...informed, s.id];
        refreshShown();
        scheduleSave(0);
      });
      const button = el("button", { type: "button", text: text.refer, "data-service-id": s.id });
      button.disabled = !contactId;
      button.addEventListener("click", () => refer(s, button));
      list.append(el("li", {}, what, tell, button));
    }
  } catch (e) { show(error, e.message); }
});

// Referring asks for the caller's consent first (a modal dialog: focus stays in it, Escape cancels).
// Nothing ticked = no consent. Only the field codes leave the browser; intake reads the values.
const consentDialog = $("consent-dialog");
const consentForm = $("consent-form");
let referring = null;

function refer(service, button) {
  show($("refer-error"), "");
  show($("consent-error"), "");
  referring = { service, button };
  consentForm.reset();
  const until = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  $("consent-until").value = isoToZoned(until.toISOString(), TZ).slice(0, 10);
  $("consent-service").textContent = `${service.name} — ${service.organisation_name}`;
  consentDialog.showModal();
  consentForm.querySelector("input[name=consent_field]").focus();
}

function consentChoice() {
  const fields = checkedValues(consentForm, "consent_field");
  if (!fields.length) return { consent: null };
  const purpose = $("consent-purpose").value.trim();
  if (!purpose) return { problem: text.purposeNeeded, focus: "consent-purpose" };
  const day = $("consent-until").value;
  const until = day ? zonedToIso(day + "T23:59", TZ) : null;
  if (!until || new Date(until) <= new Date()) return { problem: text.untilNeeded, focus: "consent-until" };
  return { consent: { fields, purpose, valid_until: until } };
}

// For a specialist without an account: the URL is shown once, to be read out or sent; not kept here.
async function oneTimeLink(referralId, item, linkButton) {
  const error = $("refer-error");
  show(error, "");
  linkButton.disabled = true;
  try {
    const link = await api("POST", `/api/v1/referrals/${referralId}/one-time-link`);
    const url = el("input", { readonly: "", class: "link-url", "aria-label": text.linkOnce });
    url.value = link.url;  // the property only: the URL is not written into the page's markup
    linkButton.replaceWith(el("p", { class: "link-once" },
      `${text.linkOnce} (${text.linkUntil} ${shownTime(link.expires_at)}): `, url));
    url.focus();
    url.select();
  } catch (e) { show(error, e.message); linkButton.disabled = false; }
}

$("consent-cancel").addEventListener("click", () => consentDialog.close());
consentDialog.addEventListener("close", () => { if (referring) referring.button.focus(); referring = null; });
consentForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (!referring) return;
  const error = $("consent-error");
  const choice = consentChoice();
  if (choice.problem) { show(error, choice.problem); $(choice.focus).focus(); return; }
  const { service, button } = referring;
  const submit = $("consent-refer");
  submit.disabled = true;
  try {
    const referral = await api("POST", `/api/v1/contacts/${contactId}/referrals`, {
      service_id: service.id, reason: $("reason").value,
      urgency: $("urgency").value, consent: choice.consent,
    });
    const shared = choice.consent
      ? `${text.consentTo}: ${choice.consent.fields.map((f) => labelIn(text.consentFields, f)).join(", ")}`
      : text.noConsent;
    const item = el("li", { class: "referral-sent", "data-referral-id": referral.referral_id,
      text: `${text.sent}: ${service.name} (${labelIn(text.status, referral.status)}) — ${shared}` });
    const linkButton = el("button", { type: "button", class: "one-time-link", text: text.sendLink });
    linkButton.addEventListener("click", () => oneTimeLink(referral.referral_id, item, linkButton));
    item.append(" ", linkButton);
    $("referrals").append(item);
    button.disabled = true;
    consentDialog.close();
    emit("hotline:referral-made", { referral });
  } catch (e) { show(error, e.message); } finally { submit.disabled = false; }
});

// Hooks for the caller's journal panel (journal.js fills <aside id="journal-panel">):
// it links a caller to this call, and listens to "hotline:call-started" / "hotline:call-recorded".
document.addEventListener("hotline:caller-linked", (ev) => window.HotlineCall.setCaller(ev.detail.callerId));
window.HotlineCall = {
  panel: $("journal-panel"),
  setCaller(callerId) { form.caller_id.value = callerId || ""; refreshShown(); scheduleSave(0); },
  callerId() { return form.caller_id.value || null; },
  draftId() { return draft ? draft.id : null; },
  contactId() { return contactId; },
};

setInterval(() => {
  $("call-clock").textContent = shownTime(new Date().toISOString()) + ` (${TZ})`;
}, 1000);
const loaded = loadDraft().then(() => { document.body.dataset.callReady = "true"; });
