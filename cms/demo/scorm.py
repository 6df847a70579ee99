"""The demo's SCORM lesson: a short self-check packaged as SCORM 1.2, built here (original
content, no third-party package) and played in the city networks course.

The package is generated as a zip, validated and unpacked exactly as a trainer's upload is
(courses/scorm/), so the demo exercises the same path. Idempotent: the package is found by its
manifest identifier and the lesson by its slug.
"""

from __future__ import annotations

import io
import zipfile

from cms.demo.site import _publish
from courses.models import CoursePage, ModulePage, ScormLessonPage, ScormPackage
from courses.scorm.storage import new_prefix, package_extract
from courses.scorm.validation import package_validate
from learners.models import Enrolment, ScormAttempt, User
from learners.scorm.services import scorm_commit

IDENTIFIER = "capacitas-demo-network-readiness"
LESSON_SLUG = "self-check-network-readiness"
MODULE_SLUG = "taking-part"

QUESTIONS = [
    (
        "Your city has joined a network on climate adaptation. What should come first?",
        [
            ("a", "Sending the mayor to every annual meeting"),
            ("b", "Naming one officer who follows the network's work and reports back", True),
            ("c", "Translating the network's website"),
        ],
    ),
    (
        "A working group asks for a case study of your flood plan. The plan is half done.",
        [
            ("a", "Decline until the plan is finished"),
            ("b", "Share what exists, saying plainly what is still open", True),
            ("c", "Describe the plan as finished to make a good impression"),
        ],
    ),
    (
        "How do you show the council that membership is worth its fee?",
        [
            ("a", "List the meetings attended"),
            ("b", "Report what the city changed or gained because of the network", True),
            ("c", "Quote the network's own annual report"),
        ],
    ),
]

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="checks">
    <organization identifier="checks"><title>Is your city ready for a network?</title>
      <item identifier="self-check" identifierref="sco">
        <title>Self-check: three situations</title>
        <adlcp:masteryscore>67</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="check.js"/><file href="check.css"/>
    </resource>
  </resources>
</manifest>
"""

CSS = """body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; padding: 1rem; color: #1a1a1a; }
fieldset { border: 1px solid #767676; margin: 0 0 1rem; padding: 0.75rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
label { display: block; padding: 0.25rem 0; }
button { font: inherit; padding: 0.5rem 1rem; border: 2px solid #00468b; background: #00468b;
  color: #fff; border-radius: 4px; cursor: pointer; }
button:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.feedback { font-weight: 600; }
"""

JS = """(function () {
  var api = null, win = window;
  for (var i = 0; i < 10 && win; i++) {
    if (win.API) { api = win.API; break; }
    if (win === win.parent) { break; }
    win = win.parent;
  }
  var feedback = document.getElementById("feedback");
  if (!api || api.LMSInitialize("") !== "true") {
    feedback.textContent = "This check runs inside a Capacitas lesson.";
    return;
  }
  var saved = api.LMSGetValue("cmi.suspend_data");
  if (saved) {
    saved.split(",").forEach(function (pair) {
      var parts = pair.split("=");
      var selector = "input[name='" + parts[0] + "'][value='" + parts[1] + "']";
      var input = document.querySelector(selector);
      if (input) { input.checked = true; }
    });
  }
  if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  }
  var questions = document.querySelectorAll("fieldset");
  function answers() {
    var chosen = [];
    questions.forEach(function (fieldset) {
      var picked = fieldset.querySelector("input:checked");
      if (picked) { chosen.push(picked.name + "=" + picked.value); }
    });
    return chosen;
  }
  document.getElementById("checks").addEventListener("change", function () {
    api.LMSSetValue("cmi.suspend_data", answers().join(","));
    api.LMSSetValue("cmi.core.lesson_location", String(answers().length));
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSCommit("");
  });
  document.getElementById("checks").addEventListener("submit", function (event) {
    event.preventDefault();
    var right = 0;
    questions.forEach(function (fieldset, index) {
      var picked = fieldset.querySelector("input:checked");
      var correct = picked && picked.dataset.right === "1";
      if (correct) { right += 1; }
      var n = "cmi.interactions." + index + ".";
      api.LMSSetValue(n + "id", fieldset.id);
      api.LMSSetValue(n + "type", "choice");
      api.LMSSetValue(n + "student_response", picked ? picked.value : "");
      api.LMSSetValue(n + "result", correct ? "correct" : "wrong");
    });
    var score = Math.round(right / questions.length * 100);
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.score.raw", String(score));
    api.LMSSetValue("cmi.core.lesson_status", score >= 67 ? "passed" : "failed");
    api.LMSSetValue("cmi.core.exit", score >= 67 ? "" : "suspend");
    api.LMSCommit("");
    feedback.textContent = score >= 67
      ? "Well done: " + right + " of " + questions.length + ". This lesson is complete."
      : right + " of " + questions.length
        + ". Read the lesson on taking part again and try once more.";
    if (score >= 67) { api.LMSFinish(""); }
  });
})();
"""


def _page() -> str:
    fieldsets = []
    for number, (question, choices) in enumerate(QUESTIONS, start=1):
        options = "".join(
            f'<label><input type="radio" name="q{number}" value="{value}"'
            + (' data-right="1"' if rest else "")
            + f"> {text}</label>"
            for value, text, *rest in choices
        )
        fieldsets.append(
            f'<fieldset id="q{number}"><legend>{number}. {question}</legend>{options}</fieldset>'
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Self-check: three situations</title>"
        '<link rel="stylesheet" href="check.css"></head><body><main>'
        "<h1>Self-check: three situations</h1>"
        "<p>Choose what you would do. Two right answers out of three complete the lesson; "
        "your choices are kept if you leave and come back.</p>"
        '<form id="checks">' + "".join(fieldsets) + '<button type="submit">Check my answers'
        '</button></form><p id="feedback" class="feedback" role="status"></p>'
        '<script src="check.js"></script></main></body></html>'
    )


def demo_package_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST.format(identifier=IDENTIFIER))
        archive.writestr("index.html", _page())
        archive.writestr("check.js", JS)
        archive.writestr("check.css", CSS)
    return buffer.getvalue()


def ensure_package() -> ScormPackage:
    package = ScormPackage.objects.filter(manifest_identifier=IDENTIFIER).first()
    if package is not None:
        return package
    data = demo_package_zip()
    validated = package_validate(io.BytesIO(data), size=len(data))
    prefix = new_prefix()
    files = package_extract(io.BytesIO(data), validated, prefix=prefix)
    return ScormPackage.objects.create(
        title="Is your city ready for a network? (self-check)",
        version=validated.manifest.version,
        manifest_identifier=IDENTIFIER,
        prefix=prefix,
        tree=validated.manifest.as_tree(),
        files=files,
        total_bytes=validated.total_bytes,
    )


def ensure_scorm_lesson(course: CoursePage) -> ScormLessonPage | None:
    """The self-check as the last lesson of the networks course's "Taking part well" module."""
    module = ModulePage.objects.child_of(course).filter(slug=MODULE_SLUG).first()
    if module is None:
        return None
    existing = ScormLessonPage.objects.child_of(module).filter(slug=LESSON_SLUG).first()
    if existing is not None:
        return existing
    lesson = ScormLessonPage(
        title="Self-check: is your city ready for a network?",
        slug=LESSON_SLUG,
        intro="Three situations from network life. Choose what you would do.",
        estimated_minutes=5,
        body=[],
        package=ensure_package(),
        player_height=640,
    )
    module.add_child(instance=lesson)
    _publish(lesson)
    return lesson


def play_scorm_lesson(user: User, enrolment: Enrolment, lesson: ScormLessonPage, *, right: int):
    """A demo learner answers the self-check (`right` of its three situations) and finishes it,
    committed through the same service as the player's commits: a ScormAttempt with score and
    time, the lesson completed when passed, the pass or fail in the activity log."""
    package = lesson.package
    if package is None or ScormAttempt.objects.filter(enrolment=enrolment, lesson=lesson).exists():
        return
    raw = round(right * 100 / len(QUESTIONS))
    identifiers = [item["identifier"] for item in package.scos]
    for sco in package.scos:
        scorm_commit(
            user=user,
            enrolment=enrolment,
            lesson=lesson,
            package_id=package.pk,
            version=package.version,
            sco=sco,
            sco_identifiers=identifiers,
            number=1,
            sequence=1,
            session_key="demo",
            cmi={
                "cmi": {
                    "core": {
                        "lesson_status": "passed" if raw >= 67 else "failed",
                        "score": {"raw": str(raw), "min": "0", "max": "100"},
                        "session_time": "00:04:20",
                        "exit": "",
                    }
                }
            },
        )
