// Building and showing elements on the operator screens. Text always goes in as text (textContent,
// attribute values), never as HTML: nothing a caller or a partner typed can become markup.

export const $ = (id) => document.getElementById(id);

// What the server wrote for the page's module: the JSON in its <script type="application/json"
// id="…"> block (data, not code: the pages' CSP runs no inline script).
export function pageData(id) {
  const block = document.getElementById(id);
  if (!block) throw new Error(`#${id} is missing: the page's template provides it`);
  return JSON.parse(block.textContent);
}

// el("li", { class: "hit", text: "…", "data-id": id }, child, …): attributes left out when null,
// undefined or false; children are nodes or strings.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

// A message box (error, status): shown with the message, hidden without one.
export function show(box, message) {
  box.textContent = message || "";
  box.hidden = !message;
}

// The values of the ticked checkboxes called `name` inside `root`.
export function checkedValues(root, name) {
  return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
}
