/* A document's page: emphasise the quote the address points at (#target-… or #task-…), every piece of it. */
(function () {
  "use strict";
  function mark() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var first = null;
    document.querySelectorAll(".xd-quote-current").forEach(function (m) { m.classList.remove("xd-quote-current"); });
    if (!id) { return; }
    document.querySelectorAll(".xd-quote-index a").forEach(function (a) {
      if (a.getAttribute("href") === "#" + id) { a.classList.add("xd-quote-current"); }
    });
    document.querySelectorAll("mark.xd-quote[data-quotes]").forEach(function (m) {
      if (m.dataset.quotes.split(" ").indexOf(id) >= 0) {
        m.classList.add("xd-quote-current");
        first = first || m;
      }
    });
    // Centre the sentence once the page (and its fonts) has its final layout.
    if (first) { first.scrollIntoView({ block: "center", behavior: "instant" }); }
  }
  window.addEventListener("hashchange", mark);
  if (document.readyState === "complete") { mark(); } else { window.addEventListener("load", mark); }
})();
