/* Dashboard charts: each .chart element carries its data (computed on the server, within
 * the viewer's permissions) in data-chart; ECharts draws it. No inline scripts (CSP). */
(function () {
  "use strict";
  if (!window.echarts) return;
  var palette = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754", "#0dcaf0", "#ffc107"];

  function option(chart) {
    var unit = chart.percent ? "%" : "";
    // chart.colors: a colour per group (a coloured option's, as its badge), null where a group has none
    var colors = chart.colors || [];
    function styled(item, i) { if (colors[i]) { item.itemStyle = {color: colors[i]}; } return item; }
    var data = chart.labels.map(function (label, i) { return styled({name: label, value: chart.values[i]}, i); });
    var tooltip = {trigger: chart.type === "bar" || chart.type === "line" ? "axis" : "item",
                   valueFormatter: function (v) { return (v === null ? "" : Number(v).toLocaleString()) + unit; }};
    if (chart.type === "pie") {
      return {color: palette, tooltip: tooltip, legend: {bottom: 0, type: "scroll"},
              series: [{type: "pie", radius: ["40%", "70%"], data: data, label: {formatter: "{b}: {d}%"}}]};
    }
    if (chart.type === "funnel") {
      return {color: palette, tooltip: tooltip,
              series: [{type: "funnel", sort: "none", left: "4%", width: "58%", data: data,
                        label: {position: "right", formatter: function (p) { return p.name + "  " + Number(p.value).toLocaleString() + unit; }}}]};
    }
    return {color: palette, tooltip: tooltip, grid: {left: 8, right: 16, top: 16, bottom: 8, containLabel: true},
            xAxis: {type: "category", data: chart.labels, axisLabel: {interval: 0, rotate: chart.labels.length > 6 ? 30 : 0}},
            yAxis: {type: "value", axisLabel: {formatter: "{value}" + unit}},
            series: [{type: chart.type === "line" ? "line" : "bar", smooth: true,
                      data: chart.type === "line" ? chart.values : chart.values.map(function (v, i) { return styled({value: v}, i); }),
                      label: {show: chart.labels.length <= 12, position: "top"}}]};
  }

  var drawn = [];
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var chart = JSON.parse(el.getAttribute("data-chart"));
    var instance = window.echarts.init(el, null, {renderer: "svg"});
    instance.setOption(option(chart));
    drawn.push(instance);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
