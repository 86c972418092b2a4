/* The planner's map: a plan's shops coloured by group, locked shops ringed in black.
 * Points come from the server already in the tiles' coordinate system (#plan-points, refreshed
 * with the work area after every change); areas and roads come from the region map's data.
 * Clicking a shop selects it in the table below, so shops can be picked on the map and moved. */
(function () {
  "use strict";
  var el = document.getElementById("plan-map");
  if (!el || !window.L) return;
  var settings = JSON.parse(document.getElementById("map-settings").textContent);
  var labels = JSON.parse(document.getElementById("plan-labels").textContent);
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!settings.attribution });
  if (settings.tileUrl) {
    L.tileLayer(settings.tileUrl, { maxZoom: settings.maxZoom, attribution: settings.attribution }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  var base = L.layerGroup().addTo(map);
  var shops = L.layerGroup().addTo(map);
  var markers = {}, fitted = false;

  function esc(s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }
  function data() { var s = document.getElementById("plan-points"); return s ? JSON.parse(s.textContent) : null; }
  function box(id) { return document.querySelector('#plan-edit input[name="entity"][value="' + id + '"]'); }

  fetch(settings.dataUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    L.geoJSON(d.areas, { style: { color: "#c62828", weight: 1.5, dashArray: "6 4", fill: false }, interactive: false }).addTo(base);
    L.geoJSON(d.roads, {
      style: { color: "#90a4ae", weight: 4, opacity: 0.7 },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name), { sticky: true }); }
    }).addTo(base);
    base.eachLayer(function (l) { if (l.bringToBack) l.bringToBack(); });
  }).catch(function () { /* the plan still draws without the background */ });

  function style(p, colours) {
    var b = box(p.id), on = b && b.checked;
    return {
      radius: on ? 9 : 6,
      color: on ? "#ffeb3b" : (p.locked ? "#000" : "#fff"),
      weight: on ? 4 : (p.locked ? 3 : 1.5),
      fillColor: colours[p.g] || "#999",
      fillOpacity: 0.92
    };
  }

  function count() {
    var out = document.getElementById("plan-selected");
    if (!out) return;
    var n = document.querySelectorAll('#plan-edit input[name="entity"]:checked').length;
    if (!out.dataset.empty) out.dataset.empty = out.textContent;
    out.textContent = n ? out.dataset.template.replace("%(n)s", n) : out.dataset.empty;
  }

  function draw() {
    var d = data();
    shops.clearLayers();
    markers = {};
    if (!d) return;
    var bounds = L.latLngBounds([]);
    d.points.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], style(p, d.colours));
      m.bindTooltip(esc(p.name) + "<br>" + esc(d.labels[p.g]) + " · " + esc(p.road) + " · " + esc(p.workers) + " " + esc(labels.workers) + (p.locked ? " · 🔒 " + esc(labels.locked) : ""));
      m.on("click", function () {
        var b = box(p.id);
        if (!b) return;
        b.checked = !b.checked;
        m.setStyle(style(p, d.colours));
        count();
      });
      m.addTo(shops);
      markers[p.id] = { marker: m, point: p };
      bounds.extend(m.getLatLng());
    });
    if (!fitted) {
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
      else map.setView([31.237, 121.46], 14);
      fitted = true;
    }
    count();
    el.dataset.ready = "1";
  }

  function restyle(id) {
    var d = data(), m = markers[id];
    if (d && m) m.marker.setStyle(style(m.point, d.colours));
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.name === "entity") { restyle(t.value); count(); return; }
    if (t.dataset && t.dataset.selectGroup !== undefined) {
      document.querySelectorAll('#plan-edit input[name="entity"][data-group="' + t.dataset.selectGroup + '"]').forEach(function (b) {
        b.checked = t.checked; restyle(b.value);
      });
      count();
    }
  });
  document.body.addEventListener("htmx:afterSettle", draw);
  draw();
})();
