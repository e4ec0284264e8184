// The Volunteer Graph explorer: GraphiQL 4 (UMD build) with React 18, all served
// by the gateway itself. No CDN, no inline script (the page's CSP forbids both).
(function () {
  'use strict';
  var h = React.createElement;
  var config = JSON.parse(document.getElementById('explorer-config').textContent);
  var root = ReactDOM.createRoot(document.getElementById('explorer'));

  function ExamplesIcon() {
    return h('svg', { width: '1em', height: '1em', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('path', { d: 'M4 5h16M4 10h16M4 15h10M4 20h7' }));
  }

  function examplesPlugin(examples) {
    function ExamplesContent() {
      var editor = GraphiQL.React.useEditorContext({ nonNull: true });
      function open(example) {
        var index = editor.tabs.findIndex(function (tab) { return tab.query === example.query; });
        if (index >= 0) return editor.changeTab(index);
        editor.addTab();
        // The new tab is active once React has rendered it; then fill its editors.
        setTimeout(function () {
          if (editor.queryEditor) editor.queryEditor.setValue(example.query);
          if (editor.variableEditor) editor.variableEditor.setValue(example.variables);
          if (editor.headerEditor) editor.headerEditor.setValue(example.headers);
        }, 0);
      }
      return h('section', { className: 'vg-examples', 'aria-label': 'Example operations' },
        h('div', { className: 'graphiql-doc-explorer-title' }, 'Example operations'),
        h('p', { className: 'vg-hint' }, 'The operations portals, partners and analysts send (schema/operations). Put a token ({"authorization": "Bearer …"}) or a partner key ({"x-api-key": "…"}) in Headers.'),
        examples.length === 0 ? h('p', null, 'No examples found.') : null,
        h('ul', null, examples.map(function (example) {
          return h('li', { key: example.file + ':' + example.name },
            h('button', { type: 'button', className: 'vg-example', 'data-example': example.name, onClick: function () { open(example); } },
              h('strong', null, example.name),
              example.caller ? h('span', { className: 'vg-caller' }, example.caller) : null),
            example.description ? h('p', null, example.description) : null);
        })));
    }
    return { title: 'Examples', icon: ExamplesIcon, content: ExamplesContent };
  }

  fetch(config.examplesPath, { headers: { accept: 'application/json' } })
    .then(function (response) { return response.ok ? response.json() : { examples: [] }; })
    .catch(function () { return { examples: [] }; })
    .then(function (payload) {
      var examples = payload.examples || [];
      var fetcher = GraphiQL.createFetcher({ url: new URL(config.graphqlPath, window.location.href).toString() });
      var plugin = examplesPlugin(examples);
      var namespace = 'volunteer-graph-explorer';
      var storage = GraphiQL.createLocalStorage({ namespace: namespace });
      // GraphiQL fills the editors of the first tab with its query only; on a
      // first visit (nothing stored) give it the first example's variables too.
      var firstVisit = !window.localStorage.getItem(namespace + ':tabState');
      var first = firstVisit && examples.length ? { variables: examples[0].variables } : {};
      root.render(h(GraphiQL, Object.assign({
        fetcher: fetcher,
        storage: storage,
        plugins: [plugin],
        defaultTabs: examples.map(function (example) {
          return { query: example.query, variables: example.variables, headers: example.headers };
        }),
        defaultEditorToolsVisibility: 'headers',
        isHeadersEditorEnabled: true,
        // Tokens and keys stay in this tab's memory, never in localStorage.
        shouldPersistHeaders: false,
        defaultHeaders: '{}',
      }, first), h(GraphiQL.Logo, null, 'Volunteer Graph')));
    });
})();
