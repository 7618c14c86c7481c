// Sijill web: small progressive enhancement (no inline script anywhere; CSP script-src 'self').
"use strict";

// Review queue: a / r / u press the accept / reject / unsure buttons (not while typing).
document.addEventListener("keydown", (event) => {
  const form = document.querySelector("form[data-shortcuts]");
  if (!form || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select")) return;
  const button = form.querySelector(`button[data-key="${event.key.toLowerCase()}"]`);
  if (button) {
    event.preventDefault();
    button.click();
  }
});

// Buttons with data-confirm ask before submitting (e.g. "sign out everywhere").
document.addEventListener("click", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return;
  const button = target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm") || "")) {
    event.preventDefault();
  }
});
