"""xAPI 1.0.3 statements from activity events: pure functions, no database, no settings.

Everything a statement needs is gathered into `StatementFacts` by the caller (`selectors.py`
reads the events, the pages' stable identities and the actors' opaque ids in a fixed number of
queries); `statement_build` turns one into a statement. The same facts always give the same
statement, byte for byte, so a re-send is recognised by the LRS as the statement it already has.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

XAPI_VERSION = "1.0.3"

# Fixed forever: statement ids are uuid5(this, "<site>/xapi/events/<event id>").
STATEMENT_NAMESPACE = uuid.UUID("5f0b7c52-2f4e-4a43-9a5e-0c6b2f3c9d11")

# English display of each verb IRI (the ADL and Tin Can registries' own words).
VERB_DISPLAY: dict[str, str] = {
    "http://adlnet.gov/expapi/verbs/registered": "registered",
    "http://adlnet.gov/expapi/verbs/experienced": "experienced",
    "http://adlnet.gov/expapi/verbs/completed": "completed",
    "http://adlnet.gov/expapi/verbs/attempted": "attempted",
    "http://adlnet.gov/expapi/verbs/passed": "passed",
    "http://adlnet.gov/expapi/verbs/failed": "failed",
    "http://id.tincanapi.com/verb/earned": "earned",
}

# Activity types (ADL vocabulary; Tin Can's registry for the certificate).
ACTIVITY_TYPES: dict[str, str] = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "workbook": "http://adlnet.gov/expapi/activities/performance",
    "certificate": "http://id.tincanapi.com/activitytype/certificate",
}
DEFAULT_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/module"


@dataclass(frozen=True)
class StatementFacts:
    """What one activity event says, with the identities that make its IRIs stable.

    `object_key` and `course_key` are the pages' Wagtail `translation_key` (the same for every
    translation of a page); None when the page no longer exists. For a certificate, `object_key`
    is None and the activity is the course's certificate.
    """

    event_id: int
    verb: str
    object_type: str
    object_id: int | None
    object_key: uuid.UUID | None
    object_title: str
    course_id: int | None
    course_key: uuid.UUID | None
    course_title: str
    language: str | None
    actor_name: str
    actor_mbox: str | None
    timestamp: datetime
    score: Decimal | None = None
    success: bool | None = None
    completion: bool | None = None
    duration: timedelta | None = None


def statement_id(*, site_url: str, event_id: int) -> uuid.UUID:
    """The statement's id: the same event on the same site always gives the same UUID."""
    return uuid.uuid5(STATEMENT_NAMESPACE, f"{site_url.rstrip('/')}/xapi/events/{event_id}")


def activity_iri(
    *, site_url: str, object_type: str, key: uuid.UUID | None, page_id: int | None
) -> str:
    """A stable IRI for a course, lesson, quiz or workbook.

    Built from the page's translation key, which survives moves, renames, slug changes and
    translation; a page deleted before its events were sent falls back to its numeric id.
    """
    base = f"{site_url.rstrip('/')}/xapi/activities/{object_type}"
    if key is not None:
        return f"{base}/{key}"
    return f"{base}/page-{page_id if page_id is not None else 'unknown'}"


def iso8601_duration(value: timedelta) -> str:
    """`timedelta` → ISO 8601 duration (`PT1H2M3S`, `P2DT4H`, `PT0.5S`, `PT0S`)."""
    total = max(value, timedelta(0))
    days = total.days
    seconds = total.seconds
    micro = total.microseconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "P"
    if days:
        out += f"{days}D"
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if micro:
        # Centiseconds at most, as xAPI asks (4.6 "Durations").
        fraction = f"{secs + micro / 1_000_000:.2f}".rstrip("0").rstrip(".")
        time += f"{fraction}S"
    elif secs:
        time += f"{secs}S"
    if time:
        out += "T" + time
    return out if out != "P" else "PT0S"


def scaled_score(score: Decimal) -> float:
    """A percentage (0–100) as xAPI's `score.scaled` (0–1), clamped."""
    scaled = (Decimal(score) / 100).quantize(Decimal("0.0001"))
    return float(min(max(scaled, Decimal(0)), Decimal(1)))


def statement_build(
    facts: StatementFacts, *, site_url: str, platform: str, default_language: str = "en"
) -> dict:
    """One xAPI 1.0.3 statement for one event.

    Names are keyed by the page's language, or `default_language` (the site's) when the page's
    locale is unknown; `context.language` is set only from the page's own locale.
    """
    site = site_url.rstrip("/")
    names_in = facts.language or default_language
    actor: dict = {"objectType": "Agent"}
    if facts.actor_mbox:
        actor["mbox"] = f"mailto:{facts.actor_mbox}"
    else:
        actor["account"] = {"homePage": site, "name": facts.actor_name}

    if facts.object_type == "certificate":
        object_iri = activity_iri(
            site_url=site, object_type="course", key=facts.course_key, page_id=facts.course_id
        ).replace("/activities/course/", "/activities/certificate/", 1)
    else:
        object_iri = activity_iri(
            site_url=site,
            object_type=facts.object_type,
            key=facts.object_key,
            page_id=facts.object_id,
        )
    statement: dict = {
        "id": str(statement_id(site_url=site, event_id=facts.event_id)),
        "actor": actor,
        "verb": {"id": facts.verb, "display": {"en-US": VERB_DISPLAY.get(facts.verb, "did")}},
        "object": {
            "objectType": "Activity",
            "id": object_iri,
            "definition": {
                "name": {names_in: facts.object_title or facts.object_type},
                "type": ACTIVITY_TYPES.get(facts.object_type, DEFAULT_ACTIVITY_TYPE),
            },
        },
        "timestamp": facts.timestamp.isoformat(),
        "version": XAPI_VERSION,
    }

    result: dict = {}
    if facts.score is not None:
        result["score"] = {
            "scaled": scaled_score(facts.score),
            "raw": float(min(max(Decimal(facts.score), Decimal(0)), Decimal(100))),
            "min": 0.0,
            "max": 100.0,
        }
    if facts.success is not None:
        result["success"] = facts.success
    if facts.completion is not None:
        result["completion"] = facts.completion
    if facts.duration is not None:
        result["duration"] = iso8601_duration(facts.duration)
    if result:
        statement["result"] = result

    context: dict = {"platform": platform}
    if facts.language:
        context["language"] = facts.language
    if facts.course_id is not None and facts.object_type != "course":
        course_iri = activity_iri(
            site_url=site, object_type="course", key=facts.course_key, page_id=facts.course_id
        )
        context["contextActivities"] = {
            "parent": [
                {
                    "objectType": "Activity",
                    "id": course_iri,
                    "definition": {
                        "name": {names_in: facts.course_title or "course"},
                        "type": ACTIVITY_TYPES["course"],
                    },
                }
            ]
        }
    statement["context"] = context
    return statement
