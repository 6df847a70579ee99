// LTI launch helpers (learners/lti): no inline script, so the site's CSP stays strict.
(function () {
  "use strict";
  // The login initiation page: do cookies work in this frame? Then continue; else offer a tab.
  var check = document.querySelector("[data-lti-cookie-check]");
  if (check) {
    var secure = window.location.protocol === "https:";
    document.cookie = "lti1p3_test_cookie=1; path=/" + (secure ? "; SameSite=None; Secure" : "");
    var allowed = document.cookie.indexOf("lti1p3_test_cookie") !== -1;
    if (allowed) {
      document.cookie = "lti1p3_test_cookie=1; expires=Thu, 01 Jan 1970 00:00:01 GMT; path=/";
      window.location.href = check.getAttribute("data-continue-url");
    } else {
      check.querySelector("[data-lti-loading]").hidden = true;
      check.querySelector("[data-lti-blocked]").hidden = false;
    }
  }
  // The deep-linking answer goes back to the platform at once (the button stays as fallback).
  var form = document.querySelector("form[data-lti-autosubmit]");
  if (form) {
    form.submit();
  }
})();
// LTI Dynamic Registration done: tell the platform to close its registration window.
(function () {
  "use strict";
  if (document.querySelector("[data-lti-registered]")) {
    (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }
})();
