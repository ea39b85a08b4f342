"""Measures every chart of every published page in headless Chromium, at a
desktop width (1366 px) and a phone's (390 px), and keeps full-page screenshots.

Usage: python check_charts_in_browser.py RELEASE_FOLDER SCREENSHOT_FOLDER|-

For each page with a chart, at each width: exactly one drawing of each chart
is shown; every <text> of it lies inside the SVG's box, no two <text> boxes
overlap, and no text is drawn smaller than 11 CSS px (its font size times the
SVG's scale); and no page is wider than the screen. The index, a dataset page with a chart and the developers' page,
in both languages, are saved at both widths as full-page PNGs. Uses Debian's
chromium and chromium-driver; prints one line per check, exits non-zero if any
fails.
"""
import base64
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

release, shots = sys.argv[1], sys.argv[2]  # "-": no screenshots
if shots != "-":
    os.makedirs(shots, exist_ok=True)
failures = 0
MINIMUM_PX = 11.0
SLACK = 0.5  # sub-pixel rounding of a box's edge


def check(ok, message):
    global failures
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures += 1


MEASURE = """
const out = [];
for (const figure of document.querySelectorAll('figure')) {
  const charts = [...figure.querySelectorAll('svg.chart')];
  if (!charts.length) continue;
  const shown = charts.filter(svg => svg.getBoundingClientRect().width > 0);
  const result = {count: charts.length, shown: shown.length, charts: []};
  for (const svg of shown) {
    const box = svg.getBoundingClientRect();
    const scale = svg.getScreenCTM().a;
    const texts = [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
              px: parseFloat(getComputedStyle(t).fontSize) * scale};
    });
    result.charts.push({cls: svg.getAttribute('class'), left: box.left, top: box.top, right: box.right,
                        bottom: box.bottom, width: box.width, role: svg.getAttribute('role'),
                        labelledby: svg.getAttribute('aria-labelledby'), texts: texts});
  }
  out.push(result);
}
return out;
"""

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--allow-file-access-from-files"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def use_width(width):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})


def screenshot(path):
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))


pages = sorted(os.path.relpath(os.path.join(folder, name), release)
               for folder, _, names in os.walk(release) for name in names if name.endswith(".html"))
charted = [page for page in pages if "<svg" in open(os.path.join(release, page), encoding="utf-8").read()]
check(len(charted) > 0, f"{len(charted)} pages with a chart")
wanted = ["index.html", "index.en.html", "developers.html", "developers.en.html",
          "vietnam-digital-government/hanoi-procedures-by-level.html",
          "vietnam-digital-government/hanoi-procedures-by-level.en.html"]
try:
    for width in (1366, 390):
        use_width(width)
        for page in charted:
            driver.get("file://" + os.path.join(release, page))
            where = f"{page} at {width} px"
            page_width = driver.execute_script("return document.documentElement.scrollWidth")
            check(page_width <= width, f"{where}: the page is {page_width} px wide, no wider than the screen")
            figures = driver.execute_script(MEASURE)
            check(len(figures) > 0, f"{where}: has a chart")
            for figure in figures:
                check(figure["shown"] == 1, f"{where}: one of its {figure['count']} drawings shown ({figure['shown']})")
                for chart in figure["charts"]:
                    name = f"{where}, {chart['cls']}"
                    check(chart["role"] == "img" and len((chart["labelledby"] or "").split()) == 2,
                          f"{name}: role img, named and described")
                    check(chart["right"] <= width + SLACK, f"{name}: {chart['width']:.0f} px wide, inside the page")
                    texts = chart["texts"]
                    outside = [t["text"] for t in texts if t["left"] < chart["left"] - SLACK or t["right"] > chart["right"] + SLACK
                               or t["top"] < chart["top"] - SLACK or t["bottom"] > chart["bottom"] + SLACK]
                    check(not outside, f"{name}: all {len(texts)} texts inside the SVG {outside}")
                    meeting = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:]
                               if min(a["right"], b["right"]) - max(a["left"], b["left"]) > SLACK
                               and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > SLACK]
                    check(not meeting, f"{name}: no two texts overlap {meeting}")
                    small = sorted({round(t["px"], 1) for t in texts if t["px"] < MINIMUM_PX})
                    smallest = min((t["px"] for t in texts), default=0)
                    check(not small, f"{name}: no text under {MINIMUM_PX:g} px (smallest {smallest:.1f} px) {small}")
        for page in wanted if shots != "-" else []:
            driver.get("file://" + os.path.join(release, page))
            page_width = driver.execute_script("return document.documentElement.scrollWidth")
            check(page_width <= width, f"{page} at {width} px: the page is {page_width} px wide, no wider than the screen")
            name = page.replace("/", "_").replace(".html", f"-{width}.png")
            screenshot(os.path.join(shots, name))
            check(os.path.getsize(os.path.join(shots, name)) > 10000, f"{page} at {width} px: screenshot {name}")
finally:
    driver.quit()
sys.exit(1 if failures else 0)
