/* Bar charts of a road survey's report (ECharts). */
(function () {
  "use strict";
  var node = document.getElementById("report-data");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var charts = [];
  function bars(id, rows, colour) {
    var el = document.getElementById(id);
    if (!el || !rows.length) return;
    var items = rows.slice().reverse();
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 130, right: 30, top: 10, bottom: 25 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: items.map(function (r) { return r.name; }),
        axisLabel: { width: 120, overflow: "truncate" } },
      series: [{ type: "bar", data: items.map(function (r) { return r.value; }),
        itemStyle: { color: colour }, label: { show: true, position: "right" } }]
    });
    charts.push(chart);
  }
  bars("chart-industry", data.industry, "#b71c1c");
  bars("chart-demands", data.demands, "#1565c0");
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
