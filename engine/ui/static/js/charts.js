/* Dashboard charts: each chart frame (data-src) gets its figures from the server (within the viewer's
 * permissions) by a request of its own, all in parallel; on the page computed on the server (inline=1)
 * each .chart element carries its data in data-chart; ECharts draws it; a click on a bar, slice, funnel step or point
 * opens the list of the records it counts. No inline scripts (CSP). */
(function (root) {
  "use strict";
  // chart.href: the list of the records a figure counts; chart.hrefs[i]: those of group i (a bar,
  // slice, funnel step or point), null where no list filter selects the group (the empty one).
  function drillHref(chart, index) {
    if (!chart) return null;
    if (chart.hrefs) return typeof index === "number" && index >= 0 ? (chart.hrefs[index] || null) : null;
    return chart.href || null;
  }
  var palette = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754", "#0dcaf0", "#ffc107"];
  // Below this width (a phone) labels go where they fit: funnel steps inside, slanted axis labels.
  var NARROW = 480;

  // The ECharts option of a chart drawn `width` pixels wide.
  function option(chart, width) {
    var narrow = typeof width === "number" && width < NARROW;
    var unit = chart.percent ? "%" : "";
    // chart.colors: a colour per group (a coloured option's, as its badge), null where a group has none
    var colors = chart.colors || [];
    function styled(item, i) { if (colors[i]) { item.itemStyle = {color: colors[i]}; } return item; }
    function number(v) { return Number(v).toLocaleString() + unit; }
    var data = chart.labels.map(function (label, i) { return styled({name: label, value: chart.values[i]}, i); });
    var tooltip = {trigger: chart.type === "bar" || chart.type === "line" ? "axis" : "item",
                   valueFormatter: function (v) { return v === null ? "" : number(v); }};
    if (chart.type === "pie") {
      return {color: palette, tooltip: tooltip, legend: {bottom: 0, type: "scroll"},
              series: [{type: "pie", radius: narrow ? ["30%", "55%"] : ["40%", "70%"], data: data,
                        label: {formatter: "{b}: {d}%", width: narrow ? 90 : undefined, overflow: "break"}}]};
    }
    if (chart.type === "funnel") {
      // on a phone the labels go inside the steps (two lines), which take the card's width
      var label = narrow
        ? {position: "inside", fontSize: 11, formatter: function (p) { return p.name + "\n" + number(p.value); }}
        : {position: "right", formatter: function (p) { return p.name + "  " + number(p.value); }};
      return {color: palette, tooltip: tooltip,
              series: [{type: "funnel", sort: "none", left: narrow ? "2%" : "4%", width: narrow ? "96%" : "58%",
                        data: data, label: label}]};
    }
    // slanted when many (or on a phone when more than three), never drawn over each other, long ones cut
    var slant = chart.labels.length > 6 || (narrow && chart.labels.length > 3);
    return {color: palette, tooltip: tooltip, grid: {left: 8, right: 16, top: 16, bottom: 8, containLabel: true},
            xAxis: {type: "category", data: chart.labels,
                    axisLabel: {interval: narrow ? "auto" : 0, hideOverlap: true, rotate: slant ? (narrow ? 45 : 30) : 0,
                                width: narrow ? 72 : 120, overflow: "truncate"}},
            yAxis: {type: "value", axisLabel: {formatter: "{value}" + unit}},
            series: [{type: chart.type === "line" ? "line" : "bar", smooth: true,
                      data: chart.type === "line" ? chart.values : chart.values.map(function (v, i) { return styled({value: v}, i); }),
                      label: {show: chart.labels.length <= (narrow ? 6 : 12), position: "top"}}]};
  }

  if (typeof module !== "undefined" && module.exports) { module.exports = {drillHref: drillHref, option: option}; return; }
  if (!root.echarts) return;

  var drawn = [];
  function draw(el, chart) {
    var instance = window.echarts.init(el, null, {renderer: "svg"});
    var narrow = el.clientWidth < NARROW;
    instance.setOption(option(chart, el.clientWidth));
    if (chart.hrefs) {
      instance.on("click", function (p) {
        var href = drillHref(chart, p.dataIndex);
        if (href) { root.location.href = href; }
      });
    }
    drawn.push(function () {  // on resize; the labels' layout again when crossing NARROW
      if ((el.clientWidth < NARROW) !== narrow) {
        narrow = !narrow;
        instance.setOption(option(chart, el.clientWidth), true);
      }
      instance.resize();
    });
  }
  // the page computed on the server: each chart's data in data-chart
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    draw(el, JSON.parse(el.getAttribute("data-chart")));
  });

  // the page's frames: each piece's figures (data-src, shared by the charts one statement reads)
  // fetched at once, in parallel; a card is filled when its own answer comes
  var bar = document.querySelector("[data-testid=dashboard-filters]");
  var texts = bar ? bar.dataset : {};
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function fill(card, chart) {
    var body = card.querySelector(".card-body");
    if (chart.type === "number") {
      var figure = el("div", "dash-figure fw-semibold", chart.display);
      figure.setAttribute("data-testid", "figure");
      if (chart.percent && chart.value !== null) { figure.appendChild(el("span", "fs-5", "%")); }
      body.querySelector("[data-testid=figure-loading]").replaceWith(figure);
      if (chart.href) {
        var link = el("a", "stretched-link");
        link.href = chart.href;
        link.setAttribute("data-testid", "drill");
        link.setAttribute("aria-label", chart.title);
        body.appendChild(link);
      }
      return;
    }
    body.textContent = "";
    if (!chart.values || !chart.values.length) {
      body.appendChild(el("div", "text-secondary small py-4 text-center", texts.empty || ""));
      return;
    }
    var area = el("div", "chart");
    area.setAttribute("role", "img");
    area.setAttribute("aria-label", chart.title);
    body.appendChild(area);
    var rows = el("tbody");  // the figures and their drill-down links, for screen readers and without a mouse
    chart.labels.forEach(function (label, i) {
      var row = el("tr"), head = el("th"), href = chart.hrefs && chart.hrefs[i];
      if (href) {
        var link = el("a", null, label);
        link.href = href;
        link.setAttribute("data-testid", "drill");
        head.appendChild(link);
      } else { head.textContent = label; }
      row.appendChild(head);
      row.appendChild(el("td", null, String(chart.values[i])));
      rows.appendChild(row);
    });
    var table = el("table", "visually-hidden");
    table.appendChild(rows);
    body.appendChild(table);
    draw(area, chart);
  }
  function failed(card) {
    var body = card.querySelector(".card-body");
    var note = el("div", "small text-danger py-2", (texts.failed || "") + " ");
    note.setAttribute("data-testid", "chart-failed");
    var link = el("a", null, texts.inlineText || "");
    link.href = texts.inline || "?inline=1";
    note.appendChild(link);
    var busy = body.querySelector("[aria-busy]");
    if (busy) { busy.replaceWith(note); } else { body.appendChild(note); }
  }
  var pieces = {};
  document.querySelectorAll("[data-chart-card][data-src]").forEach(function (card) {
    var src = card.getAttribute("data-src");
    (pieces[src] = pieces[src] || []).push(card);
  });
  Object.keys(pieces).forEach(function (src) {
    fetch(src, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (answer) { if (!answer.ok) { throw new Error(answer.status); } return answer.json(); })
      .then(function (data) {
        var by = {};
        data.charts.forEach(function (chart) { by[chart.index] = chart; });
        pieces[src].forEach(function (card) {
          var chart = by[card.getAttribute("data-index")];
          if (chart) { fill(card, chart); } else { failed(card); }
        });
      })
      .catch(function () { pieces[src].forEach(failed); });
  });
  window.addEventListener("resize", function () { drawn.forEach(function (redraw) { redraw(); }); });
})(typeof window !== "undefined" ? window : this);
