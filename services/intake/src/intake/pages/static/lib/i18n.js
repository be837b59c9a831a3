// The labels and messages of a screen come from the server, in the page's language: a page's
// template writes them in a JSON data block (dom.js pageData); the journal's come from
// /journal-text.js, a script setting a window global before the journal's module runs.

export function pageText(name) {
  const text = window[name];
  if (!text) throw new Error(`${name} is missing: the page's template provides it`);
  return text;
}

// The label of a code in a map the server sent, or the code itself when it sent none.
export const labelIn = (labels, code) => labels[code] || code;

// For maps keyed as the msgids are, "<list>:<code>": label("purpose", code).
export const labeller = (labels) => (prefix, code) => labels[`${prefix}:${code}`] || code;
