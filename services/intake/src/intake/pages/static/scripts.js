// Advice scripts: the director edits; every save is a new version (a stale edit is refused).
(function () {
  "use strict";
  const S = window.HOTLINE_SCRIPTS;
  const $ = (id) => document.getElementById(id);
  const form = $("script-form");
  const label = (prefix, code) => S.labels[prefix + ":" + code] || code;
  const shown = (iso) => new Intl.DateTimeFormat(S.lang, { timeZone: S.timezone, dateStyle: "short",
    timeStyle: "short" }).format(new Date(iso));

  async function api(method, url, payload) {
    const response = await fetch(url, { method, credentials: "same-origin",
      headers: payload ? { "Content-Type": "application/json" } : {},
      body: payload ? JSON.stringify(payload) : undefined });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error(body && Array.isArray(body.detail)
        ? body.detail.map((d) => (d.loc || []).slice(-1)[0] + ": " + d.msg).join("; ")
        : (body && body.detail) || String(response.status));
    }
    return body;
  }

  async function showHistory(scriptId) {
    const versions = await api("GET", `/api/v1/scripts/${scriptId}/versions`);
    $("script-history").replaceChildren(...versions.map((v) => {
      const item = document.createElement("li");
      item.textContent = `${v.version}: ${v.title} — ${v.author_id}, ${shown(v.created_at)}`;
      return item;
    }));
  }

  function edit(s) {
    form.purpose.value = s.purpose;
    form.destination_country.value = s.destination_country;
    form.language.value = s.language;
    form.title.value = s.title;
    form.body.value = s.body;
    form.base_version.value = String(s.version);
    showHistory(s.script_id);
    if (S.canEdit) form.title.focus();
  }

  async function list() {
    const scripts = await api("GET", "/api/v1/scripts");
    $("script-rows").replaceChildren(...scripts.map((s) => {
      const tr = document.createElement("tr");
      for (const value of [label("purpose", s.purpose), s.destination_country ? label("country", s.destination_country) : S.any,
        s.language.toUpperCase(), s.title, String(s.version)]) {
        tr.append(Object.assign(document.createElement("td"), { textContent: value }));
      }
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: S.edit });
      button.className = "edit-script";
      button.addEventListener("click", () => edit(s));
      const cell = document.createElement("td");
      cell.append(button);
      tr.append(cell);
      return tr;
    }));
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("script-error").hidden = true;
    try {
      const saved = await api("POST", "/api/v1/scripts", {
        purpose: form.purpose.value, destination_country: form.destination_country.value, language: form.language.value,
        title: form.title.value, body: form.body.value,
        base_version: form.base_version.value ? Number(form.base_version.value) : null });
      form.base_version.value = String(saved.version);
      $("script-saved").textContent = `${S.saved} ${saved.version}`;
      await list();
      await showHistory(saved.script_id);
    } catch (e) { $("script-error").textContent = e.message; $("script-error").hidden = false; }
  });
  list();
})();
