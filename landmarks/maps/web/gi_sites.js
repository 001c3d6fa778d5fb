/* 湖北地标品牌地图 — the 示范区与文旅 page's data layer (after gi_map.js).
 *
 * GiMap.zonesSites(group, options) draws, over the base map of gi_map.js and with no
 * geometry of its own: the demonstration zones (their counties restyled by programme,
 * from the polygons already loaded, plus a badge at each county's label point), the
 * sites shown (positions into the published rows, each kind with its own icon), the
 * selected site, products named by position (nearby results, route stops), a circle of
 * N km (nearby search) and a route (polyline, numbered stops, a label on each leg).
 *
 * The container tells tests what is drawn: data-gi-sites (site markers), data-gi-zones
 * (zone badges), data-gi-route (stops drawn), data-gi-legs (leg labels, '|'-joined),
 * data-gi-view (the layer's key); data-gi-products is '' while the layer is pending,
 * then the number of product markers.  Clicks are reported like gi_map.js's: kinds
 * 'site' (a site's name), 'zone' (a zone's name), 'county', 'product'.
 */
(function () {
  'use strict';

  var GiMap = window.GiMap;
  var core = GiMap.core;
  var BADGE_STEP = 22; // px between the badges of two zones in one county
  // A route's stop: a dot on the line; its number stands off to the upper left, so the
  // icon of the site (or product) at the stop stays visible.
  var STOP_DOT = {radius: 4.5, color: '#b5332e', weight: 2.5, fillColor: '#fff', fillOpacity: 1};

  function badgeMarker(zone, feature, index, styleKey) {
    var p = feature.properties;
    // [adcode, name, badge text, style key, tooltip lines]
    // Badges stack upwards from just above the label point, where a site of the county
    // placed at its stand-in position has its icon: the icon stays clickable.
    var html = '<span class="gi-badge gi-badge-' + styleKey + '" style="margin-top:'
      + (-index * BADGE_STEP) + 'px">' + core.escapeHtml(zone[2]) + '</span>';
    var marker = L.marker([p.label_lat, p.label_lon], {
      icon: L.divIcon({className: 'gi-badge-anchor', iconSize: [0, 0], html: html}),
      riseOnHover: true,
    });
    marker.options.giZone = zone[1];
    marker.bindTooltip(zone[4].map(core.escapeHtml).join('<br>'), {direction: 'top'});
    marker.on('click', function () { core.report('zone', zone[1]); });
    return marker;
  }

  function drawZones(group, options) {
    var state = core.state;
    var perCounty = {};
    var badges = 0;
    (options.zones || []).forEach(function (zone) {
      var layer = state.counties[zone[0]];
      if (!layer) return;
      var styleKey = zone[3];
      var index = (perCounty[zone[0]] = (perCounty[zone[0]] || 0) + 1) - 1;
      L.geoJSON(layer.feature, {style: options.zoneStyles[styleKey], interactive: false})
        .addTo(group);
      group.addLayer(badgeMarker(zone, layer.feature, index, styleKey));
      badges += 1;
    });
    return badges;
  }

  function stopMarker(stop, number) {
    // [lat, lon, name, kind label]
    var marker = L.marker([stop[0], stop[1]], {
      icon: L.divIcon({className: 'gi-stop-anchor', iconSize: [0, 0],
        html: '<span class="gi-stop">' + number + '</span>'}),
      zIndexOffset: 1000,
    });
    marker.options.giStop = stop[2];
    marker.bindTooltip(core.escapeHtml(core.say('stop', {number: number, name: stop[2],
      kind: stop[3]})),
      {direction: 'top', offset: [0, -12]});
    return marker;
  }

  function legLabel(a, b, text) {
    return L.marker([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], {
      icon: L.divIcon({className: 'gi-leg-anchor', iconSize: [0, 0],
        html: '<span class="gi-leg">' + core.escapeHtml(text) + '</span>'}),
      interactive: false,
      keyboard: false,
    });
  }

  // The line and its stop dots go first, under the markers of the sites and products at
  // the stops; the numbers and leg labels (markers of their own) stay above everything.
  function drawRouteLine(group, route, style) {
    var stops = (route && route.stops) || [];
    if (stops.length > 1) {
      L.polyline(stops.map(function (s) { return [s[0], s[1]]; }),
        Object.assign({interactive: false}, style)).addTo(group);
    }
    stops.forEach(function (stop) {
      L.circleMarker([stop[0], stop[1]], Object.assign({interactive: false}, STOP_DOT))
        .addTo(group);
    });
  }

  function drawRouteLabels(group, route) {
    var stops = (route && route.stops) || [];
    var legs = (route && route.legs) || [];
    legs.forEach(function (text, i) {
      if (stops[i + 1]) group.addLayer(legLabel(stops[i], stops[i + 1], text));
    });
    stops.forEach(function (stop, i) { group.addLayer(stopMarker(stop, i + 1)); });
    return {stops: stops.length, legs: legs};
  }

  function selectedRing(data, name) {
    var f = core.fieldIndex(data.fields);
    var row = data.rows.find(function (r) { return r[f.name] === name; });
    if (!row) return null;
    return L.marker([row[f.lat], row[f.lon]], {
      icon: L.divIcon({className: 'gi-site-selected', iconSize: [38, 38], iconAnchor: [19, 19]}),
      interactive: false,
      keyboard: false,
      zIndexOffset: -100,
    });
  }

  GiMap.zonesSites = function (group, options) {
    var state = core.state;
    var map = state.map;
    var container = map.getContainer();
    var generation = (state.generation += 1);
    ['data-gi-products', 'data-gi-sites', 'data-gi-zones', 'data-gi-route', 'data-gi-legs']
      .forEach(function (name) { container.setAttribute(name, ''); });
    container.setAttribute('data-gi-view', '');
    Promise.all([core.load(options.rows), state.ready]).then(function (loaded) {
      if (generation !== state.generation) return; // a newer layer replaced this one
      var data = loaded[0];
      var zones = drawZones(group, options);
      if (options.circle) {
        var c = options.circle;
        L.circle([c.lat, c.lon], Object.assign({radius: c.km * 1000, interactive: false},
          options.circleStyle)).addTo(group);
      }
      drawRouteLine(group, options.route, options.routeStyle);
      if (options.selectedSite) {
        var ring = selectedRing(data.sites, options.selectedSite);
        if (ring) group.addLayer(ring);
      }
      var sites = core.siteMarkers(data.sites, options.sites, function (name) {
        core.report('site', name);
      });
      group.addLayer(L.featureGroup(sites));
      var products = core.productMarkers(data.products, options.products || [], {popups: false},
        state.options.styles);
      group.addLayer(L.featureGroup(products));
      var route = drawRouteLabels(group, options.route);
      container.setAttribute('data-gi-zones', String(zones));
      container.setAttribute('data-gi-sites', String(sites.length));
      container.setAttribute('data-gi-route', String(route.stops));
      container.setAttribute('data-gi-legs', route.legs.join('|'));
      container.setAttribute('data-gi-view', options.key || '');
      container.setAttribute('data-gi-products', String(products.length));
    }).catch(core.showProblem);
    core.frame(map, options.frame);
  };
})();
