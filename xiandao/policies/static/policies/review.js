/* The review page: after a decision the card and the status tag are swapped in; repaint the marked text from the tags. */
(function () {
  "use strict";
  var order = ["proposed", "edited", "accepted", "rejected"];
  function repaint() {
    document.querySelectorAll("mark.pl-mark[data-proposals]").forEach(function (mark) {
      var statuses = mark.dataset.proposals.split(" ").map(function (pk) {
        var tag = document.getElementById("tag-" + pk);
        return tag ? tag.dataset.status : "";
      });
      var status = order.find(function (s) { return statuses.indexOf(s) >= 0; }) || "";
      order.forEach(function (s) { mark.classList.toggle("pl-" + s, s === status); });
    });
  }
  document.body.addEventListener("htmx:afterSettle", repaint);
})();
