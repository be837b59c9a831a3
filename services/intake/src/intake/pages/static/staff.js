// The director's staff accounts: add one, disable or enable one (the API checks and audits every change).
"use strict";
(() => {
  const status = document.getElementById("staff-status");

  async function send(method, url, body) {
    const response = await fetch(url, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    if (response.ok) { window.location.reload(); return; }
    const problem = await response.json().catch(() => ({}));
    const detail = Array.isArray(problem.detail)
      ? problem.detail.map((p) => `${p.field || (p.loc || []).join(".")}: ${p.reason || p.msg}`).join("; ")
      : (problem.detail || response.statusText);
    status.textContent = detail;
  }

  document.getElementById("staff-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    send("POST", "/api/v1/director/staff", Object.fromEntries(form.entries()));
  });

  for (const button of document.querySelectorAll(".staff-toggle")) {
    button.addEventListener("click", () => {
      const id = button.closest("tr").dataset.account;
      send("PUT", `/api/v1/director/staff/${id}/disabled`, { disabled: button.dataset.disable === "true" });
    });
  }
})();
