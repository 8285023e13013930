// Autocomplete for every concept box: asks /api/suggest as the user types and fills the
// box's <datalist> with concept labels (set as option values, i.e. as text).
(function () {
  "use strict";
  var DELAY_MS = 120;
  var MIN_CHARS = 2;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var endpoint = input.getAttribute("data-suggest");
    if (!list || !endpoint) return;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length < MIN_CHARS || q === last) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        last = q;
        fetch(endpoint + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (body) {
            while (list.firstChild) list.removeChild(list.firstChild);
            (body.suggestions || []).forEach(function (s) {
              var option = document.createElement("option");
              option.value = s.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience; typing still works */ });
      }, DELAY_MS);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), attach);
})();
