// Keyboard and screen-reader fixes for the book's pages (added to every page by
// _ext/nnmath_site.py).
//
// 1. Widget sliders.
// An ipywidgets slider handle (role=slider) has no accessible name: its <label>
// is not tied to it. And a SelectionSlider's handle reports the index of the
// option (aria-valuetext "1") where the readout shows the value (0.125). Each
// handle is named after its label, and its aria-valuetext follows the readout,
// so a screen reader announces "learning rate η, η = 0.125" and every change.
(function () {
  "use strict";
  // What a one-symbol label stands for, spoken in full.
  var SPOKEN = {"η": "learning rate η"};

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function sync(slider) {
    var handle = slider.querySelector("[role=slider]");
    if (!handle) { return; }
    var label = text(slider.querySelector(".widget-label"));
    var readout = slider.querySelector(".widget-readout");
    var name = SPOKEN[label] || label;
    if (name && handle.getAttribute("aria-label") !== name) { handle.setAttribute("aria-label", name); }
    var shown = readout && readout.style.display !== "none" ? text(readout) : "";
    var value = shown ? (label ? label + " = " + shown : shown) : "";
    if (value && handle.getAttribute("aria-valuetext") !== value) { handle.setAttribute("aria-valuetext", value); }
  }

  function syncAll() {
    document.querySelectorAll(".widget-slider").forEach(sync);
  }

  // Mutation callbacks run right after the manager's change, before the next paint;
  // sync() writes only what differs, so its own writes end the cycle.
  var observer = new MutationObserver(syncAll);

  function start() {
    syncAll();
    observer.observe(document.body, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ["aria-valuetext", "aria-valuenow"],
    });
  }

  // 2. A displayed formula wider than the screen (on a phone) scrolls sideways
  // within itself; a keyboard can scroll it only if it can be focused. The
  // others stay out of the tab order.
  function focusableWhenScrolling() {
    document.querySelectorAll('main mjx-container[display="true"], main div.math').forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
      if (!scrolls && box.getAttribute("tabindex") === "0") { box.removeAttribute("tabindex"); }
    });
  }
  window.addEventListener("load", focusableWhenScrolling);
  window.addEventListener("resize", focusableWhenScrolling);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
