// The attribution check by keyboard: j/k or the arrow keys move through the list,
// c confirms, 1-9 credit an alternative, u and n mark unattributed / not a quote.
// Each key presses a link or button on the page (marked data-key), so without
// this script every action still works as a plain link or form.
(function () {
  "use strict";
  var ALIASES = { ArrowRight: "j", ArrowLeft: "k" };

  function typing(target) {
    if (!target || !target.tagName) { return false; }
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    var key = ALIASES[event.key] || event.key;
    if (key.length !== 1) { return; }
    var control = document.querySelector('[data-key="' + key.toLowerCase() + '"]');
    if (!control || control.disabled) { return; }
    event.preventDefault();
    control.focus();
    if (control.tagName === "BUTTON") {
      // One decision at a time: a second key press while the page loads does nothing.
      document.querySelectorAll("[data-key]").forEach(function (other) {
        if (other.tagName === "BUTTON") { other.disabled = true; }
      });
      control.form.requestSubmit ? control.form.requestSubmit() : control.form.submit();
    } else {
      control.click();
    }
  });
})();
