// The HTML report's only script: sorting and filtering the table, a chart lane filtering by
// its feature, and in the VS Code webview opening a row's location (postMessage) and keeping
// the view's state (filter, sort, scroll) across refreshes. Plain ES2017 for any browser; it
// reads the page and touches nothing outside it (no network, no storage but the webview's).
export const matrixScript = String.raw`(function () {
  'use strict';
  var vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  var table = document.getElementById('matrix');
  if (!table) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var search = rows.map(function (r) { return (r.textContent + ' ' + r.getAttribute('data-file')).toLowerCase(); });
  var filter = document.getElementById('filter');
  var classFilter = document.getElementById('class-filter');
  var gatedFilter = document.getElementById('gated-filter');
  var findingsOnly = document.getElementById('findings-only');
  var count = document.getElementById('count');
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var state = (vscode && vscode.getState()) || {};
  var sort = { column: -1, descending: false };

  function save() {
    if (!vscode) return;
    vscode.setState({
      filter: filter.value, cls: classFilter.value, gated: gatedFilter.value, findings: findingsOnly.checked,
      sortColumn: sort.column, sortDescending: sort.descending, scrollY: window.scrollY
    });
  }

  function apply() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var cls = classFilter.value;
    var gated = gatedFilter.value;
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = words.every(function (w) { return search[i].indexOf(w) !== -1; }) &&
        (!cls || r.getAttribute('data-class') === cls) &&
        (!gated || r.getAttribute('data-gated') === gated) &&
        (!findingsOnly.checked || r.getAttribute('data-findings') !== '');
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' paths';
    save();
  }

  function key(r, column) {
    var cell = r.cells[column];
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent : v;
  }

  function sortBy(column, descending) {
    sort = { column: column, descending: descending };
    var numeric = column >= 0 && headers[column].getAttribute('data-type') === 'number';
    var keyed = rows.map(function (r, i) {
      var k = column < 0 ? i : key(r, column);
      return { r: r, k: numeric ? Number(k) : k, i: i };
    });
    keyed.sort(function (a, b) {
      var d = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
      return (descending ? -d : d) || a.i - b.i;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (e) { fragment.appendChild(e.r); });
    tbody.appendChild(fragment);
    headers.forEach(function (h, i) {
      h.setAttribute('aria-sort', i === column ? (descending ? 'descending' : 'ascending') : 'none');
    });
    save();
  }

  headers.forEach(function (h, i) {
    var button = h.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      sortBy(i, sort.column === i ? !sort.descending : false);
    });
  });
  [filter, classFilter, gatedFilter, findingsOnly].forEach(function (el) {
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  });
  Array.prototype.forEach.call(document.querySelectorAll('.lane'), function (lane) {
    lane.addEventListener('click', function () {
      filter.value = lane.getAttribute('data-feature');
      apply();
      table.scrollIntoView();
    });
  });

  function open(r) {
    if (!vscode || !r.getAttribute('data-uri')) return;
    vscode.postMessage({
      type: 'open', uri: r.getAttribute('data-uri'),
      line: Number(r.getAttribute('data-line')), column: Number(r.getAttribute('data-column')),
      endLine: Number(r.getAttribute('data-end-line')), endColumn: Number(r.getAttribute('data-end-column'))
    });
  }
  tbody.addEventListener('click', function (e) {
    var r = e.target.closest && e.target.closest('tr');
    if (r) open(r);
  });
  tbody.addEventListener('keydown', function (e) {
    var r = e.target.closest && e.target.closest('tr');
    if (r && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); open(r); }
  });
  var scrollTimer;
  window.addEventListener('scroll', function () {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(save, 200);
  });

  if (typeof state.filter === 'string') filter.value = state.filter;
  if (typeof state.cls === 'string') classFilter.value = state.cls;
  if (typeof state.gated === 'string') gatedFilter.value = state.gated;
  if (typeof state.findings === 'boolean') findingsOnly.checked = state.findings;
  if (typeof state.sortColumn === 'number' && state.sortColumn >= 0 && state.sortColumn < headers.length)
    sortBy(state.sortColumn, Boolean(state.sortDescending));
  apply();
  if (typeof state.scrollY === 'number') window.scrollTo(0, state.scrollY);
})();
`;
