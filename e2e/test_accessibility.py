"""What WCAG 2.1 AA asks beyond what axe-core can see: keyboard use, visible focus, errors that are
announced and linked to their fields. (axe itself runs on every page every journey visits.)"""

import pytest
from playwright.sync_api import expect

from .journey import AccessibilityViolation, SecurityPolicyViolation


def test_the_checker_itself_finds_a_violation(journey):
    """No test that cannot fail: the same check that passes on our pages fails on a broken one."""
    journey.page.set_content('<html lang="nl"><title>x</title><body><main><img src="a.png"></main></body></html>')
    with pytest.raises(AccessibilityViolation, match="image-alt"):
        journey.check_accessibility("broken-on-purpose")
    journey.report.pages.pop()  # not one of our pages


def test_the_checker_finds_an_id_used_twice(journey):
    """Two fields with one id: a label targets the first whichever it belongs to (issue 23)."""
    journey.page.set_content(
        '<html lang="nl"><title>x</title><body><main><label for="id_form_0">Mondeling</label>'
        '<input type="radio" name="a" id="id_form_0"><input type="radio" name="b" id="id_form_0"'
        ' aria-label="Mondeling"></main></body></html>'
    )
    with pytest.raises(AccessibilityViolation, match="duplicate-id"):
        journey.check_accessibility("broken-on-purpose")
    journey.report.pages.pop()  # not one of our pages


def test_the_csp_check_finds_an_inline_style_and_script(journey):
    """The Content-Security-Policy check fails a journey on what the browser blocked."""
    journey.goto("/account/login/", step="login")
    journey.page.evaluate(
        """() => {
          document.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline style</p>');
          const script = document.createElement('script');
          script.textContent = 'window.ranInline = true';
          document.body.append(script);
        }"""
    )
    expect(journey.page.locator("p", has_text="inline style")).to_be_attached()
    assert journey.page.evaluate("() => window.ranInline") is None  # blocked
    journey.page.wait_for_timeout(200)  # the console messages arrive asynchronously
    with pytest.raises(SecurityPolicyViolation, match="inline"):
        journey.check_security_policy()


def test_errors_are_announced_focused_and_linked_to_their_fields(journey):
    journey.login("sociaalwerker")
    journey.goto("/inwoners/nieuw/", step="register-resident")
    journey.submit("Opslaan", step="register-resident-errors")

    summary = journey.page.get_by_role("alert")
    expect(summary).to_contain_text("Verbeter het volgende")
    expect(summary).to_be_focused()  # a screen reader reads it out; a keyboard user starts there
    links = summary.get_by_role("link")
    assert links.count() == 2  # surname and date of birth: the only required fields
    for index in range(links.count()):
        link = links.nth(index)
        target = journey.page.locator(link.get_attribute("href"))
        expect(target).to_have_attribute("aria-invalid", "true")
        error_id = f"{link.get_attribute('href')[1:]}-error"
        assert error_id in target.get_attribute("aria-describedby").split()
        expect(journey.page.locator(f"#{error_id}")).not_to_be_empty()
        link.click()
        expect(target).to_be_focused()


def test_keyboard_only_registration_with_visible_focus(journey):
    """Sign in and register a resident with the keyboard alone; every stop shows where focus is."""
    journey.goto("/account/login/", step="keyboard-login")
    expect(journey.field("Gebruikersnaam")).to_be_focused()  # the sign-in form starts there
    journey.page.keyboard.type("sociaalwerker")
    journey.press("Tab")
    journey.page.keyboard.type("wijkteam-demo")
    with journey.page.expect_navigation():
        journey.press("Enter")
    journey.arrive("keyboard-second-step")
    expect(journey.field("Code")).to_be_focused()  # the second step starts at its one field
    journey.page.keyboard.type(journey.demo_code())
    with journey.page.expect_navigation():
        journey.press("Enter")
    journey.arrive("keyboard-signed-in")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Mijn werk")

    journey.goto("/inwoners/nieuw/", step="keyboard-register-resident")
    journey.press("Tab")
    skip = journey.page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert journey.focus_is_visible()["visible"]
    journey.press("Enter")
    expect(journey.page.get_by_role("main")).to_be_focused()
    with journey.task("register a resident, keyboard only"):
        journey.tab_to(journey.field("Voornamen"))
        journey.page.keyboard.type("Wietske")
        journey.tab_to(journey.field("Achternaam"))
        journey.page.keyboard.type("Toetsenbord")
        journey.tab_to(journey.field("Geboortedatum"))
        journey.page.keyboard.type("14031950")  # dd-mm-jjjj in Chromium's Dutch locale
        # An address in Huizum-West, which the team serves. Postcode 8932 lies in several
        # districts: the form asks which one (issue 20), by radio buttons, with the keyboard too.
        journey.tab_to(journey.field("Postcode"))
        journey.page.keyboard.type("8932 JT")
        journey.tab_to(journey.field("Huisnummer"))
        journey.page.keyboard.type("121")
        journey.current.inputs += 5
        journey.tab_to(journey.page.get_by_role("button", name="Opslaan"), max_stops=80)
        journey.count_form(journey.page.get_by_role("button", name="Opslaan"), "register a resident")
        with journey.page.expect_navigation():
            journey.press("Enter")
        journey.arrive("keyboard-choose-the-district")
        district = journey.page.get_by_role("radio", name="Huizum-West")
        journey.tab_to(journey.page.get_by_role("radio").first, max_stops=80)
        journey.press(" ")
        for _ in range(5):  # the arrow keys move through the group, choosing as they go
            if district.is_checked():
                break
            journey.press("ArrowDown")
        journey.tab_to(journey.page.get_by_role("button", name="Opslaan"), max_stops=80)
        with journey.page.expect_navigation():
            journey.press("Enter")
        journey.arrive("keyboard-registered")
    expect(journey.page.get_by_role("status")).to_contain_text("Wietske Toetsenbord")
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Toetsenbord")


def test_pages_reflow_at_320_pixels(new_journey):
    """WCAG 1.4.10: at 320 CSS pixels wide nothing needs sideways scrolling (tables scroll in their wrapper)."""
    journey = new_journey("narrow_320", viewport={"width": 320, "height": 720})
    journey.login("sociaalwerker")
    journey.follow("Ingrid van der Meiden", step="narrow-case")
    journey.follow("Huishouden", step="narrow-household")
    for path in ("/mijn-werk/", "/inwoners/?q=meiden", "/toegankelijkheid/"):
        journey.goto(path, step=f"narrow-{path}")
        width = journey.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path} is {width[0]} px wide at 320"
