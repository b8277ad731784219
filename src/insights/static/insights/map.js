/* Districts on a Leaflet map, coloured by the figure chosen on the page. The same figures are in the
   data table below the map: the map is an extra, never the only way to read them. No base tiles: the
   page works offline and sends nothing to a tile server. */
(function () {
  "use strict";
  var element = document.getElementById("wt-map");
  if (!element || !window.L) { return; }
  var colours = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

  function label(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  fetch(element.dataset.url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var values = data.features.map(function (f) { return f.properties.value; }).filter(function (v) { return v !== null; });
      var min = Math.min.apply(null, values);
      var max = Math.max.apply(null, values);
      function colour(value) {
        if (value === null) { return "#d9d9d9"; }
        if (max === min) { return colours[2]; }
        return colours[Math.min(colours.length - 1, Math.floor(((value - min) / (max - min)) * colours.length))];
      }
      var map = L.map(element, { zoomSnap: 0.25 });
      var layer = L.geoJSON(data, {
        style: function (feature) {
          return { color: "#333", weight: 1, fillOpacity: 0.8, fillColor: colour(feature.properties.value) };
        },
        onEachFeature: function (feature, shape) {
          shape.bindTooltip(label(feature.properties.name + ": " + feature.properties.text));
          shape.on("click", function () { window.location.href = feature.properties.url; });
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      map.attributionControl.addAttribution(data.attribution);
    });
})();
