/* 湖北地标品牌地图 — the map's browser side.
 *
 * The base geometry (counties, prefectures) is fetched once from content-hashed static
 * files; Streamlit reruns only swap the data layer (`GiMap.data`), whose arguments are
 * product positions, the selection (a county; the counties of a selected product's area)
 * and the frame.  A selection is drawn from the county polygons already loaded, in the
 * counties' own canvas and not interactive, so clicks still reach the counties under it.
 * The container exposes its state to tests: data-gi-ready, data-gi-products (number of
 * products shown, '' while loading) and data-gi-area (adcodes of the area drawn, '' for
 * none or while loading).  In 展示模式 (options.present) labels, markers and the legend
 * grow with the screen, and a data layer may carry a tour (GiMap.data's `tour`) that steps
 * through its steps in the browser: data-gi-tour-step, data-gi-tour-state (playing /
 * paused) tell tests where it is.  Clicks are reported to Python through
 * the component value as {gi_click: {kind, id, n}} — only clicks on a county's own area or
 * on a product marker; a cluster click only zooms.
 */
(function () {
  'use strict';

  var COUNTY_LABEL_ZOOM = 7.75;
  // Level of detail: a national map (GiMap.base given `provinces`) draws by zoom province
  // outlines with one aggregate per province, from PREFECTURE_ZOOM prefectures with one
  // per prefecture, and from COUNTY_LABEL_ZOOM counties with their single products
  // (clustered) and sites.  A province's map (Hubei) always draws counties.
  var PREFECTURE_ZOOM = 5.75;
  var LOD_MIN_ZOOM = 3; // the whole country fits a phone
  var SITE_MARGIN = 0.25; // sites drawn within the view grown by this share (national)
  var TINY_COUNTY_PX = 80; // a phone's county picked at province zoom is shown closer
  // Label font sizes and the width per character (px) by kind; scaled in 展示模式.
  var LABEL_SIZES = {province: {font: 14, char: 15, height: 20},
    prefecture: {font: 13, char: 14, height: 18},
    county: {font: 11.5, char: 12, height: 18}};
  var FIT_PADDING = [12, 12];
  var GiMap = (window.GiMap = window.GiMap || {});
  var files = {};
  var state = {
    map: null,
    counties: {}, // adcode -> county polygon layer
    countyLayer: null,
    ready: null, // promise: counties drawn
    labels: [],
    lastFrame: null, // the bounds last fitted, as JSON
    userMoved: false, // the user panned or zoomed since that fit
    clicks: 0,
    reportClicks: false,
    options: null,
    generation: 0, // counts data layers: work for a replaced layer is dropped
    fill: null, // choropleth: adcode -> fill style (GiMap.choropleth), null on other maps
    legend: null, // the choropleth's legend control, replaced with each layer
    scale: 1, // 展示模式: size of markers and text relative to the ordinary map
    labelSizes: LABEL_SIZES,
    tour: null, // the running tour (see startTour)
    lod: null, // national maps: {level, outlines: {province, prefecture}} (see lodLevel)
    countyBoxes: null, // adcode -> county bounds projected at zoom 0 (framing), once
    products: null, // the product layer kept across reruns: {key, layer, level, ...}
    sites: null, // the site markers kept across reruns: {data, markers, layer}
    card: null, // the county card drawn by the map on a click (gi-card)
    text: {}, // the page's texts in its language (options.text of GiMap.base)
  };

  // A text of the page (builders.map_texts), its {placeholders} filled from `values`.
  function say(key, values, texts) {
    var text = (texts || state.text || {})[key];
    if (text === undefined || text === null) return '';
    return String(text).replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  // A row's name as shown (`title`: the name with its pinyin in English), else its name.
  function titleOf(row, f) {
    return f.title !== undefined ? row[f.title] : row[f.name];
  }

  function load(url) {
    if (!files[url]) {
      files[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
        return response.json();
      });
      files[url].catch(function () {
        delete files[url]; // the next rerun tries again
      });
    }
    return files[url];
  }

  // A map that cannot load its data says so, instead of staying silently empty.
  function showProblem(error) {
    if (window.console) console.error('GiMap:', error);
    var container = state.map && state.map.getContainer();
    if (!container || container.querySelector('.gi-problem')) return;
    var box = L.DomUtil.create('div', 'gi-problem', container);
    box.textContent = say('problem');
    container.setAttribute('data-gi-problem', String(error));
  }

  // Data text as HTML text: markup escaped, and the invisible characters that reorder or
  // hide text (bidi overrides and isolates, zero-width spaces) left out, as
  // landmarks/data/visible.py does for the pages.
  var INVISIBLE = /[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
  function escapeHtml(text) {
    return String(text).replace(INVISIBLE, '').replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  // For pages outside Streamlit (the public page): the same escaping, and a file the
  // page has already fetched handed over, so that the map does not fetch it again.
  GiMap.escapeHtml = escapeHtml;
  GiMap.provide = function (url, data) {
    files[url] = Promise.resolve(data);
  };

  function report(kind, id) {
    if (!state.reportClicks || !window.Streamlit) return;
    state.clicks += 1;
    window.Streamlit.setComponentValue({gi_click: {kind: kind, id: id, n: state.clicks, t: Date.now()}});
  }

  function fieldIndex(fields) {
    var index = {};
    fields.forEach(function (name, i) { index[name] = i; });
    return index;
  }

  // ------------------------------------------------------------------ labels

  // A label's width in px: measured in the map's font where the browser can, else
  // estimated from its characters (wide CJK, narrower Latin).
  var measure = null;
  function textWidth(name, kind, size) {
    if (measure === null) {
      var canvas = document.createElement('canvas');
      measure = (canvas.getContext && canvas.getContext('2d')) || false;
    }
    var estimate = Array.from(name).reduce(function (sum, char) {
      return sum + (char.charCodeAt(0) >= 0x2e80 ? 1 : 0.6);
    }, 0) * size.char;
    if (!measure || !state.map) return estimate;
    var family = window.getComputedStyle(state.map.getContainer()).fontFamily || 'sans-serif';
    var bold = kind !== 'county' || state.scale !== 1;
    measure.font = (bold ? 'bold ' : '') + size.font + 'px ' + family;
    return measure.measureText(name).width;
  }

  function makeLabel(name, lat, lng, kind, rank) {
    var size = state.labelSizes[kind];
    var width = Math.ceil(textWidth(name, kind, size) + 8);
    var height = size.height;
    var marker = L.marker([lat, lng], {
      pane: 'giLabels',
      interactive: false,
      keyboard: false,
      icon: L.divIcon({
        className: 'gi-label gi-label-' + kind,
        html: '<span style="font-size:' + size.font + 'px">' + escapeHtml(name) + '</span>',
        iconSize: [width, height],
        iconAnchor: [width / 2, height / 2],
      }),
    });
    return {marker: marker, kind: kind, rank: rank, width: width, height: height,
      at: L.latLng(lat, lng), shown: false};
  }

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  var LABEL_MARGIN = 4; // px kept between a label and the map's edge

  // The level of detail drawn at `zoom`: always 'county' on a province's map; on a
  // national map (state.lod) provinces, then prefectures, then counties.
  function lodLevel(zoom) {
    if (!state.lod) return 'county';
    if (zoom >= COUNTY_LABEL_ZOOM) return 'county';
    return zoom >= PREFECTURE_ZOOM ? 'prefecture' : 'province';
  }

  // The labels' kind at `zoom`: the level's own on a national map (prefectures where no
  // province labels are loaded), else prefecture names at province zoom, counties closer.
  function labelKind(zoom) {
    if (zoom >= COUNTY_LABEL_ZOOM) return 'county';
    if (state.lod && lodLevel(zoom) === 'province' && state.lod.provinceLabels) return 'province';
    return 'prefecture';
  }

  // Prefecture names at province zoom, county names closer in; a label that would
  // overlap one already placed (larger areas first) is left out.  A label whose area's
  // label point is in view but whose text would cross the map's edge (a long English
  // name) is moved in along that edge; one wider than the map is left out.
  function placeLabels() {
    var map = state.map;
    if (!map) return;
    var kind = labelKind(map.getZoom());
    var size = map.getSize();
    var placed = [];
    state.labels.forEach(function (label) {
      var show = false;
      if (label.kind !== kind && !label.shown) return; // the other levels' (thousands)
      var p = map.latLngToContainerPoint(label.at);
      if (label.kind === kind) {
        var inView = p.x >= 0 && p.x <= size.x && p.y >= 0 && p.y <= size.y;
        var fits = label.width + 2 * LABEL_MARGIN <= size.x
          && label.height + 2 * LABEL_MARGIN <= size.y;
        var half = [label.width / 2, label.height / 2];
        p = L.point(
          Math.min(Math.max(p.x, half[0] + LABEL_MARGIN), size.x - half[0] - LABEL_MARGIN),
          Math.min(Math.max(p.y, half[1] + LABEL_MARGIN), size.y - half[1] - LABEL_MARGIN));
        var box = [p.x - half[0], p.y - half[1], p.x + half[0], p.y + half[1]];
        show = inView && fits && !placed.some(function (other) { return overlaps(box, other); });
        if (show) placed.push(box);
      }
      if (show) label.marker.setLatLng(map.containerPointToLatLng(p));
      if (show && !label.shown) label.marker.addTo(map);
      if (!show && label.shown) label.marker.remove();
      label.shown = show;
    });
  }

  function addLabels(features, kind) {
    features.forEach(function (feature) {
      var p = feature.properties;
      state.labels.push(makeLabel(p.label || p.name, p.label_lat, p.label_lon, kind, p.rank));
    });
    state.labels.sort(function (a, b) { return a.rank - b.rank; });
    placeLabels();
  }

  // ------------------------------------------------------------------ base map

  // 展示模式: read from a few metres away.  Sizes grow with the screen beyond 1920 px
  // wide (a 4K screen at 100 %), never below the 1920×1080 design.
  function presentSizes(container) {
    var scale = Math.max(1, (window.innerWidth || 1920) / 1920);
    var font = function (px) { return Math.round(px * scale); };
    state.scale = 1.4 * scale;
    state.labelSizes = {
      province: {font: font(24), char: font(24) * 1.08, height: Math.round(font(24) * 1.45)},
      prefecture: {font: font(22), char: font(22) * 1.08, height: Math.round(font(22) * 1.45)},
      county: {font: font(18), char: font(18) * 1.08, height: Math.round(font(18) * 1.45)},
    };
    container.classList.add('gi-present');
    container.style.setProperty('--gi-scale', String(scale));
  }

  function scaled(style) {
    if (state.scale === 1) return style;
    var out = Object.assign({}, style);
    ['radius', 'weight'].forEach(function (key) {
      if (out[key]) out[key] = Math.round(out[key] * state.scale * 10) / 10;
    });
    return out;
  }

  GiMap.base = function (map, options) {
    state.map = map;
    state.options = options;
    state.text = options.text || {};
    state.reportClicks = !!options.reportClicks;
    var pane = map.createPane('giLabels');
    pane.style.zIndex = 450;
    pane.style.pointerEvents = 'none';
    // The map fills its iframe, whose height the page sets; the size settles after the
    // first draw (style sheets, scroll bars), so Leaflet re-measures on every change and
    // fits the frame again as long as the user has not moved the map since.
    var container = map.getContainer();
    if (options.present) presentSizes(container);
    fullscreenControl(map, !!options.present).addTo(map);
    // A page that lays the map out itself (the public page) says `fill: false`.
    if (options.fill !== false) container.style.setProperty('height', '100vh', 'important');
    map.invalidateSize(false);
    if (options.provinces) {
      // A national map: drawn by level of detail, and zoomed out far enough for the country.
      state.lod = {level: null, places: {province: {}, prefecture: {}}, provinceLabels: false};
      map.setMinZoom(Math.min(map.getMinZoom(), LOD_MIN_ZOOM));
    }
    fitTo(map, options.bounds, false);
    // Input on the map moves it; opening the legend or using the tour card does not.
    ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (type) {
      container.addEventListener(type, function (event) {
        var target = event.target;
        if (target && target.closest && target.closest('.gi-legend, .gi-tour')) return;
        state.userMoved = true;
      }, true);
    });
    map.on('resize', function () {
      if (state.lastFrame && !state.userMoved) fitTo(map, JSON.parse(state.lastFrame), false);
    });
    refitOnControls(map);
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(false); }).observe(container);
    }

    var zones = options.zones || {};
    var styles = options.styles;
    function ownStyle(feature) {
      var code = feature.properties.adcode;
      if (state.fill) return state.fill[code] || styles.county;
      return zones[code] ? styles.zone : styles.county;
    }
    // Above county level (a national map zoomed out) counties are filled, not outlined:
    // thousands of outlines would be a grey mesh, and the outlines drawn are the level's.
    function countyStyle(feature) {
      var style = ownStyle(feature);
      if (!state.lod) return style;
      // (setStyle merges: the stroke is said either way.)
      var outlined = state.lod.level === 'county' || state.lod.level === null;
      return Object.assign({}, style, {stroke: outlined});
    }
    state.countyStyle = countyStyle;
    var countyLayer = L.geoJSON(null, {
      style: countyStyle,
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        var tip = '<b>' + escapeHtml(p.label || p.name) + '</b> · '
          + escapeHtml(p.prefecture_label || p.prefecture);
        if (zones[p.adcode]) tip += '<br>' + escapeHtml(say('zone', {names: zones[p.adcode]}));
        layer.bindTooltip(tip, {sticky: true, direction: 'top'});
        layer.on('mouseover', function () {
          // A filled county keeps its class colour: only the outline shows the hover.
          layer.setStyle(state.fill ? {weight: styles.hover.weight, color: styles.hover.color}
            : styles.hover);
        });
        layer.on('mouseout', function () { countyLayer.resetStyle(layer); });
        layer.on('click', function () {
          var picking = pickingCounties() && state.reportClicks && tinyOnScreen(layer);
          report('county', p.adcode);
          // The county's card at once, from what the map holds; the page's card follows
          // with the rerun the click starts.
          if (state.reportClicks) showCountyCard(p);
          // A phone at province zoom: the county picked is shown closer, with its products
          // (a county already drawn large, in a framed area, keeps the view).
          if (picking) map.fitBounds(layer.getBounds(), {padding: FIT_PADDING, maxZoom: 11});
        });
        state.counties[p.adcode] = layer;
        state.countyBoxes = null; // projected again when next framing
      },
    }).addTo(map);
    state.countyLayer = countyLayer;
    var outlines = L.geoJSON(null, {
      style: styles.prefecture,
      interactive: false,
      onEachFeature: function (feature, layer) { remember('prefecture', feature, layer); },
    }).addTo(map);

    state.labels = [];
    state.countyBoxes = null;
    state.ready = load(options.counties).then(function (data) {
      countyLayer.addData(data);
      outlines.bringToFront();
      addLabels(data.features, 'county');
      return data;
    }).catch(showProblem);
    var prefectures = load(options.prefectures).then(function (data) {
      outlines.addData(data);
      addLabels(data.features, 'prefecture');
    });
    var loaded = [state.ready, prefectures];
    if (state.lod) {
      var provinceStyle = Object.assign({}, styles.prefecture,
        {weight: (styles.prefecture.weight || 1.8) * 1.2});
      var provinces = L.geoJSON(null, {
        style: provinceStyle,
        interactive: false,
        onEachFeature: function (feature, layer) { remember('province', feature, layer); },
      });
      state.lod.outlines = {province: provinces, prefecture: outlines};
      loaded.push(load(options.provinces).then(function (data) {
        provinces.addData(data);
        state.lod.provinceLabels = true;
        addLabels(data.features, 'province');
      }));
    }
    Promise.all(loaded).then(function () {
      applyLod();
      map.getContainer().setAttribute('data-gi-ready', '1');
    }).catch(showProblem);
    map.on('zoomend', applyLod);
    map.on('moveend', updateSites);
    map.on('zoomend moveend', placeLabels);
    map.on('zoomend resize', markPicking);
    markPicking();
  };

  // A small map (a phone) at province zoom picks counties: clusters would cover most of
  // its counties, so they let taps through to the county under them (the container's
  // class gi-pick-counties, see gi_map.css) and are drawn smaller.  Closer in, a cluster
  // tap zooms as everywhere else.
  var SMALL_MAP = 420; // px wide: a phone (a 1280×720 screen's map is wider)

  function smallMap() {
    return !!state.map && state.map.getSize().x < SMALL_MAP;
  }

  function pickingCounties() {
    return smallMap() && state.map.getZoom() < COUNTY_LABEL_ZOOM;
  }

  // A county drawn smaller than a fingertip's reach on all sides (px).
  function tinyOnScreen(layer) {
    var b = layer.getBounds();
    var a = state.map.latLngToContainerPoint(b.getNorthWest());
    var c = state.map.latLngToContainerPoint(b.getSouthEast());
    return Math.max(Math.abs(c.x - a.x), Math.abs(c.y - a.y)) < TINY_COUNTY_PX;
  }

  function markPicking() {
    state.map.getContainer().classList.toggle('gi-pick-counties', pickingCounties());
  }

  // ------------------------------------------------------------------ level of detail

  // A province's or prefecture's place (national maps): where its aggregate stands (its
  // label point), its bounds (an aggregate's click zooms there) and its name.
  function remember(kind, feature, layer) {
    if (!state.lod) return;
    var p = feature.properties;
    state.lod.places[kind][p.adcode] = {
      at: L.latLng(p.label_lat, p.label_lon), bounds: layer.getBounds(), name: p.label || p.name,
    };
  }

  // Draws what the zoom's level shows (national maps): its outlines, counties filled
  // only above county level, and the products and sites of that level.  The container
  // says the level (data-gi-lod), 'county' on a province's map.
  function applyLod() {
    var map = state.map;
    var level = lodLevel(map.getZoom());
    map.getContainer().setAttribute('data-gi-lod', level);
    if (!state.lod || level === state.lod.level) return;
    var was = state.lod.level;
    state.lod.level = level;
    var outlines = state.lod.outlines;
    if (outlines) {
      var province = level === 'province';
      if (province !== map.hasLayer(outlines.province)) {
        if (province) outlines.province.addTo(map); else outlines.province.remove();
      }
      if (province === map.hasLayer(outlines.prefecture)) {
        if (province) outlines.prefecture.remove(); else outlines.prefecture.addTo(map);
      }
    }
    if (was === 'county' || level === 'county' || was === null) {
      state.countyLayer.setStyle(state.countyStyle); // outlined at county level only
    }
    drawProducts();
    updateSites();
  }

  // A ring of chain colours (counts: colour -> products) with the number in it: the
  // clusters' and the aggregates' icon.
  function ringIcon(counts, total, className, anchorBelow) {
    var stops = [];
    var start = 0;
    Object.keys(counts).forEach(function (c) {
      var end = start + (counts[c] / total) * 360;
      stops.push(c + ' ' + start + 'deg ' + end + 'deg');
      start = end;
    });
    var sizes = smallMap() ? [26, 30, 34] : [34, 42, 50];
    var size = Math.round(
      (total < 10 ? sizes[0] : total < 50 ? sizes[1] : sizes[2]) * state.scale);
    return L.divIcon({
      html: '<div class="gi-ring" style="width:' + size + 'px;height:' + size + 'px;'
        + 'background:conic-gradient(' + stops.join(',') + ')"><span>'
        + total + '</span></div>',
      className: className + (smallMap() ? ' gi-cluster-small' : ''),
      iconSize: L.point(size, size),
      // An aggregate stands just below its place's label, which stays readable.
      iconAnchor: anchorBelow ? L.point(size / 2, -anchorBelow) : undefined,
    });
  }

  // One ring per province or prefecture (level) holding products shown, at its label
  // point; a click zooms to it (the next level).  Counted in one pass over the rows.
  function aggregateLayer(products, level) {
    var data = products.data;
    var f = fieldIndex(data.fields);
    var groups = {};
    products.positions.forEach(function (position) {
      var row = data.rows[position];
      // (A prefecture-wide product has a prefecture, no county.)
      var code = level === 'province'
        ? String(row[f.county_adcode] || row[f.prefecture_adcode]).slice(0, 2) + '0000'
        : String(row[f.prefecture_adcode]);
      var group = groups[code] || (groups[code] = {n: 0, counts: {}, lat: 0, lng: 0});
      var color = data.chains[row[f.chain]][1];
      group.n += 1;
      group.counts[color] = (group.counts[color] || 0) + 1;
      group.lat += row[f.lat];
      group.lng += row[f.lon];
    });
    var places = state.lod.places[level];
    var below = Math.round(state.labelSizes[level === 'province' && state.lod.provinceLabels
      ? 'province' : 'prefecture'].height / 2);
    var layer = L.layerGroup();
    Object.keys(groups).forEach(function (code) {
      var group = groups[code];
      var place = places[code];
      var at = place ? place.at : L.latLng(group.lat / group.n, group.lng / group.n);
      var marker = L.marker(at, {
        icon: ringIcon(group.counts, group.n, 'gi-cluster gi-aggregate', place ? below : 0),
        keyboard: false,
      });
      marker.options.giPlace = code;
      marker.options.giCount = group.n;
      if (place) marker.bindTooltip(escapeHtml(place.name + say('separator') + group.n));
      marker.on('click', function () {
        state.userMoved = true;
        if (place) state.map.fitBounds(place.bounds, {padding: FIT_PADDING});
        else state.map.setView(at, (level === 'province' ? PREFECTURE_ZOOM : COUNTY_LABEL_ZOOM) + 0.25);
      });
      layer.addLayer(marker);
    });
    return layer;
  }

  // The products of the last data layer as the level shows them: aggregates above county
  // level (national maps), clustered markers at county level, the clusters built once per
  // data layer (on a national map: only once a county-level zoom needs them).  The layer
  // stays on the map across reruns that show the same products (a click, a selection).
  function drawProducts() {
    var products = state.products;
    var map = state.map;
    if (!products) return;
    var level = state.lod ? state.lod.level || lodLevel(map.getZoom()) : 'county';
    if (products.layer && products.level === level) return;
    if (products.layer) map.removeLayer(products.layer);
    if (level === 'county') {
      if (!products.cluster) {
        products.cluster = productCluster({products: products.data}, products.positions,
          products.options, state.options.styles);
      }
      products.layer = products.cluster;
    } else {
      products.layer = aggregateLayer(products, level);
    }
    products.level = level;
    map.addLayer(products.layer);
  }

  function clearProducts() {
    if (state.products && state.products.layer) state.map.removeLayer(state.products.layer);
    state.products = null;
  }

  // Every site's marker, made once per rows file and kept across reruns.  On a national
  // map only those in or near the view at county level are on the map (thousands of
  // icons otherwise); a province's map shows them all.
  function drawSites(data, show) {
    var map = state.map;
    if (!show) {
      if (state.sites) map.removeLayer(state.sites.layer);
      state.sites = null;
      return;
    }
    if (state.sites && state.sites.data === data) return;
    if (state.sites) map.removeLayer(state.sites.layer);
    state.sites = {data: data, markers: siteMarkers(data), layer: L.featureGroup().addTo(map)};
    updateSites();
  }

  function updateSites() {
    var sites = state.sites;
    if (!sites) return;
    var layer = sites.layer;
    if (!state.lod) {
      if (!layer.getLayers().length) sites.markers.forEach(function (m) { layer.addLayer(m); });
      return;
    }
    if (state.lod.level !== 'county') {
      layer.clearLayers();
      return;
    }
    var view = state.map.getBounds().pad(SITE_MARGIN);
    sites.markers.forEach(function (marker) {
      var inside = view.contains(marker.getLatLng());
      if (inside !== layer.hasLayer(marker)) {
        if (inside) layer.addLayer(marker); else layer.removeLayer(marker);
      }
    });
  }

  // ------------------------------------------------------------------ county card

  // A clicked county's card, drawn by the map at once (class gi-card, data-county): its
  // name and prefecture and the products shown there, from the rows the map holds.  The
  // page's own card (Streamlit) comes with the rerun; this one goes when another county
  // or none is selected, or with its close button.
  function countyProducts(adcode) {
    var products = state.products;
    if (!products) return null;
    var f = fieldIndex(products.data.fields);
    if (f.county_adcode === undefined) return null;
    var names = [];
    var seen = {};
    products.positions.forEach(function (position) {
      var row = products.data.rows[position];
      if (String(row[f.county_adcode]) !== adcode || row[f.area]) return;
      var name = titleOf(row, f);
      if (!seen[name]) names.push(name);
      seen[name] = true;
    });
    return names;
  }

  function removeCard() {
    if (state.card) state.card.control.remove();
    state.card = null;
  }

  function showCountyCard(p) {
    removeCard();
    var names = countyProducts(p.adcode);
    var shown = 6;
    var html = '<div class="gi-card-head"><b>'
      + escapeHtml(say('countyCard', {name: p.label || p.name})) + '</b>'
      + '<button type="button" class="gi-card-close" aria-label="'
      + escapeHtml(say('cardClose')) + '" title="' + escapeHtml(say('cardClose')) + '">×</button></div>'
      + '<div class="gi-card-place">' + escapeHtml(p.prefecture_label || p.prefecture || '') + '</div>';
    if (names) {
      html += '<div class="gi-card-count">'
        + escapeHtml(say('cardProducts', {n: names.length})) + '</div>';
      if (names.length) {
        var list = names.slice(0, shown).map(escapeHtml).join(escapeHtml(say('listSeparator')));
        if (names.length > shown) list = say('cardMore', {brands: list, n: names.length - shown});
        html += '<div class="gi-card-brands">' + list + '</div>';
      }
    }
    var control = L.control({position: 'bottomleft'});
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'gi-card');
      div.setAttribute('data-county', p.adcode);
      div.setAttribute('role', 'status');
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      L.DomEvent.on(div.querySelector('.gi-card-close'), 'click', removeCard);
      return div;
    };
    state.card = {county: p.adcode, control: control.addTo(state.map)};
  }

  // ------------------------------------------------------------------ choropleth

  // The output map's layer: per unit with a figure [class, value, rank, approximate,
  // scope, source, note] (the last three index options.texts).  Units are counties by
  // adcode, or prefectures by name (options.level 'prefecture'); a county without a unit
  // is drawn as no data.  The county polygons already loaded are restyled in place and
  // the legend control is replaced.  The container tells tests which view is drawn
  // (data-gi-choropleth: the layer's key, '' while pending) and how many counties have
  // no figure (data-gi-nodata).
  function choroplethTip(p, unit, options) {
    var byPrefecture = options.level === 'prefecture';
    var words = options.text;
    var county = p.label || p.name;
    var prefecture = p.prefecture_label || p.prefecture;
    var title = byPrefecture
      ? say('total', {prefecture: prefecture, county: county}, words)
      : county + ' · ' + prefecture;
    var tip = '<b>' + escapeHtml(title) + '</b>';
    if (!unit) return tip + '<br>' + escapeHtml(options.noDataLabel);
    var text = function (i) { return i >= 0 ? options.texts[i] : ''; };
    var rows = [
      say(unit[3] ? 'approximate' : 'value', {value: unit[1], unit: options.unit}, words),
      say('rank', {rank: unit[2], ranked: options.ranked}, words),
      options.year, text(unit[4]), text(unit[5]), text(unit[6]),
    ];
    options.labels.forEach(function (label, i) {
      if (rows[i]) tip += '<br>' + escapeHtml(say('row', {label: label, value: rows[i]}, words));
    });
    return tip;
  }

  GiMap.choropleth = function (group, options) {
    var map = state.map;
    var container = map.getContainer();
    var generation = (state.generation += 1);
    container.setAttribute('data-gi-choropleth', '');
    if (state.legend) state.legend.remove();
    // The classes are the map's key: their legend stays open down to phone widths,
    // unless open it would cover most of the map.
    state.legend = legendControl(map, options.legend, [360, 360], 'choropleth');
    state.ready.then(function () {
      if (generation !== state.generation) return;
      var fill = {};
      var empty = 0;
      Object.keys(state.counties).forEach(function (code) {
        var layer = state.counties[code];
        var p = layer.feature.properties;
        var unit = options.units[options.level === 'prefecture' ? p.prefecture : code];
        fill[code] = unit
          ? Object.assign({fillColor: options.colors[unit[0]]}, options.classStyle)
          : options.noData;
        if (!unit) empty += 1;
        layer.setTooltipContent(choroplethTip(p, unit, options));
      });
      state.fill = fill;
      state.countyLayer.setStyle(state.countyStyle);
      container.setAttribute('data-gi-nodata', String(empty));
      container.setAttribute('data-gi-choropleth', options.key);
    }).catch(showProblem);
  };

  // A legend is a <details>: its summary (the title and a 收起/展开 button, see
  // foldButton) folds it, by mouse, touch or keyboard.  What the user chose is kept for
  // the tab (sessionStorage, per page and legend), so a rerun that draws the legend again
  // or a reload keeps it folded or open.  Until the user chooses, a legend starts folded
  // on a map narrower or lower than `fold` ([width, height]) or where, open, it would
  // cover more than FOLD_COVER of the map.  The box keeps its class gi-legend (the tour
  // frames clear of it); folded it is one line.
  var FOLD_COVER = 0.4;

  function foldKey(name) {
    var page = '';
    try {
      page = window.parent.location.pathname; // same origin: the app's page
    } catch (error) {
      page = window.location.pathname;
    }
    return 'gi-legend:' + name + ':' + page;
  }

  function storedFold(key) {
    try {
      var value = window.sessionStorage.getItem(key);
      return value === 'open' || value === 'folded' ? value : null;
    } catch (error) {
      return null; // storage refused (a private window, a file): fold by size alone
    }
  }

  function storeFold(key, open) {
    try {
      window.sessionStorage.setItem(key, open ? 'open' : 'folded');
    } catch (error) { /* kept for this drawing only */ }
  }

  function foldButton(summary) {
    var button = L.DomUtil.create('span', 'gi-fold', summary);
    button.innerHTML = '<span class="gi-fold-hide">' + escapeHtml(say('legendFold')) + '</span>'
      + '<span class="gi-fold-show">' + escapeHtml(say('legendUnfold')) + '</span>';
  }

  function legendControl(map, html, fold, name) {
    var control = L.control({position: 'topright'});
    var key = foldKey(name || 'legend');
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'gi-legend');
      div.innerHTML = html;
      var details = div.querySelector('details');
      var summary = details && details.querySelector('summary');
      if (summary) {
        foldButton(summary);
        summary.addEventListener('click', function () {
          storeFold(key, !details.open); // the click comes before the toggle
          div.classList.toggle('gi-legend-folded', details.open);
        });
        details.addEventListener('toggle', function () {
          div.classList.toggle('gi-legend-folded', !details.open);
        });
      }
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    var div = control.getContainer();
    var details = div.querySelector('details');
    if (!details) return control;
    fold = fold || [520, 420];
    // Measured open, once the style sheets apply (they may load after this script).
    function byDefault() {
      var stored = storedFold(key);
      var open = stored === 'open';
      if (stored === null) {
        var size = map.getSize();
        details.setAttribute('open', '');
        var box = div.getBoundingClientRect();
        open = !(size.x < fold[0] || size.y < fold[1]
          || box.width * box.height > FOLD_COVER * size.x * size.y);
      }
      if (open) details.setAttribute('open', ''); else details.removeAttribute('open');
      div.classList.toggle('gi-legend-folded', !open);
    }
    byDefault();
    var pending = [].filter.call(document.querySelectorAll('link[rel="stylesheet"]'),
      function (link) { return !link.sheet; });
    pending.forEach(function (link) { link.addEventListener('load', byDefault); });
    map.on('resize', byDefault);
    control.onRemove = function () {
      map.off('resize', byDefault);
      pending.forEach(function (link) { link.removeEventListener('load', byDefault); });
    };
    return control;
  }

  GiMap.legend = function (map, options) {
    if (options.html) legendControl(map, options.html, null, 'legend');
  };

  // ------------------------------------------------------------------ full screen

  // Big-screen systems often have no F11: a button fills the screen.  Inside the
  // component's iframe (Streamlit allows `fullscreen` there) the map's own container
  // goes full screen; where the iframe may not (no allow=fullscreen), the page does,
  // through the parent document (same origin).  In 展示模式 the page is the
  // presentation (title, caption, map), so the page is asked first.
  function fullscreenOf(doc) {
    return doc ? doc.fullscreenElement || doc.webkitFullscreenElement || null : null;
  }

  function parentDocument() {
    try {
      return window.parent !== window ? window.parent.document : null;
    } catch (error) {
      return null; // another origin
    }
  }

  function requestOn(element) {
    var request = element && (element.requestFullscreen || element.webkitRequestFullscreen);
    if (!request) return Promise.reject(new Error('full screen unavailable'));
    return Promise.resolve(request.call(element));
  }

  function toggleFullscreen(container, pageFirst) {
    var page = parentDocument();
    if (fullscreenOf(document)) return document.exitFullscreen();
    if (fullscreenOf(page)) return page.exitFullscreen();
    var own = function () {
      if (!document.fullscreenEnabled) return Promise.reject(new Error('iframe: not allowed'));
      return requestOn(container);
    };
    var whole = function () { return requestOn(page && page.documentElement); };
    return (pageFirst ? whole().catch(own) : own().catch(whole)).catch(function (error) {
      if (window.console) console.warn('GiMap: full screen refused:', error);
    });
  }

  var FULLSCREEN_ICON = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">'
    + '<path fill="none" stroke="currentColor" stroke-width="2.4" '
    + 'd="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/></svg>';

  function fullscreenControl(map, pageFirst) {
    var control = L.control({position: 'topleft'});
    control.onAdd = function () {
      var bar = L.DomUtil.create('div', 'leaflet-bar gi-fullscreen');
      var button = L.DomUtil.create('a', '', bar);
      button.href = '#';
      button.setAttribute('role', 'button');
      button.innerHTML = FULLSCREEN_ICON;
      var label = function () {
        var on = fullscreenOf(document) || fullscreenOf(parentDocument());
        var text = say(on ? 'exitFullscreen' : 'fullscreen');
        button.title = text;
        button.setAttribute('aria-label', text);
        bar.classList.toggle('gi-fullscreen-on', !!on);
        map.invalidateSize(false);
      };
      label();
      [document, parentDocument()].forEach(function (doc) {
        if (!doc) return;
        doc.addEventListener('fullscreenchange', label);
        // The page outlives this iframe: leave no listener behind on it.
        window.addEventListener('pagehide', function () {
          doc.removeEventListener('fullscreenchange', label);
        });
      });
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, 'click', function (event) {
        L.DomEvent.preventDefault(event);
        toggleFullscreen(map.getContainer(), pageFirst);
      });
      return bar;
    };
    return control;
  }

  // ------------------------------------------------------------------ data layer

  var CLUSTER_OPTIONS = {
    maxClusterRadius: 45,
    spiderfyOnMaxZoom: true,
    showCoverageOnHover: false,
    chunkedLoading: true,
  };

  // A cluster shows the share of each chain among its products as a ring of colours.
  function clusterIcon(cluster) {
    var markers = cluster.getAllChildMarkers();
    var counts = {};
    markers.forEach(function (m) {
      var c = m.options.chainColor || '#7f7f7f';
      counts[c] = (counts[c] || 0) + 1;
    });
    return ringIcon(counts, markers.length, 'gi-cluster');
  }

  function popupHtml(title, rows) {
    var html = '<b class="gi-popup-title">' + escapeHtml(title) + '</b><table class="gi-popup">';
    rows.forEach(function (row) {
      html += '<tr><th>' + escapeHtml(row[0]) + '</th><td>' + escapeHtml(row[1]) + '</td></tr>';
    });
    return html + '</table>';
  }

  // A product whose area is wider than one county (row.area says how far: 全市范围 /
  // 跨 N 个县) stands at a stand-in position: a hollow dashed ring in its chain's colour.
  function productMarkers(data, positions, options, styles) {
    var f = fieldIndex(data.fields);
    var chains = data.chains;
    var labels = data.popup_labels;
    return positions.map(function (position) {
      var row = data.rows[position];
      var chain = chains[row[f.chain]];
      var area = row[f.area];
      var style = area
        ? Object.assign({color: chain[1]}, scaled(styles.wide_marker))
        : Object.assign({fillColor: chain[1]}, scaled(styles.marker));
      var marker = L.circleMarker([row[f.lat], row[f.lon]], style);
      marker.options.chainColor = chain[1];
      marker.options.giName = row[f.name];
      marker.options.giArea = row[f.area_adcodes]; // the area's counties, for tests
      var tip = [titleOf(row, f), chain[0], row[f.place]];
      if (area) tip.push(area);
      marker.bindTooltip(escapeHtml(tip.join(say('separator'))));
      if (options.popups) {
        var cells = data.popup_fields.map(function (name, i) {
          return [labels[i], name === 'chain' ? chain[0] : row[f[name]]];
        });
        marker.bindPopup(popupHtml(titleOf(row, f), cells), {maxWidth: 320});
      }
      marker.on('click', function () { report('product', row[f.name]); });
      return marker;
    });
  }

  // A site's icon shows its kind (data.kinds[row.kind]: name, colour, SVG icon): its own
  // shape, colour and glyph.  ``positions`` (default: every site) index data.rows; with
  // ``onClick`` a click reports the site instead of opening its popup.
  function siteMarkers(data, positions, onClick) {
    var f = fieldIndex(data.fields);
    var kinds = data.kinds || [];
    var chosen = positions || data.rows.map(function (row, i) { return i; });
    return chosen.map(function (position) {
      var row = data.rows[position];
      var kind = kinds[row[f.kind]];
      var icon = L.divIcon({className: 'gi-site gi-site-kind-' + row[f.kind],
        iconSize: [24, 24], iconAnchor: [12, 12], html: kind ? kind[2] : '<div></div>'});
      var marker = L.marker([row[f.lat], row[f.lon]], {icon: icon, riseOnHover: true});
      marker.options.giName = row[f.name];
      marker.options.giKind = row[f.site_type];
      var tip = titleOf(row, f) + say('separator') + row[f.site_type];
      marker.bindTooltip(escapeHtml(tip));
      // Leaflet makes the icon a keyboard button (role=button); name it as its tooltip does.
      marker.on('add', function () {
        var element = marker.getElement();
        if (element) element.setAttribute('aria-label', tip);
      });
      if (onClick) {
        marker.on('click', function () { onClick(row[f.name]); });
      } else {
        marker.bindPopup(popupHtml(titleOf(row, f), data.popup_fields.map(function (name, i) {
          return [data.popup_labels[i], row[f[name]]];
        })), {maxWidth: 320});
      }
      return marker;
    });
  }

  // ------------------------------------------------------------------ framing

  // What stands over the map: its controls (zoom buttons, legend, tour card), as boxes
  // [left, top, right, bottom] in the map's pixels.  The scale bar and the attribution
  // are left out: small and see-through, and the scale's width changes with every zoom
  // (a frame clear of it would move it again).
  function coveredBoxes(container) {
    var box = container.getBoundingClientRect();
    var boxes = [];
    container.querySelectorAll('.leaflet-control').forEach(function (element) {
      if (element.matches('.leaflet-control-scale, .leaflet-control-attribution')) return;
      var r = element.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) return;
      boxes.push([r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
    });
    return boxes;
  }

  // The padding [left, top, right, bottom] that frames `bounds` largest while keeping
  // them clear of every box over the map: each box is left out by cutting the free
  // rectangle from one of its sides; of all the ways, the one where the bounds come out
  // largest wins (the legend at the top right may leave the map beside it or below it).
  function clearPadding(map, bounds) {
    var size = map.getSize();
    var gap = Math.round(FIT_PADDING[0] * state.scale);
    var boxes = coveredBoxes(map.getContainer()).filter(function (b) {
      return b[2] > 0 && b[0] < size.x && b[3] > 0 && b[1] < size.y;
    });
    var latLngs = L.latLngBounds(bounds);
    var sw = map.project(latLngs.getSouthWest(), 0);
    var ne = map.project(latLngs.getNorthEast(), 0);
    var width = Math.max(1e-9, Math.abs(ne.x - sw.x));
    var height = Math.max(1e-9, Math.abs(sw.y - ne.y));
    var best = null;
    var ways = Math.pow(4, boxes.length);
    for (var way = 0; way < ways; way += 1) {
      var free = [0, 0, size.x, size.y];
      var rest = way;
      boxes.forEach(function (b) {
        var side = rest % 4;
        rest = Math.floor(rest / 4);
        if (side === 0) free[0] = Math.max(free[0], b[2]);
        else if (side === 1) free[1] = Math.max(free[1], b[3]);
        else if (side === 2) free[2] = Math.min(free[2], b[0]);
        else free[3] = Math.min(free[3], b[1]);
      });
      var fit = Math.min((free[2] - free[0] - 2 * gap) / width,
        (free[3] - free[1] - 2 * gap) / height);
      if (!best || fit > best.fit) best = {fit: fit, free: free};
    }
    var free = best ? best.free : [0, 0, size.x, size.y];
    if (best && best.fit <= 0) free = [0, 0, size.x, size.y]; // nowhere clear: the whole map
    return [free[0] + gap, free[1] + gap, size.x - free[2] + gap, size.y - free[3] + gap];
  }

  // The boxes (zoom-0 pixels) that must stay in view and clear of the controls when
  // `bounds` are framed: the county polygons inside them when they make up the bounds
  // (a province's or a prefecture's frame: the empty corners of its box may go under a
  // control), else the bounds' own box.
  function frameItems(map, bounds) {
    var box = L.latLngBounds(bounds);
    var project = function (b) {
      var a = map.project(b.getNorthWest(), 0);
      var c = map.project(b.getSouthEast(), 0);
      return [a.x, a.y, c.x, c.y];
    };
    var whole = project(box);
    var slack = 0.01 * Math.max(whole[2] - whole[0], whole[3] - whole[1]);
    var items = [];
    var union = null;
    if (!state.countyBoxes) {
      state.countyBoxes = Object.keys(state.counties).map(function (code) {
        return project(state.counties[code].getBounds());
      });
    }
    state.countyBoxes.forEach(function (b) {
      if (b[0] < whole[0] - slack || b[1] < whole[1] - slack
        || b[2] > whole[2] + slack || b[3] > whole[3] + slack) return;
      items.push(b);
      union = union ? [Math.min(union[0], b[0]), Math.min(union[1], b[1]),
        Math.max(union[2], b[2]), Math.max(union[3], b[3])] : b.slice();
    });
    var covers = union && union[0] <= whole[0] + slack && union[1] <= whole[1] + slack
      && union[2] >= whole[2] - slack && union[3] >= whole[3] - slack;
    if (!covers) return [whole];
    return items.length > MAX_FRAME_ITEMS ? gridItems(items, union) : items;
  }

  // Thousands of counties (a national frame) as at most GRID×GRID boxes: per cell of a
  // grid over their union, the union of the counties whose centre falls in it.  The
  // framing then tests a few hundred boxes per candidate view, not every county.
  var MAX_FRAME_ITEMS = 256;
  var GRID = 16;
  function gridItems(items, union) {
    var cells = {};
    var w = (union[2] - union[0]) / GRID || 1;
    var h = (union[3] - union[1]) / GRID || 1;
    items.forEach(function (b) {
      var i = Math.min(GRID - 1, Math.floor(((b[0] + b[2]) / 2 - union[0]) / w));
      var j = Math.min(GRID - 1, Math.floor(((b[1] + b[3]) / 2 - union[1]) / h));
      var key = i + ',' + j;
      var c = cells[key];
      cells[key] = c ? [Math.min(c[0], b[0]), Math.min(c[1], b[1]), Math.max(c[2], b[2]),
        Math.max(c[3], b[3])] : b.slice();
    });
    return Object.keys(cells).map(function (key) { return cells[key]; });
  }

  // The largest view (by zoomSnap steps, from the zoom the box fit gives) and its centre
  // where every item lies inside the map and clear of every control; null if none.
  function clearView(map, bounds, fromZoom) {
    var size = map.getSize();
    var gap = Math.round(FIT_PADDING[0] * state.scale);
    var snap = map.options.zoomSnap || 1;
    var boxes = coveredBoxes(map.getContainer()).map(function (b) {
      return [b[0] - gap, b[1] - gap, b[2] + gap, b[3] + gap];
    });
    var items = frameItems(map, bounds);
    var total = items.reduce(function (t, b) {
      return [Math.min(t[0], b[0]), Math.min(t[1], b[1]), Math.max(t[2], b[2]), Math.max(t[3], b[3])];
    }, items[0]);
    var top = Math.min(map.getMaxZoom(), 11, fromZoom + 2);
    var steps = 16;
    for (var n = Math.round((top - fromZoom) / snap); n > 0; n -= 1) {
      var zoom = Math.round((fromZoom + n * snap) * 1000) / 1000;
      var k = Math.pow(2, zoom);
      var width = (total[2] - total[0]) * k;
      var height = (total[3] - total[1]) * k;
      var roomX = size.x - 2 * gap - width;
      var roomY = size.y - 2 * gap - height;
      if (roomX < 0 || roomY < 0) continue;
      var best = null;
      for (var i = 0; i <= steps; i += 1) {
        for (var j = 0; j <= steps; j += 1) {
          var left = gap + roomX * i / steps;
          var topY = gap + roomY * j / steps;
          var clear = items.every(function (b) {
            var r = [left + (b[0] - total[0]) * k, topY + (b[1] - total[1]) * k,
              left + (b[2] - total[0]) * k, topY + (b[3] - total[1]) * k];
            return !boxes.some(function (o) { return overlaps(r, o); });
          });
          if (!clear) continue;
          var dx = left + width / 2 - size.x / 2;
          var dy = topY + height / 2 - size.y / 2;
          var off = dx * dx + dy * dy;
          if (!best || off < best.off) best = {off: off, left: left, top: topY};
        }
      }
      if (best) {
        // The map's centre, in zoom-0 pixels, for the items placed at best.
        var center = L.point(total[0] + (size.x / 2 - best.left) / k,
          total[1] + (size.y / 2 - best.top) / k);
        return {zoom: zoom, center: map.unproject(center, 0)};
      }
    }
    return null;
  }

  // Fits `bounds` clear of what stands over the map (clearPadding).  A fit asked for
  // while a zoom animation runs waits for its end (the animation's end would undo it).
  function fitTo(map, bounds, animate) {
    if (!bounds) return;
    state.lastFrame = JSON.stringify(bounds);
    state.userMoved = false;
    if (map._animatingZoom) {
      var key = state.lastFrame;
      map.once('zoomend', function () {
        if (state.lastFrame === key && !state.userMoved) fitTo(map, bounds, false);
      });
      return;
    }
    var padding = clearPadding(map, bounds);
    var options = {paddingTopLeft: [padding[0], padding[1]],
      paddingBottomRight: [padding[2], padding[3]], maxZoom: 11, animate: animate};
    // The box fit first; then closer, where the counties themselves stay clear.
    var fitted = map._getBoundsCenterZoom(L.latLngBounds(bounds), options);
    var closer = clearView(map, bounds, fitted.zoom);
    if (closer) map.setView(closer.center, closer.zoom, {animate: animate});
    else map.fitBounds(bounds, options);
    state.lastPadding = JSON.stringify(padding);
    state.lastFrame = JSON.stringify(bounds);
    state.userMoved = false;
    map.getContainer().setAttribute('data-gi-padding', state.lastPadding);
  }

  // Fits `bounds` when they differ from the last fit, or when what stands over the map
  // has changed since (a legend opened, a card drawn) and the user has not moved it: a
  // rerun after a click keeps the view.
  function frame(map, bounds) {
    if (!bounds) return;
    var same = JSON.stringify(bounds) === state.lastFrame;
    if (same && (state.userMoved || JSON.stringify(clearPadding(map, bounds)) === state.lastPadding)) {
      return;
    }
    fitTo(map, bounds, false);
  }

  // A control that changes size (the legend folded or opened, the tour card's text) frames
  // the last bounds again, unless the user has moved the map since.
  function refitOnControls(map) {
    if (!window.ResizeObserver) return;
    var pending = null;
    var observer = new ResizeObserver(function () {
      if (pending) return;
      pending = setTimeout(function () {
        pending = null;
        if (state.lastFrame && !state.userMoved) frame(map, JSON.parse(state.lastFrame));
      }, 50);
    });
    map.getContainer().querySelectorAll('.leaflet-control-container > div').forEach(
      function (corner) { observer.observe(corner); });
  }

  // The selection is drawn in the counties' own canvas, after them and not interactive: a
  // pane of its own would put a canvas over the counties that swallows every click.  The
  // area of a selected product (light fill and outline over its counties) comes first,
  // the selected county over it; both once the county polygons are loaded.
  function drawSelection(group, selected, styles, generation) {
    var area = (selected && selected.area) || [];
    var county = selected && selected.county;
    var container = state.map.getContainer();
    container.setAttribute('data-gi-area', '');
    return state.ready.then(function () {
      if (generation !== state.generation) return; // a newer layer replaced this one
      var drawn = area.filter(function (code) { return state.counties[code]; });
      if (drawn.length) {
        var features = drawn.map(function (code) { return state.counties[code].feature; });
        L.geoJSON({type: 'FeatureCollection', features: features},
          {style: styles.area, interactive: false}).addTo(group);
      }
      container.setAttribute('data-gi-area', drawn.join(' '));
      if (county && state.counties[county]) {
        L.geoJSON(state.counties[county].feature,
          {style: styles.selected, interactive: false}).addTo(group);
      }
    });
  }

  function productCluster(data, positions, options, styles) {
    var cluster = L.markerClusterGroup(
      Object.assign({iconCreateFunction: clusterIcon}, CLUSTER_OPTIONS));
    cluster.addLayers(productMarkers(data.products, positions, options, styles));
    return cluster;
  }

  GiMap.data = function (group, options) {
    var map = state.map;
    var styles = state.options.styles;
    var container = map.getContainer();
    var generation = (state.generation += 1);
    var previousTour = stopTour();
    container.setAttribute('data-gi-products', '');
    var count = container.querySelector('.gi-legend-count');
    if (count) count.textContent = ''; // a tour's steps show other products
    var selected = options.selected && options.selected.county;
    if (state.card && state.card.county !== selected) removeCard();
    var selection = drawSelection(group, options.selected, styles, generation);
    // The products and sites are kept on the map, outside the group the next rerun
    // replaces: a rerun showing the same products (a click) redraws nothing of them.
    var key = [options.rows, options.popups ? 1 : 0, options.products.join(',')].join('|');
    Promise.all([load(options.rows), selection]).then(function (loaded) {
      if (generation !== state.generation) return;
      var data = loaded[0];
      drawSites(data.sites, !!options.sites);
      if (options.tour && options.tour.steps.length) {
        clearProducts();
        startTour(group, options, data, previousTour);
        return;
      }
      if (state.products && state.products.key === key) {
        // Markers are drawn over the selection's fill (the same canvas, in order).
        var cluster = state.products.level === 'county' && state.products.cluster;
        if (cluster) cluster._featureGroup.eachLayer(function (m) { if (m.bringToFront) m.bringToFront(); });
      } else {
        clearProducts();
        state.products = {key: key, data: data.products, positions: options.products,
          options: {popups: options.popups}, layer: null, level: null, cluster: null};
        drawProducts();
      }
      if (count) count.textContent = options.count || ''; // what the dots shown are
      container.setAttribute('data-gi-products', String(options.products.length));
      // (A national map zoomed out above county level has no markers to open: the
      // product's frame zooms in to county level first.)
      if (options.open && options.popups && state.products.cluster) {
        openProduct(state.products.cluster, options.open);
      }
    }).catch(showProblem);
    if (!options.tour) frame(map, options.frame);
  };

  // A selected product (展示模式: a shared link's product=) shows its popup, open, as the
  // ordinary map shows its card.  Its marker is drawn on a canvas (no icon), so the
  // cluster plugin's own callback never comes: the popup opens once the marker is on the
  // map, after the frame's fit and the zoom that takes it out of its cluster.
  function openProduct(cluster, name) {
    var map = state.map;
    var marker = cluster.getLayers().filter(function (m) { return m.options.giName === name; })[0];
    if (!marker) return;
    var open = function () {
      if (!marker._map || map._animatingZoom) return false;
      map.off('moveend', later);
      cluster.off('animationend spiderfied', later);
      marker.openPopup();
      map.getContainer().setAttribute('data-gi-open', name);
      return true;
    };
    var asked = false;
    var later = function () {
      if (open() || map._animatingZoom || asked) return;
      asked = true; // still in a cluster once the frame is fitted: zoom or spiderfy to it
      cluster.zoomToShowLayer(marker);
    };
    map.on('moveend', later);
    cluster.on('animationend spiderfied', later);
    later();
  }

  // ------------------------------------------------------------------ booth tour

  // The steps (presentation.tour_options) arrive with the data layer: each names its
  // products (positions in the loaded rows), the bounds to frame, the counties to
  // outline and its caption card's texts, so a step costs no request.  Any input on the
  // map pauses the tour; after `idle` seconds without input it starts again from the
  // first step.  A rerun that sends the same tour continues where it was.
  function stopTour() {
    var tour = state.tour;
    if (!tour) return null;
    clearTimeout(tour.timer);
    clearTimeout(tour.idleTimer);
    tour.stopped = true;
    tour.container.removeEventListener('pointerdown', tour.onInput, true);
    tour.container.removeEventListener('wheel', tour.onInput, true);
    tour.container.removeEventListener('keydown', tour.onInput, true);
    if (tour.card) tour.card.remove();
    state.tour = null;
    return tour;
  }

  // A tour of one step shows it and says so: its card has no buttons and it never steps.
  function tourCardHtml(tour) {
    var step = tour.steps[tour.index];
    var single = tour.steps.length === 1;
    var brands = step.brands.map(escapeHtml).join(say('listSeparator'));
    // The template is plain text: the brands in it are escaped already.
    if (step.more) brands = say('more', {brands: brands, n: step.more});
    var status = tour.playing
      ? say('playing', {seconds: tour.every})
      : say('paused', {seconds: tour.idle});
    var html = '<div class="gi-tour-head"><span class="gi-tour-count">' + escapeHtml(tour.kind)
      + ' ' + (tour.index + 1) + ' / ' + tour.steps.length + '</span>'
      + '<b class="gi-tour-title">' + escapeHtml(step.title) + '</b></div>'
      + '<div class="gi-tour-figures">' + escapeHtml(step.figures) + '</div>'
      + '<div class="gi-tour-brands">' + brands + '</div>';
    if (tour.note) html += '<div class="gi-tour-note">' + escapeHtml(tour.note) + '</div>';
    if (single) {
      return html + '<div class="gi-tour-buttons"><span class="gi-tour-status">'
        + escapeHtml(say('single')) + '</span></div>';
    }
    return html + '<div class="gi-tour-buttons">'
      + '<button type="button" data-act="prev">' + escapeHtml(say('previous')) + '</button>'
      + '<button type="button" data-act="toggle">'
      + escapeHtml(say(tour.playing ? 'pause' : 'resume')) + '</button>'
      + '<button type="button" data-act="next">' + escapeHtml(say('next')) + '</button>'
      + '<span class="gi-tour-status">' + escapeHtml(status) + '</span></div>';
  }

  // The page's caption bar (展示模式, landmarks/ui/presentation.py) says what the step shows.
  function tourCaption(step) {
    var page = parentDocument();
    var caption = page && page.querySelector('.gi-tour-caption');
    if (caption && step.caption) caption.textContent = step.caption;
  }

  function startTour(group, options, data, previous) {
    var map = state.map;
    var styles = state.options.styles;
    var container = map.getContainer();
    var settings = options.tour;
    var key = JSON.stringify(settings);
    var tour = {
      steps: settings.steps, kind: settings.kind,
      every: settings.every, idle: settings.idle, note: settings.note || '',
      index: 0, playing: true, timer: null, idleTimer: null, layer: null,
      container: container, card: null, stopped: false,
    };
    if (previous && previous.key === key) {
      tour.index = previous.index;
      tour.playing = previous.playing;
    }
    tour.key = key;
    state.tour = tour;

    function render() {
      tour.card.getContainer().innerHTML = tourCardHtml(tour);
      tourCaption(tour.steps[tour.index]);
      container.setAttribute('data-gi-tour-step', String(tour.index));
      container.setAttribute('data-gi-tour-state', tour.steps.length === 1 ? 'single'
        : tour.playing ? 'playing' : 'paused');
    }

    function show(index) {
      var n = tour.steps.length;
      tour.index = ((index % n) + n) % n;
      var step = tour.steps[tour.index];
      var layer = L.featureGroup();
      var area = step.area.filter(function (code) { return state.counties[code]; });
      if (area.length) {
        L.geoJSON({type: 'FeatureCollection', features: area.map(function (code) {
          return state.counties[code].feature;
        })}, {style: styles.area, interactive: false}).addTo(layer);
      }
      layer.addLayer(productCluster(data, step.products, options, styles));
      if (tour.layer) group.removeLayer(tour.layer);
      tour.layer = layer;
      group.addLayer(layer);
      container.setAttribute('data-gi-products', String(step.products.length));
      render();
      fitTo(map, step.frame, true);
      container.setAttribute('data-gi-tour-frame', JSON.stringify(step.frame));
      schedule();
    }

    function schedule() {
      clearTimeout(tour.timer);
      if (tour.playing && !tour.stopped && tour.steps.length > 1) {
        tour.timer = setTimeout(function () { show(tour.index + 1); }, tour.every * 1000);
      }
    }

    function pause() {
      if (tour.steps.length === 1) return; // nothing to pause: it does not step
      tour.playing = false;
      clearTimeout(tour.timer);
      clearTimeout(tour.idleTimer);
      // Kiosk: left alone, the tour starts again from the first step.
      tour.idleTimer = setTimeout(function () {
        if (tour.stopped) return;
        tour.playing = true;
        show(0);
      }, tour.idle * 1000);
      render();
    }

    function play() {
      clearTimeout(tour.idleTimer);
      tour.playing = true;
      render();
      schedule();
    }

    tour.onInput = function (event) {
      if (event.target.closest && event.target.closest('.gi-tour-buttons')) return;
      pause();
    };
    container.addEventListener('pointerdown', tour.onInput, true);
    container.addEventListener('wheel', tour.onInput, true);
    container.addEventListener('keydown', tour.onInput, true);

    var card = L.control({position: 'bottomleft'});
    card.onAdd = function () {
      var div = L.DomUtil.create('div', 'gi-tour');
      div.setAttribute('aria-live', 'polite');
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      L.DomEvent.on(div, 'click', function (event) {
        var act = event.target.getAttribute && event.target.getAttribute('data-act');
        if (act === 'toggle') {
          if (tour.playing) pause(); else play();
        } else if (act === 'prev' || act === 'next') {
          pause(); // the visitor drives now; left alone, the tour starts again
          show(tour.index + (act === 'next' ? 1 : -1));
        }
      });
      return div;
    };
    tour.card = card.addTo(map);
    show(tour.index);
    if (!tour.playing) pause();
  }

  // Files the map's boot script (gi_boot.js) began to fetch before this script ran:
  // load() hands out those requests instead of starting its own (a failed one is
  // dropped, so the next load tries again).
  var early = window.GiMapEarly || {};
  Object.keys(early).forEach(function (url) {
    if (files[url]) return;
    files[url] = early[url];
    files[url].catch(function () { delete files[url]; });
  });

  // For the app's other map scripts (gi_sites.js, gi_basemap.js): functions over the
  // map's state, never the state itself, so its shape stays this file's own.
  GiMap.core = {
    map: function () { return state.map; }, // the Leaflet map (null before GiMap.base)
    styles: function () { return state.options && state.options.styles; }, // base styles
    ready: function () { return state.ready; }, // promise: the county polygons are drawn
    // A county's polygon layer (its GeoJSON as loaded: .feature); null when unknown or
    // not loaded yet.  countyCodes: the adcodes of the counties loaded.
    county: function (adcode) { return state.counties[adcode] || null; },
    countyCodes: function () { return Object.keys(state.counties); },
    // A new data layer replaces the last: its number, and whether it is still the last.
    nextLayer: function () { return (state.generation += 1); },
    isCurrent: function (generation) { return generation === state.generation; },
    // Merges {name: style} into the base styles and redraws the counties with them.
    restyleCounties: function (styles) {
      var own = state.options && state.options.styles;
      if (!own) return;
      Object.keys(styles).forEach(function (name) { Object.assign(own[name], styles[name]); });
      if (state.countyLayer && state.countyStyle) state.countyLayer.setStyle(state.countyStyle);
    },
    load: load,
    showProblem: showProblem,
    escapeHtml: escapeHtml,
    say: say,
    report: report,
    fieldIndex: fieldIndex,
    popupHtml: popupHtml,
    productMarkers: productMarkers,
    siteMarkers: siteMarkers,
    frame: frame,
  };
})();
