#!/usr/bin/env python3
"""Doralake web UI browser suite: a real headless Chromium (Debian's chromium + chromium-driver,
driven by Selenium) against a live `doralake serve`.

Usage: ui_suite.py BASE_URL ADMIN_TOKEN [SCREENSHOT_DIR]
  BASE_URL       e.g. http://127.0.0.1:8080 (a fresh, empty server)
  ADMIN_TOKEN    the server's admin token
  SCREENSHOT_DIR default .build/ui-screenshots

Exits 0 when every check passed, 1 on the first failure (with the page's text), 2 when the
browser prerequisites are missing. Nothing is downloaded: the system browser and driver are used.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError as error:  # pragma: no cover
    print(f"browser suite: the selenium module is missing ({error}); pip install selenium")
    sys.exit(2)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHECKS = []


def check(condition, what, driver=None):
    if not condition:
        print(f"FAIL: {what}")
        if driver is not None:
            print("--- page", driver.current_url)
            print(driver.find_element(By.TAG_NAME, "body").text[:3000])
        raise SystemExit(1)
    CHECKS.append(what)
    print(f"ok: {what}")


def no_alert(driver):
    try:
        text = driver.switch_to.alert.text
        return f"an alert opened: {text}"
    except NoAlertPresentException:
        return None


def navigate(driver, element):
    """Clicks an element that loads a new page and waits until the new page replaced the old one."""
    driver.execute_script("window.__doralakeOldPage = true;")
    element.click()
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return window.__doralakeOldPage === undefined && document.readyState === 'complete';"))


def body(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def status_of(driver):
    """The status of the page just loaded, from the Performance API (Chromium ≥ 109)."""
    return driver.execute_script(
        "const e = performance.getEntriesByType('navigation')[0]; return e ? e.responseStatus : 0;")


def post_json(url, key, payload):
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read().decode())


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    base, admin = sys.argv[1].rstrip("/"), sys.argv[2]
    shots = sys.argv[3] if len(sys.argv) > 3 else os.path.join(".build", "ui-screenshots")
    for path, what in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            print(f"browser suite: {path} is missing; apt-get install {what}")
            return 2
    os.makedirs(shots, exist_ok=True)

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
                     "--disable-gpu", "--no-first-run"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)

    def shot(name):
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, max(900, min(int(height) + 40, 6000)))
        path = os.path.join(shots, f"{name}.png")
        driver.save_screenshot(path)
        driver.set_window_size(1280, 1600)
        print(f"screenshot: {path}")

    try:
        # --- sign in -------------------------------------------------------------------------
        driver.get(base + "/")
        check(driver.current_url.startswith(base + "/signin"), "an unsigned visit to / shows the sign-in page", driver)
        label = driver.find_element(By.CSS_SELECTOR, "label[for=token]")
        check(label.is_displayed(), "the token field has a visible label", driver)
        shot("01-sign-in")
        driver.find_element(By.ID, "token").send_keys("wrong-token")
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button[type=submit]"))
        check("neither the admin token nor a project key" in body(driver), "a wrong token is refused", driver)
        check(status_of(driver) == 401, "a wrong token answers 401", driver)
        driver.find_element(By.ID, "token").send_keys(admin)
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button[type=submit]"))
        check("Signed in as admin" in body(driver), "the admin token signs in", driver)
        cookie = driver.get_cookie("doralake_session")
        check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict",
              "the session cookie is HttpOnly and SameSite=Strict")

        # --- keyboard navigation: the skip link is the first stop and focus is visible ------------
        driver.find_element(By.TAG_NAME, "body").send_keys("\ue004")  # Tab
        focused = driver.switch_to.active_element
        check(focused.text == "Skip to content", "Tab reaches the skip link first", driver)

        # --- create a webhook; its key is shown once ------------------------------------------
        driver.get(base + "/webhooks")
        driver.find_element(By.ID, "name").send_keys("shop-ci")
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/webhooks'] button[type=submit]"))
        key = driver.find_element(By.ID, "webhook-key").text.strip()
        check(re.fullmatch(r"[A-Za-z0-9]{128}", key) is not None, "the new webhook's 128-character key is shown", driver)
        deployment_curl = driver.find_element(By.ID, "curl-deployment").text
        check(key in deployment_curl and "/api/rest/plugins/webhook/connections/" in deployment_curl,
              "the deployment curl command carries the key and the connection URL", driver)
        copy_buttons = driver.find_elements(By.CSS_SELECTOR, "button[data-copy]")
        check(len(copy_buttons) > 0 and all(b.is_displayed() for b in copy_buttons), "copy buttons are shown", driver)
        shot("02-webhook-created-key-once")
        connection_id = int(re.search(r"/connections/(\d+)/", deployment_curl).group(1))
        check(driver.current_url == f"{base}/webhooks/{connection_id}",
              "the key page's address is the webhook's page (a reload does not post again)", driver)
        driver.refresh()
        check(key not in driver.page_source, "after a reload the key is no longer shown", driver)
        check("$DORALAKE_KEY" in body(driver), "the stored page's commands read $DORALAKE_KEY", driver)
        urls = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "code.endpoint-url")]
        check(f"{base}/api/rest/plugins/webhook/connections/{connection_id}/deployments" in urls,
              "the endpoint URLs are built from the browser's origin", driver)

        # --- empty name: a 400 naming the field ----------------------------------------------
        driver.get(base + "/webhooks")
        driver.execute_script("document.getElementById('name').removeAttribute('required')")
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/webhooks'] button[type=submit]"))
        check("name: must not be empty" in body(driver) and status_of(driver) == 400,
              "an empty webhook name gets 400 naming the field", driver)

        # --- create a project and attach the webhook -----------------------------------------
        driver.get(base + "/projects")
        driver.find_element(By.ID, "name").send_keys("shop")
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/projects'] button[type=submit]"))
        check(driver.current_url.startswith(base + "/projects/shop"), "creating a project opens its dashboard", driver)
        Select(driver.find_element(By.ID, "attach-connection")).select_by_value(str(connection_id))
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "#webhooks form button[type=submit]"))
        check("Detach" in driver.find_element(By.ID, "webhooks").text, "the webhook is attached to the project", driver)
        cfr_before = driver.find_element(By.ID, "tile-changeFailureRate").text
        check("No data" in cfr_before, "before any event the change failure rate has no data", driver)

        # --- post events: once by running the shown curl command, then through the API -------
        driver.get(f"{base}/webhooks/{connection_id}")
        driver.get(base + "/webhooks")
        driver.get(f"{base}/webhooks/{connection_id}/delete")  # confirmation page only; nothing is deleted
        check("This cannot be undone" in body(driver), "deleting asks for confirmation and says what it removes", driver)
        # The command shown right after creation, run as a user would paste it.
        result = subprocess.run(["bash", "-c", deployment_curl], capture_output=True, text=True, timeout=60)
        check(result.returncode == 0 and '"success":true' in result.stdout,
              f"the shown curl command posts a deployment ({result.stdout[:200]} {result.stderr[:200]})")
        now = time.time()
        iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        connection_url = f"{base}/api/rest/plugins/webhook/connections/{connection_id}"
        status, answer = post_json(connection_url + "/deployments", key, {
            "id": "deploy-xss", "displayTitle": "<script>alert(1)</script>", "startedDate": iso(now - 3600),
            "finishedDate": iso(now - 3000),
            "deploymentCommits": [{"repoUrl": "https://github.com/acme/shop", "commitSha": "feedbeef"}]})
        check(status == 200 and answer["success"], "a deployment with a script-tag title is accepted by the API")
        status, answer = post_json(connection_url + "/issues", key, {
            "issueKey": "INC-42", "title": "Checkout is down", "type": "INCIDENT", "status": "TODO",
            "createdDate": iso(now - 60)})
        check(status == 200 and answer["data"]["isIncident"], "an incident is accepted by the API")
        status, answer = post_json(connection_url + "/pull_requests", key, {
            "id": "pr-7", "pullRequestKey": 7, "displayTitle": "Faster checkout", "status": "MERGED",
            "url": "https://github.com/acme/shop/pull/7", "createdDate": iso(now - 7200),
            "mergedDate": iso(now - 3900), "mergeCommitSha": "feedbeef"})
        check(status == 200, "a pull request is accepted by the API")

        # --- the webhook's recent requests: a rejected close, its body, its replay -------------
        try:
            post_json(connection_url + "/issue/INC-99/close", key, {"originalStatus": "Closed"})
            check(False, "a close before its issue is refused")
        except urllib.error.HTTPError as refused:
            check(refused.code == 404, "a close before its issue answers 404")
        status, answer = post_json(connection_url + "/issues", key, {
            "issueKey": "INC-99", "title": "Late close", "type": "INCIDENT", "status": "TODO", "createdDate": iso(now - 120)})
        check(status == 200, "the issue of the early close is accepted")
        driver.get(f"{base}/webhooks/{connection_id}")
        events = driver.find_element(By.ID, "webhook-events")
        rejected = events.find_element(By.CSS_SELECTOR, "tr.rejected")
        check("issue not found: INC-99" in rejected.text, "the rejected close is listed with its message", driver)
        summary = rejected.find_element(By.TAG_NAME, "summary")
        summary.click()
        check("Closed" in rejected.find_element(By.CSS_SELECTOR, "pre.event-body").text,
              "clicking Body shows the rejected request's body", driver)
        shot("04b-webhook-events")
        navigate(driver, rejected.find_element(By.LINK_TEXT, "Replay…"))
        check("Missing dates default to the original receipt time" in body(driver), "replay asks for confirmation", driver)
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/replay'] button[type=submit]"))
        check("accepted" in driver.find_element(By.CSS_SELECTOR, "p.notice").text, "the replayed close is accepted", driver)

        # --- the dashboard changed -------------------------------------------------------------
        driver.get(base + "/projects/shop")
        cfr = driver.find_element(By.ID, "tile-changeFailureRate").text
        check("No data" not in cfr and "%" in cfr and "n = 2" in cfr,
              "the change failure rate tile shows a value and n after the events", driver)
        df = driver.find_element(By.ID, "tile-deploymentFrequency").text
        check("n = 2" in df, "the deployment frequency tile counts both deployments", driver)
        ltc = driver.find_element(By.ID, "tile-leadTimeForChanges").text
        check("minutes" in ltc and "n = 1" in ltc, "the lead time tile shows the attributed pull request", driver)
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart[role=img]")
        check(len(charts) == 5, "five trend charts are drawn", driver)
        check(all(c.find_element(By.TAG_NAME, "title").get_attribute("textContent") for c in charts),
              "every chart has a <title>", driver)
        check(len(driver.find_elements(By.CSS_SELECTOR, "svg.chart circle.dot")) >= 3,
              "the charts plot the new months' values", driver)
        shot("03-dashboard-with-data")
        Select(driver.find_element(By.ID, "report")).select_by_value("2021")
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/projects/shop'] button[type=submit]"))
        check("report=2021" in driver.current_url and len(driver.find_elements(By.ID, "tile-timeToRestoreService")) == 1,
              "the report selector switches to the 2021 keys", driver)

        # --- drill-down ------------------------------------------------------------------------
        driver.get(base + "/projects/shop")
        navigate(driver, driver.find_element(By.LINK_TEXT, "Deployments"))
        table = driver.find_element(By.ID, "deployments").text
        check(f"webhook:{connection_id}:INC-42" in table, "the deployments list shows the linked incident", driver)
        check(f"webhook:{connection_id}:7" in table, "the deployments list shows the attributed pull request", driver)
        alert = no_alert(driver)
        check(alert is None, f"no script ran from the deployment title ({alert})")
        check("<script>alert(1)</script>" in table, "the script-tag title is shown as literal text", driver)
        shot("04-drill-down-deployments")
        driver.get(base + "/projects/shop/incidents")
        curl_deployment = re.search(r'"id":"(deploy-[0-9a-f]+)"', deployment_curl).group(1)
        check("Checkout is down" in body(driver) and f"{curl_deployment} (webhook {connection_id})" in body(driver)
              and "finished before the incident was created" in body(driver),
              "the incidents list shows the deployment the incident was linked to, and why", driver)
        driver.get(base + "/projects/shop/pull-requests")
        check("merge sha deployed" in body(driver), "the pull request list shows the attribution rule", driver)

        # --- escaping of a hostile webhook name ---------------------------------------------
        hostile = "<img src=x onerror=alert(1)>"
        driver.get(base + "/webhooks")
        driver.find_element(By.ID, "name").send_keys(hostile)
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/webhooks'] button[type=submit]"))
        check(no_alert(driver) is None, "no script ran from the hostile webhook name")
        driver.get(base + "/webhooks")
        check(hostile in driver.find_element(By.ID, "webhook-table").text, "the hostile name is shown as text", driver)
        check(len(driver.find_elements(By.CSS_SELECTOR, "#webhook-table img")) == 0, "no element was made from it", driver)
        shot("05-escaping")

        # --- forged form posts are refused ----------------------------------------------------
        driver.get(base + "/webhooks")
        driver.execute_script(
            "const f = document.querySelector(\"form[action='/webhooks']\");"
            "f.querySelector(\"input[name=csrf]\").value = 'x'.repeat(64);")
        driver.find_element(By.ID, "name").send_keys("forged-same-site")
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/webhooks'] button[type=submit]"))
        check(status_of(driver) == 403 and "CSRF" in body(driver), "a form post with a wrong CSRF token gets 403", driver)
        forged = ("data:text/html,<form method=post action='" + base + "/webhooks'>"
                  "<input name=name value=forged-cross-site><input name=csrf value=x></form>"
                  "<script>document.forms[0].submit()</script>")
        driver.get(forged)
        time.sleep(1.5)
        check(status_of(driver) == 403, "a cross-site form post gets 403", driver)
        driver.get(base + "/webhooks")
        check("forged" not in driver.find_element(By.ID, "webhook-table").text, "no forged webhook was created", driver)

        # --- sign out ---------------------------------------------------------------------------
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/signout'] button"))
        check(driver.current_url.startswith(base + "/signin"), "signing out returns to the sign-in page", driver)
        driver.get(base + "/projects/shop")
        check(driver.current_url.startswith(base + "/signin"), "after signing out pages need a sign-in again", driver)
    finally:
        driver.quit()
    print(f"browser suite: {len(CHECKS)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
