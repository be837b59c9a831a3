// The operator's call screen: record the call, then search the directory and refer.
(function () {
  "use strict";
  const text = window.HOTLINE_TEXT;
  let contactId = null;

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

  // The draft: saved to the server as the operator types, so a reload, a crash or a second tab
  // brings it back; a save on an old version comes back as a conflict showing both values.
  const form = document.getElementById("contact-form");
  const draftStatus = document.getElementById("draft-status");
  const conflict = document.getElementById("draft-conflict");
  const FIELDS = ["line", "caller_role", "purpose", "note"];
  let draft = null;
  let saveTimer = null;
  let saving = Promise.resolve();

  function formFields() { return Object.fromEntries(FIELDS.map((f) => [f, form[f].value])); }
  function fill(fields) { for (const f of FIELDS) { if (fields[f]) form[f].value = fields[f]; } }

  async function loadDraft() {
    const response = await fetch("/api/v1/drafts/current", { credentials: "same-origin" });
    if (response.status === 200) {
      draft = await response.json();
      fill(draft.fields);
    } else {
      draft = await api("POST", "/api/v1/drafts");
    }
    scheduleSave();  // anything typed while the draft was loading
  }

  function unchanged() {
    return FIELDS.every((f) => (draft.fields[f] || "") === form[f].value);
  }

  async function saveDraft() {
    // Nothing new to save: no version bump, so another tab's next save is not stale.
    if (!draft || !conflict.hidden || contactId || unchanged()) return;
    draftStatus.textContent = text.draftSaving;
    const response = await fetch(`/api/v1/drafts/${draft.id}`, {
      method: "PUT", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ version: draft.version, fields: formFields() }),
    }).catch(() => null);
    if (response && response.ok) {
      draft = await response.json();
      draftStatus.textContent = text.draftSaved;
    } else if (response && response.status === 409) {
      const body = await response.json();
      draft.pending = body.current;
      document.getElementById("their-note").textContent = body.current.fields.note;
      conflict.hidden = false;
      draftStatus.textContent = "";
    } else {
      draftStatus.textContent = text.draftRetry;
      scheduleSave(3000);
    }
  }

  function scheduleSave(delay = 300) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => { saving = saving.then(saveDraft); }, delay);
  }

  function flushSave() {
    clearTimeout(saveTimer);
    saving = saving.then(saveDraft);
    return saving;
  }

  form.addEventListener("input", () => scheduleSave());
  form.addEventListener("change", () => scheduleSave());
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
  loadDraft();

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const error = document.getElementById("contact-error");
    show(error, "");
    try {
      await flushSave();
      const contact = await api("POST", "/api/v1/contacts", {
        line: form.line.value, caller_role: form.caller_role.value,
        purpose: form.purpose.value, note: form.note.value, draft_id: draft ? draft.id : null,
      });
      contactId = contact.id;
      document.getElementById("contact-id").textContent = contact.id;
      document.getElementById("contact-saved").hidden = false;
      document.getElementById("save-contact").disabled = true;
      document.getElementById("refer").hidden = false;
      document.getElementById("service_type").focus();
    } catch (e) { show(error, e.message); }
  });

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
        item.append(`${s.name} — ${s.organisation_name}, ${s.city}, ${s.address} (${s.opening_hours}; ${s.phone}) `);
        const button = Object.assign(document.createElement("button"), { type: "button", textContent: text.refer });
        button.dataset.serviceId = s.id;
        button.addEventListener("click", () => refer(s, button));
        item.append(button);
        list.append(item);
      }
    } catch (e) { show(error, e.message); }
  });

  async function refer(service, button) {
    const error = document.getElementById("refer-error");
    show(error, "");
    button.disabled = true;
    try {
      const referral = await api("POST", `/api/v1/contacts/${contactId}/referrals`, {
        service_id: service.id, reason: document.getElementById("reason").value,
        urgency: document.getElementById("urgency").value,
      });
      const item = document.createElement("li");
      item.className = "referral-sent";
      item.textContent = `${text.sent}: ${service.name} (${text.status[referral.status] || referral.status})`;
      document.getElementById("referrals").append(item);
    } catch (e) { show(error, e.message); button.disabled = false; }
  }
})();
