"""A real browser for page tests: Debian's Chromium, driven through chromedriver's W3C WebDriver
HTTP API (a few JSON requests; nothing is downloaded). Used by tests/test_browser.py.

    with Browser(width=1280) as browser:
        browser.open("file:///.../index.html")
        browser.run("return document.title")
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import requests

CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = (
    None
    if CHROMIUM and CHROMEDRIVER
    else "Debian's chromium and chromium-driver are needed: apt-get install chromium chromium-driver"
)
# Where the browser must be there (CI sets LABUTILS_REQUIRE_BROWSER=1), a missing one is a
# failure, not a skip.
if MISSING and os.environ.get("LABUTILS_REQUIRE_BROWSER"):
    raise RuntimeError(MISSING)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One headless Chromium window of ``width`` x ``height`` CSS pixels."""

    def __init__(self, width: int, height: int = 900, dark: bool = False):
        self.width, self.height, self.dark = width, height, dark

    def __enter__(self) -> Browser:
        port = _free_port()
        self.driver = subprocess.Popen(
            [CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"http://127.0.0.1:{port}"
        for _ in range(100):  # chromedriver starts in well under a second
            try:
                requests.get(f"{self.url}/status", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--window-size={self.width},{self.height}",
            "--force-device-scale-factor=1",
        ]  # fmt: skip
        if self.dark:
            arguments.append("--force-dark-mode")
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": arguments},
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        reply = requests.post(
            f"{self.url}/session",
            json={"capabilities": {"alwaysMatch": capabilities}},
            timeout=60,
        ).json()["value"]
        if "sessionId" not in reply:
            self.driver.kill()
            raise RuntimeError(f"chromedriver refused the session: {reply}")
        self.session = f"{self.url}/session/{reply['sessionId']}"
        return self

    def __exit__(self, *exc) -> None:
        try:
            requests.delete(self.session, timeout=10)
        finally:
            self.driver.kill()
            self.driver.wait()

    def _call(self, method: str, path: str, payload=None):
        reply = requests.request(method, f"{self.session}{path}", json=payload, timeout=120).json()
        value = reply.get("value")
        if isinstance(value, dict) and "error" in value:
            raise RuntimeError(
                f"WebDriver {path}: {value['error']}: {value.get('message', '')[:300]}"
            )
        return value

    def open(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})

    def run(self, script: str, *args):
        """Run JavaScript in the page (a function body: ``return ...``) and return its value."""
        return self._call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait_for(self, script: str, timeout: float = 20.0):
        """Run ``script`` until it returns something truthy; return that, or None on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.run(script)
            if value:
                return value
            time.sleep(0.1)
        return None

    def console_errors(self) -> list[str]:
        """The page's console messages of level SEVERE since the last call (chromedriver's log)."""
        entries = self._call("POST", "/se/log", {"type": "browser"}) or []
        return [entry["message"] for entry in entries if entry.get("level") == "SEVERE"]
