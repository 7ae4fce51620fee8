/*
 * Corridor Atlas map: turns one JSON configuration from geo/maps.py into Leaflet layers.
 *
 * Python sends data, never markup: catalogue strings reach the page as text (textContent) or as
 * tooltip strings HTML-escaped on the server (geo/mapdata.py). Everything that repeats is sent
 * once in shared tables and referred to by index (the row formats are in geo/mapdata.py).
 *
 * The one entry point is CorridorAtlas.draw(map, config). The last map drawn is also
 * CorridorAtlas.last ({map, data, config}) for tests and the bench.
 */
(function () {
  "use strict";

  function element(parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = text; }
    if (cls) { el.className = cls; }
    if (parent) { parent.appendChild(el); }
    return el;
  }

  function svgLine(parent, colour, dash, width, round) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var line = document.createElementNS(ns, "line");
    svg.setAttribute("width", "34");
    svg.setAttribute("height", "10");
    [["x1", "1"], ["y1", "5"], ["x2", "33"], ["y2", "5"], ["stroke", colour],
      ["stroke-width", String(width)], ["stroke-dasharray", dash]].forEach(function (a) {
      line.setAttribute(a[0], a[1]);
    });
    if (round) { line.setAttribute("stroke-linecap", "round"); }
    svg.appendChild(line);
    parent.appendChild(svg);
  }

  // One map: its configuration (`config`: colours, basemap, texts) is set once; what a scenario
  // draws (`layers`: data, overlays, legend, labels, marks) arrives with `update`, again on
  // every scenario change of the dashboard, replacing the last without reloading the map.
  function Atlas(map, config) {
    this.map = map;
    this.config = config;
    this.layers = null;
    this.owned = [];  // what the last update added to the map: removed by the next
    this.handlers = [];  // the map's event handlers it set: removed likewise
    this.generation = 0;  // a data fetch answering an older update is ignored
    this.fitted = null;  // the corridors the view was last fitted to
  }

  Atlas.prototype.start = function () {
    var config = this.config, box = this.map.getContainer();
    Object.keys(config.colours).forEach(function (name) {
      box.style.setProperty("--ca-" + name, config.colours[name]);
    });
    if (config.layers) { this.update(config.layers); }  // a page of its own: drawn at once
    return this;
  };

  Atlas.prototype.own = function (layer) {
    this.owned.push(layer);
    return layer;
  };

  Atlas.prototype.on = function (event, handler) {
    this.handlers.push([event, handler]);
    this.map.on(event, handler);
  };

  Atlas.prototype.clear = function () {
    var map = this.map, box = map.getContainer();
    this.owned.forEach(function (layer) { layer.remove(); });
    this.handlers.forEach(function (h) { map.off(h[0], h[1]); });
    this.owned = [];
    this.handlers = [];
    delete box.dataset.caReady;
    delete box.dataset.caCanvasLines;
    Array.prototype.forEach.call(box.querySelectorAll(".ca-failed"), function (el) { el.remove(); });
  };

  Atlas.prototype.update = function (layers) {
    var self = this, config = this.config, box = this.map.getContainer();
    var generation = this.generation += 1;
    this.clear();
    this.layers = layers;
    this.tables = null;  // the shared tables, once the data is there
    this.latlngs = [];
    this.pending = layers.overlays.length;
    this.canvasLines = 0;
    // Corridors get a canvas of their own: the basemap arriving never redraws them.
    this.renderer = layers.canvas ? this.own(L.canvas({padding: 0.3})) : undefined;
    var corridors = JSON.stringify(layers.fit);
    if (layers.bounds && corridors !== this.fitted) {  // before any layer: nothing drawn twice
      this.map.fitBounds(layers.bounds, {padding: [20, 20], animate: false});
      this.fitted = corridors;
    }
    // The data is asked for before the basemap, so the corridors are not drawn after it.
    var data = layers.dataUrl ? fetch(layers.dataUrl).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }) : Promise.resolve(layers.data);
    this.data = data.then(function (loaded) {
      if (generation !== self.generation) { return new Promise(function () {}); }  // stale
      self.tables = loaded.shared;
      return loaded;
    });
    this.data.catch(function (error) {
      var note = element(box, "div", config.failed + " (" + error.message + ")", "ca-failed");
      note.setAttribute("role", "alert");
    });
    if (config.basemap && !this.basemapLayer) { this.basemap(config.basemap); }
    var overlays = {};
    layers.overlays.forEach(function (o) {
      overlays[escapeHtml(o.name)] = self.layer(o.part, o.kind);
    });
    this.legend(layers.legend);
    if (layers.labels && layers.labels.length) { this.labels(layers.labels, layers.labelsFrom); }
    if (layers.marks && layers.marks.length) {
      overlays[escapeHtml(layers.marksName)] = this.marks(layers.marks);
    }
    this.own(L.control.layers(null, overlays, {collapsed: true}).addTo(this.map));
  };

  // Labels: the places analysts name, written from a zoom on (the container's class shows them),
  // each a text node, never markup.
  // Where two overlap (Khorgos and Altynkol, Baku and Alat until zoomed in), the one listed
  // first is written and the other waits for a closer zoom.
  Atlas.prototype.labels = function (labels, from) {
    var self = this, map = this.map, box = map.getContainer();
    var tips = labels.map(function (label) {
      var text = document.createElement("span");
      text.textContent = label.text;
      return self.own(L.tooltip({permanent: true, direction: "right", offset: [6, 0],
        className: "ca-label"}).setLatLng([label.lat, label.lon]).setContent(text).addTo(map));
    });
    function toggle() {
      var on = map.getZoom() >= from, kept = [];
      box.classList.toggle("ca-labels-on", on);
      if (!on) { return; }
      tips.forEach(function (tip) {
        var el = tip.getElement();
        el.classList.remove("ca-hidden");
        var r = el.getBoundingClientRect();
        if (kept.some(function (k) { return overlaps(k, r); })) {
          el.classList.add("ca-hidden");
        } else {
          kept.push(r);
        }
      });
    }
    this.on("zoomend", toggle);
    toggle();
  };

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Nodes drawn as symbols: where symbols would sit on each other (the Caucasus at the
  // whole-Eurasia view), the larger (a gauge break, a port) is drawn and the smaller waits for
  // a closer zoom. Points on a canvas are dots and left as they are.
  Atlas.prototype.declutter = function (group) {
    var map = this.map, markers = [];
    group.eachLayer(function (m) { if (m.caSize) { markers.push(m); } });
    markers.sort(function (a, b) { return b.caSize - a.caSize; });
    function run() {
      var kept = [];
      markers.forEach(function (m) {
        var p = map.latLngToLayerPoint(m.getLatLng()), el = m.getElement();
        var clash = kept.some(function (k) {
          return p.distanceTo(k.p) < (k.size + m.caSize) / 2 * DECLUTTER_OVERLAP;
        });
        if (el) { el.classList.toggle("ca-hidden", clash); }
        if (!clash) { kept.push({p: p, size: m.caSize}); }
      });
    }
    this.on("zoomend", run);
    run();
  };
  var DECLUTTER_OVERLAP = 0.8;  // symbols may touch, not hide each other

  // Marks: circles over the corridors (the bottlenecks, coloured by utilisation); each tooltip
  // is a text node, never markup.
  Atlas.prototype.marks = function (marks) {
    var group = L.layerGroup();
    marks.forEach(function (mark) {
      var label = document.createElement("span");
      label.textContent = mark.label;
      L.circleMarker([mark.lat, mark.lon], {
        radius: mark.radius, color: mark.colour, weight: 2,
        fillColor: mark.colour, fillOpacity: 0.55, className: "ca-mark"
      }).bindTooltip(label, {sticky: true}).addTo(group);
    });
    return this.own(group.addTo(this.map));
  };

  function escapeHtml(text) {  // the layer control places names as HTML
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // The offline basemap: Natural Earth vector tiles (PMTiles, drawn by protomaps-leaflet on a
  // canvas), names in the page's language placed without collisions. The coarse file draws
  // every zoom and every label; from `highFrom` the detailed file draws the shapes inside its
  // extent (the coarse shapes there carry hi=1 and step aside).
  Atlas.prototype.basemap = function (basemap) {
    var c = basemap.colours, from = basemap.highFrom, P = window.protomapsL;
    var sources = {};
    basemap.sources.forEach(function (s) {
      sources[s.name] = {url: s.data ? embedded(s.name, s.data) : s.url, maxDataZoom: s.maxDataZoom};
    });
    function kind(names) { return function (z, f) { return names.indexOf(f.props.kind) >= 0; }; }
    function shapes(names) {
      var wanted = kind(names);
      return [
        {dataSource: "low", dataLayer: "basemap",
          filter: function (z, f) { return wanted(z, f) && (z < from || !f.props.hi); }},
        {dataSource: "high", dataLayer: "basemap", minzoom: from, filter: wanted}
      ];
    }
    function rules(names, symbolizer) {
      return shapes(names).map(function (r) { return L.extend(r, {symbolizer: symbolizer}); });
    }
    var paintRules = [].concat(
      rules(["land"], new P.PolygonSymbolizer({fill: c.land})),
      rules(["lake"], new P.PolygonSymbolizer({fill: c.water})),
      rules(["river"], new P.LineSymbolizer({color: c.river,
        width: function (z, f) { return f.props.rank <= 2 ? 1.2 : 0.7; }})),
      rules(["border"], new P.LineSymbolizer({color: c.border, width: 0.9}))
    );
    var props = basemap.lang === "en" ? function () { return ["name_en"]; }
      : function (z, f) { return f.props.name_zh ? ["name_zh"] : ["name_en"]; };
    function text(font, fill, extra) {
      return L.extend({labelProps: props, font: font, fill: fill, stroke: c.halo, width: 2.5},
        extra || {});
    }
    function shownFrom(lead) {  // labelled from Natural Earth's own zoom, `lead` earlier
      return function (z, f) { return f.props.minzoom <= z + lead; };
    }
    function labelled(names, lead) {
      var wanted = kind(names), shown = shownFrom(lead);
      return function (z, f) { return wanted(z, f) && shown(z, f); };
    }
    var byRank = function (a, b) { return a.rank - b.rank; };
    // Names are drawn on a canvas, out of reach of the page's text: each drawn name is noted
    // (with the zoom it was drawn at) for the tests and the bench.
    var drawn = this.basemapNames = {};
    function noted(symbolizer) {
      return {place: function (layout, geom, feature) {
        var placed = symbolizer.place(layout, geom, feature) || [];
        var name = feature.props[props(layout.zoom, feature)[0]];
        placed.forEach(function (label) {
          var draw = label.draw;
          label.draw = function (ctx, extra) { drawn[name] = layout.zoom; draw(ctx, extra); };
        });
        return placed;
      }};
    }
    var labelRules = [
      {dataSource: "low", dataLayer: "basemap", filter: labelled(["country"], 1), sort: byRank,
        symbolizer: new P.CenteredTextSymbolizer(text("600 12px sans-serif", c.country,
          {letterSpacing: 0.5}))},
      {dataSource: "low", dataLayer: "basemap", filter: labelled(["sea"], 1), sort: byRank,
        symbolizer: new P.CenteredTextSymbolizer(text("italic 400 12px sans-serif", c.sea))},
      {dataSource: "low", dataLayer: "basemap", sort: byRank, filter: function (z, f) {
        // capitals from zoom 3, other cities from 5: at the whole-Eurasia view they would
        // crowd out the corridors' own place names
        var kindFrom = f.props.kind === "capital" ? 3 : f.props.kind === "city" ? 5 : 99;
        return z >= kindFrom && f.props.minzoom <= z;
      },
        symbolizer: new P.GroupSymbolizer([
          new P.CircleSymbolizer({radius: 2, fill: c.city, stroke: c.halo, width: 1}),
          new P.OffsetTextSymbolizer(text("400 11px sans-serif", c.city, {offsetX: 4}))
        ])},
      {dataSource: "low", dataLayer: "basemap", filter: labelled(["lake"], 1),
        symbolizer: new P.CenteredTextSymbolizer(text("italic 400 11px sans-serif", c.sea))},
      {dataSource: "low", dataLayer: "basemap", minzoom: 5, filter: labelled(["river"], 0),
        symbolizer: new P.LineLabelSymbolizer(text("italic 400 10px sans-serif", c.sea))}
    ];
    this.map.getContainer().style.background = c.sea_fill;
    labelRules.forEach(function (rule) { rule.symbolizer = noted(rule.symbolizer); });
    this.basemapLayer = P.leafletLayer({sources: sources, paintRules: paintRules,
      labelRules: labelRules, backgroundColor: c.sea_fill, attribution: basemap.attribution});
    this.basemapLayer.addTo(this.map);
  };

  // A PMTiles archive carried inside the page (the one-file export: no server to ask for
  // byte ranges), read from memory through the pmtiles library's Source interface.
  function embedded(name, base64) {
    var bytes = Uint8Array.from(window.atob(base64), function (ch) { return ch.charCodeAt(0); });
    return new window.pmtiles.PMTiles({
      getKey: function () { return name; },
      getBytes: function (offset, length) {
        return Promise.resolve({data: bytes.buffer.slice(offset, offset + length)});
      }
    });
  }

  Atlas.prototype.tooltip = function (parts) {
    var pool = this.tables.pool;  // pool tooltips are escaped HTML
    return parts.map(function (i) { return pool[i]; }).join("<br>");
  };

  Atlas.prototype.popup = function (index) {
    var t = this.tables, entry = t.popups[index], pool = t.pool, config = this.config;
    var box = element(null, "div", null, "ca-popup");
    element(box, "b", pool[entry[0]]);
    entry[1].forEach(function (i) { element(box, "div", pool[i]); });
    if (entry[2] !== null) { element(box, "div", pool[entry[2]], "ca-closed-text"); }
    var table = element(box, "table");
    entry[3].forEach(function (row) {
      var tr = element(table, "tr");
      element(tr, "th", pool[row[0]]);
      var td = element(tr, "td", pool[row[1]]);
      // the year the figure describes; a dated one is flagged as a closure is
      if (row[5] !== null) { element(td, "div", pool[row[5]], row[6] ? "ca-closed-text" : "src"); }
      var src = element(td, "div", null, "src");
      row[2].forEach(function (i) {
        var s = t.sources[i], item = element(src, "div");
        if (s[1] && /^https?:\/\//.test(s[1])) {
          var a = element(item, "a", s[0]);
          a.href = s[1];
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        } else {
          item.textContent = s[0];
        }
      });
      if (row[3] !== null) { element(src, "div", t.labels.estimate + pool[row[3]]); }
      if (row[4] !== null) { element(src, "div", t.labels.note + pool[row[4]]); }
    });
    entry[4].forEach(function (i) { element(box, "div", pool[i], "src"); });
    var post = window.CorridorAtlasBridge && window.CorridorAtlasBridge.post;
    if (config.selectable && post && entry[5].length) {
      // Inside the dashboard: ask it to highlight a corridor and break it down.
      var pick = element(box, "div", t.select, "ca-select");
      entry[5].forEach(function (i) {
        var corridor = t.corridors[i], button = element(pick, "button", corridor[1]);
        button.type = "button";
        button.setAttribute("data-corridor", corridor[0]);
        button.onclick = function () { post({ca_select: corridor[0], at: Date.now()}); };
      });
    }
    return box;
  };

  Atlas.prototype.line = function (index) {
    // A leg drawn as a band by several corridors converts its coordinates once.
    var done = this.latlngs[index];
    if (!done) {
      done = this.latlngs[index] = this.tables.geoms[index].map(function (c) {
        return L.latLng(c[1], c[0]);
      });
    }
    return done;
  };

  Atlas.prototype.point = function (r) {
    var latlng = L.latLng(r[1], r[0]);
    if (this.layers.canvas) {
      return L.circleMarker(latlng, {
        renderer: this.renderer, radius: Math.max(3, r[3] / 3), weight: 1,
        color: this.config.colours.outline,
        fillColor: this.config.colours[r[2]] || this.config.colours.city, fillOpacity: 1
      });
    }
    var marker = L.marker(latlng, {
      icon: L.divIcon({className: "ca-node ca-" + r[2], iconSize: [r[3], r[3]]}),
      keyboard: false, riseOnHover: true
    });
    marker.caSize = r[3];
    return marker;
  };

  Atlas.prototype.layer = function (part, kind) {
    // Empty now (the layer control needs it), filled once the data is there. One tooltip and
    // one popup per overlay serve all its lines or points (each is told which was hovered or
    // clicked), instead of one pair bound to each of thousands.
    var self = this, group = this.own(L.featureGroup().addTo(this.map));
    group.on("mouseover mousemove click", function (e) { self.pick(group, e); });  // first
    group.bindTooltip(function (layer) { return self.tooltip(layer.caTip); },
      {sticky: kind === "line"});
    group.bindPopup(function (layer) {
      if (layer.caPopup !== null) { return self.popup(layer.caPopup); }
      var box = element(null, "div", null, "ca-popup");  // a closure cross: its tooltip
      box.innerHTML = self.tooltip(layer.caTip);
      return box;
    }, {maxWidth: 440});
    this.data.then(function (data) {
      var styles = {}, lines = 0, runs = {};
      function style(id) {
        if (!styles[id]) { styles[id] = L.extend({renderer: self.renderer}, self.tables.styles[id]); }
        return styles[id];
      }
      data.parts[part].forEach(function (r) {
        var layer;
        if (kind === "line" && self.layers.canvas) {
          // On a canvas every path is a stroke of its own, and strokes are what cost (thousands
          // take seconds): the lines of one style become one path, a stroke for all, layered
          // where the style first appears (a highlighted corridor's, last, stays on top), and
          // the hovered or clicked line is found among them (`pick`).
          var run = runs[r[1]];
          if (!run) {
            run = runs[r[1]] = L.polyline([], style(r[1]));
            run.caLines = [];
            run.caTips = [];
            run.caPopups = [];
            group.addLayer(run);
          }
          run.caLines.push(self.line(r[0]));
          run.caTips.push(r[2]);
          run.caPopups.push(r[3]);
          lines++;
          return;
        }
        if (kind === "line") {
          layer = L.polyline(self.line(r[0]), style(r[1]));
          layer.caTip = r[2];
          layer.caPopup = r[3];
          lines++;
        } else {
          layer = self.point(r);
          layer.caTip = r[4];
          layer.caPopup = r[5];
        }
        group.addLayer(layer);
      });
      group.eachLayer(function (layer) {
        if (layer.caLines) {
          layer.setLatLngs(layer.caLines);
          layer.caTip = layer.caTips[0];
          layer.caPopup = layer.caPopups[0];
        }
      });
      if (kind === "point" && !self.layers.canvas) { self.declutter(group); }
      self.drawn(lines);
    }, function () {});  // a failed fetch is shown once, by the alert
    return group;
  };

  // Which of a path's lines the pointer is on (`caLines`, one stroke for many on a canvas):
  // the nearest in screen pixels. Its tooltip and popup are then the path's.
  Atlas.prototype.pick = function (group, e) {
    var layer = e.layer, rings = layer && layer._rings;
    if (!layer || !layer.caLines || !e.latlng || !rings) { return; }
    var p = this.map.latLngToLayerPoint(e.latlng), best = 0, nearest = Infinity;
    rings.forEach(function (ring, i) {
      for (var k = 1; k < ring.length; k++) {
        var d = L.LineUtil.pointToSegmentDistance(p, ring[k - 1], ring[k]);
        if (d < nearest) { nearest = d; best = i; }
      }
    });
    if (best === layer.caPart) { return; }
    layer.caPart = best;
    layer.caTip = layer.caTips[best];
    layer.caPopup = layer.caPopups[best];
    if (e.type === "mousemove" && group.isTooltipOpen()) {
      group.getTooltip()._source = layer;  // as Leaflet's own mouseover does, then redrawn
      group.openTooltip(e.latlng);
    }
  };

  Atlas.prototype.drawn = function (lines) {
    // Once the frame that paints the last overlay has run, the map's container says so
    // (data-ca-ready) and, on a canvas where lines are not elements, how many it holds
    // (data-ca-canvas-lines): what tests and the bench wait on.
    var self = this, box = this.map.getContainer();
    this.canvasLines += this.layers.canvas ? lines : 0;
    this.pending -= 1;
    if (this.pending > 0) { return; }
    L.Util.requestAnimFrame(function () {
      if (self.layers.canvas) { box.dataset.caCanvasLines = String(self.canvasLines); }
      box.dataset.caReady = "1";
    });
  };

  Atlas.prototype.legend = function (legend) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "ca-legend");
      var details = element(div, "details");
      details.open = legend.open;  // above many corridors it starts folded: it would cover the map
      element(details, "summary", legend.heading);
      var cols = element(details, "div", null, "cols");
      var corridors = element(cols, "div");
      element(corridors, "h4", legend.title);
      legend.corridors.forEach(function (c) {
        var row = element(corridors, "div", null, "row");
        svgLine(row, c.colour, c.dash, 4, false);
        row.appendChild(document.createTextNode(c.name));
      });
      if (legend.more) { element(corridors, "div", legend.more, "row"); }
      var kinds = element(cols, "div");
      element(kinds, "h4", legend.linesHeading);
      legend.lines.forEach(function (k) {
        var row = element(kinds, "div", null, "row");
        svgLine(row, k.colour, k.dash, 3, true);
        row.appendChild(document.createTextNode(k.label));
      });
      element(kinds, "h4", legend.nodesHeading);
      legend.nodes.forEach(function (n) {
        var row = element(kinds, "div", null, "row");
        element(row, "span", null, "sym ca-node ca-" + n.symbol);
        row.appendChild(document.createTextNode(n.label));
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    this.own(control.addTo(this.map));
  };

  window.CorridorAtlas = {
    draw: function (map, config) {
      var atlas = new Atlas(map, config).start();
      map.caAtlas = atlas;
      window.CorridorAtlas.last = atlas;
      return atlas;
    },
    // The dashboard's scenario change: new layers on the map already drawn (st_folium's
    // feature group, geo.maps.AtlasLayers).
    update: function (map, layers) {
      map.caAtlas.update(layers);
    },
    last: null
  };
}());
