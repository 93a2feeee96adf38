"""Page tests in real headless Chromium (Debian's package, driven by Playwright)."""

from browser import ARTIFACTS, needs_chromium, sign_in

from models import Outcome, Supplier

pytestmark = needs_chromium


def test_search_requirement_shortlist_outcome(site, page, workspace):
    sign_in(page, site, "buyer@test.vn", "pw-buyer")
    page.fill("input[name=q]", "đúc áp lực nhôm")
    page.click("form.search button")
    page.wait_for_selector("#results")
    assert page.locator("#results tr.result").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    page.goto(f"{site}/requirements/R-DC-JA")
    first = page.locator("#matches tr.result").first
    supplier_id = first.get_attribute("data-supplier")
    first.locator("select[name=stage]").select_option("shortlisted")
    first.locator("form.outcome button").click()
    page.wait_for_selector("#saved")
    assert page.locator(f"#history a[href='/suppliers/{supplier_id}']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "requirement.png"), full_page=True)
    with workspace.sessions() as session:
        events = session.query(Outcome).filter_by(requirement_id="R-DC-JA", supplier_id=supplier_id).all()
        assert [e.stage for e in events] == ["shortlisted"] and events[0].recorded_by == "Test buyer"

    page.locator("#matches input[name=ids]").nth(0).check()
    page.locator("#matches input[name=ids]").nth(1).check()
    page.click("text=So sánh đã chọn")
    assert page.locator(".compare .card").count() == 2
    # Why each one fits, in the reader's language (the English sentence is the API's summary).
    sentence = page.inner_text(".compare .card .sentence")
    assert sentence.startswith("Cần mua: ") and "Làm " in sentence, sentence
    assert "makes " not in sentence and "asked for" not in sentence, sentence
    page.goto(page.url + "&lang=en")
    assert page.inner_text(".compare .card .sentence").startswith("Asked for: ")


def test_supplier_edits_its_own_profile_and_no_other(site, page, workspace):
    sign_in(page, site, "soles@test.vn", "pw-soles")
    page.goto(f"{site}/suppliers/0101000010")
    before = int(page.inner_text("#completeness").rstrip("%"))
    page.click("#edit-profile")
    page.fill("#employees", "450")
    page.fill("#description", "Đế giày cao su và EVA, 20.000 đôi mỗi ngày.")
    page.click("#supplier-form button")
    page.wait_for_url(f"{site}/suppliers/0101000010")
    assert int(page.inner_text("#completeness").rstrip("%")) > before
    page.screenshot(path=str(ARTIFACTS / "supplier-profile.png"), full_page=True)
    with workspace.sessions() as session:
        assert session.get(Supplier, "0101000010").employees == 450

    page.goto(f"{site}/suppliers/0101000011")
    assert page.locator("#edit-profile").count() == 0
    response = page.goto(f"{site}/suppliers/0101000011/edit")
    assert response.status == 403 and page.locator("#error").count() == 1


def test_language_switch(site, page):
    page.goto(f"{site}/")
    assert "Tìm nhà cung ứng" in page.inner_text("header")
    page.click("#lang-switch")
    assert "Find suppliers" in page.inner_text("header")
    page.screenshot(path=str(ARTIFACTS / "home-en.png"), full_page=True)
    page.click("#lang-switch")
    assert "Tìm nhà cung ứng" in page.inner_text("header")


def test_wrong_password_is_refused_and_throttled(site, page):
    for _ in range(5):
        sign_in(page, site, "buyer@test.vn", "nope")
        assert page.locator("#login-error").count() == 1
    sign_in(page, site, "buyer@test.vn", "pw-buyer")  # now throttled, even with the right password
    assert "Too many" in page.inner_text("#login-error") or "Quá nhiều" in page.inner_text("#login-error")


def test_buyer_posts_a_requirement_and_gets_a_token(site, page):
    sign_in(page, site, "buyer@test.vn", "pw-buyer")
    page.goto(f"{site}/requirements/new")
    page.fill("#id", "R-WEB")
    page.fill("#lead_firm", "Yamaha Motor Vietnam")
    page.fill("#title", "Bánh răng hộp số xe máy")
    page.fill("#required_certifications", "ISO9001")
    page.click("form.stacked button")
    page.wait_for_url(f"{site}/requirements/R-WEB")
    assert "ISO 9001" in page.inner_text("main")
    page.goto(f"{site}/settings")
    page.click("#new-token")
    assert page.inner_text("#token").startswith("mm_")


def test_forms_without_the_csrf_token_are_refused(site, page):
    sign_in(page, site, "buyer@test.vn", "pw-buyer")
    response = page.request.post(
        f"{site}/requirements/R-DC-JA/outcomes", form={"supplier_id": "0101000001", "stage": "contacted"}
    )
    assert response.status == 400


def test_outcome_history_is_for_the_firms_buyers_and_officers_only(site, page, workspace):
    sign_in(page, site, "buyer@test.vn", "pw-buyer")
    page.goto(f"{site}/requirements/R-DC-JA")
    first = page.locator("#matches tr.result").first
    first.locator("select[name=stage]").select_option("contacted")
    first.locator("form.outcome button").click()
    page.wait_for_selector("#history")
    page.context.clear_cookies()
    page.goto(f"{site}/requirements/R-DC-JA")  # anonymous
    assert page.locator("#history").count() == 0 and page.locator("form.outcome").count() == 0
    sign_in(page, site, "canon@test.vn", "pw-canon")  # another firm's buyer
    page.goto(f"{site}/requirements/R-DC-JA")
    assert page.locator("#history").count() == 0 and page.locator("form.outcome").count() == 0


def test_signing_out_ends_the_session_server_side(site, page):
    sign_in(page, site, "buyer@test.vn", "pw-buyer")
    page.goto(f"{site}/settings")
    copied = page.context.cookies()
    page.locator("form[action='/logout'] button").first.click()
    page.context.add_cookies(copied)  # replay the cookie from before sign-out
    page.goto(f"{site}/settings")
    assert "/login" in page.url


def test_a_token_revoked_on_the_settings_page_stops_working(site, page):
    import httpx

    sign_in(page, site, "buyer@test.vn", "pw-buyer")
    page.goto(f"{site}/settings")
    page.click("#new-token")
    token = page.inner_text("#token")
    probe = {"requirement_id": "R-DC-JA", "supplier_id": "0101000001", "stage": "contacted"}
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.post(f"{site}/api/v1/outcomes", json=probe, headers=headers).status_code == 201
    page.locator("button.revoke").first.click()
    assert "Đã thu hồi" in page.inner_text("main")
    assert httpx.post(f"{site}/api/v1/outcomes", json=probe, headers=headers).status_code == 401


def test_a_stored_script_link_is_never_clickable(site, page, workspace):
    """Even a record written before links were checked shows its evidence as text."""
    with workspace.sessions() as session:
        supplier = session.get(Supplier, "0101000001")
        supplier.certifications = [
            {
                "standard": "ISO 9001",
                "status": "verified",
                "verified_by": "x",
                "evidence": "javascript:alert(1)",
            }
        ]
        session.commit()
    page.goto(f"{site}/suppliers/0101000001")
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 0


def test_a_contract_is_recorded_with_its_value_and_the_history_names_the_supplier(site, page, workspace):
    sign_in(page, site, "buyer@test.vn", "pw-buyer")
    page.goto(f"{site}/requirements/R-DC-JA")
    first = page.locator("#matches tr.result").first
    supplier_id = first.get_attribute("data-supplier")
    first.locator("select[name=stage]").select_option("contract")
    first.locator("input[name=value_vnd]").fill("1500000000")
    first.locator("form.outcome button").click()
    page.wait_for_selector("#history")
    with workspace.sessions() as session:
        name = session.get(Supplier, supplier_id).name
        event = session.query(Outcome).filter_by(requirement_id="R-DC-JA", stage="contract").one()
    assert event.value_vnd == 1_500_000_000
    history = page.inner_text("#history")
    assert name in history and "1,500,000,000 VND" in history


def test_a_phone_sees_the_ranked_table_without_the_page_overflowing(site, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, site, "buyer@test.vn", "pw-buyer")  # the firm's buyer: outcome forms in every row
    page.goto(f"{site}/requirements/R-DC-JA")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    # the page says how it read the requirement: the part asked for, and what it is for
    reading = page.inner_text("#reading")
    assert "アルミダイカスト部品" in reading and "二輪エンジン" in reading


def test_another_firms_buyer_posting_an_outcome_form_is_refused(site, page, workspace):
    sign_in(page, site, "canon@test.vn", "pw-canon")
    page.goto(f"{site}/requirements/R-DC-JA")  # Yamaha's: no form shown, so post one by hand
    csrf = page.locator("form[action='/logout'] input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(
        f"{site}/requirements/R-DC-JA/outcomes",
        form={"csrf_token": csrf, "supplier_id": "0101000001", "stage": "contract", "value_vnd": "9" * 12},
    )
    assert response.status == 403
    with workspace.sessions() as session:
        assert session.query(Outcome).filter_by(requirement_id="R-DC-JA").count() == 0
