"""Opens published pages in headless Chromium and checks what a reader sees.

Usage: python check_pages_in_browser.py RELEASE_FOLDER SCREENSHOT_FOLDER

For the site index and a dataset page, in both languages: the page loads with
no console error, the seed's figures are in the rendered text, the chart is an
image with a text alternative, every relative link and stylesheet points at a
file that exists, and a screenshot is kept in SCREENSHOT_FOLDER. Uses Debian's
chromium and chromium-driver (no download); prints one line per check and
exits non-zero if any fails.
"""
import os
import sys
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

release, shots = sys.argv[1], sys.argv[2]
os.makedirs(shots, exist_ok=True)
failures = 0


def check(ok, message):
    global failures
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures += 1


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,1400", "--allow-file-access-from-files"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
pages = [
    ("index.html", ["Dữ liệu mở", "556", "1.883", "29,5%"]),
    ("index.en.html", ["Open data", "556", "1,883", "29.5%"]),
    ("vietnam-digital-government/hanoi-online-public-services.html", ["386", "170", "1.883", "29,5"]),
    ("vietnam-digital-government/hanoi-online-public-services.en.html", ["386", "170", "1,883", "29.5"]),
    ("vietnam-digital-government/hanoi-procedures-by-level.en.html", ["412", "915", "386", "170"]),
]
try:
    for page, figures in pages:
        path = os.path.join(release, page)
        driver.get("file://" + path)
        text = driver.find_element(By.TAG_NAME, "body").text
        for figure in figures:
            check(figure in text, f"{page}: shows {figure}")
        lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        check(lang in ("vi", "en"), f"{page}: html lang is {lang}")
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        check(not errors, f"{page}: no console errors {errors}")
        for element in driver.find_elements(By.CSS_SELECTOR, "a[href], link[href]"):
            href = element.get_attribute("href")
            if not href.startswith("file://"):
                continue
            target = urllib.parse.unquote(urllib.parse.urlparse(href).path)
            check(os.path.exists(target), f"{page}: link {os.path.relpath(target, release)} exists")
        for chart in driver.find_elements(By.CSS_SELECTOR, "svg.chart"):
            check(chart.get_attribute("role") == "img", f"{page}: chart has role img")
            check(bool(chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")), f"{page}: chart has a title")
        for table in driver.find_elements(By.TAG_NAME, "table"):
            check(len(table.find_elements(By.CSS_SELECTOR, "caption")) == 1, f"{page}: table has a caption")
            check(len(table.find_elements(By.CSS_SELECTOR, "th[scope=col]")) > 0, f"{page}: table has column headers")
        name = page.replace("/", "_").replace(".html", ".png")
        driver.save_screenshot(os.path.join(shots, name))
        check(os.path.getsize(os.path.join(shots, name)) > 10000, f"{page}: screenshot {name} kept")
finally:
    driver.quit()
sys.exit(1 if failures else 0)
