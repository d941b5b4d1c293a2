"""Headless Chromium, driven by Selenium, for tests that look at HTML the way a reader does.

Uses Debian's chromium and chromium-driver (`bash .ci/setup.sh system` installs them) and the
selenium package (`bash .ci/setup.sh python`); nothing is downloaded. A missing piece fails the
test with the command that installs it: it never skips. The `browser` fixture in conftest.py
opens one browser per test session.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@contextmanager
def headless_chromium(width: int = 1280, height: int = 1000) -> Iterator["object"]:
    """A selenium.webdriver.Chrome on Debian's headless Chromium, quit on exit."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        pytest.fail(f"{' and '.join(missing)} missing: run `bash .ci/setup.sh system` (installs Debian's "
                    "chromium and chromium-driver)", pytrace=False)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is not installed: run `bash .ci/setup.sh python`", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={width},{height}"):
        options.add_argument(argument)
    # An explicit driver path: Selenium Manager (which would download one) is never used.
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
