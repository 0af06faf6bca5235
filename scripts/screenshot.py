#!/usr/bin/python3
"""screenshot.py QCODE OUT.png: the README's picture of `qcode serve`
(docs/serve.png), made again the same way after the page changes.

A project in a temporary folder: the team's Hebrew survey, its Hebrew
and English interviews, the Hebrew codebook, autocode (suggestions), a manual coding
and two accepted suggestions; `qcode serve` on a free port; headless
Chromium (Debian's chromium, chromium-driver, python3-selenium) opens the
Hebrew interview, opens a suggestion and selects a phrase (the
selection bar names it).  Needs nothing from the network."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

QCODE, OUT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tmp = tempfile.mkdtemp(prefix="qcode-shot.")
env = dict(os.environ, QCODE_PROJECT="evaluation.qcode", QCODE_CODER="noa")


def q(*args):
    return subprocess.run([QCODE, *args], env=env, cwd=tmp, check=True,
                          capture_output=True, text=True).stdout


q("init")
q("import", os.path.join(ROOT, "transcripts/survey_he.csv"),
  "--text-columns", "benefit,improve")
q("import", os.path.join(ROOT, "transcripts/interview_he.txt"), "--case",
  "michal-avraham")
q("import", os.path.join(ROOT, "transcripts/interview_en.txt"))
q("codebook", "load", os.path.join(ROOT, "codebooks/programme_he.md"))
q("autocode")
ids = [line.split(",")[0] for line in
       q("codings", "--format", "csv").splitlines()[1:]]
for i in ids[:2]:
    q("code", "accept", i)

server = subprocess.Popen([QCODE, "serve", "--port", "0"], env=env, cwd=tmp,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True)
drv = None
try:
    url = server.stdout.readline().strip()
    opts = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1360,760",
              "--hide-scrollbars", "--lang=he"):
        opts.add_argument(a)
    opts.binary_location = shutil.which("chromium")
    drv = webdriver.Chrome(service=Service(shutil.which("chromedriver")),
                           options=opts)
    wait = WebDriverWait(drv, 60, poll_frequency=0.05)
    js = drv.execute_script
    drv.get(url)
    wait.until(lambda d: js("return document.body.dataset.ready === '1'"))
    drv.find_element(By.XPATH, '//*[@id="doc-list"]/li[div[1]='
                     '"interview_he.txt"]').click()
    wait.until(lambda d: js("return qcode.state.doc.name") ==
               "interview_he.txt")
    # a suggestion opened in the side pane (accept or reject it)
    drv.find_element(By.CSS_SELECTOR, "#document mark[data-coding]").click()
    time.sleep(0.3)
    # a phrase selected, as a reader would: the bar names it
    js("""const phrase = arguments[0];
          const w = document.createTreeWalker(
            document.getElementById('document'), NodeFilter.SHOW_TEXT);
          for (let n = w.nextNode(); n; n = w.nextNode()) {
            const i = n.data.indexOf(phrase);
            if (i < 0) continue;
            const r = document.createRange();
            r.setStart(n, i);
            r.setEnd(n, i + phrase.length);
            getSelection().removeAllRanges();
            getSelection().addRange(r);
            break;
          }""", "בהתחלה הייתי סקפטית")
    # the mouse away from the marks (a coding's tip would cover them)
    js("document.getElementById('tip').hidden = true")
    time.sleep(0.5)
    drv.save_screenshot(OUT)
finally:
    if drv:
        drv.quit()
    server.terminate()
    server.wait()
    shutil.rmtree(tmp)
print("wrote", OUT)
