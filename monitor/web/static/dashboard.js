// The dashboard's own script. Pages carry no inline script (the CSP forbids it): data for
// charts comes in data- attributes, escaped by the templates.
(function () {
  "use strict";

  function weeklyChart(element) {
    var data = JSON.parse(element.getAttribute("data-chart"));
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      // Tooltips drawn on the canvas: HTML tooltips would need inline styles.
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 40, right: 20, top: 30, bottom: 30 },
      legend: { data: ["未更新单位数", "计入单位数"] },
      xAxis: { type: "category", data: data.weeks },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "未更新单位数", type: "bar", data: data.missed, itemStyle: { color: "#c0392b" } },
        { name: "计入单位数", type: "line", data: data.counted, itemStyle: { color: "#7f8c8d" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-rendered", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("weekly-chart");
    if (element && window.echarts) {
      weeklyChart(element);
    }
  });
})();
