// The explorer's result views, as GraphiQL plugins: Table (any list of the
// result, flattened, sortable, CSV and JSON download), Chart (numeric columns
// of a list, drawn by ECharts into SVG) and Query plan (the fetches the gateway
// ran, from extensions.queryPlan). Plain browser JavaScript, no build step.
(function () {
  'use strict';
  var h = React.createElement;
  var MAX_ROWS_SHOWN = 500;

  // --- The result and its lists ---------------------------------------------

  /** The active tab's response, parsed (null when none or not JSON). */
  function useActiveResult() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    var tab = editor.tabs[editor.activeTabIndex];
    var text = tab ? tab.response : null;
    return React.useMemo(function () {
      if (!text) return null;
      try { return JSON.parse(text); } catch (e) { return null; }
    }, [text]);
  }

  function isPlainObject(value) { return value !== null && typeof value === 'object' && !Array.isArray(value); }

  /** An item as flat columns: nested objects as `a.b`, lists of scalars joined, lists of objects counted. */
  function flatten(value, prefix, row) {
    Object.keys(value).forEach(function (key) {
      var v = value[key];
      var name = prefix ? prefix + '.' + key : key;
      if (isPlainObject(v)) flatten(v, name, row);
      else if (Array.isArray(v)) row[name] = v.every(function (x) { return !isPlainObject(x); }) ? v.join('; ') : '[' + v.length + ' items]';
      else row[name] = v;
    });
    return row;
  }

  /** Scalar fields of an object (and its nested objects) under a prefix, for the rows of a list within it. */
  function context(value, prefix) {
    var row = {};
    Object.keys(value).forEach(function (key) {
      var v = value[key];
      var name = prefix + '.' + key;
      if (isPlainObject(v)) Object.assign(row, context(v, name));
      else if (!Array.isArray(v)) row[name] = v;
    });
    return row;
  }

  /**
   * Every list of objects in `data`, with its rows: a list inside the items of
   * another (`frontOffices[].trainings.nodes`) has the parent's scalar fields as
   * leading columns, so each row can be read alone.
   */
  function findLists(data) {
    var lists = [];
    var byPath = {};
    function visit(value, path, parentRow) {
      if (Array.isArray(value)) {
        var objects = value.filter(isPlainObject);
        if (objects.length && objects.length === value.length) {
          var list = byPath[path];
          if (!list) { list = byPath[path] = { path: path, rows: [] }; lists.push(list); }
          objects.forEach(function (item) {
            list.rows.push(Object.assign({}, parentRow, flatten(item, '', {})));
          });
          var listName = path.split('.').pop();
          objects.forEach(function (item) {
            var parent = Object.assign({}, parentRow, context(item, listName));
            Object.keys(item).forEach(function (key) { visit(item[key], path + '[].' + key, parent); });
          });
        }
        return;
      }
      if (isPlainObject(value)) Object.keys(value).forEach(function (key) { visit(value[key], path ? path + '.' + key : key, parentRow); });
    }
    if (isPlainObject(data)) visit(data, '', {});
    return lists.filter(function (l) { return l.rows.length > 0; });
  }

  function columnsOf(rows) {
    var seen = {};
    var columns = [];
    rows.forEach(function (row) { Object.keys(row).forEach(function (k) { if (!seen[k]) { seen[k] = true; columns.push(k); } }); });
    return columns;
  }

  function asNumber(value) {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    return null;
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === null || a === undefined || a === '') return 1;
    if (b === null || b === undefined || b === '') return -1;
    var x = asNumber(a);
    var y = asNumber(b);
    if (x !== null && y !== null) return x - y;
    return String(a).localeCompare(String(b));
  }

  function csvCell(value) {
    if (value === null || value === undefined) return '';
    var text = String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCsv(columns, rows) {
    return [columns.map(csvCell).join(',')].concat(rows.map(function (row) {
      return columns.map(function (c) { return csvCell(row[c]); }).join(',');
    })).join('\r\n') + '\r\n';
  }

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function fileStem(path) { return (path || 'result').replace(/\[\]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'result'; }

  /** The list picker shared by Table and Chart. */
  function useListChoice(lists) {
    var state = React.useState(null);
    var chosen = lists.find(function (l) { return l.path === state[0]; }) || lists[0] || null;
    return [chosen, state[1]];
  }

  function ListPicker(props) {
    if (props.lists.length < 2) return props.list ? h('p', { className: 'vg-list-name' }, h('code', null, props.list.path), ' — ', props.list.rows.length, ' rows') : null;
    return h('label', { className: 'vg-field' }, 'List ',
      h('select', { value: props.list.path, onChange: function (e) { props.onChange(e.target.value); }, 'data-testid': 'vg-list' },
        props.lists.map(function (l) { return h('option', { key: l.path, value: l.path }, l.path + ' (' + l.rows.length + ')'); })));
  }

  function Empty(props) {
    return h('p', { className: 'vg-hint' }, props.children);
  }

  // --- Table -----------------------------------------------------------------

  function TableView() {
    var result = useActiveResult();
    var lists = React.useMemo(function () { return result ? findLists(result.data) : []; }, [result]);
    var choice = useListChoice(lists);
    var list = choice[0];
    var sortState = React.useState({ column: null, descending: false });
    var sort = sortState[0];
    var columns = React.useMemo(function () { return list ? columnsOf(list.rows) : []; }, [list]);
    var rows = React.useMemo(function () {
      if (!list) return [];
      var copy = list.rows.slice();
      if (sort.column) copy.sort(function (a, b) { var c = compare(a[sort.column], b[sort.column]); return sort.descending ? -c : c; });
      return copy;
    }, [list, sort]);

    var body;
    if (!result) body = h(Empty, null, 'Run an operation: every list in its result shows here as a table.');
    else if (!list) body = h(Empty, null, 'The result holds no list of objects.');
    else {
      body = h(React.Fragment, null,
        h('div', { className: 'vg-toolbar' },
          h(ListPicker, { lists: lists, list: list, onChange: function (p) { choice[1](p); sortState[1]({ column: null, descending: false }); } }),
          h('button', { type: 'button', className: 'vg-button', onClick: function () { download(fileStem(list.path) + '.csv', 'text/csv;charset=utf-8', toCsv(columns, rows)); } }, 'Download CSV'),
          h('button', { type: 'button', className: 'vg-button', onClick: function () { download(fileStem(list.path) + '.json', 'application/json', JSON.stringify(rows, null, 2) + '\n'); } }, 'Download JSON')),
        h('div', { className: 'vg-table-wrap', tabIndex: 0, role: 'region', 'aria-label': 'Rows of ' + list.path },
          h('table', { className: 'vg-table' },
            h('caption', null, list.path + ': ' + list.rows.length + ' rows' + (rows.length > MAX_ROWS_SHOWN ? ' (first ' + MAX_ROWS_SHOWN + ' shown; the downloads hold all)' : '')),
            h('thead', null, h('tr', null, columns.map(function (c) {
              var active = sort.column === c;
              return h('th', { key: c, scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' },
                h('button', {
                  type: 'button',
                  className: 'vg-sort',
                  onClick: function () { sortState[1]({ column: c, descending: active ? !sort.descending : false }); },
                }, c, h('span', { 'aria-hidden': 'true' }, active ? (sort.descending ? ' ▼' : ' ▲') : '')));
            }))),
            h('tbody', null, rows.slice(0, MAX_ROWS_SHOWN).map(function (row, i) {
              return h('tr', { key: i }, columns.map(function (c) {
                var v = row[c];
                return h('td', { key: c, className: asNumber(v) !== null ? 'vg-num' : undefined }, v === null || v === undefined ? '' : String(v));
              }));
            })))));
    }
    return h('section', { className: 'vg-view', 'aria-label': 'Result as a table' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Table'), body);
  }

  function TableIcon() {
    return h('svg', { width: '1em', height: '1em', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('rect', { x: 3, y: 4, width: 18, height: 16, rx: 1 }), h('path', { d: 'M3 9h18M3 14h18M9 4v16M15 4v16' }));
  }

  // --- Chart -----------------------------------------------------------------

  function numericColumns(columns, rows) {
    return columns.filter(function (c) {
      var any = false;
      var all = rows.every(function (r) {
        var v = r[c];
        if (v === null || v === undefined || v === '') return true;
        if (asNumber(v) === null) return false;
        any = true;
        return true;
      });
      return all && any && !/(^|\.)(id|code)$/i.test(c);
    });
  }

  var LABEL_PREFERENCE = /(^|\.)(nameEn|name|title|countryName|country|date|asOf|dueOn|month|year|ageBand)$/;

  function defaultLabel(columns, numeric) {
    var labels = columns.filter(function (c) { return numeric.indexOf(c) < 0; });
    return labels.find(function (c) { return LABEL_PREFERENCE.test(c); }) || labels[0] || null;
  }

  /** The chart's series: one per measure, or one per value of the "series" column (summed per label). */
  function seriesOf(rows, label, measures, by) {
    var labels = [];
    var index = {};
    rows.forEach(function (r) {
      var key = String(r[label]);
      if (!(key in index)) { index[key] = labels.length; labels.push(key); }
    });
    var series = [];
    if (by) {
      var measure = measures[0];
      var groups = {};
      rows.forEach(function (r) {
        var group = String(r[by]);
        if (!groups[group]) { groups[group] = labels.map(function () { return 0; }); series.push({ name: group, data: groups[group] }); }
        groups[group][index[String(r[label])]] += asNumber(r[measure]) || 0;
      });
    } else {
      measures.forEach(function (m) {
        var data = labels.map(function () { return 0; });
        rows.forEach(function (r) { data[index[String(r[label])]] += asNumber(r[m]) || 0; });
        series.push({ name: m, data: data });
      });
    }
    return { labels: labels, series: series };
  }

  function EChart(props) {
    var ref = React.useRef(null);
    React.useEffect(function () {
      var chart = echarts.init(ref.current, null, { renderer: 'svg' });
      // ECharts writes the container's aria-label: give it our sentence rather than its generated one.
      chart.setOption(Object.assign({}, props.option, { aria: { enabled: true, label: { description: props.label } } }));
      var resize = function () { chart.resize(); };
      var observer = typeof ResizeObserver === 'function' ? new ResizeObserver(resize) : null;
      if (observer) observer.observe(ref.current);
      return function () { if (observer) observer.disconnect(); chart.dispose(); };
    }, [props.option, props.label]);
    return h('div', { ref: ref, className: props.className || 'vg-chart', role: 'img', 'aria-label': props.label });
  }

  function ChartView() {
    var result = useActiveResult();
    var lists = React.useMemo(function () { return result ? findLists(result.data) : []; }, [result]);
    var choice = useListChoice(lists);
    var list = choice[0];
    var columns = React.useMemo(function () { return list ? columnsOf(list.rows) : []; }, [list]);
    var numeric = React.useMemo(function () { return list ? numericColumns(columns, list.rows) : []; }, [list, columns]);
    var settings = React.useState({});
    var s = settings[0];
    var key = list ? list.path : '';
    var current = s[key] || {};
    var label = current.label || defaultLabel(columns, numeric);
    var measures = (current.measures || numeric.slice(0, 3)).filter(function (m) { return numeric.indexOf(m) >= 0; });
    var by = current.by || '';
    var kind = current.kind || 'bar';
    function set(patch) { var next = Object.assign({}, s); next[key] = Object.assign({}, current, patch); settings[1](next); }

    var option = React.useMemo(function () {
      if (!list || !label || !measures.length) return null;
      var drawn = seriesOf(list.rows, label, by ? measures.slice(0, 1) : measures, by || null);
      return {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 48, right: 16, top: 16, bottom: 72, containLabel: true },
        xAxis: { type: 'category', data: drawn.labels, axisLabel: { rotate: drawn.labels.length > 8 ? 45 : 0, hideOverlap: true } },
        yAxis: { type: 'value' },
        series: drawn.series.map(function (serie) {
          return { name: serie.name, type: kind === 'line' ? 'line' : 'bar', stack: kind === 'stacked' ? 'all' : undefined, data: serie.data };
        }),
      };
    }, [list, label, measures.join(','), by, kind]);

    var body;
    if (!result) body = h(Empty, null, 'Run an operation: the numbers of its lists are drawn here.');
    else if (!list) body = h(Empty, null, 'The result holds no list of objects.');
    else if (!numeric.length) body = h(React.Fragment, null, h(ListPicker, { lists: lists, list: list, onChange: choice[1] }), h(Empty, null, 'This list has no numeric column.'));
    else {
      var labelChoices = columns.filter(function (c) { return numeric.indexOf(c) < 0; });
      body = h(React.Fragment, null,
        h('div', { className: 'vg-toolbar vg-chart-settings' },
          h(ListPicker, { lists: lists, list: list, onChange: choice[1] }),
          h('label', { className: 'vg-field' }, 'Labels ',
            h('select', { value: label || '', onChange: function (e) { set({ label: e.target.value }); }, 'data-testid': 'vg-chart-label' },
              labelChoices.map(function (c) { return h('option', { key: c, value: c }, c); }))),
          h('label', { className: 'vg-field' }, 'Series from ',
            h('select', { value: by, onChange: function (e) { set({ by: e.target.value }); }, 'data-testid': 'vg-chart-by' },
              [h('option', { key: '', value: '' }, '(the values chosen)')].concat(labelChoices.filter(function (c) { return c !== label; }).map(function (c) { return h('option', { key: c, value: c }, c); })))),
          h('label', { className: 'vg-field' }, 'Chart ',
            h('select', { value: kind, onChange: function (e) { set({ kind: e.target.value }); }, 'data-testid': 'vg-chart-kind' },
              h('option', { value: 'bar' }, 'bars'), h('option', { value: 'stacked' }, 'stacked bars'), h('option', { value: 'line' }, 'lines')))),
        h('fieldset', { className: 'vg-measures' }, h('legend', null, by ? 'Value (the first ticked)' : 'Values'),
          numeric.map(function (c) {
            return h('label', { key: c },
              h('input', {
                type: 'checkbox',
                checked: measures.indexOf(c) >= 0,
                onChange: function (e) { set({ measures: e.target.checked ? measures.concat([c]) : measures.filter(function (m) { return m !== c; }) }); },
              }), ' ', c);
          })),
        option ? h(EChart, { option: option, label: 'Chart of ' + list.path + ': ' + (by ? measures[0] + ' by ' + by : measures.join(', ')) + ' per ' + label }) : h(Empty, null, 'Tick a value to draw.'));
    }
    return h('section', { className: 'vg-view', 'aria-label': 'Result as a chart' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Chart'), body);
  }

  function ChartIcon() {
    return h('svg', { width: '1em', height: '1em', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('path', { d: 'M4 20h16M7 16v-5M12 16V6M17 16v-8' }));
  }

  // --- Query plan --------------------------------------------------------------

  /** Plans the fetcher took out of the responses, by the operation's text. */
  var plans = new Map();
  var planListeners = new Set();
  function notePlan(query, plan) {
    plans.set(query, plan);
    planListeners.forEach(function (listener) { listener(); });
  }

  function usePlan() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    var tick = React.useState(0);
    React.useEffect(function () {
      var listener = function () { tick[1](function (n) { return n + 1; }); };
      planListeners.add(listener);
      return function () { planListeners.delete(listener); };
    }, []);
    var tab = editor.tabs[editor.activeTabIndex];
    return tab && plans.has(tab.query) ? plans.get(tab.query) : undefined;
  }

  function prettyOperation(text) {
    try { return GraphiQL.GraphQL.print(GraphiQL.GraphQL.parse(text)); } catch (e) { return text; }
  }

  function PlanNode(props) {
    var node = props.node;
    var title;
    if (node.kind === 'Fetch') title = h(React.Fragment, null, h('span', { className: 'vg-kind' }, 'Fetch'), ' from ', h('strong', { className: 'vg-service' }, node.service),
      node.requires ? h('span', { className: 'vg-hint' }, ' — entities: ' + node.requires.join(', ')) : null);
    else if (node.kind === 'Flatten') title = h(React.Fragment, null, h('span', { className: 'vg-kind' }, 'Flatten'), ' into ', h('code', null, node.path));
    else if (node.kind === 'Condition') title = h(React.Fragment, null, h('span', { className: 'vg-kind' }, 'Condition'), ' on ', h('code', null, '$' + node.condition));
    else title = h(React.Fragment, null, h('span', { className: 'vg-kind' }, node.kind), node.kind === 'Parallel' ? ' (at the same time)' : node.kind === 'Sequence' ? ' (one after the other)' : null);
    return h('li', { className: 'vg-plan-node', 'data-kind': node.kind, 'data-service': node.service || undefined },
      h('div', { className: 'vg-plan-title' }, title),
      node.kind === 'Fetch' ? h('details', null, h('summary', null, 'Operation sent' + (node.variables ? ' (variables: ' + node.variables.join(', ') + ')' : '')),
        h('pre', { className: 'vg-plan-operation' }, prettyOperation(node.operation))) : null,
      node.nodes && node.nodes.length ? h('ol', null, node.nodes.map(function (child, i) { return h(PlanNode, { key: i, node: child }); })) : null);
  }

  function countFetches(node) {
    if (!node) return 0;
    return (node.kind === 'Fetch' ? 1 : 0) + (node.nodes || []).reduce(function (n, c) { return n + countFetches(c); }, 0);
  }

  function PlanView() {
    var plan = usePlan();
    var body;
    if (plan === undefined) body = h(Empty, null, 'Run an operation as an analyst or an admin: the gateway shows the query plan to them only (the explorer asks with the x-query-plan header).');
    else if (plan === null) body = h(Empty, null, 'This operation needed no subgraph (introspection or __typename only).');
    else {
      var fetches = countFetches(plan);
      body = h(React.Fragment, null,
        h('p', { className: 'vg-hint' }, fetches + (fetches === 1 ? ' subgraph call' : ' subgraph calls') + ' planned by the gateway for this operation.'),
        h('ol', { className: 'vg-plan' }, h(PlanNode, { node: plan })));
    }
    return h('section', { className: 'vg-view', 'aria-label': 'Query plan' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Query plan'), body);
  }

  function PlanIcon() {
    return h('svg', { width: '1em', height: '1em', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('circle', { cx: 6, cy: 6, r: 2 }), h('circle', { cx: 6, cy: 18, r: 2 }), h('circle', { cx: 18, cy: 12, r: 2 }), h('path', { d: 'M8 6h4v12H8M12 12h4' }));
  }

  window.VolunteerGraphViews = {
    tablePlugin: { title: 'Table', icon: TableIcon, content: TableView },
    chartPlugin: { title: 'Chart', icon: ChartIcon, content: ChartView },
    planPlugin: { title: 'Query plan', icon: PlanIcon, content: PlanView },
    notePlan: notePlan,
    findLists: findLists,
    toCsv: toCsv,
  };
})();
