// Conciliamo: the maps of the results and of a service (Leaflet, from our own files).
// The list is always the complete way to read the results; the map is an extra. When the
// tiles cannot load the map says so and steps aside, leaving the list.
(function () {
  "use strict";

  function point(element) {
    var lat = parseFloat(element.dataset.lat), lon = parseFloat(element.dataset.lon);
    return isFinite(lat) && isFinite(lon) ? [lat, lon] : null;
  }

  function popup(name, url) {
    // built from text nodes: names come from open data files, never parsed as HTML
    var link = document.createElement(url ? "a" : "span");
    if (url) { link.href = url; }
    link.textContent = name;
    return link;
  }

  function asHtmlText(text) {
    var holder = document.createElement("span");
    holder.textContent = text;
    return holder.innerHTML;
  }

  function giveUp(container) {
    container.classList.add("map-unavailable");
    container.textContent = container.dataset.unavailable || "";
    container.removeAttribute("role");
  }

  function draw(container) {
    if (container.dataset.drawn || typeof window.L === "undefined") { return; }
    container.dataset.drawn = "1";
    var L = window.L;
    var map = L.map(container, { scrollWheelZoom: false, keyboard: true });
    var tiles = L.tileLayer(container.dataset.tiles, {
      maxZoom: 19,
      attribution: asHtmlText(container.dataset.attribution || "")  // Leaflet writes it as HTML
    });
    var loaded = 0, failed = 0;
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (failed >= 4 && loaded === 0) { map.remove(); giveUp(container); }
    });
    tiles.addTo(map);

    var bounds = [];
    var own = point(container);
    if (own) {
      L.circleMarker(own, { radius: 9, className: "marker-service" })
        .bindPopup(popup(container.dataset.name || "")).addTo(map);
      bounds.push(own);
    }
    var home = point({ dataset: { lat: container.dataset.homeLat, lon: container.dataset.homeLon } });
    if (home) {
      L.circleMarker(home, { radius: 7, className: "marker-home" })
        .bindPopup(popup(container.dataset.homeLabel || "")).addTo(map);
      bounds.push(home);
    }
    Array.prototype.forEach.call(document.querySelectorAll(".result[data-lat]"), function (item, index) {
      var where = point(item);
      if (!where) { return; }
      L.circleMarker(where, { radius: 8, className: "marker-service" })
        .bindPopup(popup((index + 1) + ". " + item.dataset.name, item.dataset.url)).addTo(map);
      bounds.push(where);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); }
    else if (bounds.length === 1) { map.setView(bounds[0], 15); }
    else { giveUp(container); }
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("#mappa[data-tiles]"), draw);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
}());
