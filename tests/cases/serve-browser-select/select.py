"""The selection in the page of 'qcode serve', in headless Chromium with
a real mouse and keyboard where it matters; print what a reader of the
transcript can check.  argv: URL QCODE."""
import json
from contextlib import contextmanager
import shutil
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

URL, QCODE = sys.argv[1], sys.argv[2]


def cli(*args):
    return subprocess.run([QCODE, *args], capture_output=True, text=True,
                          timeout=60, check=True).stdout


def codings():
    return json.loads(cli("codings", "--format", "json"))


def row(r):
    return "%s %s %s %d-%d %s %s %r" % (r["id"], r["document"], r["code"],
                                        r["start"], r["end"], r["coder"],
                                        r["status"], r["text"])


def settle():
    """Let the page see the selection's change (selectionchange comes in
    a task of its own)."""
    drv.execute_async_script(
        "const done = arguments[0]; setTimeout(() => requestAnimationFrame("
        "() => setTimeout(done, 0)), 30)")


def text():
    """The open document's text: a Python str counts code points, as
    qcode's offsets do."""
    return js("return qcode.state.doc.text")


def pending():
    settle()
    p = js("return qcode.state.pending")
    return p and "%d-%d %r" % (p["start"], p["end"], p["text"])


def exact(p, phrase, at=None):
    """Whether P (a pending span or a coding) is exactly PHRASE of the
    open document (its first occurrence, or the one at AT)."""
    t = text()
    s = t.index(phrase) if at is None else at
    return (p["start"] == s and p["end"] == s + len(phrase) and
            p["text"] == phrase == t[s:s + len(phrase)])


def select(phrase):
    """Select PHRASE in the reader (with the script)."""
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
      }
      throw new Error('not in the document: ' + phrase);""", phrase)
    wait.until(lambda d: js("return qcode.state.pending !== null"))


def point(seg, phrase):
    """The middle of PHRASE in segment SEG on the screen."""
    return js("""
      const [seg, phrase] = arguments;
      for (const t of document.querySelectorAll(
          '#document [data-segment="' + seg + '"] .run')) {
        const i = t.textContent.indexOf(phrase);
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(t.firstChild, i);
        r.setEnd(t.firstChild, i + phrase.length);
        const a = r.getClientRects()[0];
        return [Math.round(a.left + a.width / 2), Math.round(a.top + a.height / 2)];
      }
      throw new Error('not in segment ' + seg + ': ' + phrase);""", seg, phrase)


def clicks(xy, n):
    """N clicks of the mouse at XY (a double click, a triple click)."""
    ab = ActionBuilder(drv)
    ab.pointer_action.move_to_location(*xy)
    for _ in range(n):
        ab.pointer_action.click()
    ab.perform()


def keys(*k):
    ActionChains(drv).send_keys(*k).perform()


def status():
    return js("return document.getElementById('status').textContent")


def bar():
    return js("return document.getElementById('selection-text').textContent")


def escape():
    keys(Keys.ESCAPE)
    settle()


def new_coding(act):
    """Do ACT; wait for the page to show one more coding; the new row
    as 'qcode codings' lists it."""
    before = {r["id"] for r in codings()}
    n0 = js("return qcode.state.doc.codings.length")
    act()
    wait.until(lambda d: js("return qcode.state.doc.codings.length") > n0)
    new = [r for r in codings() if r["id"] not in before]
    print("  coded:", *map(row, new))
    return new[0]


def open_doc(name):
    drv.find_element(By.XPATH, '//*[@id="doc-list"]/li[div[1]="%s"]' % name).click()
    wait.until(lambda d: js("return qcode.state.doc.name") == name)


@contextmanager
def section(title):
    """A part of the test: its failure is told and the next part runs."""
    print("--", title)
    try:
        yield
    except Exception as e:  # a timeout, an element not there
        print("  FAILED: %s %s" % (type(e).__name__, str(e).split("\n")[0]))
        try:
            drv.switch_to.alert.dismiss()
        except Exception:
            pass


def tree(code):
    return drv.find_element(By.CSS_SELECTOR,
                            '#code-tree li[data-code="%s"] .name' % code)


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
    print("document:", js("return qcode.state.doc.name"), "| segments:",
          js("""return [...document.querySelectorAll('#document [data-segment]')]
            .map(s => s.dataset.segment + ':' + s.dataset.start + '-' +
            s.dataset.end).join(' ')"""))
    print("CR kept in the text:", "\r" in text())

    with section("the selection bar: the text stays where it is"):
        top = lambda: js("""return document.getElementById('document')
            .getBoundingClientRect().top""")
        top0, bar0 = top(), bar()
        select("ממש טוב")
        print("  bar without a selection:", bar0)
        print("  bar with one:", bar())
        # an English sentence around Hebrew words: left to right, and
        # the span's first number left of its last (not "51–44")
        print("  bar left to right, its span in order:", js("""
            const b = document.querySelector('#selection-text bdi[dir=ltr]');
            const n = b.firstChild, r = document.createRange();
            const x = i => { r.setStart(n, i); r.setEnd(n, i + 1);
                             return r.getBoundingClientRect().left; };
            return getComputedStyle(document.getElementById(
                'selection-text')).direction === 'ltr' &&
                x(0) < x(n.length - 1);"""))
        print("  the transcript moved by %.1f px" % (top() - top0))
        escape()

    with section("the mouse: a double click selects a word, a triple click"
                 " its paragraph; key 1"):
        clicks(point(1, "הָיָה"), 2)
        print("  double click:", pending(), "exact:",
              exact(js("return qcode.state.pending"), "הָיָה"))
        escape()
        clicks(point(1, "הָיָה"), 3)
        print("  triple click:", pending())
        c = new_coding(lambda: keys("1"))
        print("  the whole question:", exact(c, "אֵיךְ הָיָה בַּתָּכְנִית?"))

    with section("a selection, then a click on the title: nothing left to code"):
        select("ממש טוב")
        drv.find_element(By.ID, "doc-title").click()
        print("  pending:", pending(), "| browser selection: %r" %
              js("return getSelection().toString()"), "| bar:", bar())
        n0 = len(codings())
        tree("Feelings").click()
        wait.until(lambda d: js("""return !document.getElementById('quotes-panel')
            .hidden"""))
        print("  clicking Feelings lists its quotes:",
              js("return document.getElementById('quotes-title').textContent"),
              "| codings added:", len(codings()) - n0)
        keys("2")
        settle()
        print("  key 2:", status())

    with section("a selection, then a click in the document list"):
        select("ממש טוב")
        drv.find_element(By.CSS_SELECTOR, "#docs-pane h2").click()
        print("  pending:", pending())
    with section("a selection, then a click in the document filter"):
        select("ממש טוב")
        drv.find_element(By.ID, "doc-filter").click()
        print("  pending:", pending())
        drv.find_element(By.ID, "doc-title").click()

    with section("Escape drops the selection"):
        select("ממש טוב")
        escape()
        print("  pending:", pending(), "| browser selection: %r" %
              js("return getSelection().toString()"))

    with section("clicking a code codes the selection"):
        select("ממש")
        c = new_coding(lambda: tree("Feelings").click())
        print("  exact:", exact(c, "ממש"))

    with section("New code... codes the selection (an emoji in it)"):
        select("טוב 😊")

        def named():
            drv.find_element(By.ID, "new-code").click()
            WebDriverWait(drv, 30, poll_frequency=0.02).until(EC.alert_is_present())
            alert = drv.switch_to.alert
            alert.send_keys("Mood")
            alert.accept()
        mood = new_coding(named)
        print("  exact:", exact(mood, "טוב 😊"))

    with section("the code box codes the selection"):
        select("לי זמן")
        box = drv.find_element(By.ID, "code-filter")
        box.click()
        print("  pending with the box focused:", pending())
        box.send_keys("Tim")

        def enter():
            box.send_keys("\n")
        c = new_coding(enter)
        print("  exact:", exact(c, "לי זמן"))
    with section("into the code box and out with Escape: the selection"
                 " stays; out with a click on the title: gone"):
        select("אבל")
        box.click()
        box.send_keys("Fe", Keys.ESCAPE)
        print("  after Escape:", pending(), "| browser selection: %r" %
              js("return getSelection().toString()"))
        box.click()
        drv.find_element(By.ID, "doc-title").click()
        print("  after the title:", pending())

    with section("Shift+Ctrl+End: the selection ends where the document does"):
        select("הכסף?")
        ActionChains(drv).key_down(Keys.SHIFT).key_down(Keys.CONTROL) \
            .send_keys(Keys.END).key_up(Keys.CONTROL).key_up(Keys.SHIFT).perform()
        print("  the browser's selection goes on past the document:", js("""
          const r = getSelection().getRangeAt(0);
          return !document.getElementById('document').contains(r.endContainer)"""))
        print("  pending:", pending())
        t = text()
        tail = t[t.index("הכסף?"):].rstrip()
        print("  to the end:", exact(js("return qcode.state.pending"), tail))
        c = new_coding(lambda: keys("3"))
        print("  exact:", exact(c, tail))
        escape()

    with section("a drag from a word into the code pane"):
        t = text()
        xy = point(3, "עם")
        h2 = drv.find_element(By.XPATH, '//aside//h2[text()="Codes"]')
        ab = ActionBuilder(drv)
        ab.pointer_action.move_to_location(*xy).pointer_down() \
            .move_to(h2).pointer_up()
        ab.perform()
        print("  the browser's selection goes on past the document:", js("""
          const r = getSelection().getRangeAt(0);
          return !document.getElementById('document').contains(r.endContainer)"""))
        print("  pending:", pending())
        p = js("return qcode.state.pending")
        print("  from the word to the end:", t.index("עם הכסף?") <= p["start"] <
              t.index("הכסף?") and p["end"] == len(t.rstrip()) and
              p["text"] == t[p["start"]:p["end"]])
        escape()

    with section("a triple click on the last paragraph"):
        clicks(point(4, "הספיק"), 3)
        print("  browser selection: %r" % js("return getSelection().toString()"))
        print("  pending:", pending(), "exact:",
              exact(js("return qcode.state.pending"), "הכסף לא הספיק בכלל."))
        escape()

    with section("a triple click on a survey answer; key 2"):
        open_doc("r1/q1")
        clicks(point(1, "וּמַנְחָה"), 3)
        print("  browser selection: %r" % js("return getSelection().toString()"))
        print("  pending:", pending())
        c = new_coding(lambda: keys("2"))
        print("  the whole answer:", exact(c, "עֲמִיתִים וּמַנְחָה 🙂"))

    with section("keys a and r on another coder's manual coding"):
        open_doc("dana.txt")
        js("""const s = document.getElementById('view'); s.value = 'all';
              s.dispatchEvent(new Event('change'))""")
        noa = [r for r in codings() if r["coder"] == "noa"][0]
        clicks(point(2, "היה "), 1)
        wait.until(lambda d: js("return qcode.state.selected") == noa["id"])
        print("  accept/reject buttons shown:",
              js("return !document.getElementById('suggestion-actions').hidden"))
        for k in "ar":
            keys(k)
            settle()
            print("  key %s: %s" % (k, status()))
        print("  noa's coding:", row([r for r in codings() if r["id"] == noa["id"]][0]))
    with section("key a on a suggestion"):
        escape()
        keys("n")
        wait.until(lambda d: js("return qcode.state.selected") is not None)
        sid = js("return qcode.state.selected")
        print("  accept/reject buttons shown:",
              js("return !document.getElementById('suggestion-actions').hidden"))
        keys("a")
        wait.until(lambda d: js("""return qcode.state.doc.codings.find(c =>
            c.id === arguments[0]).status""", sid) == "accepted")
        print("  key a:", status())
        print("  the suggestion:", row([r for r in codings() if r["id"] == sid][0]))

    with section("a coding removed by the command line meanwhile"):
        gone = [r for r in codings() if r["text"] == "לי זמן"][0]
        drv.find_element(By.CSS_SELECTOR,
                         'mark[data-coding="%d"]' % gone["id"]).click()
        wait.until(lambda d: js("return qcode.state.selected") == gone["id"])
        cli("code", "rm", str(gone["id"]))
        drv.find_element(By.ID, "remove-coding").click()
        wait.until(lambda d: not js("""return qcode.state.doc.codings.some(c =>
            c.id === arguments[0])""", gone["id"]))
        wait.until(lambda d: "reloaded" in status())
        print("  Remove coding:", status())
        print("  its highlight:", len(drv.find_elements(
            By.CSS_SELECTOR, 'mark[data-coding="%d"]' % gone["id"])),
            "| the coding panel shown:",
            js("return !document.getElementById('coding-panel').hidden"))
        escape()
        keys("n")
        wait.until(lambda d: js("return qcode.state.selected") is not None)
        sid = js("return qcode.state.selected")
        cli("code", "rm", str(sid))
        keys("r")
        wait.until(lambda d: not js("""return qcode.state.doc.codings.some(c =>
            c.id === arguments[0])""", sid))
        wait.until(lambda d: "reloaded" in status())
        print("  key r:", status())

    print("errors in the console (but the two 404s):", [
        e["message"] for e in drv.get_log("browser") if e["level"] ==
        "SEVERE" and "status of 404" not in e["message"]])
finally:
    drv.quit()
