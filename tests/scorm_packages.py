"""SCORM packages built by the tests: minimal 1.2 and 2004 SCOs whose JavaScript calls the
runtime, a multi-SCO package, and the malformed zips the upload must refuse."""

from __future__ import annotations

import io
import stat
import struct
import zipfile

SCO_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main>
<h1>{title}</h1>
<p>Learner: <output id="name"></output></p>
<p>Entry: <output id="entry"></output></p>
<p>Location: <output id="location"></output></p>
<p>Suspend data: <output id="suspend"></output></p>
<p><button id="progress" type="button">Save my place</button>
<button id="finish" type="button">Finish with {score}</button>
<button id="continue" type="button">Finish and continue</button>
<button id="previous" type="button">Back to the previous part</button></p>
<p id="result" role="status"></p>
<script src="{script}"></script>
</main></body></html>
"""

SCO_12_JS = """(function () {
  function findAPI(win) {
    for (var i = 0; i < 10 && win; i++) {
      if (win.API) { return win.API; }
      if (win === win.parent) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window);
  var result = document.getElementById("result");
  if (!api) { result.textContent = "no API"; return; }
  result.textContent = api.LMSInitialize("") === "true" ? "initialised" : "init failed";
  document.getElementById("name").textContent = api.LMSGetValue("cmi.core.student_name");
  document.getElementById("entry").textContent = api.LMSGetValue("cmi.core.entry");
  document.getElementById("location").textContent = api.LMSGetValue("cmi.core.lesson_location");
  document.getElementById("suspend").textContent = api.LMSGetValue("cmi.suspend_data");
  if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  }
  document.getElementById("progress").addEventListener("click", function () {
    api.LMSSetValue("cmi.core.lesson_location", "page-2");
    api.LMSSetValue("cmi.suspend_data", "seen=1,2");
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSSetValue("cmi.core.session_time", "00:01:30");
    result.textContent = api.LMSCommit("") === "true"
      ? "committed" : "commit failed " + api.LMSGetLastError();
  });
  document.getElementById("finish").addEventListener("click", function () {
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.score.raw", "{score}");
    api.LMSSetValue("cmi.core.lesson_status", "{status}");
    api.LMSSetValue("cmi.interactions.0.id", "q1");
    api.LMSSetValue("cmi.interactions.0.type", "choice");
    api.LMSSetValue("cmi.interactions.0.student_response", "a");
    api.LMSSetValue("cmi.interactions.0.result", "correct");
    api.LMSSetValue("cmi.core.exit", "");
    api.LMSSetValue("cmi.core.session_time", "00:02:00");
    var committed = api.LMSCommit("") === "true";
    api.LMSFinish("");
    result.textContent = committed ? "finished" : "finish failed";
  });
})();
"""

SCO_2004_JS = """(function () {
  function findAPI(win) {
    for (var i = 0; i < 10 && win; i++) {
      if (win.API_1484_11) { return win.API_1484_11; }
      if (win === win.parent) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window);
  var result = document.getElementById("result");
  if (!api) { result.textContent = "no API"; return; }
  result.textContent = api.Initialize("") === "true" ? "initialised" : "init failed";
  document.getElementById("name").textContent = api.GetValue("cmi.learner_name");
  document.getElementById("entry").textContent = api.GetValue("cmi.entry");
  document.getElementById("location").textContent = api.GetValue("cmi.location");
  document.getElementById("suspend").textContent = api.GetValue("cmi.suspend_data");
  document.getElementById("progress").addEventListener("click", function () {
    api.SetValue("cmi.location", "page-2");
    api.SetValue("cmi.suspend_data", "seen=1,2");
    api.SetValue("cmi.completion_status", "incomplete");
    api.SetValue("cmi.exit", "suspend");
    api.SetValue("cmi.session_time", "PT1M30S");
    result.textContent = api.Commit("") === "true"
      ? "committed" : "commit failed " + api.GetLastError();
  });
  function finish(nav) {
    api.SetValue("cmi.score.min", "0");
    api.SetValue("cmi.score.max", "100");
    api.SetValue("cmi.score.raw", "{score}");
    api.SetValue("cmi.score.scaled", String({score} / 100));
    api.SetValue("cmi.completion_status", "completed");
    api.SetValue("cmi.success_status", "{status}");
    api.SetValue("cmi.interactions.0.id", "q1");
    api.SetValue("cmi.interactions.0.type", "choice");
    api.SetValue("cmi.interactions.0.learner_response", "a");
    api.SetValue("cmi.interactions.0.result", "correct");
    api.SetValue("cmi.exit", "normal");
    api.SetValue("cmi.session_time", "PT2M");
    var committed = api.Commit("") === "true";
    // A SCORM 2004 navigation request: the LMS moves on once the SCO has terminated.
    if (nav) { api.SetValue("adl.nav.request", nav); }
    api.Terminate("");
    result.textContent = committed ? "finished" : "finish failed";
  }
  document.getElementById("finish").addEventListener("click", function () { finish(""); });
  document.getElementById("continue").addEventListener("click", function () {
    finish("continue");
  });
  document.getElementById("previous").addEventListener("click", function () {
    api.SetValue("adl.nav.request", "previous");
    api.Terminate("");
  });
})();
"""

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>{title}</title>
{items}
    </organization>
  </organizations>
  <resources>
{resources}
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>{schemaversion}</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>{title}</title>
{items}
    </organization>
  </organizations>
  <resources>
{resources}
  </resources>
</manifest>
"""

EDITIONS = {3: "2004 3rd Edition", 4: "2004 4th Edition"}


def _zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def package(
    *,
    version: str = "1.2",
    title: str = "Minimal SCORM lesson",
    scos: int = 1,
    score: int = 85,
    status: str = "passed",
    edition: int = 4,
) -> bytes:
    """A package of `scos` SCOs (each its own page and resource); version "1.2" or "2004"."""
    is_2004 = version == "2004"
    type_attr = "adlcp:scormType" if is_2004 else "adlcp:scormtype"
    files: dict[str, bytes | str] = {
        "shared/sco.js": (SCO_2004_JS if is_2004 else SCO_12_JS)
        .replace("{score}", str(score))
        .replace("{status}", status)
    }
    items, resources = [], []
    for n in range(1, scos + 1):
        sco_title = f"Part {n}" if scos > 1 else title
        files[f"sco{n}/index.html"] = SCO_HTML.format(
            title=sco_title, score=score, script="../shared/sco.js"
        )
        items.append(
            f'      <item identifier="item{n}" identifierref="res{n}"><title>{sco_title}</title>'
            + ("<adlcp:masteryscore>70</adlcp:masteryscore>" if not is_2004 else "")
            + "</item>"
        )
        resources.append(
            f'    <resource identifier="res{n}" type="webcontent" {type_attr}="sco" '
            f'href="sco{n}/index.html"><file href="sco{n}/index.html"/></resource>'
        )
    template = MANIFEST_2004 if is_2004 else MANIFEST_12
    files["imsmanifest.xml"] = template.format(
        identifier=f"test-{version}-{scos}",
        title=title,
        items="\n".join(items),
        resources="\n".join(resources),
        schemaversion=EDITIONS.get(edition, ""),
    )
    return _zip(files)


def without_manifest() -> bytes:
    return _zip({"index.html": "<p>no manifest</p>"})


def with_traversal(name: str = "../evil.html") -> bytes:
    buffer = io.BytesIO(package())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, "<p>outside</p>")
    return buffer.getvalue()


def with_symlink() -> bytes:
    buffer = io.BytesIO(package())
    with zipfile.ZipFile(buffer, "a") as archive:
        info = zipfile.ZipInfo("sco1/link")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def zip_bomb(megabytes: int = 20) -> bytes:
    """A package with one file of zeros compressed about a thousand to one."""
    buffer = io.BytesIO(package())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sco1/padding.bin", b"\0" * (megabytes * 1024 * 1024))
    return buffer.getvalue()


def declared_size(size: int = 2 * 1024**3) -> bytes:
    """A package whose central directory declares `size` bytes for one small file (the zip
    holds a few bytes; a naive extraction would trust the directory)."""
    data = bytearray(package())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        target = archive.getinfo("sco1/index.html")
    # Find the central directory entry for the file and patch its uncompressed size.
    name = target.filename.encode()
    position = 0
    while True:
        position = data.index(b"PK\x01\x02", position)
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == name:
            struct.pack_into("<I", data, position + 24, min(size, 0xFFFFFFFE))
            break
        position += 4
    return bytes(data)


def bad_manifest(xml: str) -> bytes:
    return _zip({"imsmanifest.xml": xml, "index.html": "<p>x</p>"})


ENTITY_MANIFEST = """<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<manifest identifier="x"><organizations><organization><title>&b;</title></organization>
</organizations></manifest>
"""

NO_SCO_MANIFEST = MANIFEST_12.format(
    identifier="assets-only",
    title="Only an asset",
    items='      <item identifier="i1" identifierref="r1"><title>Asset</title></item>',
    resources='    <resource identifier="r1" type="webcontent" adlcp:scormtype="asset" '
    'href="index.html"/>',
)
