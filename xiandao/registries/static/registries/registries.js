// Registries: auto-submitting filters, select-all, and ECharts charts from json_script data (no inline scripts).
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function bar(title, names, values, unit, horizontal) {
    var category = { type: "category", data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value", name: unit, minInterval: 1 };
    return {
      title: { text: title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: horizontal ? 140 : 50, right: 30, bottom: horizontal ? 30 : 70, top: 50 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{ type: "bar", data: values, label: { show: true, position: horizontal ? "right" : "top" } }],
    };
  }

  function option(kind, d) {
    if (kind === "by_year") {
      return {
        title: { text: d.title + "：各年末存量（" + d.years[0] + "—" + d.years[d.years.length - 1] + "年）", left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        grid: { left: 50, right: 30, bottom: 40, top: 50 },
        xAxis: { type: "category", data: d.years.map(function (y) { return y + "年"; }) },
        yAxis: { type: "value", name: d.unit, minInterval: 1 },
        series: [{ type: "line", data: d.by_year, label: { show: true }, smooth: false }],
      };
    }
    if (kind === "by_city") return bar(d.title + "：按市（截至" + d.on_label + "）", d.by_city.names, d.by_city.values, d.unit, false);
    if (kind === "by_field") return bar(d.title + "：按领域（截至" + d.on_label + "）", d.by_field.names, d.by_field.values, d.unit, true);
    if (kind === "trl") {
      return {
        title: { text: d.title, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        grid: { left: 50, right: 30, bottom: 40, top: 50 },
        xAxis: { type: "category", data: d.dates, name: "评价日期" },
        yAxis: { type: "value", min: 1, max: 9, interval: 1, name: "TRL" },
        series: [{ type: "line", step: "end", data: d.levels, label: { show: true } }],
      };
    }
    return null;
  }

  ready(function () {
    document.querySelectorAll("form.rg-autosubmit select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    document.querySelectorAll(".rg-check-all").forEach(function (box) {
      box.addEventListener("change", function () {
        box.closest("form").querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = box.checked; });
      });
    });
    if (typeof window.echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var d = data(node.getAttribute("data-source"));
      var opt = d && option(node.getAttribute("data-chart"), d);
      if (!opt) return;
      var chart = window.echarts.init(node);
      chart.setOption(opt);
      window.addEventListener("resize", function () { chart.resize(); });
      document.querySelectorAll("[data-bs-toggle=tab]").forEach(function (tab) {
        tab.addEventListener("shown.bs.tab", function () { chart.resize(); });
      });
    });
  });
})();
