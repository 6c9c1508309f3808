"""A Sphinx extension with the book's page fixes (loaded through _config.yml's local_extensions).

sphinx-thebe adds its inline configuration script once per build reading, and a Jupyter Book
build registers it twice, so every page declared `const THEBE_JS_URL` twice: a SyntaxError in
each page's console. The page context keeps the first of identical scripts.
"""


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


def setup(app):
    app.connect("html-page-context", _unique_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
