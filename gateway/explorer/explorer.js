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
      function open(example) { openExample(editor, example, null); }
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

  // --- Headers shared by every tab (and every window of this browser) ---------
  // GraphiQL keeps headers per tab; analysts paste one token and expect every
  // tab, a new window and the dashboards to use it. The shared copy lives in
  // GraphiQL's storage (localStorage, this explorer's namespace), so the user
  // can forget it with one button.
  var namespace = 'volunteer-graph-explorer';
  var storage = GraphiQL.createLocalStorage({ namespace: namespace });
  var SHARED_HEADERS = 'sharedHeaders';
  function sharedHeaders() { return storage.getItem(SHARED_HEADERS) || '{}'; }

  /** Keeps the active tab's headers editor and the shared copy the same; opens `?operation=` links. */
  function createSharedHeaders(examples) {
    return function SharedHeaders() {
      var editor = GraphiQL.React.useEditorContext({ nonNull: true });
      var headerEditor = editor.headerEditor;
      var saved = React.useState(sharedHeaders());
      var opened = React.useRef(false);
      // Edits in any tab become the shared headers.
      React.useEffect(function () {
        if (!headerEditor) return undefined;
        var onChange = function () {
          var value = headerEditor.getValue();
          if (value === sharedHeaders()) return;
          storage.setItem(SHARED_HEADERS, value);
          saved[1](value);
        };
        headerEditor.on('change', onChange);
        return function () { headerEditor.off('change', onChange); };
      }, [headerEditor]);
      // Every tab shows them: on a tab change, and when another window changes them.
      React.useEffect(function () {
        if (headerEditor && headerEditor.getValue() !== sharedHeaders()) headerEditor.setValue(sharedHeaders());
      }, [headerEditor, editor.activeTabIndex]);
      React.useEffect(function () {
        var onStorage = function (event) {
          if (event.key !== namespace + ':' + SHARED_HEADERS) return;
          saved[1](sharedHeaders());
          if (headerEditor && headerEditor.getValue() !== sharedHeaders()) headerEditor.setValue(sharedHeaders());
        };
        window.addEventListener('storage', onStorage);
        return function () { window.removeEventListener('storage', onStorage); };
      }, [headerEditor]);
      // A link from the dashboards: /explorer?operation=Name&variables={…}
      React.useEffect(function () {
        if (opened.current || !editor.queryEditor || !editor.variableEditor) return;
        opened.current = true;
        var params = new URLSearchParams(window.location.search);
        var name = params.get('operation');
        var example = name && examples.find(function (e) { return e.name === name; });
        if (!example) return;
        openExample(editor, example, params.get('variables'));
        window.history.replaceState(null, '', window.location.pathname);
      }, [editor.queryEditor, editor.variableEditor]);
      var signedIn = /"(authorization|x-api-key)"\s*:/i.test(saved[0]);
      return h('div', { className: 'vg-shared-headers' },
        h('span', null, signedIn ? 'Headers (with a credential) are shared by every tab and kept in this browser.' : 'Headers you set are shared by every tab and kept in this browser.'),
        signedIn ? h('button', {
          type: 'button',
          className: 'vg-button',
          onClick: function () {
            storage.setItem(SHARED_HEADERS, '{}');
            saved[1]('{}');
            if (headerEditor) headerEditor.setValue('{}');
          },
        }, 'Forget headers') : null,
        h('a', { href: '/dashboards' }, 'Dashboards'));
    };
  }

  /** Opens an example in its tab (or a new one), with these variables if given. */
  function openExample(editor, example, variables) {
    var index = editor.tabs.findIndex(function (tab) { return tab.query === example.query; });
    if (index >= 0 && !variables) return editor.changeTab(index);
    var fill = function () {
      if (index < 0 && editor.queryEditor) editor.queryEditor.setValue(example.query);
      if (editor.variableEditor) editor.variableEditor.setValue(variables ? JSON.stringify(JSON.parse(variables), null, 2) : example.variables);
    };
    if (index >= 0) editor.changeTab(index);
    else editor.addTab();
    // The tab is active once React has rendered it; then fill its editors.
    setTimeout(fill, 0);
  }

  /** GraphiQL's fetcher, asking for the query plan and moving it from the answer to the plan view. */
  function planFetcher(url) {
    // Plain JSON answers (the gateway serves no @defer), so the plan can be read off them.
    var fetcher = GraphiQL.createFetcher({ url: url, headers: { 'x-query-plan': '1' }, enableIncrementalDelivery: false });
    var views = window.VolunteerGraphViews;
    return function (params, options) {
      var result = fetcher(params, options);
      if (!result || typeof result.then !== 'function' || params.operationName === 'IntrospectionQuery') return result;
      return result.then(function (answer) {
        if (answer && answer.extensions && 'queryPlan' in answer.extensions) {
          var extensions = Object.assign({}, answer.extensions);
          views.notePlan(params.query, extensions.queryPlan);
          delete extensions.queryPlan;
          answer = Object.assign({}, answer);
          if (Object.keys(extensions).length) answer.extensions = extensions;
          else delete answer.extensions;
        }
        return answer;
      });
    };
  }

  fetch(config.examplesPath, { headers: { accept: 'application/json' } })
    .then(function (response) { return response.ok ? response.json() : { examples: [] }; })
    .catch(function () { return { examples: [] }; })
    .then(function (payload) {
      var examples = payload.examples || [];
      var fetcher = planFetcher(new URL(config.graphqlPath, window.location.href).toString());
      var views = window.VolunteerGraphViews;
      var headers = sharedHeaders();
      // GraphiQL fills the editors of the first tab with its query only; on a
      // first visit (nothing stored) give it the first example's variables too.
      var firstVisit = !window.localStorage.getItem(namespace + ':tabState');
      var first = firstVisit && examples.length ? { variables: examples[0].variables } : {};
      root.render(h(GraphiQL, Object.assign({
        fetcher: fetcher,
        storage: storage,
        plugins: [examplesPlugin(examples), views.tablePlugin, views.chartPlugin, views.planPlugin],
        defaultTabs: examples.map(function (example) {
          return { query: example.query, variables: example.variables, headers: headers };
        }),
        defaultEditorToolsVisibility: 'headers',
        isHeadersEditorEnabled: true,
        // GraphiQL's per-tab copy stays off: the shared copy above is the one kept.
        shouldPersistHeaders: false,
        defaultHeaders: headers,
      }, first),
      h(GraphiQL.Logo, null, 'Volunteer Graph'),
      h(GraphiQL.Footer, null, h(createSharedHeaders(examples)))));
    });
})();
