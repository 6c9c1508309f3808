"""The built pages, read in a real browser (Debian's Chromium) at a desktop and a phone width.

Each page fails on: an element wider than the content column that is not a deliberate scroll
box (code and outputs must wrap), an image without alt text, TeX left raw after MathJax ran,
text with less than 4.5:1 contrast against its background (in the light and the dark colour
mode), a console error, and a link to a page or anchor of the site that does not exist.

After `make book` (so in `make checks`) every page of `_build/html` is read. Without a built
site (`make test`, `.ci/run`), the `book_site` fixture (conftest.py) builds every page first,
unexecuted except chapter 1 (executed at smoke scale: outputs, a table, a figure), with the
book's configuration, style and diagrams.
"""

import re
from pathlib import Path

import pytest

from tests.browser import MISSING, Browser

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

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
        node.matches(".pst-scrollable-table-container, div.math, mjx-container, .tag_scroll-output *, .tag_scroll-output, div.text_html > pre"))
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
// Text a reader cannot make out: WCAG contrast below 4.5:1 between a text's colour and the
// background it sits on (the first ancestor whose background is mostly opaque, alpha > 0.5), in
// either colour mode.
const rgba = (text) => (text.match(/[\d.]+/g) || [0, 0, 0, 0]).map(Number).concat([1]).slice(0, 4);
const luminance = ([r, g, b]) => {
  const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
};
const backdrop = (el) => {
  for (let node = el; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour[3] > 0.5) return colour;
  }
  return [255, 255, 255, 1];
};
for (const el of article.querySelectorAll("*")) {
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own || el.closest("mjx-container, svg") || !el.getClientRects().length) continue;
  const style = getComputedStyle(el);
  if (style.visibility === "hidden" || Number(style.opacity) < 0.5) continue;
  const [l1, l2] = [luminance(rgba(style.color)), luminance(backdrop(el))].sort((a, b) => b - a);
  const ratio = (l1 + 0.05) / (l2 + 0.05);
  if (ratio < 4.5) problems.push(`low contrast ${ratio.toFixed(1)}:1: ` + describe(el));
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
def site(book_site):
    return book_site


def pages(site: Path) -> list[Path]:
    """The site's pages, without Sphinx's search and index pages and the root index.html,
    which only redirects to the landing page."""
    return sorted(
        p
        for p in site.rglob("*.html")
        if "_static" not in p.parts
        and p.name not in SKIP
        and 'http-equiv="Refresh"' not in p.read_text(errors="replace")[:2000]
    )


def page_problems(
    site: Path, width: int, only=None, dark: bool = False, browser=None, math_timeout: float = 20
) -> dict:
    """{page: [problem, ...]} for the pages of ``site`` (or the ``only`` ones) read at ``width``,
    in the light colour mode or (``dark``) the dark one; in ``browser`` if given (a window of
    that width), else in a new one."""
    if browser is None:
        with Browser(width=width, dark=dark) as browser:
            return page_problems(site, width, only, dark, browser, math_timeout)
    found = {}
    listed = only or pages(site)
    if dark:  # the reader's choice, stored as the theme's switch stores it, for every page
        browser.open(listed[0].as_uri())
        browser.run('localStorage.setItem("mode", "dark"); localStorage.setItem("theme", "dark")')
    for page in listed:
        browser.open(page.as_uri())
        if dark:
            assert browser.run("return document.documentElement.dataset.theme") == "dark"
        typeset = browser.wait_for(MATH_DONE, timeout=math_timeout)
        problems = list(browser.run(PAGE_PROBLEMS))
        if not typeset:
            problems.append("math: MathJax did not finish (is it served with the site?)")
        problems += [f"console error: {m[:200]}" for m in browser.console_errors()]
        if problems:
            found[str(page.relative_to(site))] = problems
    return found


def broken_links(site: Path, only=None) -> list[str]:
    broken = []
    for page in only or pages(site):
        html = page.read_text(errors="replace")
        for href in re.findall(r'href="([^"]+)"', html):
            if re.match(r"[a-z][a-z0-9+.-]*:", href) or href.startswith("#") and len(href) == 1:
                continue  # another site, mailto:, or the page's own top
            path, _, anchor = href.split("?")[0].partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href} (no such file)")
            elif anchor and f'id="{anchor}"' not in target.read_text(errors="replace"):
                broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    return broken


# Each page at a desktop width in the light mode and at a phone width in the dark one: what
# overflows depends on the width, what is hard to read on the colours, so two passes cover both.
@pytest.mark.parametrize("width, dark", [(1280, False), (390, True)], ids=["desktop", "phone-dark"])
def test_pages_read_cleanly_in_a_real_browser(site, width, dark):
    found = page_problems(site, width, dark=dark)
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in found.items())


def test_internal_links_point_to_pages_and_anchors_that_exist(site):
    broken = broken_links(site)
    assert not broken, "\n".join(broken[:30])


def test_each_kind_of_defect_is_caught(site, tmp_path):
    # A copy of the site with one defect at a time: each must be reported. One window per
    # width serves all the checks at that width.
    import shutil

    copy = tmp_path / "html"
    shutil.copytree(site, copy)
    chapter1 = copy / "chapters" / "01_tokenization.html"
    chapter5 = copy / "chapters" / "05_lstm.html"
    html1, html5 = chapter1.read_text(), chapter5.read_text()
    assert "book.css" in html1 and "<img" in html1 and "mathjax/tex-chtml.js" in html5

    def reported(browser, width, dark=False, page=chapter1):
        # MathJax typesets a chapter in well under a second here: no need to wait 20 s for the
        # page whose MathJax is missing
        found = page_problems(copy, width, [page], dark=dark, browser=browser, math_timeout=5)
        return found.get(str(page.relative_to(copy)), [])

    with Browser(width=390, dark=True) as phone:
        chapter1.write_text(html1.replace("book.css", "no-such-style.css"))  # outputs stop wrapping
        assert any("clipped" in p or "wider" in p for p in reported(phone, 390, dark=True))
        # dark ink that reads well on white but not on the dark theme's background
        chapter1.write_text(html1.replace("</article>", '<p style="color:#222">ink</p></article>'))
        assert any("low contrast" in p and "ink" in p for p in reported(phone, 390, dark=True))
    with Browser(width=1280) as desktop:
        assert not any("ink" in p for p in reported(desktop, 1280))  # fine in the light mode
        # an image of the article (the header's Colab logo is outside it)
        chapter1.write_text(
            re.sub(r'<img alt="[^"]*" src="../_images/', '<img src="../_images/', html1, count=1)
        )
        assert any("without alt" in p for p in reported(desktop, 1280))
        chapter1.write_text(
            html1.replace("</article>", '<p style="color:#777;background:#888">faint</p></article>')
        )
        assert any("low contrast" in p and "faint" in p for p in reported(desktop, 1280))
        chapter1.write_text(
            html1.replace("</body>", "<script>console.error('boom')</script></body>")
        )
        assert any("console error" in p for p in reported(desktop, 1280))
        chapter5.write_text(html5.replace("mathjax/tex-chtml.js", "mathjax/missing.js"))
        problems = reported(desktop, 1280, page=chapter5)
        # reported as MathJax not finishing, as raw TeX, or as the script that failed to load
        assert any(
            "MathJax did not finish" in p or "raw TeX" in p or "missing.js" in p for p in problems
        ), problems
    chapter1.write_text(html1.replace("</article>", '<a href="nowhere.html">x</a></article>'))
    assert broken_links(copy, [chapter1]) == [
        "chapters/01_tokenization.html: nowhere.html (no such file)"
    ]
