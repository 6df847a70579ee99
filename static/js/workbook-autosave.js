// Autosave for the capstone workbook: a progressive enhancement. Without it the page works
// through its Save button; with it, changed answers are posted every N seconds and when a field
// loses focus. A refused save (another tab saved first) stops autosaving and says so, and the
// text stays in the form for the learner to keep.
(function () {
  "use strict";
  var form = document.getElementById("wb-form");
  if (!form || !form.dataset.autosave || !window.fetch || !window.FormData) return;
  var seconds = parseInt(form.dataset.autosave, 10) || 30;
  var status = document.getElementById("wb-saved");
  var version = document.getElementById("wb-version");
  var dirty = false;
  var busy = false;
  var stopped = false;

  function say(text) { if (status) status.textContent = text; }

  function save() {
    if (!dirty || busy || stopped) return;
    busy = true;
    dirty = false;
    var data = new FormData(form);
    data.set("action", "save");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Workbook-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      if (result.body.ok) {
        version.value = result.body.version;
        say(result.body.saved);
      } else {
        dirty = true;
        if (result.status === 409) stopped = true;
        say(result.body.message);
      }
    }).catch(function () {
      dirty = true;  // offline or server error: try again at the next tick
    }).then(function () { busy = false; });
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("focusout", save);
  window.setInterval(save, seconds * 1000);
})();
