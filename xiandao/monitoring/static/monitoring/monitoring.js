// Monitoring: ECharts lines and bars from json_script data, select-all for bulk approval (no inline scripts).
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

  function zoneOption(d, item) {
    var years = d.years.map(function (y) { return y + "年"; });
    return {
      title: { text: item.name + "（" + item.unit + "）", subtext: d.years.length ? d.years[0] + "—" + d.years[d.years.length - 1] + "年" : "", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, data: ["填报值", "年度目标"] },
      grid: { left: 60, right: 30, bottom: 50, top: 60 },
      xAxis: { type: "category", data: years, name: "年度" },
      yAxis: { type: "value", name: item.unit },
      series: [
        { name: "填报值", type: "line", data: item.values, label: { show: true }, connectNulls: false },
        { name: "年度目标", type: "line", data: item.targets, lineStyle: { type: "dashed" }, symbol: "diamond" }
      ]
    };
  }

  function totalsOption(d, item) {
    return {
      title: { text: item.name + "合计（" + item.unit + "）", subtext: d.period + "，左：按市；右：按领域", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: [{ left: 50, right: "55%", bottom: 70, top: 70 }, { left: "55%", right: 20, bottom: 70, top: 70 }],
      xAxis: [
        { gridIndex: 0, type: "category", data: item.by_city.names, axisLabel: { interval: 0, rotate: 30 } },
        { gridIndex: 1, type: "category", data: item.by_field.names, axisLabel: { interval: 0, rotate: 30 } }
      ],
      yAxis: [{ gridIndex: 0, type: "value", name: item.unit }, { gridIndex: 1, type: "value", name: item.unit }],
      series: [
        { type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: item.by_city.values, label: { show: true, position: "top" } },
        { type: "bar", xAxisIndex: 1, yAxisIndex: 1, data: item.by_field.values, label: { show: true, position: "top" } }
      ]
    };
  }

  // HTMX settles "style" by writing the attribute, which the Content-Security-Policy refuses; nothing here needs it.
  if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];

  ready(function () {
    if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];
    document.querySelectorAll(".mn-check-all").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll("input[name=ids][form=" + box.getAttribute("form") + "]").forEach(function (b) { b.checked = box.checked; });
      });
    });
    if (typeof window.echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var d = data(node.getAttribute("data-source"));
      if (!d) return;
      var index = parseInt(node.getAttribute("data-index"), 10);
      var kind = node.getAttribute("data-chart");
      var opt = null;
      if (kind === "zone") opt = zoneOption(d, d.series[index]);
      if (kind === "totals") opt = totalsOption(d, d.indicators[index]);
      if (!opt) return;
      var chart = window.echarts.init(node);
      chart.setOption(opt);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
