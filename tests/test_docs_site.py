"""The site, checked in a real browser: served on 127.0.0.1 and opened in headless
Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by Selenium).

On the index, every lesson page and one API page: every image loaded, every formula
drawn (MathML the browser lays out), nothing in the browser's console at error level, and every link
within the site answered. A screenshot of a lesson page and of the API page is saved.

The site is ``docs/_build/html`` (``python docs/build.py``, which CI runs first), or the
folder ``MINAE_DOCS_SITE`` names. Without a built site, Chromium, its driver or Selenium
the test is skipped, saying which is missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.py"))
API_PAGE = "api/generated/minae.penalties.KLSparsity.html"  # a class with its equations
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def built_site() -> Path:
    site = Path(os.environ.get("MINAE_DOCS_SITE") or ROOT / "docs" / "_build" / "html")
    if not (site / "index.html").is_file():
        pytest.skip(f"no built site at {site}: run `python docs/build.py` first (CI does)")
    return site


@pytest.fixture(scope="module")
def site_url():
    site = built_site()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver", reason="the docs extra has Selenium")
    if CHROMIUM is None or DRIVER is None:
        pytest.skip(
            "Chromium or its driver is not installed (apt-get install chromium chromium-driver)"
        )
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1280,1400",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


FORMULAS = """
const math = Array.from(document.querySelectorAll('.math.notranslate'));
const bad = math.filter(e => {
  const m = e.querySelector('math');
  return !m || m.getBoundingClientRect().height === 0;   // no MathML, or not laid out
});
// by code points: a formula's letters may lie beyond the 16-bit plane
return [math.length, bad.map(e => Array.from(e.textContent).slice(0, 60).join(''))];
"""
IMAGES = """
return Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0]);
"""
ALT_TEXTS = """
return Array.from(document.querySelectorAll('.cell_output img')).map(i => i.alt || '');
"""
# an equation that runs past its box, and its box not scrollable; a page wider than the
# screen
OVERFLOW = """
const boxes = Array.from(document.querySelectorAll('.math-block, div.math, mjx-container'));
const cut = boxes.filter(b => {
  const style = getComputedStyle(b);
  const scrolls = ['auto', 'scroll'].includes(style.overflowX);
  const math = b.querySelector('math') || b;
  const right = math.getBoundingClientRect().right, edge = b.getBoundingClientRect().right;
  return !scrolls && right > edge + 1;
}).map(b => Array.from(b.textContent).slice(0, 40).join(''));
const heading = Array.from(document.querySelectorAll('h1, h2, h3'))
  .filter(h => h.scrollWidth > h.clientWidth + 1).map(h => h.textContent.slice(0, 40));
return [cut, heading, document.documentElement.scrollWidth > window.innerWidth + 1];
"""
SHOW_A_FIGURE = """
const figure = document.querySelector('.cell_output img');
if (figure) { figure.scrollIntoView({block: 'center'}); }
"""
LINKS = """
return Array.from(document.querySelectorAll('a[href]'))
            .map(a => new URL(a.getAttribute('href'), document.baseURI).href);
"""


def open_page(browser, url: str) -> dict:
    """Load ``url`` and say what the page holds, once the page has been read whole (on a
    loaded machine Chromium can answer a script before it has laid out a long page)."""
    browser.get(url)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        ready = browser.execute_script(
            "return document.readyState === 'complete' && !!document.querySelector('footer')"
        )
        if ready:
            break
        time.sleep(0.1)
    n_math, unrendered = browser.execute_script(FORMULAS)
    for _ in range(10):  # a page whose formulas are not yet there: look again, briefly
        if n_math:
            break
        time.sleep(0.3)
        n_math, unrendered = browser.execute_script(FORMULAS)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    return {
        "math": n_math,
        "unrendered": unrendered,
        "images": browser.execute_script(IMAGES),
        "links": browser.execute_script(LINKS),
        "errors": errors,
        "text": browser.execute_script("return document.body.innerText"),
    }


def answered(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except urllib.error.URLError:
        return False


def test_every_page_shows_its_figures_and_formulas_without_errors(site_url, browser, tmp_path):
    pages = ["index.html", *(f"lessons/{name}.html" for name in LESSONS), API_PAGE]
    links: set[str] = set()
    problems = []
    for page in pages:
        seen = open_page(browser, site_url + page)
        broken = [src for src, ok in seen["images"] if not ok]
        if broken:
            problems.append(f"{page}: images not loaded: {broken}")
        if seen["unrendered"]:
            problems.append(f"{page}: formulas not drawn: {seen['unrendered'][:3]}")
        if seen["errors"]:
            problems.append(f"{page}: console errors: {[e['message'] for e in seen['errors']]}")
        if page.startswith("lessons/") and not any(ok for _, ok in seen["images"]):
            problems.append(f"{page}: no figure shown")
        if page.startswith("lessons/") and seen["math"] == 0:
            problems.append(f"{page}: no equation rendered")
        if "quick run: will not look like the text" in seen["text"]:  # Lesson.save's stamp
            problems.append(f"{page}: shows a quick run, not the lesson's default run")
        if page.startswith("lessons/"):
            alts = browser.execute_script(ALT_TEXTS)
            unnamed = [a for a in alts if not a or a.endswith(".png") or len(a) < 12]
            if unnamed:
                problems.append(f"{page}: figures without a description: {unnamed[:3]}")
        if str(ROOT) in seen["text"] or "site-packages" in seen["text"]:
            # a reader has no use for the builder's folders, nor for other packages' warnings
            problems.append(f"{page}: shows a path of the machine that built it")
        links.update(urldefrag(href)[0] for href in seen["links"] if href.startswith(site_url))
    assert not problems, "\n".join(problems)
    assert open_page(browser, site_url + API_PAGE)["math"] > 0
    dead = sorted(url for url in links if not answered(url))
    assert not dead, f"links within the site that do not answer: {dead}"
    shots = Path(os.environ.get("MINAE_DOCS_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    for name, page in (
        ("lesson", "lessons/04_vanilla_autoencoder.html"),
        ("api", API_PAGE),
        ("lesson-09", "lessons/09_variational_autoencoder.html"),
        ("lesson-10", "lessons/10_convolutional_autoencoder.html"),
    ):
        open_page(browser, site_url + page)
        browser.execute_script(SHOW_A_FIGURE)
        assert browser.save_screenshot(str(shots / f"{name}.png"))
        assert (shots / f"{name}.png").stat().st_size > 20_000


USED_IN = """
return Array.from(document.querySelectorAll('p')).filter(p => p.textContent.startsWith('Used in'))
  .flatMap(p => Array.from(p.querySelectorAll('a[href]')).map(a => a.href));
"""


def test_api_pages_link_the_lessons_that_use_them_and_lessons_link_back(site_url, browser):
    browser.get(site_url + "api/generated/minae.models.VAE.html")
    lessons = browser.execute_script(USED_IN)
    assert any("09_variational_autoencoder" in href for href in lessons), lessons
    assert all(answered(href) for href in lessons)
    browser.get(site_url + "lessons/09_variational_autoencoder.html")
    links = browser.execute_script(LINKS)
    assert any(href.split("#")[0].endswith("minae.models.VAE.html") for href in links)
    browser.get(site_url + "slides.html")
    api_links = [h for h in browser.execute_script(LINKS) if "/api/generated/" in h]
    assert len(api_links) > 100  # the slide index's code names, linked


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "lessons/06_sparse_autoencoder.html",
        "lessons/09_variational_autoencoder.html",
        API_PAGE,
        "api/generated/minae.models.iwae_bound.html",
    ],
)
def test_at_phone_width_no_equation_is_cut_off_and_nothing_runs_off_the_screen(
    site_url, browser, page, tmp_path
):
    browser.set_window_size(390, 844)  # a phone, in CSS pixels
    try:
        browser.get(site_url + page)
        cut, headings, wide = browser.execute_script(OVERFLOW)
        shots = Path(os.environ.get("MINAE_DOCS_SCREENSHOTS") or tmp_path)
        shots.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(shots / f"phone-{page.replace('/', '-')}.png"))
    finally:
        browser.set_window_size(1280, 1400)
    assert not cut, f"{page}: equations cut off at phone width: {cut}"
    assert not headings, f"{page}: headings wider than the screen: {headings}"
    assert not wide, f"{page}: the page is wider than a phone's screen"
