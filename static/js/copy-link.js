// Progressive enhancement: the copy buttons appear only where the Clipboard API exists;
// without it the verification link beside them still works.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll("button.copy-link[data-copy]").forEach(function (button) {
    button.hidden = false;
    var status = button.parentElement.querySelector(".copy-status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(
        function () { if (status) status.textContent = button.dataset.copied || "Link copied."; },
        function () { if (status) status.textContent = button.dataset.failed || "Could not copy the link."; }
      );
    });
  });
})();
