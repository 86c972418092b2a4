/* Service points on the map: coloured by kind, grey when closed now; areas, grids and roads
 * for orientation. Layers come already in the tiles' coordinate system
 * (jiequ.volunteers.map_data); the kind filter reloads the data, not the page. */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("points-map-settings").textContent);
  var L_ = settings.labels;
  var el = document.getElementById("points-map");
  var form = document.getElementById("map-filters");
  var summary = document.getElementById("map-summary");

  function esc(s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }

  var map = L.map(el, { zoomControl: true, zoomSnap: 0.25, attributionControl: !!settings.attribution });
  if (settings.tileUrl) {
    L.tileLayer(settings.tileUrl, { maxZoom: settings.maxZoom, attribution: settings.attribution }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  var groups = {
    areas: L.layerGroup().addTo(map),
    grids: L.layerGroup().addTo(map),
    roads: L.layerGroup().addTo(map),
    points: L.layerGroup().addTo(map)
  };
  var overlays = {};
  overlays[L_.area] = groups.areas; overlays[L_.grid] = groups.grids;
  overlays[L_.road] = groups.roads; overlays[L_.points] = groups.points;
  L.control.layers(null, overlays, { collapsed: window.innerWidth < 700 }).addTo(map);
  var fitted = false;

  function draw(data) {
    Object.keys(groups).forEach(function (k) { groups[k].clearLayers(); });
    var bounds = L.latLngBounds([]);
    var areas = L.geoJSON(data.areas, { style: { color: "#5d4037", weight: 3, fillOpacity: 0.03 } });
    groups.areas.addLayer(areas);
    if (areas.getLayers().length) bounds.extend(areas.getBounds());
    groups.grids.addLayer(L.geoJSON(data.grids, {
      style: { color: "#8d6e63", weight: 1, dashArray: "4 3", fillOpacity: 0 },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name), { permanent: false, sticky: true }); }
    }));
    groups.roads.addLayer(L.geoJSON(data.roads, {
      style: { color: "#455a64", weight: 3, opacity: 0.6 },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name)); }
    }));
    var open = 0;
    var points = L.geoJSON(data.points, {
      pointToLayer: function (f, latlng) {
        var p = f.properties;
        if (p.open) open += 1;
        var colour = p.open ? data.colours[p.kind] : "#9e9e9e";
        return L.circleMarker(latlng, { radius: 9, color: data.colours[p.kind], weight: 3, fillColor: colour, fillOpacity: 0.9 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        var state = !p.active ? L_.inactive : (p.open ? L_.open : L_.closed);
        l.bindTooltip(esc(p.name));
        l.bindPopup("<strong>" + esc(p.name) + "</strong><br>" + esc(p.kind_label) + " · " + esc(state) +
          "<br>" + esc(p.address) + "<br>" + L_.today + "：" + esc(p.today) +
          (p.offers.length ? "<br>" + p.offers.map(esc).join("、") : "") +
          (p.url ? '<br><a href="' + esc(p.url) + '">' + L_.details + "</a>" : ""));
      }
    });
    groups.points.addLayer(points);
    if (points.getLayers().length) bounds.extend(points.getBounds());
    var n = data.points.features.length;
    summary.textContent = L_.summary.replace("%(n)s", n).replace("%(open)s", open);
    if (!fitted) {
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
      else { map.setView([31.237, 121.46], 14); summary.textContent = L_.noData; }
      fitted = true;
    }
    el.dataset.ready = "1";
  }

  function load() {
    el.dataset.ready = "";
    var q = new URLSearchParams();
    if (form.elements.kind.value) q.set("kind", form.elements.kind.value);
    fetch(settings.dataUrl + (q.toString() ? "?" + q.toString() : ""), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(draw);
  }
  form.addEventListener("change", function () {
    var q = new URLSearchParams(new FormData(form));
    history.replaceState(null, "", "?" + q.toString());
    load();
  });
  load();
})();
