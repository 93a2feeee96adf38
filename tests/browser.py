"""Page-test plumbing: Debian's Chromium driven by Playwright, a served test site with one account
per role, and signing in. The fixtures reach every test module through conftest.py."""

import shutil
from pathlib import Path

import pytest
from conftest import load
from test_api import serve

from matchmaker.accounts.service import create_account

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)


@pytest.fixture
def site(workspace):
    load(workspace)
    with workspace.sessions() as session:
        create_account(
            db_session=session,
            email="buyer@test.vn",
            name="Test buyer",
            role="buyer",
            password="pw-buyer",
            lead_firm="Yamaha Motor Vietnam",  # R-DC-JA's firm
        )
        create_account(
            db_session=session,
            email="canon@test.vn",
            name="Canon buyer",
            role="buyer",
            password="pw-canon",
            lead_firm="Canon Vietnam",
        )
        create_account(
            db_session=session,
            email="soles@test.vn",
            name="Phương Nam",
            role="supplier",
            password="pw-soles",
            supplier_id="0101000010",
        )
    for client in serve(workspace):
        yield str(client.base_url)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def sign_in(page, site, email, password):
    page.goto(f"{site}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form.stacked button")
