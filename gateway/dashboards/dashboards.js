// The analysts' dashboards: each figure runs one operation of schema/operations
// through the gateway with the caller's credential (the explorer's shared
// headers), draws it (ECharts into SVG, or HTML tiles), and links to the
// operation in the explorer. No framework, no inline script, no other origin.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('dashboards-config').textContent);
  var main = document.getElementById('figures');
  var yearSelect = document.getElementById('year');
  var who = document.getElementById('who');
  var signIn = document.getElementById('sign-in');
  var HEADERS_KEY = 'volunteer-graph-explorer:sharedHeaders';
  var AGE_BANDS = ['UNDER_14', 'AGE_14_17', 'AGE_18_29', 'AGE_30_44', 'AGE_45_59', 'AGE_60_PLUS'];
  var AGE_LABELS = { UNDER_14: 'under 14', AGE_14_17: '14–17', AGE_18_29: '18–29', AGE_30_44: '30–44', AGE_45_59: '45–59', AGE_60_PLUS: '60+' };
  // Colour-blind-safe (Okabe–Ito), each readable against white as a mark.
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  // The 20 regions on a tile grid, placed roughly as on the map of Kazakhstan (column, row).
  var TILES = {
    '270000000': [1, 1], '390000000': [3, 1], '590000000': [4, 1], '550000000': [5, 1],
    '230000000': [1, 2], '150000000': [2, 2], '620000000': [3, 2], '110000000': [4, 2], '710000000': [5, 2], '100000000': [6, 2], '630000000': [7, 2],
    '470000000': [1, 3], '430000000': [3, 3], '350000000': [4, 3], '330000000': [6, 3],
    '610000000': [3, 4], '310000000': [4, 4], '190000000': [5, 4], '750000000': [6, 4],
    '790000000': [3, 5],
  };

  // --- Credential ----------------------------------------------------------------

  function sharedHeaders() {
    try {
      var parsed = JSON.parse(window.localStorage.getItem(HEADERS_KEY) || '{}');
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch (e) {
      return {};
    }
  }

  function credentialOf(headers) {
    return Object.keys(headers).some(function (k) { return /^(authorization|x-api-key)$/i.test(k) && headers[k]; });
  }

  function showWho() {
    var signedIn = credentialOf(sharedHeaders());
    who.textContent = signedIn ? 'Signed in with the explorer\u2019s headers.' : 'Not signed in: only the public figures can be drawn.';
    signIn.hidden = signedIn;
  }

  signIn.addEventListener('submit', function (event) {
    event.preventDefault();
    var token = document.getElementById('token').value.trim().replace(/^Bearer\s+/i, '');
    if (!token) return;
    var headers = sharedHeaders();
    headers.authorization = 'Bearer ' + token;
    window.localStorage.setItem(HEADERS_KEY, JSON.stringify(headers, null, 2));
    document.getElementById('token').value = '';
    showWho();
    drawAll();
  });

  // --- GraphQL ----------------------------------------------------------------------

  var operations = {};

  function run(name, variables) {
    var operation = operations[name];
    if (!operation) return Promise.reject(new Error('The operation ' + name + ' is not in schema/operations.'));
    var headers = Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, sharedHeaders());
    return fetch(config.graphqlPath, { method: 'POST', headers: headers, body: JSON.stringify({ query: operation.query, operationName: name, variables: variables }) })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (body.errors && body.errors.length) {
          var error = body.errors[0];
          var code = error.extensions && error.extensions.code;
          throw new Error((code ? code + ': ' : '') + error.message);
        }
        return body.data;
      });
  }

  function explorerLink(name, variables) {
    var params = new URLSearchParams({ operation: name });
    if (variables && Object.keys(variables).length) params.set('variables', JSON.stringify(variables));
    return config.explorerPath + '?' + params.toString();
  }

  // --- Figures --------------------------------------------------------------------

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attributes[k];
      else node.setAttribute(k, attributes[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  /** A figure: title, what it shows, the drawing area, and the link to its operation. */
  function figure(id, title, note, name, variables) {
    var body = el('div', { class: 'figure-body', 'aria-busy': 'true' }, [el('p', { class: 'hint', text: 'Loading…' })]);
    var node = el('figure', { id: id, 'data-figure': id, 'data-operation': name, 'aria-labelledby': id + '-title' }, [
      el('figcaption', {}, [
        el('h2', { id: id + '-title', text: title }),
        el('p', { class: 'hint', text: note }),
      ]),
      body,
      el('p', { class: 'source' }, ['From ', el('a', { href: explorerLink(name, variables), 'data-operation-link': name }, [name]), ' (open it in the explorer)']),
    ]);
    main.appendChild(node);
    return {
      body: body,
      done: function () { body.setAttribute('aria-busy', 'false'); node.setAttribute('data-state', 'drawn'); },
      fail: function (error) {
        body.replaceChildren(el('p', { class: 'error', role: 'alert', text: error.message }));
        body.setAttribute('aria-busy', 'false');
        node.setAttribute('data-state', 'failed');
      },
    };
  }

  var charts = [];
  function chart(container, option, label) {
    var area = el('div', { class: 'chart', role: 'img', 'aria-label': label });
    container.replaceChildren(area);
    var instance = echarts.init(area, null, { renderer: 'svg' });
    instance.setOption(Object.assign({
      // ECharts writes the container's aria-label: our sentence rather than its generated one.
      aria: { enabled: true, label: { description: label } },
      animation: false,
      color: PALETTE,
      textStyle: { color: '#1f2328' },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 56, right: 56, top: 24, bottom: 56, containLabel: true },
    }, option));
    charts.push(instance);
    return instance;
  }

  function number(value) { return typeof value === 'number' ? value : Number(value); }
  function format(value) { return Math.round(value).toLocaleString('en-US'); }

  /** A data table under a figure, for screen readers and for reading exact values. */
  function numbersTable(caption, columns, rows) {
    return el('details', { class: 'numbers' }, [
      el('summary', { text: 'The numbers' }),
      el('table', {}, [
        el('caption', { text: caption }),
        el('thead', {}, [el('tr', {}, columns.map(function (c) { return el('th', { scope: 'col', text: c }); }))]),
        el('tbody', {}, rows.map(function (r) { return el('tr', {}, r.map(function (v) { return el('td', { text: typeof v === 'number' ? format(v) : String(v) }); })); })),
      ]),
    ]);
  }

  function drawActiveVolunteers(year) {
    var name = 'ActiveVolunteersByRegion';
    var f = figure('active-volunteers', 'Active volunteers by region and age band, ' + year,
      'Volunteers with at least one approved hour record in the region in the year; age on 31 December. Tiles placed roughly as on the map.', name, { year: year });
    return run(name, { year: year }).then(function (data) {
      var regions = {};
      data.activeVolunteersByRegion.forEach(function (row) {
        var r = regions[row.region.code] || (regions[row.region.code] = { region: row.region, bands: {}, total: 0 });
        r.bands[row.ageBand] = row.volunteers;
        r.total += row.volunteers;
      });
      var max = Math.max.apply(null, Object.keys(regions).map(function (c) { return regions[c].total; }).concat([1]));
      var grid = el('ul', { class: 'tiles', 'aria-label': 'Regions' });
      Object.keys(regions).forEach(function (code) {
        var r = regions[code];
        var place = TILES[code] || [7, 5];
        var described = AGE_BANDS.filter(function (b) { return r.bands[b]; }).map(function (b) { return AGE_LABELS[b] + ': ' + r.bands[b]; }).join(', ');
        var bar = el('div', { class: 'tile-bar', 'aria-hidden': 'true' }, AGE_BANDS.filter(function (b) { return r.bands[b]; }).map(function (b) {
          return el('span', { class: 'band', 'data-band': b, style: 'width:' + (100 * r.bands[b] / max).toFixed(2) + '%;background:' + PALETTE[AGE_BANDS.indexOf(b)] });
        }));
        grid.appendChild(el('li', {
          class: 'tile', 'data-region': code, tabindex: '0',
          style: 'grid-column:' + place[0] + ';grid-row:' + place[1],
          'aria-label': r.region.nameEn + ': ' + r.total + ' active volunteers' + (described ? ' (' + described + ')' : ''),
        }, [el('span', { class: 'tile-name', text: r.region.nameEn }), el('span', { class: 'tile-total', text: String(r.total) }), bar]));
      });
      var legend = el('ul', { class: 'legend', 'aria-label': 'Age bands' }, AGE_BANDS.map(function (b, i) {
        return el('li', {}, [el('span', { class: 'swatch', style: 'background:' + PALETTE[i] }), AGE_LABELS[b]]);
      }));
      f.body.replaceChildren(grid, legend, numbersTable('Active volunteers by region and age band', ['region'].concat(AGE_BANDS.map(function (b) { return AGE_LABELS[b]; })).concat(['total']),
        Object.keys(regions).map(function (c) { var r = regions[c]; return [r.region.nameEn].concat(AGE_BANDS.map(function (b) { return r.bands[b] || 0; })).concat([r.total]); })));
      f.done();
    }).catch(f.fail);
  }

  function drawApprovedHours(year) {
    var name = 'ApprovedHoursByMonth';
    var f = figure('approved-hours', 'Approved hours per month, against ILO-comparable hours, ' + year,
      'All regions. ILO-comparable hours leave out work with an education requirement or during paid work time.', name, { year: year });
    return run(name, { year: year }).then(function (data) {
      var hours = MONTHS.map(function () { return 0; });
      var ilo = MONTHS.map(function () { return 0; });
      data.regions.forEach(function (region) {
        MONTHS.forEach(function (_m, i) {
          var month = region['m' + String(i + 1).padStart(2, '0')];
          hours[i] += month.hours;
          ilo[i] += month.iloHours;
        });
      });
      chart(f.body, {
        xAxis: { type: 'category', data: MONTHS },
        yAxis: { type: 'value', name: 'hours' },
        series: [{ name: 'approved hours', type: 'bar', data: hours }, { name: 'ILO-comparable hours', type: 'line', data: ilo, symbolSize: 8 }],
      }, 'Approved hours and ILO-comparable hours per month of ' + year);
      f.body.appendChild(numbersTable('Hours per month', ['month', 'approved hours', 'ILO-comparable hours'], MONTHS.map(function (m, i) { return [m, hours[i], ilo[i]]; })));
      f.done();
    }).catch(f.fail);
  }

  function drawDonations(year) {
    var name = 'DonationsByMonth';
    var variables = { from: year + '-01-01', to: year + '-12-31', first: 100 };
    var f = figure('donations', 'Donations by month and currency, in KZT, ' + year,
      'Each donation in KZT at the official rate of its day, stacked by the currency it was given in.', name, variables);
    var nodes = [];
    function page(after, pages) {
      return run(name, Object.assign({}, variables, after ? { after: after } : {})).then(function (data) {
        nodes = nodes.concat(data.donations.nodes);
        if (data.donations.pageInfo.hasNextPage && pages < 50) return page(data.donations.pageInfo.endCursor, pages + 1);
        return data.donations.pageInfo.hasNextPage;
      });
    }
    return page(null, 1).then(function (truncated) {
      var byCurrency = {};
      nodes.forEach(function (d) {
        var currency = d.amount.currency;
        var months = byCurrency[currency] || (byCurrency[currency] = MONTHS.map(function () { return 0; }));
        months[Number(d.date.slice(5, 7)) - 1] += number(d.amountKzt.amount);
      });
      var currencies = Object.keys(byCurrency).sort();
      chart(f.body, {
        tooltip: { trigger: 'axis', valueFormatter: function (v) { return format(v) + ' KZT'; } },
        xAxis: { type: 'category', data: MONTHS },
        yAxis: { type: 'value', name: 'KZT' },
        series: currencies.map(function (c) { return { name: c, type: 'bar', stack: 'kzt', data: byCurrency[c] }; }),
      }, 'Donations per month of ' + year + ' in KZT, by currency given: ' + currencies.join(', '));
      if (truncated) f.body.appendChild(el('p', { class: 'hint', text: 'Drawn from the first ' + nodes.length + ' donations of the year.' }));
      f.body.appendChild(numbersTable('Donations in KZT per month and currency', ['month'].concat(currencies), MONTHS.map(function (m, i) { return [m].concat(currencies.map(function (c) { return byCurrency[c][i]; })); })));
      f.done();
    }).catch(f.fail);
  }

  function drawCampaigns() {
    var name = 'CampaignProgress';
    var f = figure('campaigns', 'Campaign progress against goal', 'Money raised by each fundraising campaign, against its goal (in the goal\u2019s currency).', name, {});
    return run(name, {}).then(function (data) {
      var campaigns = data.campaigns.nodes;
      if (!campaigns.length) { f.body.replaceChildren(el('p', { class: 'hint', text: 'No campaigns.' })); return f.done(); }
      var labels = campaigns.map(function (c) { return c.title.length > 40 ? c.title.slice(0, 39) + '…' : c.title; });
      chart(f.body, {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 16, right: 56, top: 24, bottom: 56, containLabel: true },
        xAxis: { type: 'value', name: campaigns[0].goal.currency },
        yAxis: { type: 'category', data: labels },
        series: [
          { name: 'goal', type: 'bar', barGap: '-100%', data: campaigns.map(function (c) { return number(c.goal.amount); }), itemStyle: { color: '#d0d7de' } },
          {
            name: 'raised', type: 'bar', data: campaigns.map(function (c) { return number(c.raised.amount); }), itemStyle: { color: PALETTE[2] },
            label: { show: true, position: 'right', color: '#1f2328', formatter: function (p) { var c = campaigns[p.dataIndex]; return Math.round(100 * number(c.raised.amount) / number(c.goal.amount)) + '%'; } },
          },
        ],
      }, 'Raised against goal: ' + campaigns.map(function (c) { return c.title + ' ' + Math.round(100 * number(c.raised.amount) / number(c.goal.amount)) + '%'; }).join('; '));
      f.body.appendChild(numbersTable('Campaigns', ['campaign', 'goal', 'raised', 'donations'], campaigns.map(function (c) { return [c.title, c.goal.amount + ' ' + c.goal.currency, c.raised.amount + ' ' + c.raised.currency, c.donationCount]; })));
      f.done();
    }).catch(f.fail);
  }

  function drawGrants() {
    var name = 'GrantTranches';
    var f = figure('grants', 'Grant tranches, planned against paid', 'Each grant on its line: tranches due (hollow) and disbursements paid (filled), sized by amount.', name, {});
    return run(name, {}).then(function (data) {
      var grants = data.grants.nodes;
      if (!grants.length) { f.body.replaceChildren(el('p', { class: 'hint', text: 'No grants.' })); return f.done(); }
      var labels = grants.map(function (g) { return g.title.length > 36 ? g.title.slice(0, 35) + '…' : g.title; });
      var max = 1;
      grants.forEach(function (g) {
        g.plannedDisbursements.forEach(function (p) { max = Math.max(max, number(p.amount.amount)); });
        (g.disbursements || []).forEach(function (d) { max = Math.max(max, number(d.amount.amount)); });
      });
      var size = function (amount) { return 10 + 20 * Math.sqrt(number(amount) / max); };
      var planned = [];
      var paid = [];
      grants.forEach(function (g, i) {
        g.plannedDisbursements.forEach(function (p) { planned.push({ value: [p.dueOn, i], amount: p.amount, symbolSize: size(p.amount.amount) }); });
        (g.disbursements || []).forEach(function (d) { paid.push({ value: [d.date, i], amount: d.amount, symbolSize: size(d.amount.amount) }); });
      });
      var times = planned.concat(paid).map(function (p) { return Date.parse(p.value[0]); });
      var month = 31 * 24 * 3600 * 1000;
      var tip = function (p) { return labels[p.value[1]] + '<br>' + p.seriesName + ' ' + p.value[0] + ': ' + p.data.amount.amount + ' ' + p.data.amount.currency; };
      chart(f.body, {
        tooltip: { trigger: 'item', formatter: tip },
        grid: { left: 16, right: 32, top: 24, bottom: 56, containLabel: true },
        xAxis: { type: 'time', min: Math.min.apply(null, times) - month, max: Math.max.apply(null, times) + month },
        yAxis: { type: 'category', data: labels },
        series: [
          { name: 'planned', type: 'scatter', data: planned, symbol: 'circle', itemStyle: { color: 'transparent', borderColor: PALETTE[0], borderWidth: 2 } },
          { name: 'paid', type: 'scatter', data: paid, symbol: 'circle', itemStyle: { color: PALETTE[5] } },
        ],
      }, 'Grant tranches: ' + planned.length + ' planned, ' + paid.length + ' paid');
      var rows = [];
      grants.forEach(function (g) {
        g.plannedDisbursements.forEach(function (p) { rows.push([g.title, 'planned', p.dueOn, p.amount.amount + ' ' + p.amount.currency]); });
        (g.disbursements || []).forEach(function (d) { rows.push([g.title, 'paid', d.date, d.amount.amount + ' ' + d.amount.currency]); });
      });
      f.body.appendChild(numbersTable('Tranches', ['grant', 'tranche', 'date', 'amount'], rows));
      f.done();
    }).catch(f.fail);
  }

  function drawFrontOffices() {
    var name = 'FrontOfficeCapacity';
    var f = figure('front-offices', 'Front-office capacity and trainings over time', 'All front-offices: staff and trainers at the end of each year (the latest record of each office), and people trained in the year.', name, {});
    return run(name, {}).then(function (data) {
      var years = {};
      data.frontOffices.forEach(function (o) {
        o.capacityHistory.nodes.forEach(function (c) { years[c.asOf.slice(0, 4)] = true; });
        o.trainings.nodes.forEach(function (t) { years[t.date.slice(0, 4)] = true; });
      });
      var list = Object.keys(years).sort();
      if (list.length) for (var y = Number(list[0]); y <= Number(list[list.length - 1]); y++) years[String(y)] = true;
      list = Object.keys(years).sort();
      var staff = list.map(function () { return 0; });
      var trainers = list.map(function () { return 0; });
      var trained = list.map(function () { return 0; });
      data.frontOffices.forEach(function (o) {
        var history = o.capacityHistory.nodes.slice().sort(function (a, b) { return a.asOf < b.asOf ? -1 : 1; });
        list.forEach(function (year, i) {
          var latest = null;
          history.forEach(function (c) { if (c.asOf.slice(0, 4) <= year) latest = c; });
          if (latest) { staff[i] += latest.staff; trainers[i] += latest.trainers; }
        });
        o.trainings.nodes.forEach(function (t) { trained[list.indexOf(t.date.slice(0, 4))] += t.peopleTrained; });
      });
      chart(f.body, {
        xAxis: { type: 'category', data: list },
        yAxis: [{ type: 'value', name: 'staff' }, { type: 'value', name: 'people trained' }],
        series: [
          { name: 'staff', type: 'line', data: staff, symbolSize: 8 },
          { name: 'trainers', type: 'line', data: trainers, symbolSize: 8 },
          { name: 'people trained', type: 'bar', yAxisIndex: 1, data: trained, itemStyle: { opacity: 0.7 } },
        ],
      }, 'Front-office staff, trainers and people trained per year, ' + (list[0] || '') + '–' + (list[list.length - 1] || ''));
      f.body.appendChild(numbersTable('Front-offices per year', ['year', 'staff', 'trainers', 'people trained'], list.map(function (y, i) { return [y, staff[i], trainers[i], trained[i]]; })));
      f.done();
    }).catch(f.fail);
  }

  function drawMissions(year) {
    var name = 'MissionsByHostCountry';
    var f = figure('missions', 'Exchange missions by host country, ' + year, 'Missions starting in the year (not cancelled) and their participants (not withdrawn).', name, { year: year });
    return run(name, { year: year }).then(function (data) {
      var totals = data.cooperationTotals;
      var countries = totals ? totals.byHostCountry : [];
      if (!countries.length) { f.body.replaceChildren(el('p', { class: 'hint', text: 'No missions in ' + year + '.' })); return f.done(); }
      chart(f.body, {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'category', data: countries.map(function (c) { return c.countryName; }) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: 'missions', type: 'bar', data: countries.map(function (c) { return c.missions; }) },
          { name: 'participants', type: 'bar', data: countries.map(function (c) { return c.participants; }) },
        ],
      }, 'Missions and participants by host country: ' + countries.map(function (c) { return c.countryName + ' ' + c.missions + ' missions, ' + c.participants + ' participants'; }).join('; '));
      f.body.appendChild(numbersTable('Missions by host country', ['country', 'missions', 'participants'], countries.map(function (c) { return [c.countryName, c.missions, c.participants]; })));
      f.done();
    }).catch(f.fail);
  }

  function drawRoadmap(year) {
    var name = 'RoadmapByRegion';
    var f = figure('roadmap', 'The roadmap by region, ' + year,
      'Each region against its targets for the year, per indicator: the actual, the share of the target achieved and the status (achieved, on track for the part of the year gone, or behind).', name, { year: year });
    return run(name, { year: year }).then(function (data) {
      var regions = data.roadmapProgressByRegion.slice().sort(function (a, b) {
        return (a.region ? a.region.nameEn : a.regionCode) < (b.region ? b.region.nameEn : b.regionCode) ? -1 : 1;
      });
      var indicators = [];
      var seen = {};
      regions.forEach(function (r) {
        r.progress.forEach(function (p) { if (!seen[p.indicator.key]) { seen[p.indicator.key] = true; indicators.push(p.indicator); } });
      });
      if (!regions.length || !indicators.length) { f.body.replaceChildren(el('p', { class: 'hint', text: 'No roadmap indicators in ' + year + '.' })); return f.done(); }
      var STATUS = { ACHIEVED: 'achieved', ON_TRACK: 'on track', BEHIND: 'behind' };
      var percent = function (share) { return share === null || share === undefined ? '—' : Math.round(100 * share) + '%'; };
      var table = el('table', { class: 'roadmap-grid' }, [
        el('caption', { text: 'Share of each target achieved, by region (rows) and indicator (columns), ' + year }),
        el('thead', {}, [el('tr', {}, [el('th', { scope: 'col', text: 'region' })].concat(indicators.map(function (i) {
          return el('th', { scope: 'col', 'data-indicator': i.key, title: i.nameEn + ' (' + i.unit + ')', text: i.nameEn });
        })))]),
        el('tbody', {}, regions.map(function (r) {
          var byKey = {};
          r.progress.forEach(function (p) { byKey[p.indicator.key] = p; });
          return el('tr', { 'data-region': r.regionCode }, [el('th', { scope: 'row', text: r.region ? r.region.nameEn : r.regionCode })].concat(indicators.map(function (i) {
            var p = byKey[i.key];
            if (!p) return el('td', { 'data-indicator': i.key, class: 'cell-none', text: '—' });
            var label = format(number(p.actual)) + (p.target === null ? ' (no target)' : ' of ' + format(number(p.target)));
            return el('td', {
              'data-indicator': i.key, 'data-status': p.status, 'data-target': p.target === null ? '' : String(p.target), 'data-actual': String(p.actual),
              'data-share': p.share === null ? '' : String(p.share), class: 'cell-' + p.status.toLowerCase(),
              title: i.nameEn + ': ' + label + ', ' + STATUS[p.status],
            }, [el('span', { class: 'cell-share', text: percent(p.share) }), el('span', { class: 'cell-status', text: STATUS[p.status] })]);
          })));
        })),
      ]);
      var legend = el('ul', { class: 'legend', 'aria-label': 'Statuses' }, ['ACHIEVED', 'ON_TRACK', 'BEHIND'].map(function (s) {
        return el('li', {}, [el('span', { class: 'swatch cell-' + s.toLowerCase() }), STATUS[s]]);
      }));
      var rows = [];
      regions.forEach(function (r) {
        r.progress.forEach(function (p) { rows.push([r.region ? r.region.nameEn : r.regionCode, p.indicator.nameEn, p.target === null ? '—' : number(p.target), number(p.actual), percent(p.share), STATUS[p.status]]); });
      });
      f.body.replaceChildren(el('div', { class: 'roadmap-scroll' }, [table]), legend, numbersTable('Targets against actuals', ['region', 'indicator', 'target', 'actual', 'share', 'status'], rows));
      f.done();
    }).catch(f.fail);
  }

  function drawAll() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    main.replaceChildren();
    var year = Number(yearSelect.value);
    main.setAttribute('data-year', String(year));
    return Promise.all([
      drawActiveVolunteers(year),
      drawApprovedHours(year),
      drawDonations(year),
      drawCampaigns(),
      drawGrants(),
      drawFrontOffices(),
      drawMissions(year),
      drawRoadmap(year),
    ]).then(function () { main.setAttribute('data-state', 'drawn'); });
  }

  // The year: ?year= (a shared link), else this one; the list offers the last six.
  var thisYear = new Date().getFullYear();
  var asked = Number(new URLSearchParams(window.location.search).get('year'));
  var years = [];
  for (var y = thisYear; y >= thisYear - 5; y--) years.push(y);
  if (Number.isInteger(asked) && asked >= 2000 && asked <= 2100 && years.indexOf(asked) < 0) years.push(asked);
  years.sort(function (a, b) { return b - a; }).forEach(function (year) { yearSelect.appendChild(el('option', { value: String(year), text: String(year) })); });
  if (years.indexOf(asked) >= 0) yearSelect.value = String(asked);
  yearSelect.addEventListener('change', drawAll);
  document.getElementById('controls').addEventListener('submit', function (event) { event.preventDefault(); });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener('storage', function (event) { if (event.key === HEADERS_KEY) { showWho(); drawAll(); } });

  showWho();
  fetch(config.operationsPath, { headers: { accept: 'application/json' } })
    .then(function (response) { return response.json(); })
    .then(function (payload) { operations = payload.operations || {}; return drawAll(); })
    .catch(function (error) { main.replaceChildren(el('p', { class: 'error', role: 'alert', text: 'The dashboards could not load their operations: ' + error.message })); });
})();
