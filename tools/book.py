"""Execute the chapters with papermill, then build the static site with Jupyter Book v1.

    python tools/book.py [--profile auto|smoke|full] [--chapters STEM ...] [--cache DIR]

Profiles: ``full`` runs each chapter with its parameters cell (course scale); ``smoke`` with
the small values in the nbmake mock metadata of that cell (the same values
``pytest --nbmake`` uses); ``auto`` picks ``full`` when TensorFlow sees a GPU and ``smoke``
otherwise, and says which. Executed copies go to ``_build/src`` (the git tree stays clean),
the site to ``_build/html`` (a strict build: any warning fails it), recorded results to
``$LABUTILS_BUILD_DIR/results.json`` and an execution report to ``execution.json`` beside it
(``LABUTILS_BUILD_DIR`` defaults to ``_build``).

With ``--cache DIR`` (or ``BOOK_CACHE``) a chapter is executed again only when its notebook,
its parameters, ``labutils``, the pinned dependencies, the profile or the data source changed;
otherwise its executed copy and recorded results are taken from the cache.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
STAGE = BUILD / "src"
# Everything besides the notebooks that the book's pages need, copied as is.
STATIC = ["_config.yml", "_toc.yml", "data/README.md", "_static/book.css", "_ext/book_pages.py"] + [
    str(path.relative_to(ROOT)) for path in sorted((ROOT / "_static" / "diagrams").glob("*.svg"))
]  # the diagrams the chapters show


def absolute_data_dir() -> None:
    """Make a relative ``LABUTILS_DATA_DIR`` absolute for the kernels this process starts: they
    run in the notebook's folder, where the same relative path names another place."""
    configured = os.environ.get("LABUTILS_DATA_DIR", "").strip()
    if configured:
        os.environ["LABUTILS_DATA_DIR"] = str(Path(configured).expanduser().resolve())


def use_build_dir(folder: Path | str) -> Path:
    """Make ``folder`` this process's build folder (results ledger, artifacts), also for the
    kernels it starts: the one place where ``LABUTILS_BUILD_DIR`` is set."""
    folder = Path(folder).resolve()
    os.environ["LABUTILS_BUILD_DIR"] = str(folder)
    return folder


def toc_files(root: Path = ROOT) -> list[str]:
    """Return the root and ``file:`` entries of ``_toc.yml`` in reading order (no suffixes)."""
    import yaml

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    yield node[key]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    return list(walk(yaml.safe_load((root / "_toc.yml").read_text())))


def notebooks(root: Path = ROOT) -> list[Path]:
    """Return every notebook of the book on disk: the landing page, the chapters and the
    appendix pages, sorted. (``chapter_paths`` gives the chapters in reading order.)"""
    return sorted(
        [
            *root.glob("*.ipynb"),
            *(root / "chapters").glob("*.ipynb"),
            *(root / "appendix").glob("*.ipynb"),
        ]
    )


def chapter_paths(root: Path = ROOT) -> list[Path]:
    """Return the chapter notebooks listed in ``_toc.yml``, in order."""
    return [root / f"{entry}.ipynb" for entry in toc_files(root) if entry.startswith("chapters/")]


def page_notebooks(root: Path = ROOT) -> list[Path]:
    """Return the other notebooks of the book (appendix pages), in ``_toc.yml`` order."""
    return [
        root / f"{entry}.ipynb"
        for entry in toc_files(root)
        if not entry.startswith("chapters/") and (root / f"{entry}.ipynb").exists()
    ]


def parameters_cell(notebook: Path) -> dict:
    """Return the single cell tagged ``parameters`` of ``notebook``."""
    import nbformat

    cells = [
        cell
        for cell in nbformat.read(notebook, as_version=4).cells
        if "parameters" in cell.metadata.get("tags", [])
    ]
    if len(cells) != 1:
        raise ValueError(
            f"{notebook.name} must have exactly one cell tagged 'parameters', has {len(cells)}."
        )
    return cells[0]


def parameter_names(notebook: Path) -> list[str]:
    """Return the names the parameters cell of ``notebook`` assigns, in order."""
    tree = ast.parse(parameters_cell(notebook).source)
    return [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Refuse parameter names that the chapter does not define (a typo would be ignored)."""
    if not parameters:  # nothing to check; pages without a parameters cell run as they are
        return
    known = parameter_names(notebook)
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise ValueError(
            f"{notebook.stem} has no parameter {', '.join(map(repr, unknown))}. "
            f"Its parameters are: {', '.join(known)}."
        )


def quiet_tensorflow() -> None:
    """Keep TensorFlow's C++ start-up messages out of the kernels this process starts (those
    that obey ``TF_CPP_MIN_LOG_LEVEL``: info and warnings); a value the user set wins."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def describe_run(profile: str, overrides: dict, notebook: Path | None = None) -> None:
    """Set the environment of the kernels this process starts next, for papermill
    (:func:`run_described`) and nbmake (``conftest.py``) alike: their profile and injected
    values (``LABUTILS_RUN``, read by :func:`labutils.env.run_descriptor`), TensorFlow's quiet
    start-up, and an absolute data folder. The one place a run's context is made."""
    from labutils.env import RUN_VARIABLE

    described = {"profile": profile, "overrides": overrides}
    if notebook is not None and overrides:  # what the parameters cell says, for the page's note
        defaults = parameter_defaults(notebook)
        described["as_written"] = {name: defaults[name] for name in overrides if name in defaults}
    os.environ[RUN_VARIABLE] = json.dumps(described, sort_keys=True)
    quiet_tensorflow()
    absolute_data_dir()


@contextlib.contextmanager
def run_described(profile: str, overrides: dict, notebook: Path | None = None):
    """Tell the kernels started inside this block their profile and injected values
    (:func:`describe_run`), and restore the variable afterwards."""
    from labutils.env import RUN_VARIABLE

    before = os.environ.get(RUN_VARIABLE)
    describe_run(profile, overrides, notebook)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(RUN_VARIABLE, None)
        else:
            os.environ[RUN_VARIABLE] = before


def smoke_parameters(notebook: Path) -> dict:
    """Return the smoke-profile values: the nbmake mock metadata of the parameters cell."""
    return dict(parameters_cell(notebook).metadata.get("nbmake", {}).get("mock", {}))


def choose_profile(requested: str) -> str:
    """Resolve ``auto`` to ``full`` (a GPU is visible) or ``smoke``, and say why."""
    if requested != "auto":
        print(f"Profile: {requested} (requested).")
        return requested
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        print(f"Profile: full (a GPU is visible: {gpus[0].name}).")
        return "full"
    print(
        "Profile: smoke, because TensorFlow sees no GPU here. The chapters run with the small "
        "values of their nbmake mock metadata. Use PROFILE=full for course scale."
    )
    return "smoke"


# A cell may run this long at smoke scale (nbmake's --nbmake-timeout too), and a kernel this
# long to start; at course scale a cell may take twice the chapter's whole recorded CPU run.
SMOKE_CELL_TIMEOUT = 600
START_TIMEOUT = 120


def parameter_defaults(notebook: Path) -> dict:
    """Return the literal values the parameters cell of ``notebook`` assigns (course scale)."""
    values = {}
    for node in ast.parse(parameters_cell(notebook).source).body:
        if isinstance(node, ast.Assign):
            with contextlib.suppress(ValueError):
                value = ast.literal_eval(node.value)
                values.update(
                    {target.id: value for target in node.targets if isinstance(target, ast.Name)}
                )
    return values


def cell_timeout(notebook: Path, profile: str, root: Path = ROOT) -> int:
    """Seconds one cell of ``notebook`` may run before the execution fails.

    At course scale: twice the wall time of the chapter's course-scale CPU record (a GPU is
    faster), scaled up when that record trained fewer epochs than the chapter, at least 20
    minutes; four hours for a chapter with no record yet. Elsewhere: ``SMOKE_CELL_TIMEOUT``.
    """
    if profile != "full":
        return SMOKE_CELL_TIMEOUT
    path = root / "benchmarks" / "results" / f"course-scale-{notebook.stem}.json"
    if not path.is_file():
        return 4 * 3600
    record = json.loads(path.read_text())
    seconds = record["wall_seconds"]
    epochs = record.get("overrides", {}).get("epochs")
    written = parameter_defaults(notebook).get("epochs") if epochs else None
    if epochs and isinstance(written, int) and written > epochs:
        seconds *= written / epochs
    return int(max(1200, 2 * seconds))


class ExecutionTimeout(RuntimeError):
    """A chapter's cell, or its kernel's start, took longer than its timeout."""


def execute(
    notebook: Path,
    output: Path,
    profile: str,
    extra: dict | None = None,
    kernel_name: str = "python3",
    timeout: int | None = None,
) -> float:
    """Execute ``notebook`` with papermill into ``output``; return the seconds it took.

    A cell running longer than ``timeout`` seconds (default: :func:`cell_timeout`), or a kernel
    that does not start within ``START_TIMEOUT``, fails with :class:`ExecutionTimeout`, which
    names the chapter."""
    import papermill

    parameters = smoke_parameters(notebook) if profile == "smoke" else {}
    parameters.update(extra or {})
    check_parameters(notebook, parameters)
    timeout = cell_timeout(notebook, profile) if timeout is None else timeout
    output.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        with run_described(profile, parameters, notebook):
            papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                cwd=str(notebook.parent),
                kernel_name=kernel_name,
                progress_bar=False,
                execution_timeout=timeout,
                start_timeout=START_TIMEOUT,
            )
    except (TimeoutError, RuntimeError) as error:
        # nbclient's CellTimeoutError is a TimeoutError; jupyter_client's kernel start gives up
        # with RuntimeError("Kernel didn't respond in ... seconds"). Other errors pass unchanged.
        if not isinstance(error, TimeoutError) and "didn't respond" not in str(error):
            raise
        raise ExecutionTimeout(
            f"{notebook.stem}: {type(error).__name__}: a cell ran longer than {timeout} s, or the "
            f"kernel did not start within {START_TIMEOUT} s ({profile} profile). The partly executed "
            f"copy is {output}."
        ) from error
    seconds = time.perf_counter() - start
    drop_log_noise(output)
    return seconds


# Lines that TensorFlow's C++ runtime (absl logging: "I0000 00:00:...", "W0000 ...") and tqdm
# (no ipywidgets) write to stderr on every start, and the warning Keras 3.15 gives on every
# fit() with a tf.data.Dataset because fit's default is shuffle=True (keras-team/keras#22777;
# our pipelines shuffle themselves). On the site they would be red boxes that say nothing about
# the chapter. Other Python warnings and errors are kept.
LOG_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\)"
    r"|[IWE]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.]+:\d+\] "
    r"|To enable the following instructions: .* rebuild TensorFlow"
    r"|.*TqdmWarning: IProgress not found|  from \.autonotebook import tqdm as notebook_tqdm$"
    r"|.*UserWarning: `shuffle=True` was passed, but will be ignored since the data `x` was "
    r"provided as a tf\.data\.Dataset|  self\.data_adapter = data_adapters\.get_data_adapter\($)"
)


def drop_log_noise(path: Path) -> int:
    """Remove runtime log lines (``LOG_NOISE``) from the stderr outputs of an executed notebook.

    Returns how many lines were removed; outputs left empty are dropped.
    """
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    removed = 0
    for cell in notebook.cells:
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                lines = output["text"].splitlines(keepends=True)
                kept = [line for line in lines if not LOG_NOISE.match(line)]
                removed += len(lines) - len(kept)
                if not "".join(kept).strip():
                    continue
                output["text"] = "".join(kept)
            outputs.append(output)
        if "outputs" in cell:
            cell["outputs"] = outputs
    nbformat.write(notebook, path)
    return removed


def cache_inputs(root: Path = ROOT) -> list[Path]:
    """The files besides the notebook that every executed copy depends on: the package and
    its versions, the course-scale records that chapters render into their prose, the build
    script and the book's configuration."""
    return [
        root / "pyproject.toml",
        root / "constraints.txt",
        root / "_config.yml",
        root / "tools" / "book.py",
        *sorted((root / "labutils").rglob("*.py")),
        *sorted((root / "benchmarks" / "results").glob("*.json")),
    ]


def cache_key(notebook: Path, profile: str, extra: dict | None = None, root: Path = ROOT) -> str:
    """Hash of everything a chapter's executed copy depends on."""
    digest = hashlib.sha256()
    digest.update(notebook.read_bytes())
    for path in cache_inputs(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    parameters = {**(smoke_parameters(notebook) if profile == "smoke" else {}), **(extra or {})}
    from labutils.data import source_mode

    source = source_mode()
    digest.update(json.dumps([profile, parameters, source], sort_keys=True).encode())
    return digest.hexdigest()[:20]


def execute_cached(
    notebook: Path, output: Path, profile: str, cache: Path | None, extra: dict | None = None
) -> tuple[float, bool]:
    """Execute ``notebook``, or restore its executed copy and results from ``cache``."""
    from labutils import results

    if cache is None:
        return execute(notebook, output, profile, extra), False
    slot = cache / f"{notebook.stem}-{cache_key(notebook, profile, extra)}"
    if (slot / "executed.ipynb").exists() and (slot / "entry.json").exists():
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(slot / "executed.ipynb", output)
        results.save_entry(notebook.stem, json.loads((slot / "entry.json").read_text()))
        return 0.0, True
    seconds = execute(notebook, output, profile, extra)
    entry = results.load().get(notebook.stem)
    if entry is not None:
        for old in cache.glob(f"{notebook.stem}-*"):
            shutil.rmtree(old)
        slot.mkdir(parents=True)
        shutil.copy2(output, slot / "executed.ipynb")
        (slot / "entry.json").write_text(json.dumps(entry, indent=2))
    return seconds, False


def run_one(
    notebook: Path, profile: str, cache: Path | None, extra: dict | None = None
) -> tuple[str, float | None]:
    """Execute one notebook into the staging folder; return its status and seconds."""
    output = STAGE / notebook.relative_to(ROOT)
    try:
        seconds, cached = execute_cached(notebook, output, profile, cache, extra)
    except Exception as error:  # keep going: every failing notebook is reported at the end
        print(f"FAILED {notebook.stem}: {type(error).__name__}: {error}", file=sys.stderr)
        return f"failed: {type(error).__name__}", None
    status = "cached" if cached else "executed"
    print(f"{status} {notebook.stem} ({profile}) in {seconds:.0f} s", flush=True)
    return status, round(seconds, 1)


def copy_static(destination: Path) -> None:
    """Copy what a site needs besides its pages (configuration, style, extension, diagrams)."""
    for name in STATIC:
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination / name)


def build_sources(source: Path, output: Path) -> subprocess.CompletedProcess:
    """Build the book sources in ``source`` into ``output/_build/html`` (not strict: for the
    tests' small sites); return the finished process, its output captured."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(jupyter_book), "build", str(source), "--path-output", str(output)],
        capture_output=True,
        text=True,
    )


def stage_static() -> None:
    for name in STATIC + [p for p in toc_files() if (ROOT / f"{p}.md").exists()]:
        source = ROOT / name if (ROOT / name).exists() else ROOT / f"{name}.md"
        target = STAGE / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def build_site() -> int:
    """Strict Jupyter Book build of the staged sources into ``_build/html``."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(jupyter_book) if jupyter_book.exists() else "jupyter-book",
        "build",
        str(STAGE),
        "--path-output",
        str(ROOT),
        "--builder",
        "html",
        "-n",
        "-W",
        "--keep-going",
    ]
    returncode = subprocess.run(command, cwd=ROOT).returncode
    if returncode == 0:
        publish_clean_sources()
    return returncode


def publish_clean_sources(html: Path = BUILD / "html") -> list[Path]:
    """Replace the executed copies that a page's download button offers (``_sources``) with the
    repository's clean notebooks: no outputs and the parameters cell as written, not the build's
    injected values. Returns the files replaced."""
    replaced = []
    for entry in toc_files():
        clean, offered = ROOT / f"{entry}.ipynb", html / "_sources" / f"{entry}.ipynb"
        if clean.is_file() and offered.is_file():
            shutil.copy2(clean, offered)
            replaced.append(offered)
    return replaced


def add_override_option(parser) -> None:
    """Add ``-p NAME VALUE`` (repeatable) to a command line: a parameter of a chapter, changed."""
    parser.add_argument(
        "-p",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="override a parameter (a Python literal); a name the chapter does not define is refused",
    )


def overrides_of(args) -> dict:
    """The ``-p`` values of parsed arguments as ``{name: value}`` (each a Python literal)."""
    return {name: ast.literal_eval(value) for name, value in args.p}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profile", default=os.environ.get("PROFILE") or "auto", choices=["auto", "smoke", "full"]
    )
    parser.add_argument("--chapters", nargs="*", help="chapter names to execute (default: all)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=os.environ.get("BOOK_CACHE") or None,
        help="execution cache folder (default: none, execute everything)",
    )
    parser.add_argument("--no-site", action="store_true", help="execute only; skip the site build")
    add_override_option(parser)
    args = parser.parse_args(argv)
    chapters = [p for p in chapter_paths() if not args.chapters or p.stem in args.chapters]
    overrides = overrides_of(args)
    for notebook in chapters:  # refuse a misspelt name before anything runs
        check_parameters(notebook, overrides)

    profile = choose_profile(args.profile)
    use_build_dir(os.environ.get("LABUTILS_BUILD_DIR") or BUILD)
    from labutils import results

    if not args.chapters:  # a full run: the ledger describes this run only
        results.ledger_path().unlink(missing_ok=True)
    if STAGE.exists():
        shutil.rmtree(STAGE)
    stage_static()
    report, failures = {"profile": profile, "overrides": overrides, "chapters": {}}, []
    results.ledger_path().parent.mkdir(parents=True, exist_ok=True)
    for notebook in chapters:
        status, seconds = run_one(notebook, profile, args.cache, overrides)
        report["chapters"][notebook.stem] = {"status": status, "seconds": seconds}
        failures += [notebook.stem] if status.startswith("failed") else []
    # The execution report first: the results page (an appendix notebook) reads it.
    (results.ledger_path().parent / "execution.json").write_text(json.dumps(report, indent=2))
    for notebook in page_notebooks():
        status, _ = run_one(notebook, "full", None)
        failures += [notebook.stem] if status.startswith("failed") else []
    if failures:
        print(
            f"{len(failures)} notebook(s) failed: {', '.join(failures)}; the executed copies "
            f"with the errors are in {STAGE}.",
            file=sys.stderr,
        )
        return 1
    return 0 if args.no_site else build_site()


if __name__ == "__main__":
    sys.exit(main())
