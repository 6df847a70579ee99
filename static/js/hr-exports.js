// Follows the HR exports being prepared: polls their status every two seconds, updates the
// progress bars, and reloads the table once none is pending (a download link appears). Without
// JavaScript the page offers a refresh link instead.
(function () {
  "use strict";
  var table = document.querySelector("table[data-status-url]");
  if (!table) {
    return;
  }
  function update(job) {
    var row = table.querySelector('tr[data-export="' + job.id + '"]');
    if (!row) {
      return false;
    }
    var bar = row.querySelector("progress");
    if (bar) {
      bar.value = job.progress;
      bar.textContent = job.progress + "%";
    }
    row.querySelector('[data-field="status"]').textContent = job.status_label;
    return job.pending;
  }
  function poll() {
    fetch(table.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var pending = data.jobs.map(update).some(Boolean);
        if (pending) {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
