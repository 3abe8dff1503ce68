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

  // 2. Scrollable blocks are tab stops, so a keyboard can scroll them. The theme's own loop
  // (taken out of its script by _ext/nnmath_site.py) read the size of every block of the page at
  // load, forcing a layout of the whole page. The build writes tabindex="0" on the code blocks
  // and tables that can scroll on a narrow screen; here each block is checked once the browser
  // has laid it out (a ResizeObserver reads sizes after layout, without forcing one), as the
  // theme did: a tab stop if it scrolls, not one if it does not. A displayed formula wider than
  // the screen (on a phone) scrolls sideways within itself; the others stay out of the tab order.
  var THEME_SCROLLERS = "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, " +
    ".pst-scrollable-table-container";
  var FORMULAS = 'main mjx-container[display="true"], main div.math';

  function scrolls(box) {
    return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
  }

  var sized = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var box = entry.target;
      if (box.matches(FORMULAS)) {
        var wide = box.scrollWidth > box.clientWidth + 1;
        if (wide && !box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
        if (!wide && box.getAttribute("tabindex") === "0") { box.removeAttribute("tabindex"); }
        return;
      }
      var stop = scrolls(box) ? 0 : -1;
      if (box.tabIndex !== stop) { box.tabIndex = stop; }
    });
  });

  function watch(root) {
    if (root.matches && (root.matches(THEME_SCROLLERS) || root.matches(FORMULAS))) { sized.observe(root); }
    if (root.querySelectorAll) {
      root.querySelectorAll(THEME_SCROLLERS + ", " + FORMULAS).forEach(function (box) { sized.observe(box); });
    }
  }

  function watchTabStops() {
    var main = document.getElementById("main-content") || document.body;
    watch(main);
    // Widgets draw their output after load: their blocks are watched as they are added.
    new MutationObserver(function (records) {
      records.forEach(function (record) { record.addedNodes.forEach(watch); });
    }).observe(main, {subtree: true, childList: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchTabStops);
  } else {
    watchTabStops();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
