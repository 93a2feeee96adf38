"""Retake docs/screenshots from the real main job: `matchmaker demo` on a scratch data directory,
served on a free port, visited in Debian's headless Chromium as each demo account would.

    python scripts/take_screenshots.py [--out docs/screenshots] [--lang vi|en]

Needs the dev install (Playwright) and `apt-get install chromium`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo"  # the demo accounts' password (matchmaker demo prints them)
WIDTH = 1280


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_demo(data: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "MATCHMAKER_DATA_DIR": str(data)}
    env.pop("MATCHMAKER_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from matchmaker.cli import main; main()", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600  # the first demo embeds every profile
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("matchmaker demo stopped before serving")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(1)
    process.kill()
    raise SystemExit("matchmaker demo did not answer within 10 minutes")


def _sign_in(page, site: str, role: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/login")
    page.fill("#email", f"{role}@demo.vn")
    page.fill("#password", PASSWORD)
    page.click("form.stacked button")
    page.wait_for_load_state()


def take(site: str, out: Path, lang: str, scratch: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(f"{site}/lang/{lang}")

        def shot(name: str, height: int = 2400) -> None:
            """The page down to `height` pixels (a whole event's agenda list is 10,000)."""
            path = out / f"{name}.png"
            full = page.evaluate("document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": WIDTH, "height": min(full, height)}
            page.screenshot(path=str(path), full_page=True, clip=clip)
            shots.append(path)

        page.goto(f"{site}/search?q=đúc áp lực nhôm cho xe máy")
        shot("search")

        _sign_in(page, site, "buyer")
        page.goto(f"{site}/requirements/R01")
        shot("requirement")
        page.goto(f"{site}/dashboard")
        shot("dashboard")

        _sign_in(page, site, "supplier")
        own = page.locator("#my-profile").get_attribute("href").removesuffix("/edit")
        page.goto(site + own)
        shot("supplier-profile")

        _sign_in(page, site, "officer")
        bad = scratch / "nha-cung-ung.csv"
        bad.write_text(
            "id,name,employees,province\n"
            "0109998883,Công ty TNHH Cơ khí Tân Tiến,120,Bắc Giang\n"
            "0109998884,,35,Hà Nội\n"
            "0109998885,Cơ khí Hòa Bình,khoảng 50,Hải Dương\n",
            encoding="utf-8",
        )
        page.goto(f"{site}/import")
        page.set_input_files("#file", str(bad))
        page.click("#import-check-button")
        page.wait_for_selector("#import-errors")
        shot("import-errors")
        page.goto(f"{site}/records")
        shot("records")
        pair = page.locator("#duplicate-pairs a[href^='/suppliers/']")
        page.goto(site + (pair.first.get_attribute("href") if pair.count() else own))
        shot("supplier-provenance")

        _sign_in(page, site, "organiser")
        page.goto(f"{site}/events")
        page.fill("#d-id", "HOI-CHO-2026")
        page.fill("#d-name", "Hội chợ CNHT 2026")
        page.fill("#d-day", "2026-12-10")
        page.fill("#d-start", "08:30")
        page.fill("#d-end", "11:30")
        page.fill("#d-breaks", "10:00-10:15")
        page.fill("#d-tables", "24")
        page.click("#event-draft")
        page.wait_for_url(f"{site}/events/HOI-CHO-2026")
        page.click("#build-schedule")
        page.wait_for_selector("#grid")
        shot("event", height=1600)
        browser.close()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        process = _serve_demo(Path(tmp) / "data", port)
        try:
            shots = take(f"http://127.0.0.1:{port}", args.out, args.lang, Path(tmp))
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(json.dumps([str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in shots]))


if __name__ == "__main__":
    main()
