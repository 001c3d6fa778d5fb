/* 湖北地标品牌地图 — a map's first script (landmarks/maps/assets.py boot_script).
 *
 * streamlit-folium loads a map's scripts one after the other, then its style sheets, then
 * runs the map, which only then asks for its geometry.  This script comes first and small:
 * it adds the style sheet and starts fetching the base files (window.GiMapBoot.files, the
 * counties' and prefectures' GeoJSON) at once, so they arrive while the script bundle
 * (Leaflet, markercluster, gi_map.js ...) loads and runs.  GiMap's loader (gi_map.js
 * load) takes these requests over from window.GiMapEarly instead of starting its own.
 */
(function () {
  'use strict';

  var boot = window.GiMapBoot || {};
  var early = (window.GiMapEarly = window.GiMapEarly || {});
  if (boot.css && !document.querySelector('link[data-gi-boot]')) {
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = boot.css;
    link.setAttribute('data-gi-boot', '');
    document.head.appendChild(link);
  }
  if (!window.fetch) return;
  (boot.files || []).forEach(function (url) {
    if (early[url]) return;
    early[url] = fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
      return response.json();
    });
    early[url].catch(function () {}); // GiMap reports it when the map asks for the file
  });
})();
