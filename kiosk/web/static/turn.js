// Live "내 순서": listen to the page's event stream and redraw the status line. Without this script
// (or when the stream fails) the page still says everything; "새로 고침" reloads it.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-events");
  var english = script && script.getAttribute("data-lang") === "en";
  var status = document.getElementById("turn-status");
  var hint = document.getElementById("live-hint");
  if (!url || !status || !window.EventSource) { return; }
  var source = new EventSource(url);
  source.onopen = function () { if (hint) { hint.textContent = hint.getAttribute("data-on"); } };
  source.onmessage = function (event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    status.textContent = english ? data.en : data.ko;
    status.setAttribute("data-state", data.state);
    status.className = "status state-" + data.state;
    if (data.state === "called" && navigator.vibrate) { navigator.vibrate([300, 150, 300]); }
    if (data.state === "done" || data.state === "gone") { source.close(); }
  };
})();
