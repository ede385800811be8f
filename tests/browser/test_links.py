"""Links to a view in a real Chromium: a link opened in a fresh page shows its view, a reload
keeps it, and changing a control changes the page's URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from acumap.data.loading import Knowledge
from tests.browser.test_page import View, assert_shows, change, settle
from tests.support.live import wait_idle, wait_shown

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def wait_query(page: Page, **want: str) -> None:
    """Wait until the page's URL holds exactly these parameters."""
    expected = {name: [value] for name, value in want.items()}
    page.wait_for_function(
        """want => {
            const got = {};
            for (const [k, v] of new URLSearchParams(location.search)) (got[k] = got[k] || []).push(v);
            return JSON.stringify(Object.keys(got).sort().map(k => [k, got[k]]))
                === JSON.stringify(Object.keys(want).sort().map(k => [k, want[k]]));
        }""",
        arg=expected,
    )
    assert query(page) == expected


def test_a_link_opens_its_view_and_a_reload_keeps_it(open_page, knowledge: Knowledge) -> None:
    k = knowledge
    view = View(region="lumbar", method="exciting", stage="III")
    page = open_page("/?region=lumbar&method=exciting&stage=III")
    settle(page, k, view)
    assert_shows(page, k, view)
    wait_query(page, region="lumbar", method="exciting", stage="III")
    page.reload()
    settle(page, k, view)
    assert_shows(page, k, view)
    wait_query(page, region="lumbar", method="exciting", stage="III")


def test_a_link_with_every_control_opens_that_view(open_page, knowledge: Knowledge) -> None:
    k = knowledge
    s = k.strings
    view = View(region="thoracic", method="combined", stage="II", whole_back=True)
    page = open_page("/?region=thoracic&method=both&stage=II&build=broad&whole_back=true&show_points=true"
                     "&point=BL13&seed=7")
    for reload in (False, True):  # as opened, then after a reload
        if reload:
            page.reload()
            wait_shown(page, ".st-key-back_view .main-svg")
            wait_idle(page)
        settle(page, k, view)
        assert_shows(page, k, view)
        build = page.locator(".st-key-build").get_by_role("radio", name=s.get("build.broad"))
        expect(build).to_have_attribute("aria-checked", "true")
        expect(page.locator(".st-key-whole_back").get_by_role("switch")).to_be_checked()
        expect(page.locator(".st-key-show_points").get_by_role("switch")).to_be_checked()
        expect(page.locator(".st-key-point_detail")).to_contain_text("BL13 Feishu")
        # The alias "both" is written back as the method's own value.
        wait_query(page, region="thoracic", method="combined", stage="II", build="broad", whole_back="true",
                   show_points="true", point="BL13", seed="7")
        expect(page.get_by_test_id("stAlertContentInfo")).to_have_count(0)


def test_changing_controls_changes_the_url_and_that_url_opens_the_same_view(app_page: Page, open_page,
                                                                           knowledge: Knowledge) -> None:
    k = knowledge
    view = View(region="cervical", method=k.default_method, stage="I")
    assert query(app_page) == {}
    view = change(app_page, k, view, "region", "lumbar")
    wait_query(app_page, region="lumbar")
    view = change(app_page, k, view, "stage", "II")
    wait_query(app_page, region="lumbar", stage="II")
    view = change(app_page, k, view, "method", "combined")
    wait_query(app_page, region="lumbar", method="combined", stage="II")
    view = change(app_page, k, view, "whole_back", True)  # kept in the URL by Streamlit's own binding
    wait_query(app_page, region="lumbar", method="combined", stage="II", whole_back="true")
    app_page.locator(".st-key-build").get_by_role("radio", name=k.strings.get("build.slim")).click()
    wait_query(app_page, region="lumbar", method="combined", stage="II", build="slim", whole_back="true")
    wait_idle(app_page)
    # The link the sidebar's "Link to this view" opens is the page's URL.
    app_page.locator("[data-testid=stSidebar]").get_by_role("button", name=k.strings.get("links.copy")).click()
    shown = app_page.locator("[data-testid=stPopoverBody] [data-testid=stCode]").inner_text().strip()
    assert urlsplit(shown).query and parse_qs(urlsplit(shown).query) == query(app_page)

    other = open_page(urlsplit(app_page.url).path + "?" + urlsplit(app_page.url).query)
    settle(other, k, view)
    assert_shows(other, k, view)
    expect(other.locator(".st-key-build").get_by_role("radio", name=k.strings.get("build.slim"))).to_have_attribute(
        "aria-checked", "true")
    # Back to a default: the parameter leaves the URL.
    view = change(app_page, k, view, "region", "cervical")
    wait_query(app_page, method="combined", stage="II", build="slim", whole_back="true")


def test_back_and_forward_follow_the_url(app_page: Page, knowledge: Knowledge) -> None:
    k = knowledge
    first = View(region="cervical", method=k.default_method, stage="I")
    second = change(app_page, k, first, "region", "thoracic")
    third = change(app_page, k, second, "stage", "II")
    wait_query(app_page, region="thoracic", stage="II")
    app_page.go_back()
    settle(app_page, k, second)
    assert_shows(app_page, k, second)
    app_page.go_forward()
    settle(app_page, k, third)
    assert_shows(app_page, k, third)


def test_a_bad_link_shows_the_defaults_and_one_notice(open_page, knowledge: Knowledge) -> None:
    k = knowledge
    page = open_page("/?stage=V&foo=1&region=lumbar&mode=Quiz&point=" + "x" * 10_000)
    view = View(region="lumbar", method=k.default_method, stage="I")
    settle(page, k, view)
    assert_shows(page, k, view)
    notice = page.locator(".acu-link-notice").filter(visible=True)
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Ignored from the link: stage=V (not a stage), foo (unknown parameter), "
                                f"mode=Quiz (not a mode), point={'x' * 24}… (too long)")
    wait_query(page, region="lumbar")  # what was ignored leaves the URL


def notice_text(page: Page) -> str:
    notice = page.get_by_text("Ignored from the link", exact=False)
    expect(notice).to_have_count(1)
    return notice.inner_text()


def test_a_link_s_text_is_shown_as_typed_never_as_a_link_or_a_style(open_page) -> None:
    page = open_page("/?region=see%20http://evil.example/x&lang=:red[RED]&=x&stage=**II**")
    text = notice_text(page)
    assert "region=see http://evil.example/… (not a region)" in text
    assert "lang=:red[RED] (not an available language)" in text
    assert "a parameter without a name (unknown parameter)" in text
    assert "stage=**II** (not a stage)" in text
    assert page.locator('a[href*="evil.example"]').count() == 0


def test_many_unknown_parameters_give_a_short_notice(open_page) -> None:
    many = "&".join(f"p{i}=1" for i in range(990))
    page = open_page("/?stage=V&" + many)
    text = notice_text(page)
    assert text.strip().endswith("and 986 more")
    assert "stage=V (not a stage), p0 (unknown parameter)" in text
    assert len(text) < 400


def test_a_link_streamlit_ignores_whole_is_named(open_page, knowledge: Knowledge) -> None:
    page = open_page("/?region=lumbar&" + "&".join(f"p{i}=1" for i in range(1000)))
    expect(page.get_by_text("The whole link was ignored", exact=False)).to_be_visible()
    view = View(region="cervical", method=knowledge.default_method, stage="I")
    settle(page, knowledge, view)
    # Once the user moves on, the notice goes.
    change(page, knowledge, view, "region", "lumbar")
    expect(page.get_by_text("The whole link was ignored", exact=False)).to_have_count(0)
