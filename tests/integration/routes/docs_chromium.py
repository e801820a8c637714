#!/usr/bin/env python3
"""The HTML page of `opp-idl routes --format html` (GET /gateway/docs) in headless Chromium.

Chromium loads the saved page from a file:// URL, offline, and prints the DOM it built
(--dump-dom) while writing its network log (--log-net-log). The test reads the DOM:
  - every payment method is rendered with its request and response field tables (a row per
    field of the routes JSON), its errors and an example signed request;
  - doc comments holding <script>, <img onerror> and <b> stayed text: the DOM has no such
    elements, and the text reads as written in the IDL;
and the network log: the page made no network request (Chromium's own background requests
are told apart by their missing initiator). A control page with one external image shows
that the check does see a page's requests.

Usage: docs_chromium.py OPP_IDL SOURCE_DIR. Exit 77 (skipped) without Chromium (Debian
package `chromium`, installed by scripts/install-deps.sh; or set OPP_CHROMIUM).
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

OPP_IDL, SOURCE = sys.argv[1], sys.argv[2]
CHROMIUM = os.environ.get("OPP_CHROMIUM") or shutil.which("chromium") or shutil.which(
    "chromium-browser")
if not CHROMIUM:
    print("skipped: Chromium is not installed (apt-get install chromium, or "
          "scripts/install-deps.sh)")
    sys.exit(77)

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag=None, **attrs):
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and all(
                        c.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                    out.append(c)
                out.extend(c.find_all(tag, **attrs))
        return out


VOID = {"meta", "br", "link", "img", "input", "hr", "col", "area", "base", "source", "wbr"}


class DomBuilder(html.parser.HTMLParser):
    """A tree of Chromium's serialized DOM (well-formed, so a stack suffices)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def load_in_chromium(page, workdir):
    profile = tempfile.mkdtemp(dir=workdir)
    net_log = os.path.join(workdir, os.path.basename(page) + ".netlog.json")
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--user-data-dir=" + profile, "--log-net-log=" + net_log,
               "--dump-dom", "file://" + page]
    r = subprocess.run(command, capture_output=True, timeout=180)
    if r.returncode != 0:
        raise RuntimeError("chromium exit %d: %s" % (r.returncode, r.stderr.decode()[-2000:]))
    builder = DomBuilder()
    builder.feed(r.stdout.decode())
    return builder.root, net_log


def network_urls(net_log):
    """URLs the page requested, from a Chromium net log. Chromium's own background requests
    (component updates, accounts) are made for no document: their initiator is "not an
    origin"; a document's requests carry its origin ("null" for a file:// page)."""
    with open(net_log) as f:
        log = json.load(f)
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = set()
    for event in log.get("events", []):
        params = event.get("params", {})
        url = params.get("url", "")
        if event.get("type") != start_job or not url or url.startswith(("file:", "data:", "about:")):
            continue
        if params.get("initiator") != "not an origin":
            urls.add(url)
    return urls


def routes_json(directory):
    out = subprocess.run([OPP_IDL, "routes", directory, "--format", "json"], check=True,
                         capture_output=True).stdout
    return json.loads(out)


def write_page(directory, workdir, name):
    out = subprocess.run([OPP_IDL, "routes", directory, "--format", "html"], check=True,
                         capture_output=True).stdout
    page = os.path.join(workdir, name)
    with open(page, "wb") as f:
        f.write(out)
    return page


with tempfile.TemporaryDirectory(prefix="opp-routes-docs-") as work:
    # The control: a page that loads one external image is seen in the log.
    control = os.path.join(work, "control.html")
    with open(control, "w") as f:
        f.write('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
    _, control_log = load_in_chromium(control, work)
    if not any(u.startswith("http://127.0.0.1:9/") for u in network_urls(control_log)):
        fail("the network log did not show the control page's request: the check is blind")

    # ---- the payment IDL: every method with its tables ----
    payment_dir = os.path.join(SOURCE, "idl")
    dom, log = load_in_chromium(write_page(payment_dir, work, "payment.html"), work)
    if network_urls(log):
        fail("the payment page made network requests: %s" % sorted(network_urls(log)))
    routes = routes_json(payment_dir)
    payment = [s for s in routes["services"] if s["svc"] == "payment"][0]
    articles = {a.attrs.get("data-method"): a for a in dom.find_all("article")}
    for fn in payment["functions"]:
        method = fn["method"]
        article = articles.get(method)
        if article is None:
            fail("no article for method %s" % method)
            continue
        if fn["function"] not in article.text():
            fail("%s: the function name %s is not shown" % (method, fn["function"]))
        for kind, fields in (("request", fn["biz_params"]["fields"]),
                             ("response", fn["data"]["fields"])):
            tables = article.find_all("table", data_kind=kind)
            if len(tables) != 1:
                fail("%s: %d %s tables" % (method, len(tables), kind))
                continue
            rows = {r.attrs.get("data-key"): r for r in tables[0].find_all("tr")
                    if r.attrs.get("data-key")}
            if set(rows) != {f["key"] for f in fields}:
                fail("%s %s rows %s, expected %s" % (method, kind, sorted(rows),
                                                     sorted(f["key"] for f in fields)))
            for f in fields:
                row = rows.get(f["key"])
                if row is None:
                    continue
                cells = [c.text() for c in row.find_all("td")]
                if len(cells) != 5 or f["type"] not in cells[1] or f["requiredness"] != cells[2]:
                    fail("%s %s row %s: cells %s" % (method, kind, f["key"], cells))
                if f["doc"] and f["doc"] not in cells[4]:
                    fail("%s %s row %s: doc %r missing" % (method, kind, f["key"], f["doc"]))
        errors = article.find_all("table", **{"class": "method-errors"})
        if not errors or "common.BizError" not in errors[0].text() or "10001" not in errors[0].text():
            fail("%s: errors table without BizError / 10001" % method)
        canonical = article.find_all("pre", **{"class": "canonical"})
        form = article.find_all("pre", **{"class": "form-body"})
        if not canonical or not canonical[0].text().startswith("biz_params={"):
            fail("%s: no canonical string" % method)
        elif "&method=%s&" % method not in canonical[0].text():
            fail("%s: the canonical string lacks method=%s" % (method, method))
        if not form or ("method=%s&" % method) not in form[0].text() or "sign=" not in form[0].text():
            fail("%s: no example form body" % method)
    nav = [a.text() for a in dom.find_all("nav")[0].find_all("a")] if dom.find_all("nav") else []
    for fn in payment["functions"]:
        if fn["method"] not in nav:
            fail("the service list lacks %s" % fn["method"])
    print("payment page: %d methods with request and response tables" % len(payment["functions"]))

    # ---- hostile doc comments stay text ----
    shop_dir = os.path.join(SOURCE, "tests", "data", "routes", "dir")
    dom, log = load_in_chromium(write_page(shop_dir, work, "shop.html"), work)
    if network_urls(log):
        fail("the shop page made network requests: %s" % sorted(network_urls(log)))
    for tag in ("script", "img", "b", "iframe", "link"):
        if dom.find_all(tag):
            fail("the DOM has a <%s> element: a doc comment was not escaped" % tag)
    text = dom.text()
    for written in ('<script>alert("doc")</script>', "<img src=x onerror=alert(1)>",
                    "<b>bold</b> name", "</table>"):
        if written not in text:
            fail("the doc text %r does not read as written" % written)
    for element in dom.find_all():
        for attribute in ("src", "href", "action", "srcset"):
            value = element.attrs.get(attribute)
            if value is not None and not value.startswith("#"):
                fail("<%s %s=%r> points outside the page" % (element.tag, attribute, value))
    print("shop page: doc comments escaped, no element loads anything")

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
