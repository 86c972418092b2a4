/* Charts of the demand figures (ECharts). Clicking a bar or a slice opens the list behind it. */
(function () {
  "use strict";
  var node = document.getElementById("figures-data");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var L = data.labels;
  var RED = "#b71c1c", BLUE = "#1565c0", GREY = "#90a4ae";
  var charts = [];

  function open(params) {
    var url = params.data && (params.data.url || params.data.link);
    if (url) window.location.href = url;
  }

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", open);
    charts.push(chart);
  }

  function bars(items) {
    return items.map(function (d) { return { value: d.value, url: d.url }; });
  }

  make("chart-source", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["32%", "58%"], label: { formatter: "{b}\n{c}", overflow: "none" },
      data: data.source.filter(function (d) { return d.value > 0; }) }]
  });

  make("chart-level", {
    tooltip: { trigger: "axis" },
    legend: { data: [L.now, L.solved], bottom: 0 },
    grid: { left: 40, right: 10, top: 20, bottom: 50 },
    xAxis: { type: "category", data: data.level.map(function (d) { return d.name; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: L.now, type: "bar", itemStyle: { color: GREY }, data: bars(data.level) },
      { name: L.solved, type: "bar", itemStyle: { color: RED }, data: bars(data.solved) }
    ]
  });

  var cats = data.category.slice().reverse();
  make("chart-category", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 110, right: 20, top: 10, bottom: 25 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: cats.map(function (d) { return d.name; }),
      axisLabel: { width: 100, overflow: "truncate" } },
    series: [{ type: "bar", itemStyle: { color: BLUE }, data: bars(cats) }]
  });

  var months = data.months;
  function area(range, name) {
    return [{ name: name, xAxis: range[0] }, { xAxis: range[1] }];
  }
  make("chart-months", {
    tooltip: { trigger: "axis" },
    legend: { data: [L.received, L.sent, L.share], bottom: 0 },
    grid: { left: 45, right: 45, top: 30, bottom: 55 },
    xAxis: { type: "category", data: months.map(function (m) { return m.month; }) },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
    ],
    series: [
      { name: L.received, type: "bar", itemStyle: { color: GREY },
        data: months.map(function (m) { return { value: m.received, url: m.receivedUrl }; }),
        markArea: { silent: true, itemStyle: { color: "rgba(21,101,192,0.08)" },
          label: { color: "#555" },
          data: [area(data.baseline, L.baseline), area(data.recent, L.recent)] } },
      { name: L.sent, type: "bar", itemStyle: { color: RED },
        data: months.map(function (m) { return { value: m.sent, url: m.sentUrl }; }) },
      { name: L.share, type: "line", yAxisIndex: 1, connectNulls: true, itemStyle: { color: BLUE },
        data: months.map(function (m) { return m.share; }) }
    ]
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.documentElement.dataset.chartsReady = "1";
})();
