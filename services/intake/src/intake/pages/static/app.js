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

  document.getElementById("contact-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const error = document.getElementById("contact-error");
    show(error, "");
    try {
      const contact = await api("POST", "/api/v1/contacts", {
        line: form.line.value, caller_role: form.caller_role.value,
        purpose: form.purpose.value, note: form.note.value,
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
