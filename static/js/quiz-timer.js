/* Shows the time left on a timed quiz. Only a convenience: the server enforces the deadline. */
(function () {
  var box = document.getElementById("quiz-timer");
  if (!box) return;
  var left = box.querySelector(".quiz-timer-left");
  var end = Date.now() + parseInt(box.getAttribute("data-remaining"), 10) * 1000;
  function tick() {
    var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    left.textContent = "(" + m + ":" + (s < 10 ? "0" : "") + s + ")";
    if (seconds > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
