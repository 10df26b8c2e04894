/** The script of the query page, served as a same-origin file: starts YASGUI on our endpoint and adds a bar-chart view of results. */

/**
 * Browser code (ES5, no build step). It reads its settings from a JSON data block, so the page
 * needs no inline script; property and class completion come from our vocabulary graph instead of
 * the third-party services YASGUI would call.
 */
export const queryClientScript = `(function () {
  'use strict';
  var holder = document.getElementById('vinculo-query-config');
  var Yasgui = window.Yasgui;
  if (!holder || !Yasgui) return;
  var config = JSON.parse(holder.textContent);

  function numeric(term) {
    return term && term.type === 'literal' && term.value !== '' && !isNaN(Number(term.value));
  }

  /** A Yasr view: horizontal bars of the first numeric column, labelled by the first other one. */
  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = config.words.chart;
  }
  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables || !results.getBindings) return undefined;
    var variables = results.getVariables();
    var bindings = results.getBindings() || [];
    if (bindings.length === 0) return undefined;
    var value;
    for (var i = 0; i < variables.length && value === undefined; i++) {
      var name = variables[i];
      if (bindings.every(function (row) { return !row[name] || numeric(row[name]); }) && bindings.some(function (row) { return numeric(row[name]); })) value = name;
    }
    if (value === undefined) return undefined;
    var label = variables.filter(function (name) { return name !== value; })[0];
    return { value: value, label: label, bindings: bindings.slice(0, 50) };
  };
  ChartPlugin.prototype.canHandleResults = function () {
    return this.columns() !== undefined;
  };
  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement('span');
    icon.textContent = '\\u2587';
    icon.setAttribute('aria-hidden', 'true');
    return icon;
  };
  ChartPlugin.prototype.draw = function () {
    var columns = this.columns();
    var target = this.yasr.resultsEl;
    while (target.firstChild) target.removeChild(target.firstChild);
    if (!columns) return;
    var svgNs = 'http://www.w3.org/2000/svg';
    var rows = columns.bindings;
    var values = rows.map(function (row) { return row[columns.value] ? Number(row[columns.value].value) : 0; });
    var max = Math.max.apply(null, values.concat([1e-9]));
    var barHeight = 20, gap = 6, labelWidth = 220, width = 760;
    var svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + rows.length * (barHeight + gap));
    svg.setAttribute('width', '100%');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', config.words.chart + ': ' + columns.value);
    svg.setAttribute('class', 'chart');
    rows.forEach(function (row, index) {
      var y = index * (barHeight + gap);
      var term = columns.label ? row[columns.label] : undefined;
      var name = term ? term.value.replace(/^.*[\\/#]/, function (prefix) { return term.type === 'uri' ? '' : prefix; }) : String(index + 1);
      var text = document.createElementNS(svgNs, 'text');
      text.setAttribute('x', '0');
      text.setAttribute('y', String(y + 14));
      text.textContent = name.length > 32 ? name.slice(0, 31) + '\\u2026' : name;
      var bar = document.createElementNS(svgNs, 'rect');
      var barWidth = Math.max(1, Math.round(((width - labelWidth - 110) * Math.max(0, values[index])) / max));
      bar.setAttribute('x', String(labelWidth));
      bar.setAttribute('y', String(y));
      bar.setAttribute('width', String(barWidth));
      bar.setAttribute('height', String(barHeight));
      var amount = document.createElementNS(svgNs, 'text');
      amount.setAttribute('x', String(labelWidth + barWidth + 6));
      amount.setAttribute('y', String(y + 14));
      amount.textContent = values[index].toLocaleString(document.documentElement.lang);
      svg.appendChild(text);
      svg.appendChild(bar);
      svg.appendChild(amount);
    });
    var wrapper = document.createElement('div');
    wrapper.className = 'yasr-chart';
    wrapper.appendChild(svg);
    target.appendChild(wrapper);
  };
  Yasgui.Yasr.registerPlugin('chart', ChartPlugin);

  /** Terms for completion from our own endpoint (the vocabulary graph), in place of LOV's web service. */
  function vocabularyTerms(query) {
    return fetch(config.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sparql-query', Accept: 'application/sparql-results+json' },
      body: query
    }).then(function (response) {
      return response.ok ? response.json() : { results: { bindings: [] } };
    }).then(function (json) {
      return json.results.bindings.map(function (row) { return row.term.value; });
    });
  }
  Yasgui.Yasqe.forkAutocompleter('property', { name: 'vinculo-property', bulk: true, persistenceId: null, get: function () { return vocabularyTerms(config.termQueries.property); } }, false);
  Yasgui.Yasqe.forkAutocompleter('class', { name: 'vinculo-class', bulk: true, persistenceId: null, get: function () { return vocabularyTerms(config.termQueries['class']); } }, false);

  Yasgui.defaults.requestConfig.endpoint = config.endpoint;
  Yasgui.Yasqe.defaults.value = config.defaultQuery;
  var yasgui = new Yasgui(document.getElementById('yasgui'), {
    requestConfig: { endpoint: config.endpoint, method: 'POST' },
    copyEndpointOnNewTab: true,
    tabName: config.words.tab,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; }, keys: [] },
    yasqe: { value: config.defaultQuery, autocompleters: ['prefixes', 'variables', 'vinculo-property', 'vinculo-class'], prefixCcApi: null },
    yasr: { pluginOrder: ['table', 'chart', 'response'], defaultPlugin: 'table' }
  });
  window.vinculoYasgui = yasgui;

  // Example links on this very page only change the fragment: open their query in a new tab.
  window.addEventListener('hashchange', function () {
    var match = /(?:^#|&)query=([^&]*)/.exec(window.location.hash);
    if (!match) return;
    var query = decodeURIComponent(match[1].replace(/\\+/g, ' '));
    var tab = yasgui.addTab(true);
    if (tab && tab.setQuery) tab.setQuery(query);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  });
})();
`;
