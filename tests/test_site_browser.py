"""The built sample site in a real browser (Debian's Chromium, driven by Playwright): every page
of every plan year passes axe-core's WCAG 2.2 A/AA rules and best practices, reflows at phone
width, and loads nothing from any other site; the version selector, search, the 404 page, the
skip link and the charts work."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import ROOT, read_yaml, sample_years
from webcheck import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, describe_violations, run_axe, serve

pytestmark = pytest.mark.xdist_group("sample")
YEARS = sample_years()
NEWEST, OLDEST = YEARS[-1], YEARS[0]
MISSING = "no-such-page/"


def site_pages(site, year) -> list[str]:
    """Every page of a plan year, as paths below the site root ('2025-26/governance/'), and a
    missing page, which the host answers with the year's 404 page."""
    pages = [f"{year}/{p.parent.relative_to(site / year).as_posix()}/".replace("/./", "/")
             for p in sorted((site / year).rglob("index.html"))]
    return pages + [f"{year}/{MISSING}"]


@pytest.fixture(scope="module")
def base_url(sample_site):
    with serve(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Requests:
    """Every request a browser context makes, and those that leave the site's own origin."""

    def __init__(self, context, base_url):
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        self.seen: list[str] = []
        context.on("request", lambda request: self.seen.append(request.url))

    def outside(self) -> list[str]:
        # data: and blob: URLs are made in the page itself: they go nowhere.
        return [u for u in self.seen if not u.startswith((self.origin + "/", "data:", "blob:"))]


@pytest.fixture
def page(browser, base_url):
    """A fresh desktop-sized page; the test fails if anything it loaded came from elsewhere."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    requests = Requests(context, base_url)
    tab = context.new_page()
    tab.requests = requests
    yield tab
    context.close()
    assert requests.outside() == [], "requests that left the site"


def open_page(page, url):
    response = page.goto(url, wait_until="load")
    # The version selector is drawn once ../versions.json has loaded: wait for it, so it is
    # part of what is checked.
    page.wait_for_selector(".md-version__current", state="attached", timeout=10_000)
    return response


def test_every_page_of_every_year_passes_axe_loads_nothing_from_elsewhere_and_fits_a_phone(
        browser, base_url, sample_site):
    """One pass over every page of every year (and the site's own 404 page): axe-core at desktop
    width must find no violation; at phone width (390px) the page must not scroll sideways; no
    request may leave the site; no script may fail. One test, so the pass runs once however tests are spread over
    workers; every problem found is reported together."""
    context = browser.new_context(viewport=DESKTOP)
    requests = Requests(context, base_url)
    page = context.new_page()
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
    guidance = read_yaml(ROOT / "plan" / "rules" / "guidance-yjb-2024.yml")
    per_year = 1 + len(guidance["headings"]) + len(guidance["appendices"]) + 1 + 1   # home, sections, statement, 404
    violations, too_wide, wrong = {}, {}, []
    visited = pages_expected = 0
    for year in YEARS:
        paths = site_pages(sample_site, year)
        child = (ROOT / "content" / year / "child-friendly").is_dir()     # its own page, when the year has one
        assert len(paths) == per_year + child, paths
        pages_expected += len(paths)
        for path in paths + ([MISSING] if year == NEWEST else []):
            response = open_page(page, base_url + path)
            visited += 1
            expected = 404 if path.endswith(MISSING) else 200
            shown = page.get_attribute(".yj-status", "data-yj-year")
            if response.status != expected or shown != year:
                wrong.append(f"{path}: HTTP {response.status} (expected {expected}), shows year {shown}")
            if found := run_axe(page):
                violations[path] = found
            page.set_viewport_size(PHONE)
            if (overflow := page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")) > 0:
                too_wide[path] = overflow
            page.set_viewport_size(DESKTOP)
    context.close()

    assert visited == pages_expected + 1
    assert any(u.endswith("/versions.json") for u in requests.seen)     # the recording works
    problems = []
    if violations:
        problems.append("axe-core violations:\n" + describe_violations(violations))
    if outside := requests.outside():
        problems.append("requests that left the site:\n" + "\n".join(f"    {u}" for u in outside))
    if too_wide:
        problems.append("pages wider than a 390px phone (px):\n" + "\n".join(f"    {p}: {w}" for p, w in too_wide.items()))
    if wrong:
        problems.append("pages not served as expected:\n" + "\n".join(f"    {w}" for w in wrong))
    if script_errors:
        problems.append("script errors:\n" + "\n".join(f"    {e}" for e in script_errors))
    assert not problems, "\n".join(problems)


def test_missing_page_gets_the_plan_years_own_404_page_styled(page, base_url):
    response = open_page(page, f"{base_url}{OLDEST}/governance/{MISSING}")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    primary = read_yaml(ROOT / "content" / "site.yml")["colours"]["primary"]
    background = page.eval_on_selector(".md-header", "e => getComputedStyle(e).backgroundColor")
    assert background == "rgb({}, {}, {})".format(*(int(primary[i:i + 2], 16) for i in (1, 3, 5)))
    page.get_by_role("link", name=f"go to the start of the youth justice plan {OLDEST}").click()
    expect(page).to_have_url(f"{base_url}{OLDEST}/")


def choose_version(page, year):
    """Open the version selector from the keyboard (it opens while focus is in it) and choose."""
    page.locator(".md-version__current").focus()
    link = page.locator(".md-version__list").get_by_role("link", name=re.compile(f"^{year}"))
    expect(link).to_be_visible()
    link.click()


def test_version_selector_switches_from_newest_to_oldest_year_and_back(page, base_url):
    open_page(page, f"{base_url}{NEWEST}/governance/")
    expect(page.locator(".md-version__current")).to_have_text(re.compile(f"^{NEWEST}"))
    expect(page.locator(".yj-status__earlier")).to_have_count(0)

    choose_version(page, OLDEST)
    expect(page).to_have_url(f"{base_url}{OLDEST}/governance/")       # the same page, in the other year
    page.wait_for_selector(".md-version__current")
    expect(page.locator(".md-version__current")).to_have_text(re.compile(f"^{OLDEST}"))
    expect(page.locator(".yj-status")).to_contain_text(f"Youth justice plan {OLDEST}")
    earlier = page.locator(".yj-status__earlier")
    expect(earlier).to_be_visible()
    expect(earlier).to_contain_text(f"Read the latest youth justice plan ({NEWEST})")

    choose_version(page, NEWEST)
    expect(page).to_have_url(f"{base_url}{NEWEST}/governance/")
    expect(page.locator(".yj-status")).to_contain_text(f"Youth justice plan {NEWEST}")
    expect(page.locator(".yj-status__earlier")).to_have_count(0)


def test_version_button_is_named_after_the_year_it_shows(page, base_url):
    open_page(page, f"{base_url}{OLDEST}/")
    button = page.locator(".md-version__current")
    expect(button).to_have_accessible_name(f"{OLDEST}: choose another plan year")


def test_earlier_year_banner_leads_to_the_latest_plan(page, base_url):
    open_page(page, f"{base_url}{OLDEST}/risks/")
    link = page.get_by_role("link", name=f"Read the latest youth justice plan ({NEWEST})")
    assert link.get_attribute("href") == f"../../{NEWEST}/"          # without JavaScript: its home page
    link.click()
    # With JavaScript, the theme's version switching takes the reader to the same page of that year.
    expect(page).to_have_url(f"{base_url}{NEWEST}/risks/")
    expect(page.locator(".yj-status")).to_contain_text(f"Youth justice plan {NEWEST}")
    expect(page.locator(".yj-status__earlier")).to_have_count(0)


@pytest.mark.parametrize("year", YEARS)
def test_each_page_says_which_year_and_status_it_shows(page, base_url, year):
    status = read_yaml(ROOT / "content" / year / "plan.yml")["status"]
    open_page(page, f"{base_url}{year}/resources/")
    strip = page.locator(".yj-status")
    expect(strip).to_be_visible()
    expect(strip).to_contain_text(f"Youth justice plan {year}")
    expect(strip).to_contain_text("Status: ")
    expect(strip).to_have_attribute("data-yj-status", status)


def test_search_works_offline_and_finds_a_page(page, base_url):
    member = read_yaml(ROOT / "content" / NEWEST / "governance.yml")["members"][1]["name"]
    open_page(page, f"{base_url}{NEWEST}/")
    page.locator("input.md-search__input").click()
    page.keyboard.type(member.split()[-1])
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    assert any(u.endswith("search_index.json") for u in page.requests.seen)
    results.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}{NEWEST}/")))
    expect(page.locator(".md-content")).to_contain_text(member)


def test_skip_link_is_first_and_moves_focus_to_the_main_content(page, base_url):
    open_page(page, f"{base_url}{NEWEST}/governance/")
    page.keyboard.press("Tab")
    skip = page.locator(".md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


@pytest.mark.parametrize("year", YEARS)
def test_chart_on_the_performance_page_renders(page, base_url, year):
    open_page(page, f"{base_url}{year}/performance/")
    charts = page.locator("figure .chart")
    assert charts.count() > 0, "the performance page has no chart"
    chart = charts.first
    chart.scroll_into_view_if_needed()
    drawn = chart.locator("svg, canvas").first
    expect(drawn).to_be_visible(timeout=15_000)
    box = drawn.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    assert chart.locator("svg path, svg line, svg text").count() > 0 or chart.locator("canvas").count() > 0


def test_a_chart_on_a_phone_fits_the_screen_and_its_text_stays_readable(browser, base_url):
    """At 390px the chart is drawn to the column's width, not a wide chart scaled down."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{base_url}{NEWEST}/performance/")
        chart = page.locator("figure .chart").first
        chart.scroll_into_view_if_needed()
        drawn = chart.locator("svg").first
        expect(drawn).to_be_visible(timeout=15_000)
        size = drawn.evaluate("""svg => {
            const box = svg.getBoundingClientRect();
            const scale = box.width / svg.width.baseVal.value;
            const label = svg.querySelector("text");
            return {right: box.right, text: parseFloat(getComputedStyle(label).fontSize) * scale};
        }""")
        assert size["right"] <= PHONE["width"], size
        assert size["text"] >= 11.5, size      # the charts' axis labels are 12px
    finally:
        context.close()


def test_every_page_of_the_welsh_example_in_each_language_passes_axe_with_its_language_set(browser, example_sites):
    """Glanmor, a bilingual Welsh service: every page of its English site and of its Welsh site
    (site/cy/) passes axe-core, says its language on <html>, and loads nothing from elsewhere."""
    site = example_sites["glanmor"]
    with serve(site) as url:
        context = browser.new_context(viewport=DESKTOP)
        requests = Requests(context, url)
        page = context.new_page()
        violations, wrong_language, visited = {}, [], 0
        for prefix, language in (("", "en-GB"), ("cy/", "cy-GB")):
            years = sorted(p.name for p in (site / prefix).iterdir() if p.is_dir() and p.name[:4].isdigit())
            assert years, f"no plan year under site/{prefix}"
            for year in years:
                for path in site_pages(site / prefix if prefix else site, year)[:-1]:
                    open_page(page, url + prefix + path)
                    visited += 1
                    if (found := page.get_attribute("html", "lang")) != language:
                        wrong_language.append(f"{prefix}{path}: lang={found!r}, expected {language!r}")
                    if found_violations := run_axe(page):
                        violations[prefix + path] = found_violations
        context.close()
    assert visited > 20
    assert not wrong_language, wrong_language
    assert not violations, "axe-core violations:\n" + describe_violations(violations)
    assert requests.outside() == [], "requests that left the site"
