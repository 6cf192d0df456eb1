// newsmon UI: the only script, and nothing needs it to work.
// A select or a box marked data-autosubmit submits its form when it changes.
document.addEventListener("change", (event) => {
  const el = event.target;
  if ((el instanceof HTMLSelectElement || el instanceof HTMLInputElement) && el.hasAttribute("data-autosubmit")
      && el.form) {
    el.form.requestSubmit();
  }
});
// On a phone the filters start folded, below the results.
document.addEventListener("DOMContentLoaded", () => {
  if (window.matchMedia("(max-width: 860px)").matches) {
    document.querySelectorAll("details.fold").forEach((d) => d.removeAttribute("open"));
  }
});
