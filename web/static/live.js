// Live decks (`kg serve --watch`): asks the server every second (more often during an update)
// what the deck watcher did and says so on the page: "n cards changed — refresh" once this
// server holds a newer graph, and the problems of the decks (a save that could not be read
// keeps the last good graph). The refresh keeps the graph's zoom, position and selection.
// Text only, never HTML from the server.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.fetch) return;
  var statusUrl = me.getAttribute("data-status");
  var statusPage = me.getAttribute("data-page");
  var pageBuild = me.getAttribute("data-build") || "";
  var VIEW_KEY = "kg-live-view";
  var DEFAULT_POLL_MS = 1000, BUSY_POLL_MS = 200;
  var box = null, changedLine = null, problemsLine = null, dismissed = "";

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = me.src.replace(/live\.js(\?.*)?$/, "live.css");
  document.head.appendChild(css);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function notice() {
    if (box) return box;
    box = el("div", "live-notice");
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    box.id = "live-notice";
    changedLine = el("p", "live-changed");
    problemsLine = el("div", "live-problems-box");
    var close = el("button", "live-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.addEventListener("click", function () {
      dismissed = box.getAttribute("data-key") || "";
      box.hidden = true;
    });
    box.appendChild(close);
    box.appendChild(changedLine);
    box.appendChild(problemsLine);
    box.hidden = true;
    document.body.appendChild(box);
    return box;
  }

  // Cards changed by every update after the one this page was drawn from.
  function changedSince(status) {
    var history = status.history || [], total = 0, seen = false;
    for (var i = 0; i < history.length; i++) {
      if (seen) total += history[i].changed || 0;
      if (String(history[i].built_at) === pageBuild) seen = true;
    }
    return seen ? total : (status.changed || 0);
  }

  function saveView() {
    var network = window.kgNetwork;
    if (!network || !window.sessionStorage) return;
    try {
      sessionStorage.setItem(VIEW_KEY, JSON.stringify({
        page: location.pathname + location.search,
        scale: network.getScale(), position: network.getViewPosition(),
        selected: network.getSelectedNodes()
      }));
    } catch (e) { /* storage full or blocked: the refresh just fits the graph again */ }
  }

  function restoreView() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(VIEW_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.page !== location.pathname + location.search) return;
    sessionStorage.removeItem(VIEW_KEY);
    var holder = document.getElementById("graph"), tries = 0;
    (function wait() {
      var network = window.kgNetwork;
      if (network && holder && holder.getAttribute("data-ready") === "true") {
        network.moveTo({ position: saved.position, scale: saved.scale, animation: false });
        var ids = (saved.selected || []).filter(function (id) { return network.body.data.nodes.get(id); });
        if (ids.length) network.selectNodes(ids);
      } else if (holder && tries++ < 100) {
        setTimeout(wait, 100);
      }
    })();
  }

  function show(status) {
    var latest = status.latest !== false;
    var changed = status.build && String(status.build) !== pageBuild && latest ? changedSince(status) : 0;
    var problems = status.problems || [];
    var key = [status.build, changed, problems.join("\n")].join("|");
    notice();
    changedLine.textContent = "";
    problemsLine.textContent = "";
    if (changed > 0) {
      changedLine.appendChild(document.createTextNode(
        changed + (changed === 1 ? " card changed" : " cards changed") + " — "));
      var refresh = el("button", "live-refresh", "refresh");
      refresh.type = "button";
      refresh.addEventListener("click", function () { saveView(); location.reload(); });
      changedLine.appendChild(refresh);
    } else if (status.state === "building") {
      changedLine.textContent = "Updating the graph…";
    }
    if (status.error) problemsLine.appendChild(el("p", "live-error", "The last update failed: " + status.error));
    if (problems.length) {
      var head = el("p", null, problems.length + (problems.length === 1 ? " problem" : " problems") + " in the decks: ");
      if (statusPage) {
        var more = el("a", null, "details");
        more.href = statusPage;
        head.appendChild(more);
      }
      problemsLine.appendChild(head);
      var list = el("ul");
      problems.slice(0, 3).forEach(function (p) { list.appendChild(el("li", null, p)); });
      if (problems.length > 3) list.appendChild(el("li", null, "… and " + (problems.length - 3) + " more"));
      problemsLine.appendChild(list);
    }
    var empty = !changedLine.textContent && !problemsLine.childNodes.length;
    box.setAttribute("data-key", key);
    box.hidden = empty || key === dismissed;
  }

  function poll() {
    fetch(statusUrl, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (status) {
        if (!status || !status.live) return;  // not watching: nothing will change
        if (!pageBuild && status.build) pageBuild = String(status.build);
        show(status);
        // While an update is under way (or this server still loads it), ask again soon.
        var busy = status.state === "building" || status.latest === false;
        setTimeout(poll, busy ? BUSY_POLL_MS : status.poll_ms || DEFAULT_POLL_MS);
      })
      .catch(function () { setTimeout(poll, 5 * DEFAULT_POLL_MS); });  // server restarting
  }

  restoreView();
  poll();
})();
