/* Supervision charts: each <div data-sv-chart="id"> reads its data from the json_script of that id. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  function option(d, dark) {
    var text = dark ? "#e8eef7" : "#333";
    var axis = { axisLabel: { color: text }, nameTextStyle: { color: text } };
    var base = { textStyle: { color: text }, tooltip: { trigger: "axis", renderMode: "richText" }, legend: { textStyle: { color: text } }, grid: { left: 60, right: 20, top: 30, bottom: 60, containLabel: true } };
    if (d.kind === "hbar") {
      base.xAxis = Object.assign({ type: "value", name: d.unit || "" }, axis);
      base.yAxis = { type: "category", data: d.categories, inverse: true, axisLabel: { interval: 0, color: text } };
      base.series = d.series.map(function (s) { return { name: s.name, type: "bar", data: s.data, label: { show: true, position: "right" } }; });
      base.grid.left = 160;
      base.grid.right = 50;
      return base;
    }
    base.xAxis = { type: "category", data: d.categories, axisLabel: { interval: 0, color: text, rotate: d.categories.length > 6 ? 30 : 0 } };
    base.yAxis = Object.assign({ type: "value", name: d.unit || "" }, axis);
    base.series = d.series.map(function (s) {
      if (d.kind === "line") return { name: s.name, type: "line", data: s.data, connectNulls: true };
      return { name: s.name, type: "bar", data: s.data, stack: d.kind === "stack" ? "all" : undefined, label: { show: d.kind !== "stack", position: "top" } };
    });
    return base;
  }
  ready(function () {
    document.querySelectorAll("[data-fullscreen]").forEach(function (a) {
      a.addEventListener("click", function () { if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(function () {}); });
    });
    if (typeof window.echarts === "undefined") return;
    var dark = !!document.querySelector(".sv-screen");
    document.querySelectorAll("[data-sv-chart]").forEach(function (node) {
      var source = document.getElementById(node.getAttribute("data-sv-chart"));
      if (!source) return;
      var d = JSON.parse(source.textContent);
      var chart = window.echarts.init(node);
      var empty = !d.categories.length || d.series.every(function (s) { return s.data.every(function (v) { return !v; }); });
      var opt = option(d, dark);
      if (empty) opt.graphic = { type: "text", left: "center", top: "middle", style: { text: "暂无数据", fill: dark ? "#e8eef7" : "#888", fontSize: 16 } };
      chart.setOption(opt);
      if (d.urls) chart.on("click", function (p) { var url = d.urls[p.dataIndex]; if (url) window.location.href = url; });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
