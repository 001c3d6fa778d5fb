/* 湖北地标品牌地图 — online basemaps under the overlay (loaded after gi_map.js).
 *
 * GiMap.basemap(map, options) adds the tile layers of the chosen basemap
 * (landmarks/maps/basemaps.py basemap_options).  Amap (高德) tiles are drawn in GCJ-02,
 * so with options.gcj02 every overlay coordinate is shifted from WGS-84 to GCJ-02 as it
 * is drawn: GeoJSON (counties, prefectures, areas) through the GeoJSON layers'
 * coordsToLatLng, markers (products, sites, labels) when they are created.  The map's
 * framing bounds stay WGS-84 (the shift is about 0.6 km).  When the tiles cannot load
 * (offline, blocked) the tile layers are removed, the counties drawn opaque again and a
 * notice shown: the map keeps working without a basemap.  The container tells tests
 * what is drawn: data-gi-basemap (the basemap's name, 'none' after falling back) and
 * data-gi-basemap-failed (the basemap that could not load).
 */
(function () {
  'use strict';

  var GiMap = (window.GiMap = window.GiMap || {});

  // The standard WGS-84 -> GCJ-02 forward formula (Krasovsky 1940 ellipsoid), as in
  // landmarks/data/coords.py wgs84_to_gcj02.
  var A = 6378245.0;
  var EE = 0.00669342162296594323;
  var PI = Math.PI;
  var STALL_MS = 15000; // no tile at all after this long: fall back to no basemap

  function deltaLat(x, y) {
    var ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    ret += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    ret += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    ret += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    return ret;
  }

  function deltaLon(x, y) {
    var ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    ret += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    ret += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    ret += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    return ret;
  }

  // [lon, lat] in WGS-84 -> [lon, lat] in GCJ-02.
  function wgs84ToGcj02(lon, lat) {
    var dlat = deltaLat(lon - 105.0, lat - 35.0);
    var dlon = deltaLon(lon - 105.0, lat - 35.0);
    var radlat = lat / 180.0 * PI;
    var magic = 1.0 - EE * Math.sin(radlat) * Math.sin(radlat);
    var sqrtmagic = Math.sqrt(magic);
    dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrtmagic) * PI);
    dlon = (dlon * 180.0) / (A / sqrtmagic * Math.cos(radlat) * PI);
    return [lon + dlon, lat + dlat];
  }

  function shifted(latlng) {
    var p = wgs84ToGcj02(latlng.lng, latlng.lat);
    return L.latLng(p[1], p[0], latlng.alt);
  }

  // From here on, overlay geometry created in this frame is drawn in GCJ-02.
  var hooked = false;
  function shiftOverlay() {
    if (hooked) return;
    hooked = true;
    L.GeoJSON.mergeOptions({
      coordsToLatLng: function (coords) {
        var p = wgs84ToGcj02(coords[0], coords[1]);
        return L.latLng(p[1], p[0], coords[2]);
      },
    });
    function shiftMarker() {
      // A cluster's position is computed from its (already shifted) children.
      if (L.MarkerCluster && this instanceof L.MarkerCluster) return;
      if (this._latlng) this._latlng = shifted(this._latlng);
    }
    L.Marker.addInitHook(shiftMarker);
    L.CircleMarker.addInitHook(shiftMarker);
  }

  function showNotice(container, text) {
    if (container.querySelector('.gi-basemap-notice')) return;
    var box = L.DomUtil.create('div', 'gi-basemap-notice', container);
    box.setAttribute('role', 'status');
    box.textContent = text;
    box.style.cssText = 'position:absolute;z-index:1000;bottom:28px;left:50%;'
      + 'transform:translateX(-50%);background:#fff8e1;color:#5d4037;'
      + 'border:1px solid #c9a227;border-radius:4px;padding:4px 12px;font-size:14px;'
      + 'box-shadow:0 1px 4px rgba(0,0,0,.2);pointer-events:none;';
  }

  GiMap.basemap = function (map, options) {
    var container = map.getContainer();
    if (options.gcj02) shiftOverlay();
    container.setAttribute('data-gi-basemap', options.name);
    var loaded = 0;
    var failed = false;
    var layers = options.layers.map(function (spec) {
      var layer = L.tileLayer(spec.url, {
        attribution: spec.attribution,
        subdomains: spec.subdomains || 'abc',
        maxZoom: spec.maxZoom,
        maxNativeZoom: spec.maxZoom,
      });
      layer.on('tileload', function () { loaded += 1; clearTimeout(timer); });
      layer.on('tileerror', function () {
        // A tile missing here and there is the server's; none loading is no basemap.
        if (!loaded) fallBack();
      });
      return layer.addTo(map);
    });
    // Requests that hang (a network that drops them) count as failed after a while.
    var timer = setTimeout(function () { if (!loaded) fallBack(); }, STALL_MS);

    function fallBack() {
      if (failed) return;
      failed = true;
      clearTimeout(timer);
      // Removed first: the attribution control drops the layer's credit on its 'remove'.
      layers.forEach(function (layer) { map.removeLayer(layer); layer.off(); });
      if (GiMap.core && options.offlineStyles) GiMap.core.restyleCounties(options.offlineStyles);
      container.setAttribute('data-gi-basemap', 'none');
      container.setAttribute('data-gi-basemap-failed', options.name);
      showNotice(container, options.notice);
    }
  };

  GiMap.gcj02 = {wgs84ToGcj02: wgs84ToGcj02};
})();
