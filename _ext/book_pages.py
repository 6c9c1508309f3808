"""A Sphinx extension with the book's page fixes (loaded through _config.yml's local_extensions).

sphinx-thebe adds its inline configuration script once per build reading, and a Jupyter Book
build registers it twice, so every page declared `const THEBE_JS_URL` twice: a SyntaxError in
each page's console. The page context keeps the first of identical scripts.

sphinx-book-theme puts a Colab button on every notebook page. A page can only run in Colab if
it installs the book's helper package there, so the button stays only on notebooks that carry
the Colab install cell (``tools/colab.py``; the results page, which reads a build's ledger,
has none).
"""

import json
from pathlib import Path

# The line of every Colab install cell (tools/colab.py's template) that starts its work.
COLAB_CELL = 'if "google.colab" in sys.modules:'


def _unique_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        # the same inline script is registered once with filename None and once with ""
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"][:] = kept


def _launch_only_where_it_runs(app, pagename, templatename, context, doctree):
    source = Path(app.env.doc2path(pagename)) if pagename in app.env.all_docs else None
    if source is None or source.suffix != ".ipynb":
        return
    cells = json.loads(source.read_text())["cells"]
    if any(COLAB_CELL in "".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"):
        return
    buttons = context.get("header_buttons", [])
    buttons[:] = [group for group in buttons if group.get("label") != "launch-buttons"]


def setup(app):
    app.connect("html-page-context", _unique_scripts, priority=100)
    # after sphinx-book-theme adds the launch buttons (priority 501), before the page renders
    app.connect("html-page-context", _launch_only_where_it_runs, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
