"""Playwright driving Debian's chromium; skipped, with a clear reason, when it is absent."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason="browser tests need /usr/bin/chromium (apt-get install chromium)"
    )
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
    # around it are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


PHONE = {"width": 390, "height": 844}


def assert_fits_phone(page, *, context: str = ""):
    """At 390 x 844 (a common phone) the page scrolls only vertically; the viewport the test
    used before is restored afterwards."""
    before = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        widest = page.evaluate(
            """() => {
                const limit = document.documentElement.clientWidth;
                const wide = [...document.querySelectorAll("body *")]
                    .filter((el) => el.getBoundingClientRect().right > limit + 1)
                    .slice(0, 3)
                    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                        + (el.className && typeof el.className === "string"
                            ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
                return {scroll: document.documentElement.scrollWidth, wide};
            }"""
        )
    finally:
        if before:
            page.set_viewport_size(before)
    assert widest["scroll"] <= PHONE["width"], (
        f"{context or page.url} scrolls sideways at {PHONE['width']} px "
        f"(scrollWidth {widest['scroll']}); too wide: {widest['wide']}"
    )


def assert_accessible(page, *, context: str = "", rules: dict | None = None):
    """axe-core (shipped inside axe-playwright-python): no serious or critical violations; and
    every page checked here must also fit a 390 px phone without sideways scrolling."""
    assert_fits_phone(page, context=context)
    summary = axe_violations(page, rules=rules)
    assert not summary, f"Accessibility violations on {context or page.url}:\n{summary}"


def axe_violations(target, *, rules: dict | None = None) -> str:
    """axe-core's serious and critical violations in a Page or a Frame, one line each ("" when
    none)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], **({"rules": rules} if rules else {})}
    results = Axe().run(target, options=options)
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    )


def log_in(page, email: str, password: str):
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def answer_quiz(page, attempt, *, right: bool):
    """Fill the taking page from the attempt's snapshot (read from the database, as only the
    test can): every answer right, or every answer wrong."""
    for q in attempt.snapshot:
        if q["type"] in ("single_choice", "true_false", "multiple_choice"):
            for choice in q["choices"]:
                if choice["correct"] == right:
                    page.locator(f"#f-{q['id']}-{choice['id']}").check()
                    if q["type"] != "multiple_choice":
                        break
        elif q["type"] == "short_text":
            page.locator(f"#f-{q['id']}").fill(q["accepted"][0] if right else "no idea")
        elif q["type"] == "matching":
            for pair in q["pairs"]:
                wrong = next(o["id"] for o in q["options"] if o["id"] != pair["answer"])
                page.locator(f"#f-{q['id']}-{pair['id']}").select_option(
                    pair["answer"] if right else wrong
                )
