// The director's staff accounts: add one, disable or enable one, end all its sessions, unlock it after
// repeated wrong passwords (the API checks and audits every change).
import { api } from "./lib/api.js";
import { $ } from "./lib/dom.js";

const status = $("staff-status");

// Done: the page reloads and shows the accounts as they now are. Refused: the status says why.
async function send(method, url, body) {
  try {
    await api(method, url, body);
  } catch (e) { status.textContent = e.message; return; }
  window.location.reload();
}

$("staff-form").addEventListener("submit", (event) => {
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

for (const [selector, action] of [[".staff-end-sessions", "sessions/end"], [".staff-unlock", "unlock"]]) {
  for (const button of document.querySelectorAll(selector)) {
    button.addEventListener("click", () => {
      const id = button.closest("tr").dataset.account;
      send("POST", `/api/v1/director/staff/${id}/${action}`);
    });
  }
}
