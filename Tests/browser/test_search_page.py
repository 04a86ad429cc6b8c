"""Browser test of the LabSearch search page (served at `/` by the server).

Drives headless Chromium through Selenium 4 against a REAL running server:
  LABSEARCH_URL          base URL, e.g. http://127.0.0.1:8080 (required)
  LABSEARCH_KEY          API key of a demo tenant, role user or admin (required)
  LABSEARCH_PROBE_QUERY  partial name of a record that exists (default "dupo")
  LABSEARCH_UI_TIMEOUT   seconds to wait for a marker (default 15)
Install the tools with scripts/setup-browser.sh. Screenshots go to
Tests/browser/artifacts/ (gitignored).

The test waits on the page's markers, never on fixed sleeps:
  #results[data-state=ready][data-query=<q>], button[role=tab][data-tab][data-count],
  [role=option][data-id][data-kind][aria-selected], #detail[data-state=ready][data-id],
  #suggestions[data-prominent=true] button[data-action], #toast[data-created-id].
"""
import json
import os
import random
import string
import time
from pathlib import Path

import pytest

os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download anything

BASE = os.environ.get("LABSEARCH_URL", "").rstrip("/")
KEY = os.environ.get("LABSEARCH_KEY", "")
PROBE = os.environ.get("LABSEARCH_PROBE_QUERY", "dupo")
TIMEOUT = float(os.environ.get("LABSEARCH_UI_TIMEOUT", "15"))
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TABS = ["clients", "partners", "events", "products"]
XSS = "<img src=x onerror=window.__xss=1>"

pytestmark = pytest.mark.skipif(
    not BASE or not KEY,
    reason="LABSEARCH_URL and LABSEARCH_KEY are not set: this test needs a running LabSearch "
           "server with a demo tenant (the CI script starts one and sets them)",
)


def _token(n=8):
    return "".join(random.choice(string.ascii_lowercase) for _ in range(n))


@pytest.fixture(scope="module")
def driver():
    # The server is configured, so missing browser tools are a failure, not a skip.
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is not installed: run scripts/setup-browser.sh")
    if not os.path.exists(CHROMEDRIVER):
        pytest.fail(f"{CHROMEDRIVER} is missing: run scripts/setup-browser.sh")
    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--lang=fr-FR", "--no-first-run"):
        opts.add_argument(arg)
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(path):
            opts.binary_location = path
            break
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(TIMEOUT * 2)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield drv
    drv.quit()


# ---------------------------------------------------------------- helpers

def page_debug(drv):
    try:
        return drv.execute_script(
            "const r=document.getElementById('results');"
            "const t=(s)=>{const e=document.querySelector(s);return e&&!e.hidden?e.textContent.trim():null};"
            "return JSON.stringify({state:r&&r.dataset.state,query:r&&r.dataset.query,tab:r&&r.dataset.tab,"
            "status:t('#status'),formError:t('#form-error'),detail:t('#detail-error'),toast:t('#toast'),"
            "keyDialog:!!(document.getElementById('key-dialog')||{}).open});")
    except Exception as exc:  # pragma: no cover - diagnostics only
        return f"<no page state: {exc}>"


def wait_js(drv, script, what, *args, timeout=None):
    """Polls a JS expression (a function body returning a truthy value) and returns its value."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(drv, timeout or TIMEOUT, poll_frequency=0.05).until(
            lambda d: d.execute_script(script, *args))
    except TimeoutException:
        shot = ARTIFACTS / "failure.png"
        drv.save_screenshot(str(shot))
        raise AssertionError(f"timed out waiting for {what}; page: {page_debug(drv)}; screenshot {shot}")


def open_page(drv):
    drv.get(BASE + "/")
    # The key is stored the way the page keeps it (sessionStorage), then the page is reloaded.
    drv.execute_script("sessionStorage.setItem('labsearch.apiKey', arguments[0]);", KEY)
    drv.get(BASE + "/")
    wait_js(drv, "return document.documentElement.dataset.ready === 'true' && document.getElementById('q');",
            "the page script to start")
    assert not drv.execute_script("return document.getElementById('key-dialog').open"), \
        "the key dialog must not show when a key is stored"


def search_box(drv):
    from selenium.webdriver.common.by import By
    return drv.find_element(By.ID, "q")


def type_query(drv, q):
    box = search_box(drv)
    drv.execute_script("arguments[0].value = ''; arguments[0].focus();", box)
    box.send_keys(q)
    wait_results(drv, q)
    return box


def wait_results(drv, q):
    wait_js(drv, "const r = document.getElementById('results');"
                 "return r.dataset.state === 'ready' && r.dataset.query === arguments[0];",
            f"results for {q!r}", q)


def tab_counts(drv):
    return drv.execute_script(
        "return [...document.querySelectorAll('#tablist [role=tab]')]"
        ".map(b => [b.dataset.tab, Number(b.dataset.count), b.getAttribute('aria-selected')]);")


def options(drv):
    return drv.execute_script(
        "return [...document.querySelectorAll('#hits [role=option]')]"
        ".map(o => ({id: o.dataset.id, kind: o.dataset.kind, selected: o.getAttribute('aria-selected'),"
        " text: o.textContent}));")


def api(method, path, **kw):
    import requests
    headers = {"Authorization": f"Bearer {KEY}", "Accept": "application/json"}
    return requests.request(method, BASE + path, headers=headers, timeout=TIMEOUT, **kw)


# ------------------------------------------------------------------- tests

def test_search_open_and_create_client(driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(driver)
    assert driver.execute_script("return document.activeElement && document.activeElement.id") == "q", \
        "the search bar must have the focus on load"

    # 1. A partial name of a known record: results grouped by tab, with counts.
    box = type_query(driver, PROBE)
    counts = tab_counts(driver)
    assert [c[0] for c in counts] == TABS, counts
    assert sum(c[1] for c in counts) > 0, f"no result for the probe query {PROBE!r}: {counts}"
    expected = api("GET", "/v1/search", params={"q": PROBE, "limit": 5}).json()
    assert {t["tab"]: t["total"] for t in expected["tabs"]} == {c[0]: c[1] for c in counts}
    active = [c for c in counts if c[2] == "true"]
    assert len(active) == 1 and active[0][1] > 0, f"the active tab must have results: {counts}"
    groups = driver.execute_script(
        "return [...document.querySelectorAll('#hits [role=group]')]"
        ".map(g => [g.dataset.kind, Number(g.dataset.count), g.querySelector('h3').textContent]);")
    assert groups, "sub-groups must be shown inside the tab"
    hits = options(driver)
    assert hits and all(h["id"] and h["kind"] for h in hits), hits

    # 2. Down, down, Enter: the second hit (or the only one) is selected and opened.
    box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ARROW_DOWN)
    want = hits[min(1, len(hits) - 1)]
    selected = [h for h in options(driver) if h["selected"] == "true"]
    assert [h["id"] for h in selected] == [want["id"]], selected
    assert box.get_attribute("aria-activedescendant"), "the combobox must point at the selected option"
    box.send_keys(Keys.ENTER)
    wait_js(driver, "const d = document.getElementById('detail');"
                    "return !d.hidden && d.dataset.state === 'ready' && d.dataset.id === arguments[0];",
            "the record panel", want["id"])
    record = json.loads(driver.find_element(By.ID, "detail-json").text)
    assert str(record.get("id")) == want["id"], record
    driver.save_screenshot(str(ARTIFACTS / "search.png"))

    # 3. Esc closes the panel.
    box.send_keys(Keys.ESCAPE)
    wait_js(driver, "return document.getElementById('detail').hidden;", "the panel to close")

    # 4. Tabs: Ctrl+Right moves to the next tab; clicking a tab loads more of it.
    before = driver.execute_script("return document.getElementById('results').dataset.tab")
    box.send_keys(Keys.CONTROL, Keys.ARROW_RIGHT)
    nxt = TABS[(TABS.index(before) + 1) % len(TABS)]
    wait_js(driver, "return document.getElementById('results').dataset.tab === arguments[0]"
                    " && document.getElementById('tab-' + arguments[0]).getAttribute('aria-selected') === 'true';",
            "the next tab", nxt)
    full_tab = next(c for c in counts if c[1] > 0)[0]
    driver.find_element(By.CSS_SELECTOR, f'#tablist [role=tab][data-tab="{full_tab}"]').click()
    wait_js(driver, "const r = document.getElementById('results');"
                    "return r.dataset.state === 'ready' && r.dataset.mode === 'tab' && r.dataset.tab === arguments[0];",
            "the tab's own results", full_tab)
    assert 0 < len(options(driver)) <= 40

    # 5. Esc clears the search.
    box.send_keys(Keys.ESCAPE)
    wait_js(driver, "return document.getElementById('q').value === ''"
                    " && document.getElementById('results').dataset.state === 'idle';", "the search to clear")

    # 6. A name that matches nothing: the suggestions are the main answer.
    token = _token()
    query = f"zq{token}{int(time.time())}"
    type_query(driver, query)
    assert all(c[1] == 0 for c in tab_counts(driver)), tab_counts(driver)
    assert driver.execute_script(
        "const s = document.getElementById('suggestions'); return !s.hidden && s.dataset.prominent === 'true';")
    actions = driver.execute_script(
        "return [...document.querySelectorAll('#suggestions button[data-action]')].map(b => b.dataset.action);")
    assert actions[:2] == ["create_client", "create_contact"], actions
    driver.find_element(By.CSS_SELECTOR, '#suggestions button[data-action="create_client"]').click()
    wait_js(driver, "return document.getElementById('create-dialog').open"
                    " && document.getElementById('create-form').dataset.kind === 'client';", "the client form")
    form = driver.find_element(By.ID, "create-form")
    name_value = form.find_element(By.NAME, "name").get_attribute("value")
    assert query.lower() in name_value.lower(), f"form not pre-filled with the query: {name_value!r}"

    def fill(field, value):
        el = form.find_element(By.NAME, field)
        driver.execute_script("arguments[0].value = '';", el)
        el.send_keys(value)

    fill("main_contact.first_name", "Camille")
    fill("main_contact.last_name", "Navigateur")
    fill("main_contact.email", f"camille.{token}.{int(time.time())}@example.com")
    fill("main_contact.phone_direct", "06 12 34 56 78")
    driver.find_element(By.ID, "create-submit").click()

    outcome = wait_js(driver,
                      "const t = document.getElementById('toast'), d = document.getElementById('duplicate-box'),"
                      " e = document.getElementById('form-error'), f = document.querySelector('.field-error:not([hidden])');"
                      "if (!t.hidden && t.dataset.createdId) return 'created';"
                      "if (!d.hidden) return 'duplicate';"
                      "if (!e.hidden || f) return 'error:' + (e.textContent + ' ' + (f ? f.dataset.errorFor + ' ' + f.textContent : ''));"
                      "return null;", "the creation answer")
    if outcome == "duplicate":
        driver.find_element(By.ID, "force-create").click()
        outcome = wait_js(driver,
                          "const t = document.getElementById('toast'), e = document.getElementById('form-error');"
                          "if (!t.hidden && t.dataset.createdId) return 'created';"
                          "if (!e.hidden) return 'error:' + e.textContent; return null;", "the forced creation")
    assert outcome == "created", outcome
    toast = driver.find_element(By.ID, "toast")
    assert toast.text.startswith("Client créé"), toast.text
    created_id = toast.get_attribute("data-created-id")
    assert not driver.execute_script("return document.getElementById('create-dialog').open")

    # 7. The search is run again and finds the new client.
    wait_js(driver, "const r = document.getElementById('results');"
                    "return r.dataset.state === 'ready' && r.dataset.query === arguments[0]"
                    " && !!document.querySelector('#hits [role=option][data-kind=client][data-id=\"' + CSS.escape(arguments[1]) + '\"]');",
            "the new client in the results", query, created_id)
    driver.save_screenshot(str(ARTIFACTS / "created.png"))


def test_record_name_is_rendered_as_text(driver):
    from selenium.webdriver.common.by import By

    token = _token(10)
    word = f"zxss{token}"
    name = f"{word.capitalize()} {XSS}"
    res = api("POST", "/v1/clients", params={"force": "true"}, json={
        "name": name,
        "city": "Paris",
        "main_contact": {"first_name": "Xss", "last_name": f"Essai{token}",
                         "email": f"xss.{token}@example.com", "phone_direct": "06 12 34 56 78"},
    })
    assert res.status_code in (201, 202), res.text
    client_id = str(res.json()["id"])
    assert XSS in str(res.json().get("name", name)), res.json()

    open_page(driver)
    type_query(driver, word)
    hit = wait_js(driver, "return document.querySelector('#hits [role=option][data-id=\"' + CSS.escape(arguments[0]) + '\"]');",
                  "the hit of the created client", client_id)
    assert XSS in hit.text, f"the name must show as literal text: {hit.text!r}"
    assert driver.execute_script("return document.querySelectorAll('#results img, #results script').length") == 0
    hit.click()
    wait_js(driver, "const d = document.getElementById('detail');"
                    "return d.dataset.state === 'ready' && d.dataset.id === arguments[0];", "the record panel", client_id)
    assert XSS in driver.find_element(By.ID, "detail-title").text
    assert XSS in driver.find_element(By.ID, "detail-json").text
    assert driver.execute_script("return document.querySelectorAll('#detail img').length") == 0
    assert driver.execute_script("return typeof window.__xss") == "undefined"
