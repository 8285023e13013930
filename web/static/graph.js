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

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;

  // A graph of a few nodes would be blown up to fill the canvas; labels stay at reading size.
  var MAX_FIT_SCALE = 1.1;
  function fitAll() {
    network.fit({ animation: false });
    if (network.getScale() > MAX_FIT_SCALE) network.moveTo({ scale: MAX_FIT_SCALE });
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
