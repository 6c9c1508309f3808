"""The built pages, read in a real browser (Debian's Chromium) at a desktop and a phone width.

Each page fails on: an element wider than the content column that is not a deliberate scroll
box (code and outputs must wrap), an image without alt text, TeX left raw after MathJax ran, a
console error, and a link to a page or anchor of the site that does not exist.

After `make book` (so in `make checks`) every page of `_build/html` is read. Without a built
site (`make test`, `.ci/run`), a small site is built first: chapter 1 executed at smoke scale (a
real page with code, outputs, a table and a figure) and chapter 5 (math), with the book's
configuration and style.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import MISSING, Browser
from tools.book import ROOT, STATIC, execute

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

BUILT = ROOT / "_build" / "html"
SKIP = {"search.html", "genindex.html"}

# Run in the page once MathJax (if any) has typeset: every problem as "kind: detail".
PAGE_PROBLEMS = r"""
const article = document.querySelector("article.bd-article");
if (!article) return ["layout: no article element"];
const right = article.getBoundingClientRect().right + 1;
const problems = [];
const scrollBox = (el) => {
  for (let node = el; node && node !== article; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (["auto", "scroll"].includes(style.overflowX) &&
        node.matches(".pst-scrollable-table-container, div.math, .MathJax_Display, .tag_scroll-output *, .tag_scroll-output"))
      return true;
  }
  return false;
};
const describe = (el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "")
  + ": " + (el.textContent || "").trim().slice(0, 60);
for (const el of article.querySelectorAll("*")) {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || scrollBox(el)) continue;
  if (box.right > right) { problems.push("wider than the column: " + describe(el)); continue; }
  if (el.tagName === "PRE" && el.scrollWidth > el.clientWidth + 1)
    problems.push("clipped: " + describe(el));
}
for (const img of document.querySelectorAll("article img")) {
  const alt = (img.getAttribute("alt") || "").trim();
  if (!alt || /\.(png|svg|jpe?g|gif)$/i.test(alt) || alt.includes("/"))
    problems.push("image without alt text: " + img.getAttribute("src"));
}
for (const el of article.querySelectorAll("span.math, div.math")) {
  if (!el.querySelector("mjx-container") && /\\\(|\\\[|\$\$/.test(el.textContent))
    problems.push("raw TeX: " + el.textContent.trim().slice(0, 60));
}
return problems.slice(0, 20);
"""
MATH_DONE = r"""
if (!document.querySelector("span.math, div.math")) return true;
if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return false;
if (window.__typeset === undefined) {
  window.__typeset = false;
  MathJax.startup.promise.then(() => { window.__typeset = true; });
}
return window.__typeset;
"""


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    """The folder of a built site: `_build/html` after `make book`, else a small one built now."""
    if request.config.getoption("--check-results") and (BUILT / "index.html").is_file():
        return BUILT
    folder = tmp_path_factory.mktemp("browser-site")
    source = folder / "src"
    (source / "chapters").mkdir(parents=True)
    for name in STATIC:
        if name != "_toc.yml":
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    (source / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/01_tokenization\nchapters:\n  - file: chapters/05_lstm\n"
    )
    chapter = ROOT / "chapters" / "01_tokenization.ipynb"
    execute(chapter, source / "chapters" / chapter.name, "smoke")
    shutil.copy2(ROOT / "chapters" / "05_lstm.ipynb", source / "chapters" / "05_lstm.ipynb")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    built = subprocess.run(
        [str(jupyter_book), "build", str(source), "--path-output", str(folder)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-2000:]
    return folder / "_build" / "html"


def pages(site: Path) -> list[Path]:
    return sorted(
        p for p in site.rglob("*.html") if "_static" not in p.parts and p.name not in SKIP
    )


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_pages_read_cleanly_in_a_real_browser(site, width):
    found = {}
    with Browser(width=width) as browser:
        for page in pages(site):
            browser.open(page.as_uri())
            typeset = browser.wait_for(MATH_DONE, timeout=20)
            problems = list(browser.run(PAGE_PROBLEMS))
            if not typeset:
                problems.append("math: MathJax did not finish (is it served with the site?)")
            problems += [f"console error: {m[:200]}" for m in browser.console_errors()]
            if problems:
                found[str(page.relative_to(site))] = problems
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in found.items())


def test_internal_links_point_to_pages_and_anchors_that_exist(site):
    broken = []
    for page in pages(site):
        html = page.read_text(errors="replace")
        for href in re.findall(r'href="([^"]+)"', html):
            if re.match(r"[a-z][a-z0-9+.-]*:", href) or href.startswith("#") and len(href) == 1:
                continue  # another site, mailto:, or the page's own top
            path, _, anchor = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href} (no such file)")
            elif anchor and f'id="{anchor}"' not in target.read_text(errors="replace"):
                broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken[:30])
