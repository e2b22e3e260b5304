#!/usr/bin/env python3
"""Issue 18's acceptance: the customer's page (`instructions --format html`) of the four
procedures in Japanese and English, rendered by Debian's headless Chromium:

- a screenshot (a PNG) and a PDF (`--print-to-pdf`, A4 from the page's @page rule) are made,
  and the PDF's text (`pdftotext`) holds every step title and every date the step cards show
  (taken from the page, and the titles checked against the JSON output of the same spec);
- nothing is wider than the page: a copy of the page with a script added measures every
  element's box (one inside a box that scrolls, as the chart does on a phone, by that
  box's) against its viewport, at the A4 text width (180 mm = 680 px), at A4 paper
  width (794 px) and at a phone's (390 px), each in an iframe of that width (headless
  Chromium's window is never narrower than 500 px); the script posts what it found to the
  frame holder, which --dump-dom prints;
- the page asks for nothing from the network: no http:, https: or // URL in any src, href,
  url( or @import (read from the file), its Content-Security-Policy allows nothing but its
  inline style, and performance.getEntriesByType('resource') is empty in the rendering of
  a copy without that policy (which would hide a request as well as block the probe). A page that does fetch something (an image from a server this test
  starts on loopback) shows the script sees it, so the empty list means something.

Chromium runs as root here, so with --no-sandbox, each time with a new --user-data-dir.
A Chromium that does not start fails the test; nothing is skipped. Usage:
  test_instructions_html.py ZONEGEN SOURCE_DIR WORKDIR"""
import html, http.server, json, os, re, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(__file__))
import harness
from servers import DEADLINE

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = harness.make_zg(ZG, SRC)

# The four procedures: 1 A + transfer, 2 B/C + transfer, 3 A + customer, 4 B/C + customer.
PROCEDURES = {1: "a-transfer", 2: "c-transfer-cojp", 3: "a-customer-idn", 4: "b-customer-ipv6"}
LANGS = ("ja", "en")
START = "2026-12-25"  # a Friday before the New Year closure
WIDTHS = (390, 680, 794)
CHROMIUM = os.environ.get("ZONEGEN_CHROMIUM", "chromium")
runs = []  # (what, seconds) of every Chromium run


def chromium(*args, timeout=3 * DEADLINE):
    """Runs headless Chromium with ARGS; its stdout. A new profile directory every time."""
    profile = harness.fresh_dir(os.path.join(WORK, "chromium-profile"))
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
           "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
           "--disable-sync", "--disable-extensions", "--disable-component-update",
           "--hide-scrollbars", *args]
    t0 = time.time()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise AssertionError("%s is not installed (Debian: apt-get install chromium)" % CHROMIUM)
    runs.append((" ".join(a for a in args if not a.startswith("file:")), time.time() - t0))
    if r.returncode != 0:
        raise AssertionError("chromium %s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr[-3000:]))
    return r.stdout


def page_path(name, lang):
    return os.path.join(WORK, "%s.%s.html" % (name, lang))


def render(name, lang):
    """The page, written with -o (atomically) from the example spec."""
    path = page_path(name, lang)
    zg("instructions", "examples/%s.yaml" % name, "--lang", lang, "--format", "html", "--start", START,
       "-o", path, check=0)
    return open(path, encoding="utf-8").read()


def texts(page, cls):
    """The texts of the elements of class CLS, unescaped, whitespace collapsed."""
    found = re.findall(r'<[a-z0-9]+ class="%s"[^>]*>(.*?)</' % re.escape(cls), page, re.S)
    return [" ".join(html.unescape(t).split()) for t in found]


def squeeze(s):
    """S without any white space: pdftotext breaks lines where the page wraps them."""
    return re.sub(r"\s+", "", s)


# ---- the measuring script ----------------------------------------------------------------

PROBE = """<script>
window.addEventListener('load', function () {
  var vw = document.documentElement.clientWidth, over = [];
  // Inside a box that scrolls (the chart on a phone), an element is measured by that box.
  function scrolled(e) {
    for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      var o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  }
  document.querySelectorAll('body *').forEach(function (e) {
    if (scrolled(e)) return;
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.right > vw + 0.5 || r.left < -0.5)
      over.push(e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  });
  var doc = document.documentElement;
  parent.postMessage(JSON.stringify({width: vw, scroll_width: doc.scrollWidth, over: over.slice(0, 20),
    elements: document.querySelectorAll('body *').length,
    resources: performance.getEntriesByType('resource').map(function (e) { return e.name; })}), '*');
});
</script>"""

HOLDER = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}iframe{border:0;display:block}</style></head><body>
%s
<pre id="out"></pre>
<script>
var got = [];
window.addEventListener('message', function (m) {
  got.push(JSON.parse(m.data));
  if (got.length === %d) document.getElementById('out').textContent = JSON.stringify(got);
});
</script></body></html>"""


def measure(page, tag):
    """What the probe found in PAGE at each of WIDTHS: [{width, over, resources...}]."""
    probe_path = os.path.join(WORK, tag + ".probe.html")
    # Without the page's Content-Security-Policy: it would block the probe, and it would hide
    # a request the page makes (the CSP is checked on its own in check_static).
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    open(probe_path, "w", encoding="utf-8").write(page.replace("</body>", PROBE + "</body>"))
    frames = "\n".join('<iframe src="%s" style="width:%dpx;height:1200px"></iframe>' % (os.path.basename(probe_path), w)
                       for w in WIDTHS)
    holder = os.path.join(WORK, tag + ".holder.html")
    open(holder, "w", encoding="utf-8").write(HOLDER % (frames, len(WIDTHS)))
    dom = chromium("--window-size=1000,4000", "--virtual-time-budget=10000", "--dump-dom", "file://" + holder)
    m = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert m and m.group(1), "the probe reported nothing for %s:\n%s" % (tag, dom[-2000:])
    return sorted(json.loads(html.unescape(m.group(1))), key=lambda r: r["width"])


# ---- the tests ---------------------------------------------------------------------------


def test_the_probe_sees_a_request_and_an_overflow():
    """A page that fetches an image from a server on loopback and holds a box wider than any
    screen: the probe reports both, so its empty answers below mean something; a wide box
    inside one that scrolls is not reported."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        bad = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>x</p>'
               '<img src="http://127.0.0.1:%d/pixel.png" alt=""><div class="wide" style="width:1200px">wide</div>'
               '<div style="overflow-x:auto"><div class="inner" style="width:1500px">scrolls in its box</div></div>'
               '</body></html>' % srv.server_address[1])
        for r in measure(bad, "bad"):
            assert any("/pixel.png" in u for u in r["resources"]), r
            assert [o.split(" ")[0] for o in r["over"]] == ["DIV.wide"], r
        assert hits, "the image was never requested"
    finally:
        srv.shutdown()


def check_static(page, tag):
    """No URL that leaves the file: in src, href, url( or @import; no script."""
    for m in re.finditer(r'(?:\b(?:src|href)\s*=\s*["\']?|url\(\s*["\']?|@import\s+["\']?)([^"\'\s)>]*)', page, re.I):
        assert not re.match(r"(?i)(https?:|//|ftp:|file:)", m.group(1)), "%s: %s" % (tag, m.group(0))
    assert not re.search(r"(?i)<script|<link\b|<iframe|<object|<embed|@font-face", page), tag
    assert not re.search(r"(?i)https?://", page), tag
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'style-src \'unsafe-inline\'">') in page, tag


def check_page(name, lang):
    tag = "%s.%s" % (name, lang)
    page = render(name, lang)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="%s">' % lang in page, tag
    assert '<meta charset="utf-8">' in page and 'name="viewport"' in page, tag
    check_static(page, tag)
    doc = json.loads(zg("instructions", "examples/%s.yaml" % name, "--lang", lang, "--format", "json",
                        "--start", START, check=0).out)
    titles, dates = texts(page, "step-title"), texts(page, "step-when")
    assert titles == [" ".join(s["title"].split()) for s in doc["steps"]], (tag, titles)
    assert len(dates) == len(doc["steps"]) and all(dates), (tag, dates)
    assert "<svg" in page and 'viewBox="0 0 ' in page, tag

    png = os.path.join(WORK, tag + ".png")
    chromium("--window-size=1000,1400", "--screenshot=" + png, "file://" + page_path(name, lang))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n", png
    pdf = os.path.join(WORK, tag + ".pdf")
    chromium("--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + page_path(name, lang))
    assert open(pdf, "rb").read(5) == b"%PDF-", pdf
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), "%s: not A4:\n%s" % (tag, info)
    text = squeeze(subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                                  check=True).stdout)
    for t in titles + dates:
        assert squeeze(t) in text, "%s: the PDF lacks %r" % (tag, t)

    for r in measure(page, tag):
        assert r["elements"] > 100, (tag, r)
        assert r["width"] == r["scroll_width"] and not r["over"], "%s at %d px: %s" % (tag, r["width"], r)
        assert r["resources"] == [], "%s fetched %s" % (tag, r["resources"])
    return len(titles)


def make_test(proc, lang):
    def t():
        n = check_page(PROCEDURES[proc], lang)
        print("  procedure %d (%s, %s): %d steps, PNG, PDF, %s px" % (proc, PROCEDURES[proc], lang, n,
                                                                   "/".join(map(str, WIDTHS))))
    t.__name__ = "test_procedure_%d_%s" % (proc, lang)
    return t


def teardown():
    if runs:
        total = sum(s for _, s in runs)
        print("chromium: %d runs, %.1f s in all, the longest %.1f s" % (len(runs), total, max(s for _, s in runs)))


TESTS = [test_the_probe_sees_a_request_and_an_overflow] + [make_test(p, l) for p in sorted(PROCEDURES) for l in LANGS]
harness.main(globals(), WORK, tests=TESTS)
