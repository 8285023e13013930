// Draws the graph embedded in the page as JSON (#graph-data) into #graph with vis-network.
// Tooltips are text nodes, never HTML strings, so card text cannot become markup.
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!holder || !source || typeof vis === "undefined") return;
  var data = JSON.parse(source.textContent);

  function tip(text) {
    var el = document.createElement("div");
    el.className = "graph-tip";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { if (typeof n.title === "string") n.title = tip(n.title); });
  data.edges.forEach(function (e) { if (typeof e.title === "string") e.title = tip(e.title); });

  // Big views (the server sets labelScale on every node, see kg.views.label_scales) draw their
  // labels here, at a fixed screen size, each from the zoom the server worked out for it: the
  // most important first, the others as the reader zooms in, never on top of each other.
  var layered = data.nodes.filter(function (n) { return typeof n.labelScale === "number"; });
  layered.sort(function (a, b) { return a.labelScale - b.labelScale; });
  layered.forEach(function (n) { n.kgLabel = n.label; delete n.label; });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;

  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var hovered = null;
  var around = {};
  var drawn = [];
  var widths = {};

  function textWidth(ctx, n) {
    if (!(n.id in widths)) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.font = n.labelPx + "px " + FONT;
      widths[n.id] = ctx.measureText(n.kgLabel).width;
      ctx.restore();
    }
    return widths[n.id];
  }

  // A label grows with the zoom like vis-network's, but is never drawn smaller than labelPx
  // screen pixels (the server chose the zoom from which it fits at that size), nor larger than
  // MAX_PX.
  var MAX_PX = 28;
  function drawLabel(ctx, n, body, scale, strong) {
    var px = Math.min(Math.max(n.labelFont * scale, n.labelPx), MAX_PX) / scale;
    ctx.font = (strong ? "bold " : "") + px + "px " + FONT;
    var y = body.y + body.options.size + 2 / scale;
    ctx.lineWidth = 3 / scale;
    ctx.strokeText(n.kgLabel, body.x, y);
    ctx.fillText(n.kgLabel, body.x, y);
    var w = textWidth(ctx, n) * (px * scale / n.labelPx) / scale * (strong ? 1.1 : 1);
    drawn.push([body.x - w / 2, y, body.x + w / 2, y + px * 1.25]);
  }

  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    var bodies = network.body.nodes;
    drawn = [];
    // The hovered node's neighbours: ringed, and named whatever the zoom.
    if (hovered !== null) {
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "#111111";
      Object.keys(around).forEach(function (id) {
        var b = bodies[id];
        if (!b) return;
        ctx.beginPath();
        ctx.arc(b.x, b.y, b.options.size + 4 / scale, 0, 2 * Math.PI);
        ctx.stroke();
      });
    }
    if (!layered.length) return;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#1F2933";
    for (var i = 0; i < layered.length; i++) {
      var n = layered[i];
      if (n.labelScale > scale) break;
      if (hovered !== null && around[n.id]) continue;
      var body = bodies[n.id];
      if (body) drawLabel(ctx, n, body, scale, false);
    }
    if (hovered !== null) {
      layered.forEach(function (n) { if (around[n.id] && bodies[n.id]) drawLabel(ctx, n, bodies[n.id], scale, true); });
    }
  });

  // What the label layer drew last, as screen boxes (bench/views.py measures overlap with it).
  window.kgDrawnLabels = layered.length ? {
    total: layered.length,
    boxes: function () {
      return drawn.map(function (b) {
        var a = network.canvasToDOM({ x: b[0], y: b[1] });
        var c = network.canvasToDOM({ x: b[2], y: b[3] });
        return [a.x, a.y, c.x, c.y];
      });
    }
  } : undefined;

  network.on("hoverNode", function (params) {
    hovered = params.node;
    around = {};
    around[hovered] = true;
    network.getConnectedNodes(hovered).forEach(function (id) { around[id] = true; });
    network.redraw();
  });
  network.on("blurNode", function () { hovered = null; around = {}; network.redraw(); });

  // A graph of a few nodes would be blown up to fill the canvas; labels stay at reading size.
  var MAX_FIT_SCALE = 1.1;
  // The label layer draws past the outermost dots, which "fit" does not know: leave it room.
  var LABEL_MARGIN = 0.9;
  function fitAll() {
    network.fit({ animation: false });
    if (network.getScale() > MAX_FIT_SCALE) network.moveTo({ scale: MAX_FIT_SCALE });
    if (layered.length) network.moveTo({ scale: network.getScale() * LABEL_MARGIN });
  }

  var focus = holder.getAttribute("data-focus");
  network.once("afterDrawing", function () {
    fitAll();
    if (focus && nodes.get(focus)) network.selectNodes([focus]);
    holder.setAttribute("data-ready", "true");
  });

  // Clicking a node opens its page; the URL comes from the server, never from card text.
  network.on("click", function (params) {
    if (params.nodes.length !== 1) return;
    var node = nodes.get(params.nodes[0]);
    if (node && typeof node.url === "string" && node.url.charAt(0) === "/") {
      window.location.assign(node.url);
    }
  });
  network.on("hoverNode", function () { holder.style.cursor = "pointer"; });
  network.on("blurNode", function () { holder.style.cursor = "default"; });

  var fit = document.getElementById("graph-fit");
  if (fit) fit.addEventListener("click", fitAll);
})();
