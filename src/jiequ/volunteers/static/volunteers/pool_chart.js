/* The standing pool per month (bars) with newcomers and leavers (lines); a bar opens the list
 * of the volunteers it counts. */
(function () {
  "use strict";
  var el = document.getElementById("pool-chart");
  if (!el || !window.echarts) return;
  var d = JSON.parse(document.getElementById("pool-chart-data").textContent);
  var chart = echarts.init(el, null, { renderer: "svg" });
  var narrow = window.innerWidth < 700;
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: [d.labels.pool, d.labels.joined, d.labels.left], top: 0 },
    grid: { left: 44, right: 16, top: 40, bottom: narrow ? 56 : 32 },
    xAxis: { type: "category", data: d.months, axisLabel: { rotate: narrow ? 45 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: d.labels.pool, type: "bar", data: d.pool, itemStyle: { color: "#b71c1c" }, cursor: "pointer",
        label: { show: !narrow, position: "top", fontSize: 11 } },
      { name: d.labels.joined, type: "line", data: d.joined, itemStyle: { color: "#2e7d32" } },
      { name: d.labels.left, type: "line", data: d.left, itemStyle: { color: "#757575" } }
    ]
  });
  chart.on("click", function (params) {
    if (params.seriesIndex === 0 && d.links[params.dataIndex]) window.location.href = d.links[params.dataIndex];
  });
  window.addEventListener("resize", function () { chart.resize(); });
  el.dataset.ready = "1";
})();
