/* Session-timeout warning: before an idle session ends, offer to stay; at the end, go to login.
   Reads its settings from data attributes on <body> (no inline script, for the CSP). Any
   request the page makes (a click, an HTMX swap) renews the session, so the clock restarts. */
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.sessionIdleSeconds || "0", 10);
  var warnBefore = parseInt(body.dataset.sessionWarningSeconds || "120", 10);
  var keepaliveUrl = body.dataset.sessionKeepaliveUrl;
  var loginUrl = body.dataset.sessionLoginUrl;
  if (!idle || !keepaliveUrl) { return; }
  var deadline = 0, warnTimer = null, endTimer = null, tick = null, box = null;

  function build() {
    box = document.createElement("div");
    box.className = "alert alert-warning shadow position-fixed bottom-0 end-0 m-3 d-none";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-live", "assertive");
    box.setAttribute("data-testid", "session-warning");
    box.style.zIndex = "2000";
    box.style.maxWidth = "360px";
    var text = document.createElement("div");
    text.className = "mb-2";
    text.setAttribute("data-role", "text");
    var stay = document.createElement("button");
    stay.type = "button";
    stay.className = "btn btn-sm btn-primary";
    stay.textContent = "继续使用";
    stay.setAttribute("data-testid", "session-stay");
    stay.addEventListener("click", keepAlive);
    box.appendChild(text);
    box.appendChild(stay);
    body.appendChild(box);
  }

  function remaining() { return Math.max(0, Math.round((deadline - Date.now()) / 1000)); }

  function render() {
    var s = remaining();
    var words = s >= 60 ? Math.ceil(s / 60) + " 分钟" : s + " 秒";
    box.querySelector("[data-role=text]").textContent =
      "您已较长时间未操作，为保护账号安全，会话将在 " + words + " 后结束。";
  }

  function showWarning() {
    render();
    box.classList.remove("d-none");
    tick = window.setInterval(render, 1000);
  }

  function end() {
    var next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(loginUrl + "?next=" + next + "&timeout=1");
  }

  function restart(seconds) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    window.clearInterval(tick);
    if (box) { box.classList.add("d-none"); }
    deadline = Date.now() + seconds * 1000;
    warnTimer = window.setTimeout(showWarning, Math.max(0, (seconds - warnBefore) * 1000));
    endTimer = window.setTimeout(end, seconds * 1000);
  }

  function keepAlive() {
    fetch(keepaliveUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
      .then(function (data) { restart(data.remaining_seconds || idle); })
      .catch(end);
  }

  build();
  restart(idle);
  document.addEventListener("htmx:afterRequest", function () { restart(idle); });
})();
