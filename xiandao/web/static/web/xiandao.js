/* Behaviour every page shares, attached from data-* attributes: pages carry no inline script or
   style, so the Content-Security-Policy can refuse all of it (config/settings/base.py). */
(function () {
  "use strict";

  function each(root, selector, fn) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(selector)) { fn(scope); }
    scope.querySelectorAll(selector).forEach(fn);
  }

  // <select data-submit-on-change>: choosing a value submits its filter form.
  // <select data-navigate-on-change>: each option's value is an address to go to.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLElement)) { return; }
    if (el.matches("[data-submit-on-change]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
    if (el.matches("[data-navigate-on-change]") && el.value) { window.location.href = el.value; }
  });

  // <form data-confirm="…"> or <button data-confirm="…">: a destructive action asks first
  // (an HTMX form may use hx-confirm, which needs no script of ours).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset && button.dataset.confirm) || (form.dataset && form.dataset.confirm);
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // data-width="40": a width in per cent (progress bars), set through the CSSOM, which the policy allows.
  function widths(root) {
    each(root, "[data-width]", function (el) { el.style.width = el.dataset.width + "%"; });
  }

  // <div data-chart="id"> with {{ options|json_script:"id" }}: an ECharts chart from JSON, not from a script.
  function charts(root) {
    if (!window.echarts) { return; }
    each(root, "[data-chart]", function (el) {
      if (el.dataset.chartReady) { return; }
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var options = JSON.parse(source.textContent);
      // HTML tooltips carry style="" attributes the policy refuses; draw them on the canvas instead.
      if (options.tooltip && !options.tooltip.renderMode) { options.tooltip.renderMode = "richText"; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(options);
      el.dataset.chartReady = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function init(root) { widths(root); charts(root); }
  // Deferred scripts (a page's ECharts) run before DOMContentLoaded, after this one: wait for them.
  if (document.readyState === "complete") {
    init(document);
  } else {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  }
  // Content HTMX swaps in (a job's progress, a proposal's card) gets the same behaviour.
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
