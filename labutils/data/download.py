"""Getting the real data: the cache folder, verified downloads, prepared TFDS datasets.

Introduced in chapter 1 (tokenization). Files are downloaded with pooch, which shows a
progress bar, writes to a temporary file and moves it into place only after its sha256 has
been checked, so an interrupted or corrupted download leaves no file under the dataset's name;
it works in ``<cache>/.partial-<pid>/``, which a later download sweeps once that process is
gone (a kernel killed mid-download leaves nothing for long). Downloaded files get the usual
permissions of the user's umask.

The rules: a file already in the cache that fails its checksum, or a cache entry that is not
a regular file, is refused with :class:`ChecksumError` (the user must act). A download that
cannot be had (unreachable host, HTTP error, broken response) raises
:class:`DataUnavailableError`; one whose content is not the registered file raises
:class:`RefusedDownloadError`, which is both. The loaders turn ``DataUnavailableError`` into a
labelled fallback to the samples in ``auto`` mode and let it through in ``real`` mode. In
``sample`` mode nothing real is read or downloaded, at any entry point. ``LABUTILS_DATA_MIRROR``
is validated before use. A prepared TFDS split is verified (:func:`verify_prepared`) before the
loaders read it, and a damaged one is refused with :class:`ChecksumError`.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

from .registry import FileDataset, TfdsDataset, get

DATA_DIR_VARIABLE = "LABUTILS_DATA_DIR"
SOURCE_VARIABLE = "LABUTILS_DATA_SOURCE"
MIRROR_VARIABLE = "LABUTILS_DATA_MIRROR"
SOURCES = ("auto", "real", "sample")
CONNECT_TIMEOUT = 5.0  # seconds to decide that a host cannot be reached


class DataUnavailableError(RuntimeError):
    """The real data is neither in the cache nor downloadable from here."""


class ChecksumError(RuntimeError):
    """A file's sha256 differs from the registry's: the file is refused."""


class RefusedDownloadError(DataUnavailableError, ChecksumError):
    """A download arrived but is not the registered file (a captive portal's page, a changed
    source): nothing was saved. It is a :class:`DataUnavailableError`, so ``auto`` mode falls
    back to the samples with a banner saying so, and a :class:`ChecksumError`."""


def cache_root() -> Path:
    """Return the folder that holds downloaded data.

    ``LABUTILS_DATA_DIR`` when it is set (for example the book's offline data mirror),
    otherwise a per-user cache folder (``~/.cache/labutils`` on Linux).

    Examples
    --------
    >>> cache_root().is_absolute()
    True
    """
    configured = os.environ.get(DATA_DIR_VARIABLE, "").strip()
    if configured:
        return _resolved_once(configured)
    import pooch

    return Path(pooch.os_cache("labutils"))


_RESOLVED: dict[str, Path] = {}


def _resolved_once(configured: str) -> Path:
    """A relative ``LABUTILS_DATA_DIR`` means relative to where this process started using it,
    not to wherever the working directory is at a later call."""
    if configured not in _RESOLVED:
        _RESOLVED[configured] = Path(configured).expanduser().resolve()
    return _RESOLVED[configured]


def source_mode() -> str:
    """Return where loaders take data from: ``auto``, ``real`` or ``sample``.

    Read from ``LABUTILS_DATA_SOURCE`` (default ``auto``): ``auto`` uses the real data when
    it is cached or downloadable and otherwise the synthetic samples, announced by a banner;
    ``real`` never falls back (the publishing build uses it); ``sample`` always uses samples.

    Examples
    --------
    >>> source_mode() in ("auto", "real", "sample")
    True
    """
    mode = os.environ.get(SOURCE_VARIABLE, "auto").strip().lower() or "auto"
    if mode not in SOURCES:
        raise ValueError(
            f"{SOURCE_VARIABLE}={os.environ[SOURCE_VARIABLE]!r} is not a data source. "
            f"Use one of: {', '.join(SOURCES)} (or leave it unset for 'auto')."
        )
    return mode


def source_url(entry: FileDataset) -> str:
    """Return where ``entry`` is downloaded from: its canonical URL, or a mirror's copy.

    ``LABUTILS_DATA_MIRROR`` names a base URL that serves the files by their cache names
    (for example a course's or a company's own copy, or the book's tests' local server);
    whatever the source, the download is verified against the registry's sha256.

    Examples
    --------
    >>> from labutils.data.registry import get
    >>> source_url(get("sonnets")).endswith("/sonnets.txt")
    True
    """
    mirror = os.environ.get(MIRROR_VARIABLE, "").strip()
    if not mirror:
        return entry.url
    check_mirror(mirror)
    return f"{mirror.rstrip('/')}/{entry.filename}"


def check_mirror(mirror: str) -> None:
    """Refuse a ``LABUTILS_DATA_MIRROR`` that cannot be a base URL, naming what is wrong.

    Examples
    --------
    >>> check_mirror("https://example.org/datasets/")
    >>> check_mirror("example.org/datasets")
    Traceback (most recent call last):
    ...
    ValueError: LABUTILS_DATA_MIRROR='example.org/datasets' is not a usable base URL: it has no http:// or https:// scheme. Set it to a folder on a web server, for example LABUTILS_DATA_MIRROR=https://example.org/datasets/ (or unset it to use the datasets' own URLs).
    """
    parts = urlsplit(mirror)
    problem = None
    if parts.scheme not in ("http", "https"):
        problem = (
            f"its scheme is {parts.scheme}://, but only http:// and https:// are downloaded"
            if parts.scheme and parts.netloc
            else "it has no http:// or https:// scheme"
        )
    elif not parts.hostname:
        problem = "it names no host"
    else:
        try:
            _ = parts.port  # raises for a port out of range
        except ValueError as error:
            problem = f"its port is not valid ({error})"
    if problem:
        raise ValueError(
            f"{MIRROR_VARIABLE}={mirror!r} is not a usable base URL: {problem}. Set it to a folder "
            f"on a web server, for example {MIRROR_VARIABLE}=https://example.org/datasets/ (or "
            "unset it to use the datasets' own URLs)."
        )


def sha256sum(path: Path) -> str:
    """Return the hex sha256 digest of the file at ``path``."""
    import pooch

    return pooch.file_hash(str(path), alg="sha256")


def fetch(name: str, *, timeout: float = 60.0) -> Path:
    """Return the path of a registered file, downloading and verifying it if needed.

    A cached file is used only if its sha256 matches the registry; a new download is
    written to a temporary file and moved into the cache only after it is verified.

    Raises
    ------
    ChecksumError
        The cached or downloaded file is not the registered one (it is not used).
    DataUnavailableError
        The file is not cached and cannot be downloaded; the message says how to fix it.

    Examples
    --------
    >>> path = fetch("sonnets")  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'sonnets.txt'
    """
    entry = get(name)
    if not isinstance(entry, FileDataset):
        raise TypeError(f"{name!r} is not a single-file dataset; use its loader instead.")
    _refuse_in_sample_mode(name)
    root = cache_root()
    path = root / entry.filename
    if path.exists() or path.is_symlink():
        if not path.is_file():  # a folder, a pipe (which would hang the hash), a broken link
            raise ChecksumError(
                f"Refusing {path}: it is not a regular file, so it cannot be dataset {name!r}. "
                f"Remove it to download the file again from {entry.url}, or point "
                f"{DATA_DIR_VARIABLE} at a folder holding the right file."
            )
        try:
            actual = sha256sum(path)
        except PermissionError as error:  # e.g. a cache another user prepared, mode 0600
            raise DataUnavailableError(
                f"Dataset {name!r} is in the data cache, but {path} cannot be read: permission "
                f"denied. Ask its owner to make it readable (chmod a+r {path}), or set "
                f"{DATA_DIR_VARIABLE} to a folder of your own, where it is downloaded once."
            ) from error
        if actual != entry.sha256:
            raise ChecksumError(
                f"Refusing {path}: its sha256 is {actual}, but dataset {name!r} must have "
                f"{entry.sha256}. The file is damaged or is a different version. Delete it "
                f"to download it again from {entry.url}, or point {DATA_DIR_VARIABLE} at a "
                "folder holding the right file."
            )
        return path
    if not reachable(source_url(entry)):
        raise DataUnavailableError(_unavailable_message(entry, root, "the host cannot be reached"))
    return _download(entry, root, timeout)


PARTIAL_PREFIX = ".partial-"  # a download in progress: <cache>/.partial-<pid>/


def sweep_partial_downloads(root: Path) -> list[Path]:
    """Remove the folders of downloads whose process no longer runs (killed with SIGKILL, or
    a kernel restarted mid-download: Python's own clean-up never ran). A download still in
    progress in another process is left alone. Returns what was removed."""
    import shutil

    removed = []
    for folder in root.glob(f"{PARTIAL_PREFIX}*"):
        try:
            os.kill(int(folder.name.removeprefix(PARTIAL_PREFIX)), 0)
            continue  # that process is alive
        except ProcessLookupError:
            pass
        except (ValueError, PermissionError):
            continue  # not ours to judge
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _download(entry: FileDataset, root: Path, timeout: float) -> Path:
    import shutil

    import pooch
    import requests

    downloader = pooch.HTTPDownloader(progressbar=True, timeout=(CONNECT_TIMEOUT, timeout))
    url = source_url(entry)
    root.mkdir(parents=True, exist_ok=True)
    sweep_partial_downloads(root)
    # pooch writes a temporary file and moves it into place once verified; it does so in a
    # folder named after this process, so a download killed half-way is recognised and swept.
    partial = root / f"{PARTIAL_PREFIX}{os.getpid()}"
    try:
        verified = Path(
            pooch.retrieve(
                url,
                known_hash=f"sha256:{entry.sha256}",
                fname=entry.filename,
                path=partial,
                downloader=downloader,
            )
        )
        target = root / entry.filename
        os.replace(verified, target)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(target, 0o666 & ~umask)  # as any file this user makes (the temporary was 0600)
        return target
    except requests.RequestException as error:
        # First: requests' InvalidURL, MissingSchema and InvalidSchema are ValueErrors too.
        status = getattr(getattr(error, "response", None), "status_code", None)
        reason = (
            f"the server answered HTTP {status}"
            if status
            else f"the download failed ({type(error).__name__}: {error})"
        )
        raise DataUnavailableError(_unavailable_message(entry, root, reason)) from error
    except ValueError as error:
        if "hash" not in str(error).lower():  # e.g. a Content-Length that is not a number
            reason = f"the download failed ({type(error).__name__}: {error})"
            raise DataUnavailableError(_unavailable_message(entry, root, reason)) from error
        # pooch's hash mismatch: the content arrived but is not the registered file (a captive
        # portal's login page, a changed source). It was discarded.
        raise RefusedDownloadError(
            _unavailable_message(
                entry,
                root,
                f"the content downloaded from {url} was refused, since it is not the "
                f"registered file ({error}); nothing was saved. If the source changed, please report it",
            )
        ) from error
    except OSError as error:
        reason = f"the download failed ({type(error).__name__}: {error})"
        raise DataUnavailableError(_unavailable_message(entry, root, reason)) from error
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def reachable(url: str, timeout: float = CONNECT_TIMEOUT) -> bool:
    """Return whether a TCP connection to ``url``'s host opens within ``timeout`` seconds.

    Where the standard proxy variables (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, and
    ``NO_PROXY`` for exceptions) send ``url`` through a proxy, as ``requests`` (and so the
    download) will, the proxy's host is the one that must answer. Name lookup runs in a helper
    thread so that an offline machine with a slow resolver still gets its answer within
    ``timeout``.
    """
    import requests

    proxies = requests.utils.get_environ_proxies(url)
    proxy = proxies.get(urlsplit(url).scheme) or proxies.get("all")
    if proxy:
        url = proxy if "://" in proxy else f"http://{proxy}"
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    outcome: list[bool] = []

    def connect() -> None:
        try:
            with socket.create_connection((parts.hostname, port), timeout=timeout):
                outcome.append(True)
        except OSError:
            outcome.append(False)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(outcome and outcome[0])


TFRECORD_FRAMING = 16  # bytes around each record in a TFRecord file: length, and two CRCs


def verify_prepared(builder, name: str, split: str) -> None:
    """Check a prepared TFDS ``split`` before it is read: its ``dataset_info.json`` parses, every
    shard it lists exists, their sizes add up to what TFDS recorded (``numBytes`` plus the
    TFRecord framing of each example), and every record passes its CRC (one read of the files).

    Raises
    ------
    ChecksumError
        Naming the dataset, the folder and the fix. Without this check a truncated test shard
        returned normally and failed after 14,883 examples, in the middle of ``fit``.
    """
    import json

    import tensorflow as tf

    folder = Path(builder.data_dir)
    fix = _prepare_again(folder)
    try:
        info = json.loads((folder / "dataset_info.json").read_text())
        splits = {entry["name"]: entry for entry in info["splits"]}
        shard_lengths = [int(n) for n in splits[split]["shardLengths"]]
        recorded_bytes = int(splits[split]["numBytes"])
        file_format = info.get("fileFormat", "tfrecord")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ChecksumError(
            f"The prepared dataset {name!r} in {folder} cannot be used: its "
            f"dataset_info.json does not describe split {split!r} "
            f"({type(error).__name__}: {error}). {fix}"
        ) from error
    shards = [
        folder / f"{info['name']}-{split}.{file_format}-{i:05d}-of-{len(shard_lengths):05d}"
        for i in range(len(shard_lengths))
    ]
    missing = [shard.name for shard in shards if not shard.is_file()]
    if missing:
        raise ChecksumError(
            f"The prepared dataset {name!r} in {folder} lacks {', '.join(missing)}. {fix}"
        )
    expected = recorded_bytes + TFRECORD_FRAMING * sum(shard_lengths)
    actual = sum(shard.stat().st_size for shard in shards)
    if file_format == "tfrecord" and actual != expected:
        raise ChecksumError(
            f"The prepared dataset {name!r} in {folder}: the {split} shards hold "
            f"{actual:,} bytes, but TFDS recorded {expected:,} (a truncated or "
            f"damaged file). {fix}"
        )
    if file_format == "tfrecord":
        try:
            files = tf.data.TFRecordDataset([str(s) for s in shards], buffer_size=1 << 22)
            records = int(files.reduce(0, lambda count, _: count + 1))  # reads every record once
        except tf.errors.OpError as error:  # DataLossError: a record whose CRC does not match
            raise ChecksumError(
                f"The prepared dataset {name!r} in {folder}: a record of the {split} "
                f"split is corrupted ({type(error).__name__}). {fix}"
            ) from error
        if records != sum(shard_lengths):
            raise ChecksumError(
                f"The prepared dataset {name!r} in {folder}: the {split} split has "
                f"{records:,} records, TFDS recorded {sum(shard_lengths):,}. {fix}"
            )


def tfds_builder(name: str):
    """Return a prepared TFDS builder for a registered TFDS dataset.

    Reads from ``<cache root>/tensorflow_datasets``; when the dataset is not prepared there
    and its source is reachable, TFDS downloads and prepares it (once).

    Raises
    ------
    DataUnavailableError
        Not prepared and not downloadable from here.
    ChecksumError
        TFDS downloaded an archive whose checksum differs from the one it registers; nothing
        is prepared from it (refused even in ``auto`` mode, like a file with a wrong sha256).
    """
    entry = get(name)
    if not isinstance(entry, TfdsDataset):
        raise TypeError(f"{name!r} is not a TensorFlow Datasets dataset.")
    import tensorflow_datasets as tfds

    # Not exported by tfds.download; TFDS raises it when an archive is not the registered one.
    from tensorflow_datasets.core.download.download_manager import NonMatchingChecksumError

    _refuse_in_sample_mode(name)
    root = cache_root()
    try:
        builder = tfds.builder(entry.tfds_name, data_dir=str(root / "tensorflow_datasets"))
        prepared = builder.is_prepared()
    except Exception as error:  # a broken dataset_info.json: JSON and protobuf parse errors
        folder = root / "tensorflow_datasets" / entry.tfds_name.replace(":", "/")
        raise ChecksumError(
            f"The prepared dataset {name!r} under {folder} cannot be read: its dataset_info.json "
            f"is broken ({type(error).__name__}: {error}). {_prepare_again(folder)}"
        ) from error
    if prepared:
        return builder
    if not reachable(entry.url):
        raise DataUnavailableError(_unavailable_message(entry, root, "the host cannot be reached"))
    try:
        builder.download_and_prepare()
    except NonMatchingChecksumError as error:
        raise RefusedDownloadError(
            _unavailable_message(
                entry,
                root,
                f"the archive downloaded from {entry.url} was refused, since its checksum "
                f"is not the one TensorFlow Datasets registers; nothing was prepared. If the source "
                f"changed, please report it ({error})",
            )
        ) from error
    except Exception as error:  # TFDS raises many kinds; all mean "not available"
        reason = f"TFDS could not prepare it ({type(error).__name__}: {error})"
        raise DataUnavailableError(_unavailable_message(entry, root, reason)) from error
    return builder


def _prepare_again(folder: Path) -> str:
    return (
        f"Delete {folder} to prepare it again (it is downloaded and verified once), or point "
        f"{DATA_DIR_VARIABLE} at a folder holding a good copy."
    )


def _refuse_in_sample_mode(name: str) -> None:
    if source_mode() == "sample":
        raise DataUnavailableError(
            f"{SOURCE_VARIABLE}=sample: the real {name!r} is neither read nor downloaded. Unset "
            f"{SOURCE_VARIABLE} (or set it to auto or real) to use the real data."
        )


def _unavailable_message(entry: FileDataset | TfdsDataset, root: Path, reason: str) -> str:
    if isinstance(entry, FileDataset):
        wanted = f"the file {entry.filename} (sha256 {entry.sha256})"
    else:
        wanted = (
            f"the prepared TFDS dataset tensorflow_datasets/{entry.tfds_name.replace(':', '/')}"
        )
    return (
        f"Dataset {entry.name!r} is not in the data cache {root} and cannot be downloaded: "
        f"{reason}. Source: {source_url(entry) if isinstance(entry, FileDataset) else entry.url}"
        + (f" (expected sha256 {entry.sha256})" if entry.sha256 else "")
        + ". To fix this, either connect to the internet and run again (it is downloaded "
        f"and verified once), or set {DATA_DIR_VARIABLE} to a folder holding {wanted}. "
        f"To run on synthetic sample data instead, set {SOURCE_VARIABLE}=sample."
    )
