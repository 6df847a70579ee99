"""The SCORM player on a SCORM lesson: which SCO plays, where the learner resumes, the table of
contents of a multi-SCO package with what is done, and the runtime's settings."""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse

from courses.selectors.outline import outline_for_page
from learners.progress.selectors import learner_course_state_for_request
from learners.scorm.selectors import lesson_scorm_state, sco_launch

register = template.Library()


def _content_url(lesson_id: int, href: str) -> str:
    path, _, query = href.partition("?")
    url = reverse("learn_scorm_content", args=[lesson_id, quote(path, safe="/")])
    return f"{url}?{query}" if query else url


def _toc(items: list[dict], statuses: dict, current: str, page_url: str) -> list[dict]:
    entries = []
    for item in items:
        status = statuses.get(item["identifier"])
        launches = bool(item.get("sco") and item.get("href"))
        entries.append(
            {
                "title": item.get("title") or item["identifier"],
                "url": f"{page_url}?sco={quote(item['identifier'])}" if launches else "",
                "current": launches and item["identifier"] == current,
                "complete": bool(status and status.complete),
                "children": _toc(item.get("children") or [], statuses, current, page_url),
            }
        )
    return entries


def _navigation(scos: list[dict], current: str, page_url: str) -> dict:
    """Where a SCORM 2004 navigation request leads (`adl.nav.request`, read by the player after
    the SCO terminates): the next or previous SCO in the organisation's order, or any SCO by
    identifier (choice). Sequencing rules (imsss) are not evaluated: every SCO may be chosen, as
    in the table of contents; "continue" from the last SCO and "previous" from the first stay."""
    ids = [item["identifier"] for item in scos]
    urls = {identifier: f"{page_url}?sco={quote(identifier)}" for identifier in ids}
    index = ids.index(current) if current in ids else 0
    return {
        "next": urls[ids[index + 1]] if index + 1 < len(ids) else "",
        "previous": urls[ids[index - 1]] if index > 0 else "",
        "choice": urls,
    }


@register.simple_tag(takes_context=True)
def scorm_player(context, page):
    """{% scorm_player page as player %}: None when the reader may not play the package (the
    gate already answered), else what the template and static/js/scorm-player.js need."""
    request = context.get("request")
    package = page.package
    if request is None or package is None or not request.user.is_authenticated:
        return None
    sco = package.sco(request.GET.get("sco", ""))
    if sco is None:
        sco = package.sco("")
    if sco is None:
        return None
    outline = outline_for_page(page, request)
    enrolment = (
        learner_course_state_for_request(request, outline.course_id).enrolment
        if outline is not None
        else None
    )
    can_edit = page.permissions_for_user(request.user).can_edit()
    if enrolment is None and not can_edit:
        return None
    config = {
        "version": package.version,
        "sco": sco["identifier"],
        "launchUrl": _content_url(page.pk, sco["href"]),
        "commitUrl": "",
        "attempt": 1,
        "sequence": 0,
        "cmi": {},
        "csrfToken": get_token(request),
    }
    if package.is_multi_sco:
        config["navigation"] = _navigation(package.scos, sco["identifier"], page.url or "")
    state = None
    if enrolment is not None:
        state = lesson_scorm_state(enrolment=enrolment, lesson=page)
        attempt, cmi = sco_launch(
            user=request.user,
            version=package.version,
            sco=sco,
            latest=state.latest.get(sco["identifier"]),
        )
        config.update(
            {
                "commitUrl": reverse("learn_scorm_commit", args=[page.pk]),
                "attempt": attempt.number,
                "sequence": attempt.sequence,
                "cmi": cmi,
            }
        )
    statuses = state.statuses if state else {}
    current_status = statuses.get(sco["identifier"])
    return {
        "config": config,
        "sco": sco,
        "preview": enrolment is None,
        "multi": package.is_multi_sco,
        "toc": _toc(package.tree, statuses, sco["identifier"], page.url or ""),
        "sco_complete": bool(current_status and current_status.complete),
        "score_percent": state.score_percent if state else None,
        "attempt": config["attempt"],
        "resumed": bool(
            config["cmi"].get("entry") == "resume"
            or config["cmi"].get("core", {}).get("entry") == "resume"
        ),
    }
