// Filter forms apply as soon as a choice changes; their Update button stays for no-script use.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (select) {
    select.addEventListener("change", function () { if (select.form) select.form.submit(); });
  });
})();
