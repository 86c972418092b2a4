/* Jiequ maps: the region map, a building's mini map and the point picker.
 * Layers come from the server already in the tiles' coordinate system (settings.tileCrs).
 * Points typed into forms are WGS-84, so they are shifted here for display and back on a pick.
 * The map draws its own shapes with no tile server at all. */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("map-settings").textContent);
  var L_ = settings.labels;

  // GCJ-02 offset (same algorithm as jiequ.core.coords; (lat, lon) order).
  var A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lat, lon) { return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function tLon(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function toGcj(lat, lon) {
    if (outOfChina(lat, lon)) return [lat, lon];
    var dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    var rad = lat / 180 * Math.PI, m = 1 - EE * Math.sin(rad) * Math.sin(rad), s = Math.sqrt(m);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (m * s) * Math.PI);
    dLon = (dLon * 180) / (A / s * Math.cos(rad) * Math.PI);
    return [lat + dLat, lon + dLon];
  }
  function fromGcj(lat, lon) {
    var w = [lat, lon];
    for (var i = 0; i < 30; i++) {
      var g = toGcj(w[0], w[1]), eLat = g[0] - lat, eLon = g[1] - lon;
      w = [w[0] - eLat, w[1] - eLon];
      if (Math.abs(eLat) < 1e-9 && Math.abs(eLon) < 1e-9) break;
    }
    return w;
  }
  var gcj = settings.tileCrs === "gcj02";
  function show(lat, lon) { return gcj ? toGcj(lat, lon) : [lat, lon]; }
  function store(lat, lon) { return gcj ? fromGcj(lat, lon) : [lat, lon]; }

  function esc(s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }

  function baseMap(el) {
    var map = L.map(el, { zoomControl: true, zoomSnap: 0.25, attributionControl: !!settings.attribution });
    if (settings.tileUrl) {
      L.tileLayer(settings.tileUrl, { maxZoom: settings.maxZoom, attribution: settings.attribution }).addTo(map);
    } else {
      el.classList.add("no-tiles");
    }
    return map;
  }

  function drawLayers(map, data, options) {
    options = options || {};
    var bounds = L.latLngBounds([]);
    function add(layer) { layer.addTo(map); if (layer.getBounds && layer.getLayers().length) bounds.extend(layer.getBounds()); return layer; }
    var overlays = {};
    overlays[L_.subdistrict] = add(L.geoJSON(data.subdistricts, { style: { color: "#b71c1c", weight: 3, fill: false } }));
    overlays[L_.area] = add(L.geoJSON(data.areas, {
      style: { color: "#c62828", weight: 2, dashArray: "6 4", fillColor: "#ffcdd2", fillOpacity: 0.15 },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name), { sticky: true }); }
    }));
    overlays[L_.grid] = add(L.geoJSON(data.grids, {
      style: { color: "#6d4c41", weight: 1, fillOpacity: 0.04 },
      onEachFeature: function (f, l) {
        l.bindPopup(L_.grid + " · " + esc(f.properties.name) + " (" + esc(f.properties.code) + ")");
        l.bindTooltip(esc(f.properties.name), { permanent: true, direction: "center", className: "grid-label" });
      }
    }));
    overlays[L_.road] = add(L.geoJSON(data.roads, {
      style: { color: "#455a64", weight: 4, opacity: 0.8 },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name), { permanent: true, direction: "center", className: "road-label" }); }
    }));
    overlays[L_.building] = add(L.geoJSON(data.buildings, {
      pointToLayer: function (f, latlng) {
        var selected = options.highlight && f.properties.id === options.highlight;
        return L.circleMarker(latlng, { radius: selected ? 9 : 6, color: "#fff", weight: 2, fillColor: selected ? "#d32f2f" : "#1565c0", fillOpacity: 0.95 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindPopup('<a href="' + esc(p.url) + '">' + esc(p.name) + "</a><br>" + esc(p.address) + "<br>" + esc(p.floors) + " " + L_.floors + " · " + esc(p.grid));
      }
    }));
    if (data.shops && data.shops.features.length) {
      overlays[L_.shop] = add(L.geoJSON(data.shops, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 4, color: "#fff", weight: 1, fillColor: "#ef6c00", fillOpacity: 0.9 });
        },
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindPopup('<a href="' + esc(p.url) + '">' + esc(p.name) + "</a><br>" + esc(p.address) + "<br>" + esc(p.state));
        }
      }));
    }
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 700 }).addTo(map);
    // Open on the user's own grids when they have some (a grid worker sees one grid),
    // else on everything drawn.
    var own = overlays[L_.grid];
    return own.getLayers().length ? own.getBounds() : bounds;
  }

  function load(cb) {
    fetch(settings.dataUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(cb);
  }

  var full = document.getElementById("map");
  if (full) {
    var map = baseMap(full);
    load(function (data) {
      var bounds = drawLayers(map, data);
      var n = function (k) { return data[k].features.length; };
      document.getElementById("map-summary").textContent =
        L_.area + " " + n("areas") + " · " + L_.grid + " " + n("grids") + " · " + L_.road + " " + n("roads") + " · " + L_.building + " " + n("buildings") +
        (n("shops") ? " · " + L_.shop + " " + n("shops") : "");
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
      else { map.setView([31.237, 121.46], 14); document.getElementById("map-summary").textContent = L_.noData; }
      full.dataset.ready = "1";
    });
  }

  var mini = document.getElementById("mini-map");
  if (mini) {
    var m2 = baseMap(mini), here = show(parseFloat(mini.dataset.lat), parseFloat(mini.dataset.lon));
    load(function (data) { drawLayers(m2, data); mini.dataset.ready = "1"; });
    L.circleMarker(here, { radius: 10, color: "#fff", weight: 3, fillColor: "#d32f2f", fillOpacity: 1 }).addTo(m2);
    m2.setView(here, 17);
  }

  var picker = document.getElementById("point-picker");
  if (picker) {
    var m3 = baseMap(picker), latIn = document.getElementById("id_lat"), lonIn = document.getElementById("id_lon"), marker = null;
    function place() {
      var lat = parseFloat(latIn.value), lon = parseFloat(lonIn.value);
      if (isNaN(lat) || isNaN(lon)) return false;
      var p = show(lat, lon);
      if (marker) marker.setLatLng(p); else marker = L.marker(p).addTo(m3);
      return p;
    }
    load(function (data) {
      var bounds = drawLayers(m3, data), p = place();
      if (p) m3.setView(p, 17); else if (bounds.isValid()) m3.fitBounds(bounds); else m3.setView([31.237, 121.46], 14);
      picker.dataset.ready = "1";
    });
    m3.on("click", function (e) {
      var w = store(e.latlng.lat, e.latlng.lng);
      latIn.value = w[0].toFixed(6); lonIn.value = w[1].toFixed(6); place();
    });
    latIn.addEventListener("change", place); lonIn.addEventListener("change", place);
  }
})();
