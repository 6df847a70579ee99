/* The SCORM runtime of a SCORM lesson (scorm-again, vendored in static/vendor/scorm-again/).
 *
 * It creates window.API (SCORM 1.2) or window.API_1484_11 (SCORM 2004) before the package's
 * frame loads, with the values the server returned (who the learner is; where they resume),
 * and commits the data model to the lesson's commit URL. Every commit carries the attempt and a
 * sequence number one above the last the server accepted; the server refuses an older one
 * (409), so a second window cannot overwrite a newer state. Settings: json_script#scorm-config.
 */
(function () {
  "use strict";
  var configNode = document.getElementById("scorm-config");
  var frame = document.getElementById("scorm-frame");
  if (!configNode || !frame || !window.Scorm12API) {
    return;
  }
  var config = JSON.parse(configNode.textContent);
  var statusNode = document.getElementById("scorm-status");
  var is2004 = config.version.indexOf("2004") === 0;
  var sequence = config.sequence;
  var session = window.crypto && window.crypto.randomUUID
    ? window.crypto.randomUUID()
    : String(Date.now()) + String(Math.random()).slice(2);
  var stale = false;

  function go(url) {
    // The SCO's last commit left with navigator.sendBeacon when it terminated (and earlier ones
    // with fetch's keepalive): the browser delivers them even after the page moves on.
    if (url) {
      window.location.assign(url);
    }
  }

  function say(key) {
    if (statusNode && statusNode.dataset[key]) {
      statusNode.textContent = statusNode.dataset[key];
    }
  }

  var settings = {
    autocommit: true,
    autocommitSeconds: 30,
    logLevel: 5,
    lmsCommitUrl: config.commitUrl || false,
    dataCommitFormat: "json",
    fetchMode: "same-origin",
    xhrHeaders: { "X-CSRFToken": config.csrfToken },
    requestHandler: function (commitObject) {
      sequence += 1;
      return {
        sco: config.sco,
        attempt: config.attempt,
        sequence: sequence,
        session: session,
        // The last commit is a beacon, which carries no header: the token rides in the body.
        csrfToken: config.csrfToken,
        cmi: commitObject
      };
    },
    xhrResponseHandler: function (xhr) {
      var body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (error) {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && body.result === true) {
        say(body.completed ? "completed" : "saved");
        document.documentElement.dataset.scormSequence = String(body.sequence);
        return { result: true, errorCode: 0 };
      }
      if (xhr.status === 409) {
        stale = true;
        say("stale");
      } else if (!stale) {
        say("failed");
      }
      return { result: false, errorCode: 101 };
    }
  };

  var api = is2004 ? new window.Scorm2004API(settings) : new window.Scorm12API(settings);
  api.loadFromJSON(config.cmi || {}, "");
  if (is2004) {
    window.API_1484_11 = api;
  } else {
    window.API = api;
  }

  // SCORM 2004 navigation requests between the SCOs of a multi-SCO package: a SCO sets
  // adl.nav.request ("continue", "previous", "{target=ID}choice") and terminates; the runtime
  // then fires these events, and the next SCO loads.
  var navigation = config.navigation;
  if (is2004 && navigation && typeof api.on === "function") {
    api.on("SequenceNext", function () {
      go(navigation.next);
    });
    api.on("SequencePrevious", function () {
      go(navigation.previous);
    });
    api.on("SequenceChoice", function (element, target) {
      go(navigation.choice[target] || "");
    });
  }

  // A learner who leaves without the package finishing still keeps what it set.
  window.addEventListener("pagehide", function () {
    try {
      if (api.isInitialized() && !api.isTerminated()) {
        if (is2004) {
          api.Terminate("");
        } else {
          api.LMSFinish("");
        }
      }
    } catch (error) {
      /* the page is going away; nothing more can be done */
    }
  });

  frame.src = config.launchUrl;
})();
