/* 湖北地标品牌地图 — the map's browser side.
 *
 * The base geometry (counties, prefectures) is fetched once from content-hashed static
 * files; Streamlit reruns only swap the data layer (`GiMap.data`), whose arguments are
 * product positions, the selection and the frame.  Clicks are reported to Python through
 * the component value as {gi_click: {kind, id, n}} — only clicks on a county's own area or
 * on a product marker; a cluster click only zooms.
 */
(function () {
  'use strict';

  var COUNTY_LABEL_ZOOM = 7.75;
  var LABEL_HEIGHT = 18;
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
  };

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
    box.textContent = '地图数据加载失败，请刷新页面；如仍失败，请联系管理员。';
    container.setAttribute('data-gi-problem', String(error));
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

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

  function makeLabel(name, lat, lng, kind, rank) {
    var width = Array.from(name).length * (kind === 'prefecture' ? 14 : 12) + 8;
    var marker = L.marker([lat, lng], {
      pane: 'giLabels',
      interactive: false,
      keyboard: false,
      icon: L.divIcon({
        className: 'gi-label gi-label-' + kind,
        html: escapeHtml(name),
        iconSize: [width, LABEL_HEIGHT],
        iconAnchor: [width / 2, LABEL_HEIGHT / 2],
      }),
    });
    return {marker: marker, kind: kind, rank: rank, width: width, shown: false};
  }

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  // Prefecture names at province zoom, county names closer in; a label that would
  // overlap one already placed (larger areas first) is left out.
  function placeLabels() {
    var map = state.map;
    if (!map) return;
    var kind = map.getZoom() >= COUNTY_LABEL_ZOOM ? 'county' : 'prefecture';
    var size = map.getSize();
    var placed = [];
    state.labels.forEach(function (label) {
      var show = false;
      if (label.kind === kind) {
        var p = map.latLngToContainerPoint(label.marker.getLatLng());
        var box = [p.x - label.width / 2, p.y - LABEL_HEIGHT / 2,
          p.x + label.width / 2, p.y + LABEL_HEIGHT / 2];
        var inside = box[2] > 0 && box[0] < size.x && box[3] > 0 && box[1] < size.y;
        show = inside && !placed.some(function (other) { return overlaps(box, other); });
        if (show) placed.push(box);
      }
      if (show && !label.shown) label.marker.addTo(map);
      if (!show && label.shown) label.marker.remove();
      label.shown = show;
    });
  }

  function addLabels(features, kind) {
    features.forEach(function (feature) {
      var p = feature.properties;
      state.labels.push(makeLabel(p.name, p.label_lat, p.label_lon, kind, p.rank));
    });
    state.labels.sort(function (a, b) { return a.rank - b.rank; });
    placeLabels();
  }

  // ------------------------------------------------------------------ base map

  GiMap.base = function (map, options) {
    state.map = map;
    state.options = options;
    state.reportClicks = !!options.reportClicks;
    var pane = map.createPane('giLabels');
    pane.style.zIndex = 450;
    pane.style.pointerEvents = 'none';
    // The map fills its iframe, whose height the page sets; the size settles after the
    // first draw (style sheets, scroll bars), so Leaflet re-measures on every change and
    // fits the frame again as long as the user has not moved the map since.
    var container = map.getContainer();
    container.style.setProperty('height', '100vh', 'important');
    map.invalidateSize(false);
    fitTo(map, options.bounds, false);
    ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (type) {
      container.addEventListener(type, function () { state.userMoved = true; }, true);
    });
    map.on('resize', function () {
      if (state.lastFrame && !state.userMoved) fitTo(map, JSON.parse(state.lastFrame), false);
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(false); }).observe(container);
    }

    var zones = options.zones || {};
    var styles = options.styles;
    function countyStyle(feature) {
      return zones[feature.properties.adcode] ? styles.zone : styles.county;
    }
    var countyLayer = L.geoJSON(null, {
      style: countyStyle,
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        var tip = '<b>' + escapeHtml(p.name) + '</b> · ' + escapeHtml(p.prefecture);
        if (zones[p.adcode]) tip += '<br>示范区：' + escapeHtml(zones[p.adcode]);
        layer.bindTooltip(tip, {sticky: true, direction: 'top'});
        layer.on('mouseover', function () { layer.setStyle(styles.hover); });
        layer.on('mouseout', function () { countyLayer.resetStyle(layer); });
        layer.on('click', function () { report('county', p.adcode); });
        state.counties[p.adcode] = layer;
      },
    }).addTo(map);
    state.countyLayer = countyLayer;
    var outlines = L.geoJSON(null, {style: styles.prefecture, interactive: false}).addTo(map);

    state.labels = [];
    state.ready = load(options.counties).then(function (data) {
      countyLayer.addData(data);
      outlines.bringToFront();
      addLabels(data.features, 'county');
      return data;
    }).catch(showProblem);
    load(options.prefectures).then(function (data) {
      outlines.addData(data);
      addLabels(data.features, 'prefecture');
      map.getContainer().setAttribute('data-gi-ready', '1');
    }).catch(showProblem);
    map.on('zoomend moveend', placeLabels);
  };

  GiMap.legend = function (map, options) {
    var control = L.control({position: 'topright'});
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'gi-legend');
      div.innerHTML = options.html;
      var size = map.getSize();
      var details = div.querySelector('details');
      if (details && (size.x < 520 || size.y < 420)) details.removeAttribute('open');
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(map);
  };

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
    var stops = [];
    var start = 0;
    Object.keys(counts).forEach(function (c) {
      var end = start + (counts[c] / markers.length) * 360;
      stops.push(c + ' ' + start + 'deg ' + end + 'deg');
      start = end;
    });
    var size = markers.length < 10 ? 34 : markers.length < 50 ? 42 : 50;
    return L.divIcon({
      html: '<div class="gi-ring" style="width:' + size + 'px;height:' + size + 'px;'
        + 'background:conic-gradient(' + stops.join(',') + ')"><span>'
        + markers.length + '</span></div>',
      className: 'gi-cluster',
      iconSize: L.point(size, size),
    });
  }

  function popupHtml(title, rows) {
    var html = '<b class="gi-popup-title">' + escapeHtml(title) + '</b><table class="gi-popup">';
    rows.forEach(function (row) {
      html += '<tr><th>' + escapeHtml(row[0]) + '</th><td>' + escapeHtml(row[1]) + '</td></tr>';
    });
    return html + '</table>';
  }

  function productMarkers(data, positions, options) {
    var f = fieldIndex(data.fields);
    var chains = data.chains;
    var labels = data.popup_labels;
    return positions.map(function (position) {
      var row = data.rows[position];
      var chain = chains[row[f.chain]];
      var marker = L.circleMarker([row[f.lat], row[f.lon]], {
        radius: 8, color: '#ffffff', weight: 1.5, fillColor: chain[1], fillOpacity: 0.95,
      });
      marker.options.chainColor = chain[1];
      marker.options.giName = row[f.name];
      marker.bindTooltip(escapeHtml(row[f.name] + '｜' + chain[0] + '｜' + row[f.place]));
      if (options.popups) {
        var cells = data.popup_fields.map(function (name, i) {
          return [labels[i], name === 'chain' ? chain[0] : row[f[name]]];
        });
        marker.bindPopup(popupHtml(row[f.name], cells), {maxWidth: 320});
      }
      marker.on('click', function () { report('product', row[f.name]); });
      return marker;
    });
  }

  function siteMarkers(data) {
    var f = fieldIndex(data.fields);
    return data.rows.map(function (row) {
      var icon = L.divIcon({className: 'gi-site', iconSize: [16, 16], iconAnchor: [8, 8],
        html: '<div></div>'});
      var marker = L.marker([row[f.lat], row[f.lon]], {icon: icon});
      marker.bindTooltip(escapeHtml(row[f.name] + '｜' + row[f.site_type]));
      marker.bindPopup(popupHtml(row[f.name], data.popup_fields.map(function (name, i) {
        return [data.popup_labels[i], row[f[name]]];
      })), {maxWidth: 320});
      return marker;
    });
  }

  function fitTo(map, bounds, animate) {
    map.fitBounds(bounds, {padding: FIT_PADDING, maxZoom: 11, animate: animate});
    state.lastFrame = JSON.stringify(bounds);
    state.userMoved = false;
  }

  function frame(map, bounds) {
    if (!bounds || JSON.stringify(bounds) === state.lastFrame) return;
    fitTo(map, bounds, true);
  }

  function drawSelection(group, selected, styles) {
    if (!selected || !selected.county) return;
    state.ready.then(function () {
      var county = state.counties[selected.county];
      if (!county) return;
      // In the counties' own canvas, drawn last: a pane of its own would put a canvas
      // over the counties that swallows every click.
      L.geoJSON(county.feature, {style: styles.selected, interactive: false}).addTo(group);
    });
  }

  GiMap.data = function (group, options) {
    var map = state.map;
    var styles = state.options.styles;
    var container = map.getContainer();
    container.setAttribute('data-gi-products', '');
    load(options.rows).then(function (data) {
      var cluster = L.markerClusterGroup(
        Object.assign({iconCreateFunction: clusterIcon}, CLUSTER_OPTIONS));
      cluster.addLayers(productMarkers(data.products, options.products, options));
      group.addLayer(cluster);
      if (options.sites) group.addLayer(L.featureGroup(siteMarkers(data.sites)));
      container.setAttribute('data-gi-products', String(options.products.length));
    }).catch(showProblem);
    drawSelection(group, options.selected, styles);
    frame(map, options.frame);
  };
})();
