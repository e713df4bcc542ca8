/* The reporting site's script: high-contrast toggle, ARIA tabs, search, and the indicator page
   (selectors driving chart, table and map). No inline script anywhere: page data comes from
   <script type="application/json"> blocks and JSON files. */
(function () {
  "use strict";
  var doc = document.documentElement;
  doc.classList.add("js");

  /* -- high contrast, remembered across pages ------------------------------------------------ */
  function store(key, value) { try { if (value === undefined) return localStorage.getItem(key); localStorage.setItem(key, value); } catch (e) { return null; } }
  if (store("sdg-contrast") === "1") doc.classList.add("contrast");

  /* a counted string: its forms by plural category (strings.yml), the page language's rule picks one */
  function counted(forms, n) {
    var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(doc.lang || "en") : null;
    var form = (rules && forms[rules.select(n)]) || forms.other;
    return form.replace("{n}", num(n, 0));
  }

  function pageData() {
    var el = document.getElementById("page-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  /* -- tabs: arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern) --------------- */
  function setupTabs(list, onShow) {
    var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
    function show(tab, focus) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      });
      if (focus) tab.focus();
      if (onShow) onShow(tab.id);
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { show(tab, false); });
      tab.addEventListener("keydown", function (ev) {
        var next = null, rtl = doc.dir === "rtl";
        if (ev.key === (rtl ? "ArrowLeft" : "ArrowRight")) next = tabs[(i + 1) % tabs.length];
        else if (ev.key === (rtl ? "ArrowRight" : "ArrowLeft")) next = tabs[(i - 1 + tabs.length) % tabs.length];
        else if (ev.key === "Home") next = tabs[0];
        else if (ev.key === "End") next = tabs[tabs.length - 1];
        if (next) { ev.preventDefault(); show(next, true); }
      });
    });
    list.hidden = false;
    show(tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0] || tabs[0], false);
    return show;
  }

  /* -- helpers ---------------------------------------------------------------------------------- */
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function fmt(v, decimals) {
    if (v === null || v === undefined) return "–";
    var a = Math.abs(v), d = Number.isInteger(v) && a >= 1 ? 0 : (a >= 1 ? 2 : 3);
    if (decimals !== null && decimals !== undefined) d = decimals;  // the repository's precision
    return num(v, d);
  }
  /* the page's marks (base.html, from the server's NUMBER_MARKS): numbers written one way on a page */
  var GROUP = doc.getAttribute("data-group") || ",", DECIMAL = doc.getAttribute("data-decimal") || ".";
  function num(v, d) {
    var parts = Math.abs(v).toFixed(d).split("."), sign = v < 0 && +parts.join(".") !== 0 ? "-" : "";
    return sign + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, GROUP) + (parts[1] ? DECIMAL + parts[1] : "");
  }
  /* Vega's number format locale: the axes and tooltips write numbers with the same marks */
  var VEGA_LOCALE = { decimal: DECIMAL, thousands: GROUP, grouping: [3], currency: ["", ""] };
  function same(a, b) { return a !== null && a !== undefined && b !== null && b !== undefined && String(a).trim().toLowerCase() === String(b).trim().toLowerCase(); }
  function option(select, value, label, selected) {
    var o = el("option", { value: value }, label);
    if (selected) o.selected = true;
    select.appendChild(o);
  }

  /* -- the indicator page ------------------------------------------------------------------------ */
  function indicatorPage(section) {
    var page = pageData(), S = page.strings;
    fetch(section.getAttribute("data-src")).then(function (r) { return r.json(); }).then(function (data) {
      var R = data.rows, n = R.v.length;
      /* codes shown by their names (data.labels, from publish/code_labels.py); rows keep the codes */
      var L = data.labels || { units: data.units, statuses: data.statuses, dims: {} };
      var W = page.words || {};  // those names in the page's language, where a glossary has them
      function tr(text) { return (text && W[text]) || text; }
      function unitName(u) { return tr(L.units[u] || data.units[u]); }
      function dimName(k) { return tr(L.dims[k] ? L.dims[k].name : k); }
      function dimValue(k, v) { return tr((L.dims[k] && L.dims[k].values[v]) || v); }
      function statusName(o) { return tr(L.statuses[o]); }
      var form = document.getElementById("selectors");
      var state = { s: null, a: null, u: null, dims: {}, fresh: true };
      var views = { chart: true, table: false, map: false };
      var mapYear = null;

      // choose the starting series and area: the headline series in the site's area when held
      var sIdx = data.series.map(function (s) { return s.code; });
      var aIdx = data.areas.map(function (a) { return a[0]; });
      state.s = Math.max(0, sIdx.indexOf(page.headlineSeries));
      var homeArea = aIdx.indexOf(page.area);

      /* the repository's display settings (store/display.py), for the series of its dataset only */
      var C = page.settings;
      function own() { return !!C && data.series[state.s].dataset === C.dataset; }
      function seriesNames() { var s = data.series[state.s]; return [s.code, s.description]; }
      function applies(item) {
        return (item.series === null || item.series === undefined || seriesNames().some(function (n) { return same(n, item.series); })) &&
          (item.unit === null || item.unit === undefined || same(item.unit, data.units[state.u]));
      }
      function pick(items) {  // the most specific item that applies: series and unit, series, unit, neither
        var best = null, rank = 9;
        (own() ? items : []).forEach(function (item) {
          if (!applies(item)) return;
          var r = (item.series ? 0 : 2) + (item.unit ? 0 : 1);
          if (r < rank) { rank = r; best = item; }
        });
        return best;
      }
      function chartType() { var t = pick(C ? C.graph_types : []); return t ? t.type : (own() ? C.graph_type : "line"); }
      function decimals() { var p = pick(C ? C.precision : []); return p ? p.decimals : null; }
      function limits() {
        var lo = pick(C ? C.limits.filter(function (l) { return l.minimum !== null; }) : []);
        var hi = pick(C ? C.limits.filter(function (l) { return l.maximum !== null; }) : []);
        return [lo ? lo.minimum : null, hi ? hi.maximum : null];
      }
      function valueText(i, digits) {
        if (R.t[i]) return R.t[i];
        if (chartType() === "binary" && (R.v[i] === 1 || R.v[i] === -1)) return R.v[i] === 1 ? S.yes : S.no;
        return fmt(R.v[i], digits === undefined ? decimals() : digits);
      }
      // one number of decimals for the rows shown (the server's column_digits): 28 and 23.5 read
      // "28,00" and "23,50" in one column, not "28" and "23,50"
      function columnDigits(rows) {
        if (decimals() !== null && decimals() !== undefined) return decimals();
        var v = rows.map(function (i) { return R.v[i]; }).filter(function (x) { return x !== null && x !== undefined; });
        if (!v.length || v.every(Number.isInteger)) return 0;
        var small = v.filter(function (x) { return x !== 0; }).map(Math.abs);
        return Math.min.apply(null, small.length ? small : [1]) >= 1 ? 2 : 3;
      }
      // the opening selection the repository chose (data_start_values): a series, a unit, an area,
      // disaggregation values; each where the data has it
      var starts = (C && C.start_values) || [], startPending = starts.length > 0;
      starts.forEach(function (sv) {
        if (!same(sv.field, "series")) return;
        data.series.forEach(function (s, k) { if (s.dataset === C.dataset && (same(s.description, sv.value) || same(s.code, sv.value))) state.s = k; });
      });
      function startsHere() { return own() ? starts.filter(function (sv) { return !sv.series || seriesNames().some(function (n) { return same(n, sv.series); }); }) : []; }

      function rowsWhere(pred) { var out = []; for (var i = 0; i < n; i++) if (pred(i)) out.push(i); return out; }
      function distinct(idx, col) { var seen = {}, out = []; idx.forEach(function (i) { var v = R[col][i]; if (!(v in seen)) { seen[v] = 1; out.push(v); } }); return out; }

      function build() {
        form.textContent = "";
        var ofSeries = rowsWhere(function (i) { return R.s[i] === state.s; });
        var areas = distinct(ofSeries, "a");
        if (state.a === null || areas.indexOf(state.a) < 0) state.a = areas.indexOf(homeArea) >= 0 ? homeArea : areas[0];
        if (startPending) startsHere().forEach(function (sv) {
          areas.forEach(function (a) { if (same(data.areas[a][1], sv.value) || same(data.areas[a][0], sv.value)) state.a = a; });
        });
        var ofArea = ofSeries.filter(function (i) { return R.a[i] === state.a; });
        var units = distinct(ofArea, "u");
        if (startPending) startsHere().forEach(function (sv) {
          if (same(sv.field, "units") || same(sv.field, "unit")) units.forEach(function (u) { if (same(data.units[u], sv.value)) state.u = u; });
        });
        if (state.u === null || units.indexOf(state.u) < 0) state.u = units[0];
        var rows = ofArea.filter(function (i) { return R.u[i] === state.u; });
        // disaggregation names of these rows, and their values
        var names = {}, order = [];
        distinct(rows, "d").forEach(function (d) {
          Object.keys(data.dims[d]).forEach(function (k) {
            if (!names[k]) { names[k] = {}; order.push(k); }
            names[k][data.dims[d][k]] = 1;
          });
        });
        Object.keys(state.dims).forEach(function (k) { if (!names[k] || !names[k][state.dims[k]]) delete state.dims[k]; });
        // a disaggregation may be left blank (the total) only when some rows leave it out
        var blankable = {};
        rows.forEach(function (i) { order.forEach(function (k) { if (!(k in data.dims[R.d[i]])) blankable[k] = 1; }); });
        if (state.fresh && rows.length) {
          // start on the headline rows (the total: blank, or a code such as BOTHSEX in UN data)
          var first = rows.filter(function (i) { return R.h[i] === 1; })[0];
          state.dims = Object.assign({}, data.dims[R.d[first === undefined ? rows[0] : first]]);
          // the repository's start values: the rows holding every one of them, fewest other breakdowns first
          var wanted = startPending ? startsHere().filter(function (sv) { return order.some(function (k) { return same(k, sv.field); }); }) : [];
          if (wanted.length) {
            var best = null;
            distinct(rows, "d").forEach(function (d) {
              var dims = data.dims[d], keys = Object.keys(dims);
              var ok = wanted.every(function (sv) { return keys.some(function (k) { return same(k, sv.field) && same(dims[k], sv.value); }); });
              if (ok && (best === null || keys.length < Object.keys(data.dims[best]).length)) best = d;
            });
            if (best !== null) state.dims = Object.assign({}, data.dims[best]);
          }
          state.fresh = false;
        }
        startPending = false;

        addSelect(S.series, "sel-series", data.series.map(function (s, i) { return [i, (tr(s.description) || s.code) + " (" + s.code + ")"]; }), state.s, function (v) { state.s = +v; state.a = null; state.u = null; state.dims = {}; state.fresh = true; build(); });
        if (areas.length > 1) addSelect(S.area, "sel-area", areas.map(function (a) { return [a, data.areas[a][1]]; }).sort(function (x, y) { return x[1].localeCompare(y[1]); }), state.a, function (v) { state.a = +v; state.u = null; state.fresh = true; build(); });
        if (units.length > 1) addSelect(S.unit, "sel-unit", units.map(function (u) { return [u, unitName(u) || "–"]; }), state.u, function (v) { state.u = +v; build(); });
        order.sort().forEach(function (k, j) {
          var values = Object.keys(names[k]).sort();
          var opts = (blankable[k] ? [["", S.total]] : []).concat(values.map(function (v) { return [v, dimValue(k, v)]; }));
          addSelect(dimName(k), "sel-dim-" + j, opts, state.dims[k] === undefined ? "" : state.dims[k], function (v) {
            if (v === "") delete state.dims[k]; else state.dims[k] = v; update();
          });
        });
        form.hidden = false;
        update();
      }

      function addSelect(label, id, options, current, onChange) {
        var lab = el("label", { for: id }, label);
        var sel = el("select", { id: id });
        options.forEach(function (o) { option(sel, o[0], o[1], String(o[0]) === String(current)); });
        sel.addEventListener("change", function () { onChange(sel.value); });
        var wrap = el("div", { class: "selector" });
        wrap.appendChild(lab); wrap.appendChild(sel);
        form.appendChild(wrap);
      }

      function matches(i) {
        if (R.s[i] !== state.s || R.u[i] !== state.u) return false;
        var d = data.dims[R.d[i]], keys = Object.keys(d), want = Object.keys(state.dims);
        if (keys.length !== want.length) return false;
        for (var j = 0; j < want.length; j++) if (d[want[j]] !== state.dims[want[j]]) return false;
        return true;
      }

      function selection() { return rowsWhere(function (i) { return R.a[i] === state.a && matches(i); }).sort(function (x, y) { return R.y[x] - R.y[y]; }); }

      function update() {
        var rows = selection();
        drawTable(rows); drawFooter(rows);
        if (views.chart) drawChart(rows);
        if (views.map) drawMap();
      }

      function title() {
        var s = data.series[state.s], named = pick(C ? C.graph_titles : []);
        var heading = named ? named.title : (own() && C.graph_title ? C.graph_title : null);
        var parts = [heading || tr(s.description) || s.code, data.areas[state.a][1]];
        Object.keys(state.dims).sort().forEach(function (k) { parts.push(dimName(k) + ": " + dimValue(k, state.dims[k])); });
        return parts.join(" · ");
      }

      function drawTable(rows) {
        var box = document.getElementById("data-table");
        box.textContent = "";
        var table = el("table"), cap = el("caption", {}, title() + " — " + counted(S.rows, rows.length));
        table.appendChild(cap);
        var head = el("thead"), tr = el("tr");
        [S.year, S.value, S.unit, S.obs_status].forEach(function (h, j) { tr.appendChild(el("th", { scope: "col", class: j === 1 ? "num" : "" }, h)); });
        head.appendChild(tr); table.appendChild(head);
        var body = el("tbody"), digits = columnDigits(rows);
        rows.forEach(function (i) {
          var r = el("tr");
          r.appendChild(el("th", { scope: "row" }, R.p[i]));
          r.appendChild(el("td", { class: "num" }, valueText(i, digits)));
          r.appendChild(el("td", {}, unitName(R.u[i]) || ""));
          r.appendChild(el("td", {}, statusName(R.o[i]) || ""));
          body.appendChild(r);
        });
        table.appendChild(body); box.appendChild(table);
      }

      function drawFooter(rows) {
        var box = document.getElementById("chart-footer"), s = data.series[state.s];
        box.textContent = "";
        function item(k, v) { if (!v) return; box.appendChild(el("dt", {}, k + ":")); box.appendChild(el("dd", {}, v)); }
        function uniq(col, list) { var seen = {}; rows.forEach(function (i) { var v = list[R[col][i]]; if (v) seen[v] = 1; }); return Object.keys(seen).join("; "); }
        // an observation attribute (status, footnote) that differs between the rows: each value
        // with the periods it marks, as Open SDG marks the observations in its chart footer
        function marked(col, list) {
          var periods = {}, order = [];
          rows.forEach(function (i) {
            var v = list[R[col][i]];
            if (!v) return;
            if (!periods[v]) { periods[v] = []; order.push(v); }
            if (periods[v].indexOf(R.p[i]) < 0) periods[v].push(R.p[i]);
          });
          if (order.length < 2) return order.join("");
          return order.map(function (v) {
            var p = periods[v];
            return v + " (" + (p.length > 6 ? p.slice(0, 6).join(", ") + ", …" : p.join(", ")) + ")";
          }).join("; ");
        }
        item(S.unit, unitName(state.u));
        item(S.source, uniq("src", data.sources) || s.datasetTitle);
        item(S.footnotes, marked("fn", data.footnotes));
        item(S.obs_status, marked("o", L.statuses.map(tr)));
        // the repository's footer texts limited to a series or unit show with that selection only
        var national = document.getElementById("national-footer");
        if (national) Array.prototype.forEach.call(national.children, function (div) {
          var item = { series: div.getAttribute("data-series"), unit: div.getAttribute("data-unit") };
          div.hidden = !!(item.series || item.unit) && !(own() && applies(item));
        });
      }

      function drawChart(rows) {
        var box = document.getElementById("chart");
        if (!window.vegaEmbed) return;
        var digits = columnDigits(rows);
        var values = rows.filter(function (i) { return R.v[i] !== null; }).map(function (i) { return { year: R.y[i], period: R.p[i], value: R.v[i], text: valueText(i, digits), status: statusName(R.o[i]) || "" }; });
        // several periods in a year (months, quarters): each its share of the year, in order, so
        // neither points nor bars of one year fall on one spot
        var perYear = {};
        values.forEach(function (v) { (perYear[v.year] = perYear[v.year] || []).push(v.period); });
        Object.keys(perYear).forEach(function (y) { perYear[y] = perYear[y].filter(function (p, j, all) { return all.indexOf(p) === j; }).sort(); });
        values.forEach(function (v) { var list = perYear[v.year]; v.x = v.year + (list.length > 1 ? list.indexOf(v.period) / list.length : 0); });
        var kind = chartType(), bars = kind === "bar" || kind === "binary", lim = limits();
        var years = values.map(function (v) { return v.x; }).sort(function (a, b) { return a - b; });
        var step = Infinity;  // the closest two bars: a bar's width
        for (var k = 1; k < years.length; k++) if (years[k] > years[k - 1]) step = Math.min(step, years[k] - years[k - 1]);
        if (!isFinite(step)) step = 1;
        var xScale = { zero: false, nice: false };
        if (bars && years.length) xScale.domain = [years[0] - step / 2, years[years.length - 1] + step / 2];
        var yScale = {};
        if (lim[0] !== null) yScale.domainMin = lim[0];
        if (lim[1] !== null) yScale.domainMax = lim[1];
        var yAxis = { title: unitName(state.u) || S.value };
        if (kind === "binary") {
          yScale = { domain: [-1, 1] };
          yAxis = { title: null, values: [-1, 0, 1], labelExpr: "datum.value === 1 ? " + JSON.stringify(S.yes) + " : datum.value === -1 ? " + JSON.stringify(S.no) + " : ''" };
        }
        var span = years.length ? (xScale.domain ? xScale.domain[1] - xScale.domain[0] : 1) : 1;
        var mark = bars ? { type: "bar", color: "#19486a", clip: true, width: { expr: "max(1, 0.7 * width * " + step + " / " + span + ")" } }
                        : { type: "line", point: true, color: "#19486a", clip: true };
        var xAxis = { format: "d", title: S.year, tickMinStep: 1 };
        // a tick at each year with data: Vega's own ticks ignore tickMinStep on a short span (two
        // years drew 2020, 2020.5 and 2021, labelled "2020 2021 2021") and fall between padded bars
        var distinctYears = years.filter(function (y, j) { return j === 0 || y !== years[j - 1]; });
        if (distinctYears.length <= 30 && distinctYears.every(Number.isInteger)) xAxis.values = distinctYears;
        var s = data.series[state.s], layers = [{
          mark: mark,
          encoding: { x: { field: "x", type: "quantitative", axis: xAxis, scale: xScale },
                      y: { field: "value", type: "quantitative", title: yAxis.title, axis: yAxis, scale: yScale, stack: null },
                      tooltip: [{ field: "period", title: S.year }, { field: "text", title: S.value }, { field: "status", title: S.obs_status }] }
        }];
        // the repository's lines: horizontal at a value (target lines, annotations), vertical at a
        // position in the chart's periods (series breaks, as Open SDG counts them)
        var rules = own() ? C.lines.filter(applies) : [];
        rules.forEach(function (line) {
          var text = (line.label || (line.kind === "target" ? S.target_line : "")), label = (text ? text + ": " : "") + fmt(line.value, decimals());
          var datum = { data: { values: [{ v: line.value, label: label }] } };
          layers.push(Object.assign({ mark: { type: "rule", strokeDash: [6, 4], color: "#505a5f", size: 1.5 },
            encoding: { y: { field: "v", type: "quantitative" }, tooltip: { field: "label" } } }, datum));
          layers.push(Object.assign({ mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#3b4245" },
            encoding: { y: { field: "v", type: "quantitative" }, x: { value: 0 }, text: { field: "label" } } }, datum));
        });
        var breaks = own() ? C.breaks.filter(applies) : [];
        if (breaks.length) {
          // the periods of this series and unit in every area and breakdown, in order
          var seen = {}, periods = [];
          rowsWhere(function (i) { return R.s[i] === state.s && R.u[i] === state.u; }).forEach(function (i) { if (!(R.p[i] in seen)) { seen[R.p[i]] = 1; periods.push([R.y[i], R.p[i]]); } });
          periods.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
          // one period a year: the years run without gaps, as the source's blank rows make them
          // (the store keeps no blank values; see _break_years in publish/pages/indicators.py)
          if (periods.length && periods.every(function (p, j) { return j === 0 || p[0] !== periods[j - 1][0]; })) {
            var first = periods[0][0], last = periods[periods.length - 1][0];
            periods = [];
            for (var y = first; y <= last; y++) periods.push([y, String(y)]);
          }
          breaks.forEach(function (b, j) {
            var lo = Math.floor(b.position), hi = Math.ceil(b.position);
            if (hi > periods.length - 1) return;
            var x = periods[lo][0] + (periods[hi][0] - periods[lo][0]) * (b.position - lo);
            var datum = { data: { values: [{ x: x, label: b.label || S.series_break }] } };
            layers.push(Object.assign({ mark: { type: "rule", strokeDash: [4, 4], color: "#505a5f", size: 1.5 },
              encoding: { x: { field: "x", type: "quantitative" }, tooltip: { field: "label" } } }, datum));
            layers.push(Object.assign({ mark: { type: "text", align: "left", baseline: "top", dx: 3, color: "#3b4245" },
              encoding: { x: { field: "x", type: "quantitative" }, y: { value: 2 + 14 * (j % 3) }, text: { field: "label" } } }, datum));
          });
        }
        var target = s.target;
        // the target is set on the headline (total) rows of the site's area: drawn only over those
        var headline = rows.length > 0 && rows.every(function (i) { return R.h[i] === 1; });
        if (target && target.value !== null && aIdx[state.a] === target.area && headline) {
          // "2030 target", with the target's own year when it is another one
          var label = S.target_line.replace("2030", String(target.year)) + ": " + fmt(target.value);
          layers.push({ data: { values: [{ target: target.value, label: label }] },
            mark: { type: "rule", strokeDash: [6, 4], color: "#b3261e", size: 2 },
            encoding: { y: { field: "target", type: "quantitative" }, tooltip: { field: "label" } } });
          layers.push({ data: { values: [{ target: target.value, label: label }] },
            mark: { type: "text", align: "right", dx: -4, dy: -6, color: "#8a1c14" },
            encoding: { y: { field: "target", type: "quantitative" }, x: { value: "width" }, text: { field: "label" } } });
        }
        var spec = { description: title(),
          title: { text: title(), fontSize: 13, limit: 700 }, width: "container", height: 320,
          data: { values: values }, layer: layers };
        box.textContent = "";
        var holder = el("div", { class: "chart-holder", role: "img", "aria-label": title() });
        box.appendChild(holder);
        box.setAttribute("data-rows", String(values.length));
        box.setAttribute("data-kind", kind);  // what the settings chose, for a reader of the DOM
        window.vegaEmbed(holder, spec, { actions: false, ast: true, renderer: "svg", formatLocale: VEGA_LOCALE });
      }

      function drawMap() {
        var box = document.getElementById("map");
        box.textContent = "";
        // latest value per area for this series, unit and disaggregation: the sub-national areas of
        // the boundary file (--boundaries) when the selection has values for them, else the countries
        var regionUrl = section.getAttribute("data-regions"), drawn = {};
        (page.regions || []).forEach(function (c) { drawn[c] = 1; });
        var regional = !!regionUrl && rowsWhere(matches).some(function (i) { return drawn[aIdx[R.a[i]]] && R.v[i] !== null; });
        function mapKey(i) { var c = aIdx[R.a[i]]; if (regional) return drawn[c] ? c : NaN; return parseInt(c, 10); }
        var byArea = {}, years = {};
        rowsWhere(matches).forEach(function (i) {
          var code = mapKey(i);
          if ((typeof code === "number" && isNaN(code)) || R.v[i] === null) return;
          years[R.y[i]] = 1;
          if (mapYear !== null && R.y[i] !== mapYear) return;
          if (!byArea[code] || byArea[code].year <= R.y[i]) byArea[code] = { id: code, value: R.v[i], year: R.y[i], name: data.areas[R.a[i]][1] };
        });
        var values = Object.keys(byArea).map(function (k) { return byArea[k]; });
        var yearList = Object.keys(years).map(Number).sort();
        if (yearList.length) {
          var sel = el("select", { id: "map-year" });
          option(sel, "", "—", mapYear === null);
          yearList.forEach(function (y) { option(sel, y, String(y), y === mapYear); });
          sel.addEventListener("change", function () { mapYear = sel.value === "" ? null : +sel.value; drawMap(); });
          var lab = el("label", { for: "map-year" }, S.map_year + " "); lab.appendChild(sel);
          box.appendChild(lab);
        }
        if (values.length < 2 || !window.vegaEmbed) { box.appendChild(el("p", { class: "no-data" }, S.map_none)); return; }
        var holder = el("div", { class: "map-holder", role: "img", "aria-label": title() });
        box.appendChild(holder);
        var shapes = regional ? { url: regionUrl, format: { type: "json", property: "features" } }
                              : { url: section.getAttribute("data-map"), format: { type: "topojson", feature: "countries" } };
        var spec = { width: "container", height: 420,
          description: title(), projection: { type: regional ? "mercator" : "equalEarth" },
          layer: [
            { data: shapes,
              mark: { type: "geoshape", fill: "#e5e7eb", stroke: "#ffffff", strokeWidth: 0.5 } },
            { data: shapes,
              transform: [{ calculate: regional ? "datum.id" : "toNumber(datum.id)", as: "num" },
                          { lookup: "num", from: { data: { values: values }, key: "id", fields: ["value", "year", "name"] } },
                          { filter: "isValid(datum.value)" }],
              mark: { type: "geoshape", stroke: "#ffffff", strokeWidth: 0.5 },
              encoding: { color: { field: "value", type: "quantitative", title: unitName(state.u) || S.value, scale: { scheme: "blues" } },
                          tooltip: [{ field: "name", title: S.area }, { field: "value", title: S.value, format: ",.2f" }, { field: "year", title: S.year }] } }
          ] };
        box.setAttribute("data-areas", String(values.length));
        box.setAttribute("data-layer", regional ? "regions" : "countries");
        window.vegaEmbed(holder, spec, { actions: false, ast: true, renderer: "svg", formatLocale: VEGA_LOCALE });
        // the map's values as a table (its text alternative), folded under the map
        var details = el("details"), table = el("table"), head = el("tr"), body = el("tbody");
        details.appendChild(el("summary", {}, S.table));
        [S.area, S.year, S.value].forEach(function (h, j) { head.appendChild(el("th", { scope: "col", class: j === 2 ? "num" : "" }, h)); });
        var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
        values.sort(function (x, y) { return x.name.localeCompare(y.name); }).forEach(function (v) {
          var tr = el("tr");
          tr.appendChild(el("th", { scope: "row" }, v.name));
          tr.appendChild(el("td", {}, String(v.year)));
          tr.appendChild(el("td", { class: "num" }, fmt(v.value)));
          body.appendChild(tr);
        });
        table.appendChild(body); details.appendChild(table); box.appendChild(details);
      }

      build();
      var list = section.querySelector("[role=tablist]");
      setupTabs(list, function (id) {
        views.chart = id === "tab-chart"; views.table = id === "tab-table"; views.map = id === "tab-map";
        if (views.chart) drawChart(selection());
        if (views.map) drawMap();
      });
    });
  }

  /* -- search: a small index of goals, targets and indicators in a JSON block --------------------- */
  function fold(text) { return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  function searchPage(box) {
    var index = JSON.parse(document.getElementById("search-index").textContent);
    var input = document.getElementById("search-q"), out = document.getElementById("search-results"), count = document.getElementById("search-count");
    var entries = index.entries.map(function (e) { return { e: e, text: fold(e.code + " " + e.title + " " + (e.extra || "")) }; });
    function run() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      out.textContent = "";
      if (!words.length) { count.textContent = ""; return; }
      var hits = entries.filter(function (x) { return words.every(function (w) { return x.text.indexOf(w) >= 0; }); });
      hits.sort(function (x, y) { return (y.e.code.indexOf(words[0]) === 0) - (x.e.code.indexOf(words[0]) === 0); });
      count.textContent = hits.length ? counted(index.strings.results, hits.length) : index.strings.none;
      hits.slice(0, 200).forEach(function (x) {
        var li = el("li"), a = el("a", { href: x.e.href }, x.e.label + " " + x.e.code + ": " + x.e.title);
        li.appendChild(a); out.appendChild(li);
      });
    }
    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    input.addEventListener("input", run);
    box.hidden = false;
    document.getElementById("search-needs-js").hidden = true;
    run();
  }

  /* -- the contributions registry: words, goal, kind and organisation filter the records ---------- */
  function registryPage(form) {
    var records = Array.prototype.slice.call(document.querySelectorAll("#registry > .record"));
    var count = document.getElementById("registry-count");
    var text = records.map(function (r) { return fold(r.textContent); });
    function run() {
      var words = fold(document.getElementById("f-text").value).split(/\s+/).filter(Boolean);
      var goal = document.getElementById("f-goal").value, kind = document.getElementById("f-kind").value;
      var entity = document.getElementById("f-entity").value, shown = 0;
      records.forEach(function (r, i) {
        var ok = (!goal || r.getAttribute("data-goals").indexOf(" " + goal + " ") >= 0) &&
          (!kind || r.getAttribute("data-kind") === kind) && (!entity || r.getAttribute("data-entity") === entity) &&
          words.every(function (w) { return text[i].indexOf(w) >= 0; });
        r.hidden = !ok; if (ok) shown++;
      });
      count.textContent = count.getAttribute("data-template").replace("{n}", shown).replace("{total}", records.length);
    }
    form.addEventListener("input", run); form.addEventListener("change", run);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.hidden = false;
    run();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".contrast-toggle");
    if (toggle) {
      toggle.hidden = false;
      toggle.setAttribute("aria-pressed", doc.classList.contains("contrast") ? "true" : "false");
      toggle.addEventListener("click", function () {
        var on = doc.classList.toggle("contrast");
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
        store("sdg-contrast", on ? "1" : "0");
      });
    }
    var section = document.querySelector(".indicator-data");
    if (section) indicatorPage(section);
    Array.prototype.forEach.call(document.querySelectorAll("[role=tablist]"), function (list) {
      if (!section || !section.contains(list)) setupTabs(list);
    });
    var registry = document.getElementById("registry-filters");
    if (registry) registryPage(registry);
    var search = document.getElementById("search-box");
    if (search) searchPage(search);
  });
})();
