"""The built site's pages: their Colab links and the results page (conftest.py's ``book_site``,
shared with the browser tests, which run in the same pytest-xdist worker group)."""

import re

import yaml

from tools import book, colab

ROOT = book.ROOT
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def test_colab_launch_urls_match_the_notebook_paths_and_only_where_they_run(book_site):
    # Every page of the site (conftest.py's book_site) and its Colab link: the notebook's own
    # path on the configured branch, and only on notebooks with the Colab install cell (the
    # results page reads a build's ledger, which Colab does not have).
    repository = CONFIG["repository"]["url"].removeprefix("https://github.com/")
    listed = [
        ROOT / f"{entry}.ipynb" for entry in book.toc_files() if (ROOT / f"{entry}.ipynb").exists()
    ]
    runs_in_colab = set(colab.notebooks())
    assert len(listed) >= 3 and ROOT / "appendix" / "results.ipynb" in set(listed) - runs_in_colab
    for path in listed:
        relative = path.relative_to(ROOT).with_suffix("")
        html = (book_site / relative).with_suffix(".html").read_text()
        links = set(re.findall(r'https://colab\.research\.google\.com/github/[^"]+', html))
        expected = (
            f"https://colab.research.google.com/github/{repository}/blob/"
            f"{CONFIG['repository']['branch']}/{relative}.ipynb"
        )
        assert links == ({expected} if path in runs_in_colab else set()), (path.name, links)


def test_results_page_of_the_site_renders_its_tables_and_links(book_site):
    # conftest.py's site executed the results page after chapter 1: MyST-NB must render the
    # generated Markdown as a table (its default, CommonMark, has none) and the chapter's
    # title as a link to its page (the browser test checks that every link resolves).
    from labutils import report

    page = (book_site / "appendix" / "results.html").read_text()
    title = report.chapter_titles(ROOT / "chapters")["01_tokenization"]
    assert re.search(r"<td[^>]*>\s*(<p>)?<a[^>]*href=\"../chapters/01_tokenization.html\"", page), (
        "the results table does not link chapter 1"
    )
    assert f"<h3>{title}" in page or title.split(":")[0] in page
    assert "Headline numbers by kind" in page
    # chapter 1 records counts and shares only: a sentence says so, and no empty chart's
    # caption stands alone (MyST-NB wraps any output of a cell with figure metadata)
    assert "No chapter of this run recorded a headline accuracy or perplexity" in page
    assert "Headline accuracies of this run" not in page
