// Advice scripts: the director edits; every save is a new version (a stale edit is refused).
import { api } from "./lib/api.js";
import { $, el, pageData, show } from "./lib/dom.js";
import { labeller } from "./lib/i18n.js";
import { timeFormatter } from "./lib/time.js";

const S = pageData("hotline-scripts");
const form = $("script-form");
const label = labeller(S.labels);
const shown = timeFormatter(S.lang, S.timezone);
// A script's fields, named alike in the form and the API (base_version, the version edited, is the form's).
const FIELDS = ["purpose", "destination_country", "language", "title", "body"];

async function showHistory(scriptId) {
  const versions = await api("GET", `/api/v1/scripts/${scriptId}/versions`);
  $("script-history").replaceChildren(...versions.map((v) =>
    el("li", { text: `${v.version}: ${v.title} — ${v.author_id}, ${shown(v.created_at)}` })));
}

function edit(s) {
  for (const f of FIELDS) form[f].value = s[f];
  form.base_version.value = String(s.version);
  showHistory(s.script_id);
  if (S.canEdit) form.title.focus();
}

async function list() {
  const scripts = await api("GET", "/api/v1/scripts");
  $("script-rows").replaceChildren(...scripts.map((s) => {
    const values = [label("purpose", s.purpose), s.destination_country ? label("country", s.destination_country) : S.any,
      s.language.toUpperCase(), s.title, String(s.version)];
    const button = el("button", { type: "button", class: "edit-script", text: S.edit });
    button.addEventListener("click", () => edit(s));
    return el("tr", {}, ...values.map((value) => el("td", { text: value })), el("td", {}, button));
  }));
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  show($("script-error"), "");
  try {
    const saved = await api("POST", "/api/v1/scripts", {
      ...Object.fromEntries(FIELDS.map((f) => [f, form[f].value])),
      base_version: form.base_version.value ? Number(form.base_version.value) : null });
    form.base_version.value = String(saved.version);
    $("script-saved").textContent = `${S.saved} ${saved.version}`;
    await list();
    await showHistory(saved.script_id);
  } catch (e) { show($("script-error"), e.message); }
});
list();
