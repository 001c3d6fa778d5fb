/* The 南海诸岛 inset of a map of the whole country (landmarks/maps/screen_inset.py).
 *
 * GiMap.inset(map, options): a second, still Leaflet map in the lower right corner of
 * `map`, framed on options.bounds, drawing options.land (the country's land there) and
 * options.sea (the national 海域 lines), titled options.title; options.approval (the
 * 审图号 line) joins the main map's attribution.  The container gets
 * data-gi-inset="south-china-sea" once drawn (tests).
 */
(function () {
  'use strict';
  var GiMap = window.GiMap = window.GiMap || {};

  function escapeText(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  // The inset's size in px for the map's width: smaller on a phone.
  function insetSize(map) {
    var width = map.getContainer().clientWidth;
    var across = width < 480 ? 72 : (width < 1000 ? 96 : 120);
    return [across, Math.round(across * 1.15)];
  }

  GiMap.inset = function (map, options) {
    var size = insetSize(map);
    var control = L.control({position: 'bottomright'});
    control.onAdd = function () {
      var box = L.DomUtil.create('div', 'gi-inset leaflet-bar');
      box.setAttribute('role', 'img');
      box.setAttribute('aria-label', options.title);
      box.style.background = '#fff';
      box.style.padding = '0';
      box.style.lineHeight = '1.2';
      var holder = L.DomUtil.create('div', 'gi-inset-map', box);
      holder.style.width = size[0] + 'px';
      holder.style.height = size[1] + 'px';
      holder.style.background = '#fff';
      var title = L.DomUtil.create('div', 'gi-inset-title', box);
      title.textContent = options.title;
      title.style.cssText = 'font-size:11px;color:#2b2520;text-align:right;padding:0 4px 2px';
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    var holder = control.getContainer().querySelector('.gi-inset-map');
    var inset = L.map(holder, {
      zoomControl: false,
      attributionControl: false,
      dragging: false,
      touchZoom: false,
      scrollWheelZoom: false,
      doubleClickZoom: false,
      boxZoom: false,
      keyboard: false,
      zoomSnap: 0,
      renderer: L.svg({padding: 0})
    });
    L.geoJSON(options.land, {
      interactive: false,
      style: {color: '#6b6258', weight: 0.6, fillColor: '#f3efe8', fillOpacity: 1}
    }).addTo(inset);
    L.geoJSON(options.sea, {
      interactive: false,
      style: {color: '#2b2520', weight: 1.2, fill: false}
    }).addTo(inset);
    inset.fitBounds(options.bounds, {padding: [0, 0], animate: false});
    if (options.approval) {
      var attribution = map.attributionControl;
      if (!attribution) {
        attribution = L.control.attribution({prefix: false}).addTo(map);
      }
      attribution.addAttribution(escapeText(options.approval));
    }
    map.getContainer().setAttribute('data-gi-inset', 'south-china-sea');
    return inset;
  };
})();
