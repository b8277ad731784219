"""A user's journey through Wijkteam in a real browser, with an accessibility check and a burden
count at every step.

A test drives a :class:`Journey` the way a person would: by visible labels and button texts, not
by CSS selectors. Every page the journey arrives at is checked with axe-core (WCAG 2.1 A and AA,
zero violations allowed), must say ``lang="nl"``, must not have made the browser report a
Content-Security-Policy violation (on its console), and is saved as a screenshot under
``test-artifacts/``. Inside ``with journey.task("...")`` the journey counts the registration
burden of that task: required fields on the forms it submits, the inputs it changed, page loads,
partial (HTMX) updates, clicks and keys, and the seconds it took.

New journeys (keukentafelgesprek, ZRM, plan) need no new machinery: log in, ``goto`` or
``follow``, ``fill``/``choose``/``check`` by label, ``submit`` by button text, inside a ``task``.
"""

from __future__ import annotations

import json
import re
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 level A and AA; axe's "best-practice" rules are advice, not the standard.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Unique ids: axe 4 moved its duplicate-id rules out of the WCAG tags (WCAG 2.2 made 4.1.1 obsolete),
# but a label that points at an id used twice still selects the wrong field (issue 23).
EXTRA_RULES = {"duplicate-id": {"enabled": True}, "duplicate-id-active": {"enabled": True}}
# axe reports an id used twice that a label or an ARIA attribute points at as "needs review"; here it
# is always wrong: the label selects the first field with that id, whichever form it belongs to.
INCOMPLETE_IS_VIOLATION = {"duplicate-id-aria"}
DEMO_PASSWORD = "wijkteam-demo"  # noqa: S105 - the public password of the demo accounts

# Counts the fields of one form in the page: a field is a distinct name among the visible
# controls; it is required when the control says so (required / aria-required) or when it is a
# group (fieldset) whose legend does not carry the "(optional)" marker of the field component.
FORM_FIELDS_JS = """form => {
  const names = new Map();
  for (const el of form.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || el.type === 'submit' || el.disabled || !el.name) continue;
    if (!el.getClientRects().length) continue;
    let required = el.required || el.getAttribute('aria-required') === 'true';
    const group = el.closest('fieldset');
    if (group && (el.type === 'radio' || el.type === 'checkbox') && group.querySelector('legend')) {
      required = !group.querySelector('legend .wt-muted');
    }
    names.set(el.name, (names.get(el.name) || false) || required);
  }
  return {fields: names.size, required: [...names.values()].filter(Boolean).length};
}"""

# Whether the element that has focus shows it: an outline or a box shadow that is not "none".
FOCUS_VISIBLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: null, visible: false};
  if (/^(date|time|datetime-local|month|week)$/.test(el.type) && !el.matches(':focus-visible')) {
    // Focus is on the calendar/clock button inside the browser's own control, which Chromium
    // draws its own focus ring around; page CSS cannot reach (or hide) it.
    return {tag: el.tagName.toLowerCase(), name: el.name + ' (picker button)', visible: true};
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {tag: el.tagName.toLowerCase(), name: el.name || el.textContent.trim().slice(0, 40),
          visible: outline || shadow};
}"""


@dataclass
class Burden:
    """The registration burden of one task in a journey."""

    journey: str
    task: str
    required_fields: int = 0
    fields_offered: int = 0
    inputs: int = 0
    page_loads: int = 0
    partial_updates: int = 0
    clicks: int = 0
    keys: int = 0
    seconds: float = 0.0
    forms: list[str] = field(default_factory=list)


class AccessibilityViolation(AssertionError):
    pass


class SecurityPolicyViolation(AssertionError):
    pass


class Journey:
    """One person in one browser context, walking through the application."""

    def __init__(self, page: Page, *, base_url: str, name: str, report: Report):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.report = report
        self.step_number = 0
        self.current: Burden | None = None
        self.shots = ARTIFACTS / "screenshots" / name
        self.shots.mkdir(parents=True, exist_ok=True)
        self.csp_violations: list[str] = []
        page.on("load", lambda _page: self._count("page_loads"))
        page.on("request", self._on_request)
        page.on("console", self._on_console)

    # --- counting -------------------------------------------------------------------------------

    def _count(self, what: str, n: int = 1) -> None:
        if self.current is not None:
            setattr(self.current, what, getattr(self.current, what) + n)

    def _on_request(self, request) -> None:
        if request.headers.get("hx-request") == "true":
            self._count("partial_updates")

    def _on_console(self, message) -> None:
        # Chromium reports every blocked inline script or style, eval and foreign source here.
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url.removeprefix(self.base_url)}: {message.text}")

    @contextmanager
    def task(self, name: str):
        """Count the registration burden of what happens inside the block."""
        burden = Burden(journey=self.name, task=name)
        self.current = burden
        started = time.monotonic()
        try:
            yield burden
        finally:
            burden.seconds = round(time.monotonic() - started, 2)
            self.current = None
        self.report.add(burden)

    # --- moving around --------------------------------------------------------------------------

    def goto(self, path: str, *, expect_status: int = 200, step: str | None = None) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == expect_status, (
            f"GET {path}: {response.status if response else 'no response'}, expected {expect_status}"
        )
        self.arrive(step or path.strip("/").replace("/", "-") or "home")

    def follow(self, name: str | re.Pattern, *, step: str | None = None, within: Locator | None = None) -> None:
        """Click a link (or a link styled as a button) by its visible name and wait for the page;
        ``within`` a part of the page (a table row, a region) when the name occurs more than once."""
        scope = within if within is not None else self.page
        link = scope.get_by_role("link", name=name, exact=isinstance(name, str)).first
        with self.page.expect_navigation():
            link.click()
        self._count("clicks")
        self.arrive(step or _slug(name))

    def submit(self, button: str | re.Pattern, *, step: str | None = None, expect_status: int | None = None) -> None:
        """Click a submit button, count the form it belongs to, and wait for the next page."""
        locator = self.page.get_by_role("button", name=button, exact=isinstance(button, str)).first
        self.count_form(locator, str(button))
        with self.page.expect_navigation() as navigation:
            locator.click()
        self._count("clicks")
        if expect_status is not None:
            response = navigation.value
            assert response is not None and response.status == expect_status
        self.arrive(step or _slug(button))

    def count_form(self, button: Locator, label: str) -> None:
        """Add the fields of the form that ``button`` submits to the task's burden."""
        if self.current is None:
            return
        counts = button.locator("xpath=ancestor::form[1]").evaluate(FORM_FIELDS_JS)
        self.current.required_fields += counts["required"]
        self.current.fields_offered += counts["fields"]
        self.current.forms.append(label)

    # --- filling in -----------------------------------------------------------------------------

    def field(self, label: str | re.Pattern) -> Locator:
        """A field by its label; a plain string also matches the label with "(niet verplicht)" after it."""
        if isinstance(label, str):
            label = re.compile(rf"^\s*{re.escape(label)}(\s*\(niet verplicht\))?\s*$")
        return self.page.get_by_label(label).first

    def fill(self, label: str | re.Pattern, value: str) -> None:
        self.field(label).fill(value)
        self._count("inputs")

    def type(self, label: str | re.Pattern, text: str) -> None:
        """Type key by key, as a person does in a search-as-you-type box (one input)."""
        box = self.field(label)
        box.click()
        self._count("clicks")
        box.press_sequentially(text, delay=40)
        self._count("inputs")

    def choose(self, label: str | re.Pattern, option: str) -> None:
        self.field(label).select_option(label=option)
        self._count("inputs")

    def check(self, label: str | re.Pattern) -> None:
        self.field(label).check()
        self._count("inputs")
        self._count("clicks")

    def tab_to(self, target: Locator, *, max_stops: int = 40) -> None:
        """Press Tab until ``target`` has focus; at every stop on the way focus must be visible."""
        for _ in range(max_stops):
            self.press("Tab")
            focus = self.focus_is_visible()
            assert focus["visible"], f"focus on <{focus['tag']}> {focus.get('name')!r} is not visible"
            if target.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"{target} not reached in {max_stops} Tab presses")

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
        self._count("keys", times)

    # --- arriving -------------------------------------------------------------------------------

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/account/login/", step="login")
        self.fill("Gebruikersnaam", username)
        self.fill("Wachtwoord", password)
        self.submit("Inloggen", step=f"second-step-{username}")
        self.second_step(step=f"signed-in-{username}")

    def demo_code(self) -> str:
        """The demo shows a pre-enrolled account's current code on the second-step page."""
        return self.page.get_by_role("note").locator("strong").inner_text()

    def second_step(self, *, step: str) -> None:
        """Type the code of the (pre-enrolled) authenticator app, as a person reads it off the page."""
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Tweede stap")
        self.fill("Code", self.demo_code())
        self.submit("Doorgaan", step=step)

    def arrive(self, step: str) -> None:
        """What every page must pass: Dutch, zero WCAG 2.1 A/AA violations; and a screenshot."""
        self.page.wait_for_load_state("load")
        self.step_number += 1
        self.page.screenshot(path=self.shots / f"{self.step_number:02d}-{_slug(step)}.png", full_page=True)
        expect(self.page.locator("html")).to_have_attribute("lang", "nl")
        self.check_security_policy()
        self.check_accessibility(step)

    def check_security_policy(self) -> None:
        """Fail on any Content-Security-Policy violation the browser reported since the last check
        (also called when the journey ends, for what partial updates did after the last page)."""
        found, self.csp_violations = self.csp_violations, []
        if found:
            raise SecurityPolicyViolation(f"{len(found)} CSP violation(s):\n" + "\n".join(found))

    def check_accessibility(self, step: str) -> None:
        """Run axe-core on the page as it is now (also after a partial update)."""
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "([tags, rules]) => axe.run(document, {runOnly: {type: 'tag', values: tags}, rules, "
            "resultTypes: ['violations', 'incomplete']})",
            [WCAG_TAGS, EXTRA_RULES],
        )
        violations = result["violations"] + [r for r in result["incomplete"] if r["id"] in INCOMPLETE_IS_VIOLATION]
        path = self.page.url.removeprefix(self.base_url)
        self.report.checked(self.name, step, path, violations)
        if violations:
            raise AccessibilityViolation(_describe(path, violations))

    def focus_is_visible(self) -> dict:
        return self.page.evaluate(FOCUS_VISIBLE_JS)


class Report:
    """Collects burden rows and accessibility results for the whole run, written at the end."""

    def __init__(self) -> None:
        self.burdens: list[Burden] = []
        self.pages: list[dict] = []

    def add(self, burden: Burden) -> None:
        self.burdens.append(burden)

    def checked(self, journey: str, step: str, path: str, violations: list[dict]) -> None:
        self.pages.append(
            {"journey": journey, "step": step, "path": path, "violations": [v["id"] for v in violations]}
        )

    def write(self) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        data = {"burden": [asdict(b) for b in self.burdens], "accessibility": self.pages}
        (ARTIFACTS / "e2e-report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        target = ARTIFACTS / "burden.md"
        target.write_text(self.markdown(), encoding="utf-8")
        return target

    def markdown(self) -> str:
        lines = [
            "| journey | task | required fields | fields offered | inputs | page loads | partial updates "
            "| clicks | keys | seconds |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for b in self.burdens:
            lines.append(
                f"| {b.journey} | {b.task} | {b.required_fields} | {b.fields_offered} | {b.inputs} | {b.page_loads} "
                f"| {b.partial_updates} | {b.clicks} | {b.keys} | {b.seconds:.1f} |"
            )
        pages = {p["path"] for p in self.pages}
        failing = [p for p in self.pages if p["violations"]]
        lines += [
            "",
            f"axe-core {_axe_version()} ({', '.join(WCAG_TAGS)}): {len(self.pages)} checks on {len(pages)} "
            f"distinct pages, {len(failing)} with violations.",
        ]
        return "\n".join(lines) + "\n"


def _axe_version() -> str:
    package = AXE_SOURCE.parent / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"] if package.exists() else "?"


def _describe(path: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} WCAG 2.1 A/AA violation(s) on {path}:"]
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return "\n".join(lines)


def _slug(text) -> str:
    text = text.pattern if isinstance(text, re.Pattern) else str(text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "step"
