// Moves the focus to a form's error summary when the page loads after a failed submit, so a
// screen reader reads it out and a keyboard user starts there (WCAG 3.3.1). A file served by the
// app: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      focusSummary();
    });
  } else {
    focusSummary();
  }
  // A form swapped in by htmx with its errors: the same, inside the swapped part.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.querySelector) {
      focusSummary(event.target);
    }
  });
})();
