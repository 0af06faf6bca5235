"""Drive the page of 'qcode serve' in headless Chromium; print what a
reader of the transcript can check.  argv: URL QCODE."""
import json
import shutil
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

URL, QCODE = sys.argv[1], sys.argv[2]
TEXT = open("he.txt", encoding="utf-8").read()
PHRASE = "כלים מעשיים"


def codings():
    out = subprocess.run([QCODE, "codings", "--format", "json"],
                         capture_output=True, text=True, timeout=60,
                         check=True).stdout
    return json.loads(out)


def show(rows):
    for r in rows:
        print("  %s %s %d-%d %s %s %r" % (r["id"], r["code"], r["start"],
              r["end"], r["coder"], r["status"], r["text"]))


def select(phrase):
    """Select PHRASE in the reader, as a mouse would."""
    js("""
      const phrase = arguments[0];
      for (const t of document.querySelectorAll('#document .run')) {
        const i = t.textContent.indexOf(phrase);
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(t.firstChild, i);
        r.setEnd(t.firstChild, i + phrase.length);
        getSelection().removeAllRanges();
        getSelection().addRange(r);
        return;
      }""", phrase)
    wait.until(lambda d: js("return qcode.state.pending !== null"))


def coded(code):
    """Wait until the page shows a manual coding of CODE; return it."""
    find = """return qcode.state.doc.codings.find(c =>
        c.code === arguments[0] && c.origin === 'manual') || null"""
    wait.until(lambda d: js(find, code))
    return js(find, code)


opts = Options()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
          "--disable-dev-shm-usage", "--window-size=1400,900"):
    opts.add_argument(a)
opts.binary_location = shutil.which("chromium")
drv = webdriver.Chrome(service=Service(shutil.which("chromedriver")),
                       options=opts)
drv.set_page_load_timeout(60)
drv.set_script_timeout(60)
wait = WebDriverWait(drv, 60, poll_frequency=0.02)
js = drv.execute_script
try:
    drv.get(URL)
    wait.until(lambda d: js("return document.body.dataset.ready === '1'"))
    print("address after the token:",
          js("return location.pathname + location.search"))
    print("token cookie readable by the script:",
          "token" in js("return document.cookie"))

    print("-- offsets: code points <-> UTF-16")
    names = ("chars", "toU16(1)", "toU16(2)", "toCp(3)", "toCp(2)",
             "toCp(2,up)", "toU16(6)", "toCp(6)", "toU16(99)")
    vals = js("""
      const o = qcode.offsets('a\\u{1F642}b e\\u0301x \\u05e9\\u05b8\\u05c1');
      return [o.chars, o.toU16(1), o.toU16(2), o.toCp(3), o.toCp(2),
              o.toCp(2, true), o.toU16(6), o.toCp(6), o.toU16(99)];
    """)
    print("'a\\U0001F642b e\\u0301x \\u05e9\\u05b8\\u05c1':",
          " ".join("%s=%s" % nv for nv in zip(names, vals)))

    print("-- direction")
    for probe in ("נחשפתי", "network"):
        print(probe, js("""
          for (const p of document.querySelectorAll('#document p'))
            if (p.textContent.includes(arguments[0]))
              return getComputedStyle(p).direction;
          return 'not found';""", probe))
    print("segments:", js("""return [...document.querySelectorAll(
        '#document [data-segment]')].map(s => s.dataset.segment + ':' +
        s.dataset.start + '-' + s.dataset.end).join(' ')"""))

    count = lambda: js("""return document.querySelector(
        '[data-code="Benefits/Tools"] .count').textContent""")
    print("-- select the phrase and press 1 (Tools)")
    print("Tools before:", count())
    select(PHRASE)
    print("pending:", js("return JSON.stringify(qcode.state.pending)"))
    n0 = js("return qcode.state.doc.codings.length")
    ActionChains(drv).send_keys("1").perform()
    wait.until(lambda d: js("return qcode.state.doc.codings.length") > n0)
    wait.until(lambda d: count() != "0 of 1")
    print("Tools after:", count())
    want = TEXT.index(PHRASE)
    rows = codings()
    show(rows)
    mine = [r for r in rows if r["code"] == "Benefits/Tools"]
    print("the coding is exactly the phrase:",
          len(mine) == 1 and mine[0]["start"] == want and
          mine[0]["end"] == want + len(PHRASE) and
          mine[0]["text"] == PHRASE and mine[0]["coder"] == "dana")
    print("highlight:", js("""return [...document.querySelectorAll(
        'mark[data-coding="' + arguments[0] + '"]')].map(m =>
        m.textContent).join('|')""", mine[0]["id"]))

    print("-- accept a suggestion (click), reject the next (key n, button)")
    sugg = js("""return [...document.querySelectorAll('mark.suggested')]
        .map(m => +m.dataset.coding)""")
    first = sugg[0]
    drv.find_element(By.CSS_SELECTOR,
                     'mark[data-coding="%d"]' % first).click()
    wait.until(lambda d: d.find_element(
        By.CSS_SELECTOR, '[data-action="accept"]').is_displayed())
    drv.find_element(By.CSS_SELECTOR, '[data-action="accept"]').click()
    wait.until(lambda d: js("""return qcode.state.doc.codings.find(c =>
        c.id === arguments[0]).status""", first) == "accepted")
    js("qcode.state.selected = null")
    ActionChains(drv).send_keys("n").perform()
    wait.until(lambda d: js("return qcode.state.selected") is not None)
    second = js("return qcode.state.selected")
    print("n selects the other suggestion:", second != first and
          second in sugg)
    drv.find_element(By.CSS_SELECTOR, '[data-action="reject"]').click()
    wait.until(lambda d: js("""return qcode.state.doc.codings.find(c =>
        c.id === arguments[0]).status""", second) == "rejected")
    show(codings())

    print("-- undo (the button)")
    drv.find_element(By.ID, "undo").click()
    wait.until(lambda d: js("""return qcode.state.doc.codings.find(c =>
        c.id === arguments[0]).status""", second) == "suggested")
    print("status:", js("return document.getElementById('status').textContent"))
    show(codings())
    print("-- the filter box: type a Hebrew name, Enter")
    select("לתבניות")
    box = drv.find_element(By.ID, "code-filter")
    box.click()
    box.send_keys("עמיתים")
    print("first match:", js("""return document.querySelector(
        '#code-tree .first-match').dataset.code"""))
    box.send_keys("\n")
    c = coded("Benefits/רשת עמיתים")
    print("coded:", c["text"], c["start"], c["end"], c["origin"], c["status"],
          "exact:", c["start"] == TEXT.index("לתבניות") and c["end"] ==
          c["start"] + len("לתבניות"))

    print("-- a new code from the selection (c)")
    select("הדבר החשוב")
    ActionChains(drv).send_keys("c").perform()
    WebDriverWait(drv, 30, poll_frequency=0.02).until(EC.alert_is_present())
    alert = drv.switch_to.alert
    alert.send_keys("Benefits/Most important")
    alert.accept()
    c = coded("Benefits/Most important")
    print("coded:", c["text"], c["start"], c["end"], "exact:",
          c["start"] == TEXT.index("הדבר החשוב"))
    wait.until(lambda d: d.find_elements(
        By.CSS_SELECTOR, '[data-code="Benefits/Most important"]'))
    print("in the tree:", drv.find_element(By.CSS_SELECTOR,
          '[data-code="Benefits/Most important"] .count').text)

    print("-- a memo, then remove the coding")
    drv.find_element(By.CSS_SELECTOR,
                     'mark[data-coding="%d"]' % c["id"]).click()
    memo = drv.find_element(By.ID, "memo")
    memo.send_keys("הכי חשוב")
    drv.find_element(By.ID, "save-memo").click()
    wait.until(lambda d: js("""return qcode.state.doc.codings.find(c =>
        c.id === arguments[0]).memo""", c["id"]) == "הכי חשוב")
    print("memo:", js("""return qcode.state.doc.codings.find(c =>
        c.id === arguments[0]).memo""", c["id"]))
    drv.find_element(By.ID, "remove-coding").click()
    wait.until(lambda d: not js("""return qcode.state.doc.codings.some(c =>
        c.id === arguments[0])""", c["id"]))
    print("removed:", not any(r["id"] == c["id"] for r in codings()))

    print("-- the command line codes while the server runs; reload")
    subprocess.run([QCODE, "code", "add", "he.txt@%d-%d" % (
        TEXT.index("לתבניות"), TEXT.index("לתבניות") + 7), "Tools",
        "--coder", "avi"], check=True, timeout=60, capture_output=True)
    drv.refresh()
    wait.until(lambda d: js("return document.body.dataset.ready === '1'"))
    views = {}
    for v in ("mine", "all", "coder:avi"):
        js("""const s = document.getElementById('view'); s.value = arguments[0];
              s.dispatchEvent(new Event('change'))""", v)
        views[v] = js("""return [...new Set([...document.querySelectorAll(
            'mark:not(.suggested)')].map(m => m.dataset.coding +
            (m.classList.contains('other') ? ' other' : '')))].join(', ')""")
    for v, marks in views.items():
        print("view %s: %s" % (v, marks))

    print("-- the document list: a survey imported meanwhile, its filters")
    with open("survey.csv", "w", encoding="utf-8") as f:
        f.write("id,city,q1\ns1,חיפה,תשובה ראשונה\ns2,Eilat,second answer\n"
                "s3,חיפה,תשובה שלישית\n")
    subprocess.run([QCODE, "import", "--text-columns", "q1", "survey.csv"],
                   check=True, timeout=60, capture_output=True)
    drv.refresh()
    wait.until(lambda d: js("return document.body.dataset.ready === '1'"))
    listed = lambda: js("""return [...document.querySelectorAll(
        '#doc-list li[data-doc]')].map(li => li.firstChild.textContent +
        (li.classList.contains('current') ? '*' : '')).join(' ')""")
    print("all:", listed())
    print("questions:", js("""return [...document.querySelectorAll(
        '#doc-question option')].map(o => o.textContent).join(' | ')"""))
    print("attributes:", js("""return [...document.querySelectorAll(
        '#doc-attr option')].map(o => o.textContent).join(' | ')"""))

    def pick(sel, text):
        """Choose the option TEXT of select SEL (or type TEXT into the
        name box); wait for the list the server sends."""
        before = listed()
        js("""const s = document.querySelector(arguments[0]);
          if (s.tagName === 'SELECT')
            s.value = [...s.options].find(o => o.textContent === arguments[1]).value;
          else s.value = arguments[1];
          s.dispatchEvent(new Event('input'))""", sel, text)
        wait.until(lambda d: listed() != before)
        return listed()
    print("question q1:", pick("#doc-question", "q1"))
    print("and city=חיפה:", pick("#doc-attr", "city=חיפה"))
    print("and name S3:", pick("#doc-filter", "S3"))
    print("no name:", pick("#doc-filter", ""))
    print("any case:", pick("#doc-attr", "any case"))
    print("any question:", pick("#doc-question", "any question"))
    print("coded by me:", pick("#doc-coded", "coded by me"))
    print("not coded by me:", pick("#doc-coded", "not coded by me"))
    drv.find_element(By.CSS_SELECTOR, '#doc-list li[data-doc]').click()
    wait.until(lambda d: js("return qcode.state.doc.name") == "s1/q1")
    print("clicked:", js("return document.getElementById('doc-title').textContent"),
          "| list:", listed())

    print("errors in the console:", [e["message"] for e in
          drv.get_log("browser") if e["level"] == "SEVERE"])
finally:
    drv.quit()
