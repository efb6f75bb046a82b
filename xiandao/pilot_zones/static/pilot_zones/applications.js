/* The application form: autosave status and the revision comparison's pickers (no inline script).
 *
 * The form posts itself through HTMX (hx-trigger on the form); here we only say “保存中…” while a
 * save runs, keep the version the server returned (so the next save is not taken for stale), and
 * warn before leaving while a save is still pending.
 */
(function () {
  "use strict";
  var pending = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLElement) || !form.matches("[data-autosave]")) { return; }
    pending = true;
    var status = document.getElementById("save-status");
    if (status) { status.textContent = "保存中…"; }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLElement) || !form.matches("[data-autosave]")) { return; }
    pending = false;
    var saved = document.querySelector("#save-status [data-version]");
    var input = form.querySelector("input[name=version]");
    if (saved && input) { input.value = saved.getAttribute("data-version"); }
    if (!event.detail.successful) {
      var status = document.getElementById("save-status");
      if (status) { status.textContent = "未能保存（网络或服务器错误），请稍后重试或点击“暂存”。"; }
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (pending) { event.preventDefault(); event.returnValue = ""; }
  });
})();
