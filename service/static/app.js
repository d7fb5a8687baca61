// Conciliamo: progressive enhancement of the public pages. Everything works without it;
// with it the search updates in place (htmx), the form gets presets, a comune
// autocomplete, "use my location" and siblings, and focus goes where the news is.
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  var PRESETS = {
    "tempo-pieno": [[1, 2, 3, 4, 5], "08:00", "17:00"],
    "mattina": [[1, 2, 3, 4, 5], "08:00", "13:00"],
    "pomeriggio": [[1, 2, 3, 4, 5], "13:00", "18:00"]
  };

  function applyPreset(select) {
    var preset = PRESETS[select.value];
    if (!preset) { return; }
    $all('input[name="days"]').forEach(function (box) {
      box.checked = preset[0].indexOf(Number(box.value)) !== -1;
    });
    $("#campo-from").value = preset[1];
    $("#campo-to").value = preset[2];
    select.value = "";  // the URL keeps the days and hours, not the preset
    var status = $("#stato-posizione");
    $("#campo-from").focus();
    if (status) { status.textContent = ""; }
  }

  function autocomplete(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var lastAsked = "";
    input.addEventListener("input", function () {
      var lat = $("#campo-lat"), lon = $("#campo-lon");
      if (lat && lon) { lat.value = ""; lon.value = ""; }  // a typed place replaces a position
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || text === lastAsked || text.indexOf(",") !== -1) { return; }
      timer = window.setTimeout(function () {
        lastAsked = text;
        fetch(input.dataset.autocomplete + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (comuni) {
            list.textContent = "";
            comuni.forEach(function (comune) {
              var option = document.createElement("option");
              option.value = comune.name;
              option.label = comune.province ? comune.name + " (" + comune.province + ")" : comune.name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* no suggestions: the field still works */ });
      }, 200);
    });
  }

  function useMyLocation(button) {
    if (!("geolocation" in navigator)) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = $("#stato-posizione");
      navigator.geolocation.getCurrentPosition(function (position) {
        $("#campo-lat").value = position.coords.latitude.toFixed(5);
        $("#campo-lon").value = position.coords.longitude.toFixed(5);
        $("#campo-place").value = "";
        status.textContent = button.dataset.found;
      }, function () {
        status.textContent = button.dataset.denied;
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
    });
  }

  function addChild(button) {
    button.addEventListener("click", function (event) {
      var children = $all("fieldset.child");
      var most = Number(button.dataset.maxChildren) || 1;
      if (children.length >= most) { return; }
      event.preventDefault();
      var last = children[children.length - 1];
      var copy = last.cloneNode(true);
      var number = children.length + 1;
      copy.dataset.child = String(number);
      $all("select, input", copy).forEach(function (field) {
        var base = field.name;  // birth_month / birth_year
        field.id = "campo-" + base + "_" + number;
        field.value = "";
        field.removeAttribute("aria-invalid");
        field.removeAttribute("aria-describedby");
      });
      $all("label", copy).forEach(function (label) {
        var base = label.htmlFor.replace(/^campo-/, "").replace(/_\d$/, "");
        label.htmlFor = "campo-" + base + "_" + number;
      });
      $all(".field-error", copy).forEach(function (error) { error.remove(); });
      var legend = $("legend", copy);
      legend.textContent = (button.dataset.childLegend || "{number}").replace("{number}", number);
      if (children.length === 1) {
        $("legend", last).textContent = (button.dataset.childLegend || "{number}").replace("{number}", 1);
      }
      last.parentNode.insertBefore(copy, last.nextSibling);
      if (number >= most) { button.hidden = true; }
      $("select", copy).focus();
    });
  }

  function focusNews(root) {
    var summary = $("#riepilogo-errori", root);
    if (summary) { summary.focus(); return true; }
    return false;
  }

  function enhance(root) {
    var main = $("#contenuto");
    if (!main || main.dataset.enhanced) { return; }
    main.dataset.enhanced = "1";
    var preset = $("#campo-preset", root);
    if (preset) { preset.addEventListener("change", function () { applyPreset(preset); }); }
    $all("input[data-autocomplete]", root).forEach(autocomplete);
    var locate = $("#usa-posizione", root);
    if (locate) { useMyLocation(locate); }
    var more = $('button[name="add_child"]', root);
    if (more) { addChild(more); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("js");
    enhance(document);
    focusNews(document);
  });

  // after htmx swapped the page's main part in: enhance it, then move focus to the errors
  // or to the results heading, so keyboard and screen-reader users hear what changed
  document.addEventListener("htmx:afterSettle", function (event) {
    var main = $("#contenuto");
    if (!main || main.dataset.enhanced) { return; }
    enhance(main);
    if (!focusNews(main)) {
      var heading = $("#risultati-titolo", main);
      if (heading) { heading.focus(); }
    }
  });
}());
