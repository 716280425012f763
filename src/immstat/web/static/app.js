/* ImmStat dashboard: draw the Vega-Lite specs on the page, export buttons, filter forms.
 * No network: vega, vega-lite and vega-embed are vendored under /static/vendor. */
(function () {
  "use strict";
  var views = {};
  window.immstat = { views: views, ready: Promise.resolve([]) };

  // "/aor/{key}" + datum → "/aor/HOU"; null when a field is missing (e.g. an empty map area).
  function fill(template, datum) {
    var missing = false;
    var url = template.replace(/\{(\w+)\}/g, function (_, name) {
      var value = datum[name];
      if (value === undefined || value === null || value === "") { missing = true; return ""; }
      return encodeURIComponent(value);
    });
    return missing ? null : url;
  }

  function isMap(spec) {
    return (spec.layer || [spec]).some(function (l) {
      return l.mark === "geoshape" || (l.mark && l.mark.type === "geoshape");
    });
  }

  // Charts take the width of their box (maps keep their aspect ratio, up to 1000 px); on narrow
  // screens legends go below the chart and long titles are cut (the card heading has them whole).
  function fitWidth(spec, boxWidth) {
    var map = isMap(spec);
    var room = Math.floor(boxWidth) - 4;
    if (!spec.width || room <= 0) { return spec; }
    var out;
    if (map) {  // the projection fills width x height: keep the aspect ratio
      var width = Math.max(200, Math.min(room, 1000));
      out = Object.assign({}, spec, { width: width, height: Math.round(spec.height * width / spec.width) });
    } else {  // axes, labels and legend included in the box width
      out = Object.assign({}, spec, { width: Math.max(240, Math.min(room, 1100)),
                                      autosize: { type: "fit-x", contains: "padding" } });
    }
    if (boxWidth < 600) {
      if (map) { legendsBelow(out); }
      var config = Object.assign({}, spec.config || {});
      config.legend = Object.assign({}, config.legend || {}, { orient: "bottom", direction: "horizontal",
                                                              columns: Math.max(2, Math.floor(out.width / 120)) });
      config.title = Object.assign({}, config.title || {}, { limit: out.width - 20, subtitleFontSize: 10 });
      out.config = config;
    }
    return out;
  }

  // On a phone a legend placed inside a map covers it: the map's own legends go below it, a
  // layer drawn over it (the 287(g) counties) has its legend above it.
  function legendsBelow(spec) {
    (spec.layer || []).forEach(function (layer, i) {
      var colour = layer.encoding && layer.encoding.color;
      if (colour && colour.legend) {
        colour.legend = Object.assign({}, colour.legend, { orient: i < 2 ? "bottom" : "top" });
      }
    });
  }

  function embed(el) {
    var key = el.getAttribute("data-chart");
    var spec = JSON.parse(document.getElementById(key + "-spec").textContent);
    spec = fitWidth(spec, el.clientWidth);
    return vegaEmbed(el, spec, { renderer: "svg", actions: false }).then(function (res) {
      views[key] = res.view;
      var link = el.getAttribute("data-link");
      if (link) {
        res.view.addEventListener("click", function (event, item) {
          var url = item && item.datum ? fill(link, item.datum) : null;
          if (url) { window.location.assign(url); }
        });
      }
      el.setAttribute("data-ready", "true");
      return res.view;
    }).catch(function (err) {
      el.textContent = "This chart could not be drawn (" + err.message + "); the CSV link below has the numbers.";
      el.setAttribute("data-ready", "error");
      throw err;
    });
  }

  function download(url, name) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-export]");
    if (!button) { return; }
    var key = button.getAttribute("data-target");
    var type = button.getAttribute("data-export");
    var view = views[key];
    if (!view) { return; }
    view.toImageURL(type, type === "png" ? 2 : 1).then(function (url) {
      download(url, "immstat-" + key + "." + type);
    });
  });

  // Filter forms use GET, so the URL always holds the page state; submit as soon as a value changes.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit]"), function (form) {
    form.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
      b.classList.add("js-hidden");
    });
  });

  // On a phone the links are one sideways-scrolling row: bring the current page's link into view.
  // (scrollLeft, not scrollIntoView, which would also scroll the page away from a #fragment).
  var current = document.querySelector("header.site nav a[aria-current]");
  if (current) {
    var row = current.closest("nav");
    row.scrollLeft = current.offsetLeft - row.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
  }

  if (window.vegaEmbed) {
    window.immstat.ready = Promise.all(
      Array.prototype.map.call(document.querySelectorAll("[data-chart]"), embed));
  }
})();
