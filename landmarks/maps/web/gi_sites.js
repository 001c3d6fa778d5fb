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
    var perCounty = {};
    var badges = 0;
    (options.zones || []).forEach(function (zone) {
      var county = core.county(zone[0]);
      if (!county) return;
      var feature = county.feature;
      var styleKey = zone[3];
      var index = (perCounty[zone[0]] = (perCounty[zone[0]] || 0) + 1) - 1;
      L.geoJSON(feature, {style: options.zoneStyles[styleKey], interactive: false})
        .addTo(group);
      group.addLayer(badgeMarker(zone, feature, index, styleKey));
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
    var drawn = {stops: [], legs: []};
    legs.forEach(function (text, i) {
      if (!stops[i + 1]) return;
      var marker = legLabel(stops[i], stops[i + 1], text);
      group.addLayer(marker);
      drawn.legs.push({marker: marker, from: stops[i], to: stops[i + 1]});
    });
    stops.forEach(function (stop, i) {
      var marker = stopMarker(stop, i + 1);
      group.addLayer(marker);
      drawn.stops.push({marker: marker});
    });
    routeLabels = drawn;
    arrangeRoute();
    return {stops: stops.length, legs: legs};
  }

  // Stop numbers and leg labels keep clear of the zone badges (and of each other): each
  // takes the first of its candidate places (px from its default, tried in order) whose
  // box meets none of those placed before it; with none free, the one that meets least.
  // Placed again after every zoom, as the badges' distances change with it.
  var routeLabels = null;
  var STOP_PLACES = [[0, 0], [28, 0], [28, 28], [0, 28], [14, -12], [14, 40], [-12, 14],
    [40, 14], [0, -24], [28, -24], [-24, 0], [52, 0], [0, 52], [28, 52]];

  function boxOf(element) {
    var r = element.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  }

  function overlap(a, b) {
    var w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    var h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    return w > 0 && h > 0 ? w * h : 0;
  }

  // A badge or another label costs its overlap in full; a site icon a tenth of it.
  function place(element, base, shifts, taken, icons) {
    var best = null;
    for (var i = 0; i < shifts.length; i += 1) {
      element.style.transform = base(shifts[i]);
      var box = boxOf(element);
      var cost = taken.reduce(function (sum, other) { return sum + overlap(box, other); }, 0)
        + icons.reduce(function (sum, other) { return sum + overlap(box, other) / 10; }, 0);
      if (best === null || cost < best.cost) best = {cost: cost, shift: shifts[i], box: box};
      if (cost === 0) break;
    }
    element.style.transform = base(best.shift);
    taken.push(best.box);
  }

  function arrangeRoute() {
    var drawn = routeLabels;
    var map = core.map();
    if (!drawn || !map) return;
    var container = map.getContainer();
    // The badges first; the site icons too, where a place clear of both is left.
    var taken = [].map.call(container.querySelectorAll('.gi-badge'), boxOf);
    var icons = [].map.call(container.querySelectorAll('.gi-site'), boxOf);
    drawn.stops.forEach(function (stop) {
      var element = stop.marker.getElement();
      var span = element && element.querySelector('.gi-stop');
      if (!span) return;
      place(span, function (shift) {
        return 'translate(calc(-115% + ' + shift[0] + 'px), calc(-115% + ' + shift[1] + 'px))';
      }, STOP_PLACES, taken, icons);
    });
    drawn.legs.forEach(function (leg) {
      var element = leg.marker.getElement();
      var span = element && element.querySelector('.gi-leg');
      if (!span) return;
      // Along the leg (a share of its length on screen), then off it either side.
      var a = map.latLngToContainerPoint([leg.from[0], leg.from[1]]);
      var b = map.latLngToContainerPoint([leg.to[0], leg.to[1]]);
      var along = [b.x - a.x, b.y - a.y];
      var length = Math.max(1, Math.hypot(along[0], along[1]));
      var across = [-along[1] / length * 16, along[0] / length * 16];
      var shifts = [];
      [0, 0.15, -0.15, 0.3, -0.3].forEach(function (f) {
        [0, 1, -1, 2, -2].forEach(function (k) {
          shifts.push([along[0] * f + across[0] * k, along[1] * f + across[1] * k]);
        });
      });
      place(span, function (shift) {
        return 'translate(calc(-50% + ' + Math.round(shift[0]) + 'px), calc(-50% + '
          + Math.round(shift[1]) + 'px))';
      }, shifts, taken, icons);
    });
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
    var map = core.map();
    routeLabels = null;
    if (!map.giArrangesRoute) {
      map.giArrangesRoute = true;
      map.on('zoomend', arrangeRoute);
    }
    var container = map.getContainer();
    var generation = core.nextLayer();
    ['data-gi-products', 'data-gi-sites', 'data-gi-zones', 'data-gi-route', 'data-gi-legs']
      .forEach(function (name) { container.setAttribute(name, ''); });
    container.setAttribute('data-gi-view', '');
    Promise.all([core.load(options.rows), core.ready()]).then(function (loaded) {
      if (!core.isCurrent(generation)) return; // a newer layer replaced this one
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
        core.styles());
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
