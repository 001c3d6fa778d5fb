/* 湖北地标品牌地图 — the public page (maps/public_page.py): the map, the filtered products
 * and a product's card, from static files, with no Streamlit behind it.
 *
 * The page reads the explorer's own link parameters.  It knows no filter by name: the data
 * file lists the filter fields in the explorer's order, each with how its URL value is
 * read (`kind`, its keys, aliases, patterns: FilterField.browser_spec) and per product
 * the values that value is tested against (`facets`: FilterField.facet).  A product is
 * shown when it passes every active field, as landmarks.query.filters.apply_filter
 * decides.  `product` opens that product's card, `county` selects a county.
 *
 * The DOM tests and the load script wait on: #map_div (the Leaflet map, window.map_div),
 * #gi-public-list with one [data-product] item per product shown, #gi-public-card
 * (filled when a product is chosen; data-product names it), and the body's
 * data-gi-public (ready / problem).
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('gi-public-config').textContent);
  var escapeHtml = GiMap.escapeHtml;
  var params = new URLSearchParams(window.location.search);
  var texts = {};
  var state = {data: null, shown: [], chosen: null, county: null, layer: null, map: null};

  function say(key, values) {
    return String(texts[key] || '').replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  // ------------------------------------------------------------ reading the link

  // As landmarks/query/urlparams.py: NFKC, trimmed; lists repeated or comma-joined.
  function norm(value) {
    return String(value).normalize('NFKC').trim();
  }
  function rawValues(key) {
    return params.getAll(key).map(norm);
  }
  function lastValue(key) {
    var values = rawValues(key);
    return values.length ? values[values.length - 1] : '';
  }
  function listValues(key, separator) {
    var found = [];
    rawValues(key).forEach(function (item) {
      item.split(separator || ',').forEach(function (part) {
        part = part.trim();
        if (part && found.indexOf(part) < 0) found.push(part);
      });
    });
    return found;
  }

  // Each kind of field (FilterField.widget): read its value from the link (null: not
  // active) and test one product's facet against it.
  var KINDS = {
    search: {
      read: function (field) {
        var query = rawValues(field.key).join(' ').trim();
        if (!query || Array.from(query).length > field.max) return null;
        var needle = norm(query).replace(new RegExp(field.ignored, 'g'), '').toLowerCase();
        return needle ? {query: query, needle: needle} : null;
      },
      test: function (value, facet) { return facet.indexOf(value.needle) >= 0; },
    },
    multiselect: {
      read: function (field, chosen) {
        var parent = field.within ? (chosen[field.within] || {values: []}).values : [];
        var values = [];
        listValues(field.key, field.separator).forEach(function (text) {
          var value = resolve(field.aliases, text);
          if (value === null) return;
          if (parent.length && parent.indexOf(field.parents[value]) < 0) return;
          if (values.indexOf(value) < 0) values.push(value);
        });
        return values.length ? {values: values} : null;
      },
      test: function (value, facet) {
        return facet.some(function (item) { return value.values.indexOf(item) >= 0; });
      },
    },
    years: {
      read: function (field) {
        var text = lastValue(field.key);
        var match = text && new RegExp('^(?:' + field.pattern + ')$').exec(text);
        if (!match) return null;
        var start = Number(match[1]);
        var end = Number(match[2] || match[1]);
        if (start < field.min || start > field.max || end < field.min || end > field.max
          || start > end) return null;
        if (field.bounds) { // fitted to the data's years (filters.fit_years)
          start = Math.max(start, field.bounds[0]);
          end = Math.min(end, field.bounds[1]);
          if (start > end || (start === field.bounds[0] && end === field.bounds[1])) return null;
        }
        var undated = field.truthy.indexOf(lastValue(field.undated_key).toLowerCase()) >= 0;
        return {start: start, end: end, undated: undated};
      },
      test: function (value, year) {
        if (year === null || year === undefined) return value.undated;
        return year >= value.start && year <= value.end;
      },
    },
    checkbox: {
      read: function (field) {
        var values = listValues(field.key).map(function (v) { return v.toLowerCase(); });
        var last = values.length ? values[values.length - 1] : '';
        return field.truthy.indexOf(last) >= 0 ? {on: true} : null;
      },
      test: function (value, flag) { return Boolean(flag); },
    },
  };

  function resolve(aliases, text) {
    if (Object.prototype.hasOwnProperty.call(aliases, text)) return aliases[text];
    var lower = text.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(aliases, lower)) return aliases[lower];
    return null;
  }

  // The active fields' values, keyed by URL key (a narrowing field reads its parent's).
  function readFilters(fields) {
    var chosen = {};
    fields.forEach(function (field) {
      var value = KINDS[field.kind].read(field, chosen);
      if (value !== null) chosen[field.key] = value;
    });
    return chosen;
  }

  function matching(fields, chosen, count) {
    var shown = [];
    for (var i = 0; i < count; i += 1) {
      var passes = fields.every(function (field) {
        var value = chosen[field.key];
        return value === undefined || KINDS[field.kind].test(value, field.facets[i]);
      });
      if (passes) shown.push(i);
    }
    return shown;
  }

  // The view in words, as landmarks.query.share.view_subtitle says it.
  function describe(fields, chosen) {
    var parts = [];
    fields.forEach(function (field) {
      var value = chosen[field.key];
      if (value === undefined) return;
      if (field.kind === 'search') {
        parts.push(say('query', {query: value.query}));
      } else if (field.kind === 'multiselect') {
        var values = value.values;
        if (field.ordered) {
          values = Object.keys(field.words).filter(function (v) { return values.indexOf(v) >= 0; });
        }
        var words = values.map(function (v) { return field.words[v] || v; });
        parts.push(say('pair', {label: field.label, values: words.join(say('join'))}));
      } else if (field.kind === 'years') {
        var span = value.undated ? say('undated', {start: value.start, end: value.end})
          : value.start + '–' + value.end;
        parts.push(say('pair', {label: field.label, values: span}));
      } else if (field.kind === 'checkbox') {
        parts.push(field.meaning);
      }
    });
    var text = [parts.length ? parts.join(say('separator')) : say('all')];
    if (state.chosen !== null) {
      text.push(say('product', {product: productName(state.chosen)}));
    } else if (state.county) {
      text.push(say('county', {county: state.data.public.counties[state.county]}));
    }
    return text.join(say('separator'));
  }

  // ------------------------------------------------------------ products and cards

  function fields() { return state.data.public.filters; }
  function products() { return state.data.products; }
  function field(name) { return products().fields.indexOf(name); }
  function productName(position) { return products().rows[position][field('name')]; }

  function positionOf(name) {
    var index = field('name');
    var rows = products().rows;
    for (var i = 0; i < rows.length; i += 1) if (rows[i][index] === name) return i;
    return null;
  }

  function countyOf(text) {
    var counties = state.data.public.counties;
    if (Object.prototype.hasOwnProperty.call(counties, text)) return text;
    var found = Object.keys(counties).filter(function (code) { return counties[code] === text; });
    return found.length ? found[0] : null;
  }

  function renderList() {
    var list = document.getElementById('gi-public-list');
    var rows = products().rows;
    var chains = products().chains;
    var html = state.shown.map(function (position) {
      var row = rows[position];
      var chain = chains[row[field('chain')]] || ['', '#888'];
      var name = row[field('name')];
      return '<li data-product="' + escapeHtml(name) + '"><button type="button">'
        + '<i style="background:' + escapeHtml(chain[1]) + '"></i>'
        + '<b>' + escapeHtml(name) + '</b>'
        + '<span>' + escapeHtml(row[field('place')]) + ' · ' + escapeHtml(chain[0]) + '</span>'
        + '</button></li>';
    });
    list.innerHTML = html.join('');
    document.getElementById('gi-public-count').textContent = state.shown.length
      ? say('count', {shown: state.shown.length, total: rows.length}) : say('none');
  }

  function line(label, value) {
    return '<li><b>' + escapeHtml(say('colon', {label: label})) + '</b>' + value + '</li>';
  }

  function cardHtml(position) {
    var card = state.data.public.cards[position];
    var name = productName(position);
    var html = ['<div class="gi-public-card-head"><h2>'
      + escapeHtml(say('cardTitle', {name: card.family})) + '</h2>'
      + '<button type="button" class="gi-public-close" aria-label="' + escapeHtml(say('close'))
      + '" title="' + escapeHtml(say('close')) + '">×</button></div>'];
    if (name !== card.family) {
      html.push('<p class="gi-public-note">'
        + escapeHtml(say('member', {name: name, family: card.family})) + '</p>');
    }
    var chain = escapeHtml(card.chain) + (card.caveat ? ' ⚠ ' + escapeHtml(card.caveat) : '');
    var year = card.year === null ? say('unknownYear') : String(card.year);
    html.push('<ul class="gi-public-facts">',
      line(say('category'), escapeHtml(card.category)),
      line(say('types'), escapeHtml(card.types.join(say('separator')))),
      line(say('chain'), chain),
      line(say('place'), escapeHtml(card.place)),
      line(say('year'), escapeHtml(year)),
      line(say('confidence'), escapeHtml(card.confidence)),
      line(say('precision'), escapeHtml(card.precision) + (card.sketch ? escapeHtml(say('sketch')) : '')),
      line(say('sourceType'), escapeHtml(card.sourceType)),
      '</ul>');
    if (state.shown.indexOf(position) < 0) {
      html.push('<p class="gi-public-note">' + escapeHtml(say('notShown')) + '</p>');
    }
    if (card.sources.length) {
      var sources = say('colon', {label: say('sources')});
      html.push('<p><b>' + escapeHtml(sources) + '</b>' + card.sources.map(function (s) {
        return '<a href="' + escapeHtml(s[1]) + '" target="_blank" rel="noopener noreferrer">'
          + escapeHtml(s[0]) + '</a>';
      }).join(' · ') + '</p>');
    } else {
      html.push('<p class="gi-public-note">' + escapeHtml(say('noSources')) + '</p>');
    }
    if (card.zones.length) {
      html.push('<p><b>' + escapeHtml(say('colon', {label: say('zones')})) + '</b>'
        + escapeHtml(card.zones.join(say('join'))) + '</p>');
    }
    if (card.outputs.length) {
      html.push('<p><b>' + escapeHtml(say('outputs')) + '</b></p>');
      if (card.outputs.some(function (o) { return o.demo; })) {
        html.push('<p class="gi-public-demo-note">' + escapeHtml(say('demoWarning')) + '</p>');
      }
      html.push('<ul class="gi-public-outputs">' + card.outputs.map(function (o) {
        var parts = [o.year, o.kind, o.metric, o.value].filter(Boolean).map(escapeHtml);
        var demo = o.demo ? ' <span class="gi-public-demo">' + escapeHtml(o.demo) + '</span>' : '';
        var source = o.source ? ' <a href="' + escapeHtml(o.source)
          + '" target="_blank" rel="noopener noreferrer">' + escapeHtml(say('sources')) + '</a>' : '';
        var scope = o.scope ? escapeHtml(say('scope', {scope: o.scope})) : '';
        return '<li>' + parts.join(' · ') + scope
          + demo + source + '</li>';
      }).join('') + '</ul>');
    }
    return html.join('');
  }

  function renderCard() {
    var box = document.getElementById('gi-public-card');
    if (state.chosen === null) {
      box.hidden = true;
      box.innerHTML = '';
      box.removeAttribute('data-product');
      return;
    }
    box.innerHTML = cardHtml(state.chosen);
    box.setAttribute('data-product', productName(state.chosen));
    box.hidden = false;
    box.querySelector('.gi-public-close').addEventListener('click', function () {
      choose(null, true);
    });
  }

  // ------------------------------------------------------------ the map

  function frameOf() {
    var rows = products().rows;
    var lat = field('lat');
    var lon = field('lon');
    var shown = state.chosen !== null ? [state.chosen] : state.shown;
    if (!shown.length || (state.chosen === null && shown.length === rows.length)) {
      return config.base.bounds;
    }
    var south = 90;
    var west = 180;
    var north = -90;
    var east = -180;
    shown.forEach(function (p) {
      south = Math.min(south, rows[p][lat]);
      north = Math.max(north, rows[p][lat]);
      west = Math.min(west, rows[p][lon]);
      east = Math.max(east, rows[p][lon]);
    });
    var pad = state.chosen !== null ? 0.3 : 0.15;
    return [[south - pad, west - pad], [north + pad, east + pad]];
  }

  function drawData() {
    var map = state.map;
    if (state.layer) map.removeLayer(state.layer);
    state.layer = L.featureGroup().addTo(map);
    var area = [];
    var county = state.county;
    if (state.chosen !== null) {
      var row = products().rows[state.chosen];
      var codes = row[field('area_adcodes')];
      area = codes ? String(codes).split(/\s+/).filter(Boolean) : []; // AREA_SEPARATOR
      county = state.data.public.cards[state.chosen].county || county;
    }
    GiMap.data(state.layer, {
      rows: config.data,
      products: state.shown,
      frame: frameOf(),
      selected: {county: county || null, area: area},
      sites: products().rows.length > 0 && state.data.sites.rows.length > 0,
      popups: true,
      open: state.chosen !== null && state.shown.indexOf(state.chosen) >= 0
        ? productName(state.chosen) : null,
    });
  }

  // ------------------------------------------------------------ the view

  function appLink() {
    var path = window.location.pathname;
    var at = path.indexOf('/app/static/');
    var base = at >= 0 ? path.slice(0, at) : path.replace(/\/p\/(index\.html)?$/, '');
    var query = params.toString();
    return base + '/explorer' + (query ? '?' + query : '');
  }

  function renderView() {
    document.getElementById('gi-public-view').textContent = describe(fields(), state.filters);
    document.getElementById('gi-public-app').setAttribute('href', appLink());
  }

  // A product chosen (null: none) from the list, a marker or the link.
  function choose(position, redraw) {
    state.chosen = position;
    var key = state.data.public.keys.product;
    if (position === null) params.delete(key); else params.set(key, productName(position));
    if (window.history && window.history.replaceState) {
      var query = params.toString();
      window.history.replaceState(null, '', window.location.pathname + (query ? '?' + query : ''));
    }
    renderCard();
    renderView();
    if (redraw) drawData();
    if (position !== null) {
      var card = document.getElementById('gi-public-card');
      if (card.scrollIntoView && window.innerWidth < 800) card.scrollIntoView({block: 'nearest'});
    }
  }

  function start(data) {
    state.data = data;
    texts = data.public.texts;
    GiMap.provide(config.data, data);
    state.filters = readFilters(fields());
    state.shown = matching(fields(), state.filters, products().rows.length);
    var keys = data.public.keys;
    var product = lastValue(keys.product);
    state.chosen = product ? positionOf(product) : null;
    var county = lastValue(keys.county);
    state.county = county ? countyOf(county) : null;
    renderList();
    renderCard();
    renderView();
    drawData();
    document.getElementById('gi-public-list').addEventListener('click', function (event) {
      var item = event.target.closest('[data-product]');
      if (item) choose(positionOf(item.getAttribute('data-product')), true);
    });
    state.map.on('popupopen', function (event) {
      var source = event.popup && event.popup._source;
      var name = source && source.options && source.options.giName;
      var position = name ? positionOf(name) : null;
      if (position !== null && position !== state.chosen) choose(position, false);
    });
    document.body.setAttribute('data-gi-public', 'ready');
  }

  var map = L.map('map_div', config.map);
  window.map_div = map;
  state.map = map;
  GiMap.base(map, config.base);
  GiMap.legend(map, {html: config.legend});
  if (config.inset) GiMap.inset(map, config.inset);
  L.control.scale({imperial: false, position: 'bottomright'}).addTo(map);
  fetch(config.data).then(function (response) {
    if (!response.ok) throw new Error(config.data + ': HTTP ' + response.status);
    return response.json();
  }).then(start).catch(function (error) {
    if (window.console) console.error('GiPublic:', error);
    document.body.setAttribute('data-gi-public', 'problem');
    var box = document.getElementById('gi-public-count');
    box.textContent = (config.base.text && config.base.text.problem) || String(error);
  });
})();
