/* The coverage map: entities coloured by coverage status, grids and areas shaded by coverage
 * rate, street-block branch zones. Layers come from the server already in the tiles'
 * coordinate system (see jiequ.coverage.map_data); filters reload the data, not the page. */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("coverage-map-settings").textContent);
  var L_ = settings.labels;
  var el = document.getElementById("coverage-map");
  var form = document.getElementById("map-filters");
  var summary = document.getElementById("map-summary");
  var ZONE_COLOURS = ["#1565c0", "#6a1b9a", "#00838f", "#ef6c00", "#2e7d32", "#ad1457", "#4e342e", "#283593"];
  var CLASSES = [[0.8, "#7a0177"], [0.6, "#c51b8a"], [0.4, "#f768a1"], [0.2, "#fa9fb5"], [0, "#fde0dd"]];

  function esc(s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }
  function shade(value) {
    if (value === null || value === undefined) return "#eeeeee";
    for (var i = 0; i < CLASSES.length; i++) if (value >= CLASSES[i][0]) return CLASSES[i][1];
    return CLASSES[CLASSES.length - 1][1];
  }

  var map = L.map(el, { zoomControl: true, zoomSnap: 0.25, attributionControl: !!settings.attribution });
  if (settings.tileUrl) {
    L.tileLayer(settings.tileUrl, { maxZoom: settings.maxZoom, attribution: settings.attribution }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  var groups = {
    areas: L.layerGroup().addTo(map),
    grids: L.layerGroup().addTo(map),
    zones: L.layerGroup().addTo(map),
    roads: L.layerGroup().addTo(map),
    entities: L.layerGroup().addTo(map)
  };
  var overlays = {};
  overlays[L_.area] = groups.areas; overlays[L_.grid] = groups.grids; overlays[L_.zone] = groups.zones;
  overlays[L_.road] = groups.roads; overlays[L_.entities] = groups.entities;
  L.control.layers(null, overlays, { collapsed: window.innerWidth < 700 }).addTo(map);

  var data = null, fitted = false;

  function measure() { return form.elements.measure.value === "covered" ? "covered" : "official"; }

  function regionPopup(p) {
    return "<strong>" + esc(p.name) + "</strong><br>" +
      L_.official + "：" + esc(p.official_text) + "（" + p.official + "/" + p.non_public + "）<br>" +
      L_.covered + "：" + esc(p.covered_text) + "（" + p.covered + "/" + p.operating + "）<br>" +
      '<a href="' + esc(p.url) + '">' + L_.list + "</a>";
  }

  function draw() {
    var statusLabels = {};
    data.legend.forEach(function (item) { statusLabels[item.status] = item.label; });
    Object.keys(groups).forEach(function (k) { groups[k].clearLayers(); });
    var key = measure() === "covered" ? "covered_share" : "official_ratio";
    var bounds = L.latLngBounds([]);
    function regions(fc, group, weight, opacity) {
      var layer = L.geoJSON(fc, {
        style: function (f) { return { color: "#5d4037", weight: weight, fillColor: shade(f.properties[key]), fillOpacity: opacity }; },
        onEachFeature: function (f, l) {
          l.bindPopup(regionPopup(f.properties));
          l.bindTooltip(esc(f.properties.name) + " " + esc(measure() === "covered" ? f.properties.covered_text : f.properties.official_text), { sticky: true });
        }
      });
      group.addLayer(layer);
      if (layer.getLayers().length) bounds.extend(layer.getBounds());
    }
    // Areas only outline when grids exist (the grids carry the finer shading).
    var hasGrids = data.grids.features.length > 0;
    regions(data.areas, groups.areas, 3, hasGrids ? 0 : 0.55);
    regions(data.grids, groups.grids, 1, 0.55);
    groups.roads.addLayer(L.geoJSON(data.roads, {
      style: { color: "#455a64", weight: 3, opacity: 0.7 },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name)); }
    }));
    groups.zones.addLayer(L.geoJSON(data.zones, {
      style: function (f) { var c = ZONE_COLOURS[f.properties.index % ZONE_COLOURS.length]; return { color: c, weight: 2, dashArray: "6 4", fillColor: c, fillOpacity: 0.08 }; },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindTooltip(esc(p.name) + " · " + p.shops + " " + L_.shops, { sticky: true });
        if (p.url) l.bindPopup('<a href="' + esc(p.url) + '">' + esc(p.name) + "</a><br>" + p.shops + " " + L_.shops);
      }
    }));
    var points = L.geoJSON(data.entities, {
      pointToLayer: function (f, latlng) {
        var p = f.properties;
        return L.circleMarker(latlng, { radius: p.shop ? 5 : 6, color: "#fff", weight: 1, fillColor: settings.colours[p.status], fillOpacity: 0.95 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        var url = data.entity_url.replace("/0/", "/" + p.id + "/");
        l.bindPopup('<a href="' + esc(url) + '">' + esc(p.name) + "</a><br>" + esc(statusLabels[p.status]) +
          (p.organisation ? "：" + esc(p.organisation) : "") + "<br>" + L_.members + " " + p.members);
      }
    });
    groups.entities.addLayer(points);
    if (points.getLayers().length) bounds.extend(points.getBounds());
    var n = data.entities.features.length;
    summary.textContent = n + " " + L_.operating + " · " + L_.grid + " " + data.grids.features.length + " · " + L_.zone + " " + data.zones.features.length;
    if (!fitted) {
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
      else { map.setView([31.237, 121.46], 14); summary.textContent = L_.noData; }
      fitted = true;
    }
    el.dataset.ready = "1";
  }

  function params() {
    var q = new URLSearchParams();
    ["category", "road"].forEach(function (k) { if (form.elements[k].value) q.set(k, form.elements[k].value); });
    return q;
  }

  function load() {
    el.dataset.ready = "";
    var q = params();
    fetch(settings.dataUrl + (q.toString() ? "?" + q.toString() : ""), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) { data = d; draw(); });
  }

  form.addEventListener("change", function (e) {
    var q = params();
    if (measure() === "covered") q.set("measure", "covered");
    history.replaceState(null, "", window.location.pathname + (q.toString() ? "?" + q.toString() : ""));
    if (e.target.name === "measure" && data) draw(); else load();
  });
  load();
})();
