"""UI strings in Vietnamese and English; pages pick one by the `lang` cookie (default vi)."""

from __future__ import annotations

LANGUAGES = ("vi", "en")

MESSAGES: dict[str, tuple[str, str]] = {  # key: (vi, en)
    "app.title": ("Kết nối cung ứng CNHT", "CNHT supplier matchmaking"),
    "nav.search": ("Tìm nhà cung ứng", "Find suppliers"),
    "nav.requirements": ("Yêu cầu nội địa hóa", "Localisation requirements"),
    "nav.login": ("Đăng nhập", "Sign in"),
    "nav.logout": ("Đăng xuất", "Sign out"),
    "nav.language": ("English", "Tiếng Việt"),
    "search.placeholder": (
        "Ví dụ: đúc áp lực nhôm, ダイカスト, die casting…",
        "e.g. aluminium die casting, đúc áp lực…",
    ),
    "search.button": ("Tìm", "Search"),
    "search.results": ("Kết quả", "Results"),
    "search.none": ("Không tìm thấy nhà cung ứng phù hợp.", "No matching suppliers found."),
    "filter.sector": ("Ngành", "Sector"),
    "filter.province": ("Tỉnh/thành", "Province"),
    "filter.certification": ("Chứng nhận", "Certification"),
    "filter.ownership": ("Loại hình", "Ownership"),
    "filter.any": ("Tất cả", "Any"),
    "ownership.domestic": ("Trong nước", "Domestic"),
    "ownership.joint_venture": ("Liên doanh", "Joint venture"),
    "ownership.fdi": ("Vốn nước ngoài", "Foreign-owned"),
    "page.previous": ("Trang trước", "Previous"),
    "page.next": ("Trang sau", "Next"),
    "col.supplier": ("Nhà cung ứng", "Supplier"),
    "col.score": ("Điểm", "Score"),
    "col.why": ("Lý do", "Why"),
    "col.lead_firm": ("Doanh nghiệp dẫn dắt", "Lead firm"),
    "col.requirement": ("Yêu cầu", "Requirement"),
    "why.holds": ("Có", "Holds"),
    "why.missing": ("Thiếu", "Missing"),
    "why.trader": ("Công ty thương mại (không sản xuất)", "Trading company (does not make)"),
    "why.preferred": ("tỉnh ưu tiên", "preferred province"),
    "why.makes": ("Làm", "Makes"),
    "why.nothing_in_common": (
        "không có năng lực chung trong danh mục, chỉ giống nhau về câu chữ",
        "no taxonomy capability in common; text similarity only",
    ),
    "why.written": ("ghi là", "written"),
    "why.other_sector": ("Ngành khác", "Other sector"),
    "req.new": ("Đăng yêu cầu mới", "Post a requirement"),
    "req.edit": ("Sửa yêu cầu", "Edit requirement"),
    "req.matches": ("Nhà cung ứng phù hợp", "Matching suppliers"),
    "req.required_certs": ("Chứng nhận bắt buộc", "Required certifications"),
    "req.compare": ("So sánh đã chọn", "Compare selected"),
    "req.record": ("Ghi nhận", "Record"),
    "stage.shortlisted": ("Đưa vào danh sách", "Shortlist"),
    "stage.contacted": ("Đã liên hệ", "Contacted"),
    "stage.meeting": ("Đã gặp", "Meeting"),
    "stage.rfq": ("Đã gửi RFQ", "RFQ sent"),
    "stage.sample_approved": ("Mẫu đạt", "Sample approved"),
    "stage.audit_passed": ("Đánh giá đạt", "Audit passed"),
    "stage.contract": ("Ký hợp đồng", "Contract"),
    "stage.rejected": ("Loại", "Rejected"),
    "outcome.saved": ("Đã ghi nhận", "Recorded"),
    "outcome.history": ("Lịch sử", "History"),
    "gaps.no_domestic_maker": (
        "chưa có nhà sản xuất trong nước nào làm được",
        "no domestic maker on file makes it",
    ),
    "gaps.uncertified_makers": (
        "có nhà sản xuất làm được nhưng thiếu chứng nhận",
        "capable makers lack a required certificate",
    ),
    "reading.item": ("Cần mua", "Asked for"),
    "reading.material": ("vật liệu", "material"),
    "reading.context": ("dùng cho", "used for"),
    "outcome.value": ("Giá trị hợp đồng (VND)", "Contract value (VND)"),
    "reason.price": ("Giá", "Price"),
    "reason.quality": ("Chất lượng", "Quality"),
    "reason.capacity": ("Năng lực sản xuất", "Capacity"),
    "reason.certification": ("Chứng nhận", "Certification"),
    "reason.delivery": ("Giao hàng", "Delivery"),
    "reason.distance": ("Khoảng cách", "Distance"),
    "reason.no_response": ("Không phản hồi", "No response"),
    "reason.other": ("Lý do khác", "Other"),
    "form.save": ("Lưu", "Save"),
    "form.errors": ("Vui lòng sửa các lỗi sau", "Please correct the following"),
    "field.id": ("Mã (mã số thuế)", "Id (tax code)"),
    "field.name": ("Tên doanh nghiệp", "Company name"),
    "field.title": ("Tiêu đề", "Title"),
    "field.lead_firm": ("Doanh nghiệp dẫn dắt", "Lead firm"),
    "field.description": ("Mô tả", "Description"),
    "field.products": ("Sản phẩm (cách nhau bằng ;)", "Products (separated by ;)"),
    "field.processes": ("Công nghệ, quy trình (;)", "Processes (;)"),
    "field.materials": ("Vật liệu (;)", "Materials (;)"),
    "field.certifications": ("Chứng nhận (;)", "Certifications (;)"),
    "field.province": ("Tỉnh/thành", "Province"),
    "field.employees": ("Số lao động", "Employees"),
    "field.sector": ("Ngành", "Sector"),
    "field.required_certifications": ("Chứng nhận bắt buộc (;)", "Required certifications (;)"),
    "field.preferred_provinces": ("Tỉnh ưu tiên (;)", "Preferred provinces (;)"),
    "field.annual_volume": ("Sản lượng năm", "Annual volume"),
    "field.email": ("Email", "Email"),
    "field.sectors": ("Ngành", "Sectors"),
    "field.customers": ("Khách hàng", "Customers"),
    "field.export_markets": ("Thị trường xuất khẩu", "Export markets"),
    "field.ownership": ("Loại hình sở hữu", "Ownership"),
    "field.year_established": ("Năm thành lập", "Year founded"),
    "field.tax_code": ("Mã số thuế", "Tax code"),
    "field.phone": ("Điện thoại", "Phone"),
    "field.website": ("Trang web", "Website"),
    "field.address": ("Địa chỉ", "Address"),
    "field.password": ("Mật khẩu", "Password"),
    "profile.edit": ("Sửa hồ sơ", "Edit profile"),
    "profile.completeness": ("Mức hoàn thiện hồ sơ", "Profile completeness"),
    "profile.contacts": ("Liên hệ", "Contacts"),
    "profile.contacts_hidden": (
        "Liên hệ chỉ hiển thị cho bên mua đã đăng nhập, cán bộ và chính doanh nghiệp.",
        "Contact details are shown to signed-in buyers, officers and the supplier itself.",
    ),
    "profile.opportunities": ("Yêu cầu phù hợp với doanh nghiệp", "Requirements this supplier fits"),
    "hint.certifications": (
        "Thêm chứng nhận (ISO 9001, IATF 16949…) để xuất hiện trong các tìm kiếm yêu cầu chứng nhận.",
        "Add your certifications (ISO 9001, IATF 16949…) to appear in searches that require them.",
    ),
    "hint.products": (
        "Liệt kê sản phẩm cụ thể để bên mua tìm thấy bạn.",
        "List concrete products so buyers find you.",
    ),
    "hint.processes": (
        "Nêu công nghệ (đúc, dập, ép nhựa, CNC…).",
        "Name your processes (casting, stamping, moulding, CNC…).",
    ),
    "hint.description": (
        "Viết vài câu mô tả năng lực, máy móc, khách hàng.",
        "Describe capacity, machines and customers in a few sentences.",
    ),
    "hint.province": (
        "Thêm tỉnh/thành để bên mua ưu tiên nhà cung ứng gần.",
        "Add your province: buyers prefer nearby suppliers.",
    ),
    "hint.employees": ("Thêm quy mô lao động.", "Add your number of employees."),
    "hint.materials": (
        "Nêu vật liệu bạn gia công (nhôm ADC12, thép SPCC, nhựa ABS…): bên mua tìm theo vật liệu.",
        "Name the materials you work (ADC12 aluminium, SPCC steel, ABS…): buyers search by material.",
    ),
    "hint.sectors": (
        "Chọn ngành bạn phục vụ (ô tô, điện tử…) để khớp với yêu cầu cùng ngành.",
        "Pick the sectors you serve (automotive, electronics…) to match requirements in them.",
    ),
    "hint.customers": (
        "Kể tên khách hàng tiêu biểu: bên mua tin nhà cung ứng đã có khách lớn.",
        "Name key customers: buyers trust suppliers that already serve assemblers.",
    ),
    "hint.year_established": ("Thêm năm thành lập.", "Add the year you were founded."),
    "hint.contact": (
        "Thêm điện thoại hoặc email (chỉ bên mua đã đăng nhập thấy) để được liên hệ.",
        "Add a phone or email (only signed-in buyers see it) so buyers can reach you.",
    ),
    "profile.gap": ("Để xếp hạng cao hơn", "To rank higher"),
    "gap.certificate": ("cần chứng nhận", "get certified"),
    "gap.capability": ("nêu rõ năng lực", "show the capability"),
    "gap.province": ("bên mua ưu tiên", "buyer prefers"),
    "login.failed": ("Email hoặc mật khẩu không đúng.", "Wrong email or password."),
    "login.throttled": (
        "Quá nhiều lần thử. Vui lòng đợi vài phút.",
        "Too many attempts. Please wait a few minutes.",
    ),
    "error.forbidden": ("Bạn không có quyền thực hiện thao tác này.", "You may not do this."),
    "error.csrf": ("Phiên làm việc hết hạn, vui lòng thử lại.", "Your session expired; please try again."),
    "error.not_found": ("Không tìm thấy.", "Not found."),
    "nav.import": ("Nhập dữ liệu", "Import"),
    # Validation messages by pydantic error type (others show the English detail).
    "error.missing": ("Thiếu trường bắt buộc", "Field required"),
    "error.int_parsing": ("Phải là số nguyên", "Must be a whole number"),
    "error.int_type": ("Phải là số nguyên", "Must be a whole number"),
    "error.greater_than_equal": ("Giá trị quá nhỏ", "Value too small"),
    "error.less_than_equal": ("Giá trị quá lớn", "Value too large"),
    "error.string_too_short": ("Không được để trống", "Must not be empty"),
    "error.string_too_long": ("Quá dài", "Too long"),
    "error.date_from_datetime_parsing": ("Ngày không hợp lệ (YYYY-MM-DD)", "Invalid date (YYYY-MM-DD)"),
    "error.date_parsing": ("Ngày không hợp lệ (YYYY-MM-DD)", "Invalid date (YYYY-MM-DD)"),
    "error.literal_error": ("Giá trị không được phép", "Value not allowed"),
    "error.bool_parsing": ("Phải là có/không (true/false)", "Must be true or false"),
    "nav.settings": ("Cài đặt", "Settings"),
    "nav.my_profile": ("Hồ sơ của tôi", "My profile"),
    "nav.dashboard": ("Kết quả chương trình", "Programme results"),
    "nav.events": ("Sự kiện B2B", "B2B events"),
    "nav.records": ("Hồ sơ dữ liệu", "Records"),
    "cert.title": ("Chứng nhận", "Certificates"),
    "cert.standard": ("Tiêu chuẩn", "Standard"),
    "cert.standing": ("Tình trạng", "Status"),
    "cert.valid": ("Hiệu lực", "Valid"),
    "cert.details": ("Chi tiết", "Details"),
    "cert.verified": ("đã xác minh", "verified"),
    "cert.claimed": ("tự khai", "claimed"),
    "cert.expired": ("hết hạn", "expired"),
    "cert.not_yet_valid": ("chưa có hiệu lực", "not yet valid"),
    "cert.in_progress": ("đang triển khai", "in progress"),
    "cert.expires_in": ("Hết hạn sau", "Expires in"),
    "cert.days": ("ngày", "days"),
    "cert.verified_by": ("Xác minh bởi", "Verified by"),
    "cert.evidence": ("bằng chứng", "evidence"),
    "cert.evidence_link": ("Liên kết bằng chứng", "Evidence link"),
    "cert.verify": ("Xác minh", "Verify"),
    "prov.title": ("Nguồn dữ liệu", "Where this comes from"),
    "prov.confirmed": ("Xác nhận lần cuối", "Last confirmed"),
    "prov.stale": ("hồ sơ đã lâu chưa được cập nhật", "this profile has not been confirmed for over a year"),
    "prov.confirm": ("Xác nhận hồ sơ vẫn đúng", "Confirm it is still accurate"),
    "prov.field": ("Trường", "Field"),
    "prov.source": ("Nguồn", "Source"),
    "prov.when": ("Ngày", "Date"),
    "prov.kind.file": ("tệp nhập", "imported file"),
    "prov.kind.web": ("biểu mẫu web", "web form"),
    "prov.kind.api": ("API", "API"),
    "prov.kind.merge": ("gộp hồ sơ trùng", "merge of a duplicate"),
    "prov.kind.unmerge": ("hoàn tác gộp", "merge undone"),
    "prov.kind.officer": ("cán bộ xác minh", "officer's check"),
    "prov.kind.confirmed": ("xác nhận còn đúng", "confirmed as accurate"),
    "prov.merged_into": ("Hồ sơ này đã được gộp vào", "This record was merged into"),
    "records.title": ("Chất lượng hồ sơ", "Record quality"),
    "records.duplicates": ("Hồ sơ có thể trùng", "Likely duplicates"),
    "records.duplicates_hint": (
        "Gộp chỉ khi chắc chắn là cùng một doanh nghiệp; mọi giá trị và lịch sử được giữ lại "
        "và có thể hoàn tác.",
        "Merge only when sure it is one enterprise; every value and the history are kept, "
        "and a merge can be undone.",
    ),
    "records.score": ("Điểm", "Score"),
    "records.reasons": ("Lý do", "Reasons"),
    "records.merge_into": ("Giữ", "Keep"),
    "records.keep": ("Giữ hồ sơ", "Keep record"),
    "records.merges": ("Các lần gộp", "Merges"),
    "records.kept": ("Hồ sơ giữ lại", "Kept"),
    "records.merged": ("Hồ sơ đã gộp", "Merged"),
    "records.by": ("Người gộp", "By"),
    "records.undo": ("Hoàn tác", "Undo"),
    "records.undone": ("đã hoàn tác", "undone"),
    "records.expiring": ("Chứng nhận sắp hết hạn", "Certificates about to lapse"),
    "records.days_left": ("Còn (ngày)", "Days left"),
    "records.stale": ("Hồ sơ lâu chưa xác nhận", "Profiles not confirmed for a year"),
    "records.age": ("Số ngày", "Days"),
    "events.title": ("Sự kiện kết nối B2B", "B2B matchmaking events"),
    "events.upload": ("Tệp sự kiện (JSON)", "Event file (JSON)"),
    "events.save": ("Lưu sự kiện", "Save event"),
    "events.buyers": ("bên mua", "buyers"),
    "events.suppliers": ("nhà cung ứng", "suppliers"),
    "events.slots": ("khung giờ", "slots"),
    "events.tables": ("bàn", "tables"),
    "events.table": ("Bàn", "Table"),
    "events.build": ("Xếp lịch gặp", "Build the schedule"),
    "events.meetings": ("cuộc gặp", "meetings"),
    "events.agendas": ("Lịch của từng người tham dự", "Each participant's agenda"),
    "events.draft": ("Tạo sự kiện từ các yêu cầu đang mở", "Create an event from the open requirements"),
    "events.draft_hint": (
        "Mỗi doanh nghiệp đầu chuỗi có yêu cầu đang mở là một bên mua; các nhà cung ứng phù hợp nhất "
        "với từng yêu cầu được mời.",
        "Every lead firm with open requirements is a buyer; the best-matching suppliers for each "
        "requirement are invited.",
    ),
    "events.upload_title": ("Hoặc tải lên tệp sự kiện", "Or upload an event file"),
    "events.id": ("Mã sự kiện", "Event id"),
    "events.name": ("Tên sự kiện", "Event name"),
    "events.day": ("Ngày", "Day"),
    "events.start": ("Bắt đầu", "Start"),
    "events.end": ("Kết thúc", "End"),
    "events.slot_minutes": ("Thời lượng mỗi cuộc gặp (phút)", "Meeting length (minutes)"),
    "events.breaks": (
        "Giờ nghỉ (HH:MM-HH:MM, cách nhau bởi dấu phẩy)",
        "Breaks (HH:MM-HH:MM, comma-separated)",
    ),
    "events.tables_count": ("Số bàn", "Number of tables"),
    "events.per_requirement": ("Số nhà cung ứng mời cho mỗi yêu cầu", "Suppliers invited per requirement"),
    "events.create": ("Tạo sự kiện", "Create event"),
    "events.results": ("Sau sự kiện", "After the event"),
    "events.held": ("đã gặp", "held"),
    "events.not_held": ("không diễn ra", "not held"),
    "events.unrecorded": ("chưa ghi nhận", "not yet recorded"),
    "events.attendance": ("tỷ lệ diễn ra", "attendance"),
    "events.time": ("Giờ", "Time"),
    "events.buyer": ("Bên mua", "Buyer"),
    "events.supplier": ("Nhà cung ứng", "Supplier"),
    "events.result": ("Kết quả", "Result"),
    "events.record": ("Ghi nhận", "Record"),
    "events.reason.buyer_absent": ("bên mua vắng mặt", "buyer absent"),
    "events.reason.supplier_absent": ("nhà cung ứng vắng mặt", "supplier absent"),
    "events.reason.cancelled": ("đã huỷ", "cancelled"),
    "events.reason.other": ("lý do khác", "other"),
    "dash.title": ("Kết quả kết nối cung ứng", "Supply-connection results"),
    "dash.year": ("Năm", "Year"),
    "dash.all_years": ("Tất cả các năm", "All years"),
    "dash.show": ("Xem", "Show"),
    "dash.contracted": ("DN trong nước ký hợp đồng", "Domestic suppliers contracted"),
    "dash.value": ("Giá trị hợp đồng (VND)", "Contract value (VND)"),
    "dash.requirements": ("Yêu cầu", "Requirements"),
    "dash.funnel": ("Phễu kết nối", "Connection funnel"),
    "dash.trend": ("Hợp đồng theo tháng", "Contracts per month"),
    "dash.contacted_pairs": ("Số cặp đã liên hệ", "Pairs that reached contact"),
    "dash.by_sector": (
        "Theo ngành (mục tiêu nội địa hóa 2030 / 2035)",
        "By sector (localisation targets 2030 / 2035)",
    ),
    "dash.by_province": ("Theo tỉnh/thành của nhà cung ứng", "By supplier province"),
    "dash.gaps": ("Nhu cầu chưa đáp ứng", "Unmet demand"),
    "dash.missing_certs": ("Chứng nhận còn thiếu nhiều nhất", "Most often missing certifications"),
    "dash.near_miss": (
        "Nhà cung ứng gần đạt (cần hỗ trợ chứng nhận)",
        "Near-miss suppliers (certification support)",
    ),
    "dash.quality": (
        "Vị trí của nhà cung ứng được chọn trong danh sách đã hiển thị",
        "Where chosen suppliers sat in the lists shown",
    ),
    "import.title": ("Nhập danh sách từ tệp CSV/XLSX", "Import a CSV/XLSX list"),
    "import.kind": ("Loại dữ liệu", "What the file holds"),
    "import.suppliers": ("Nhà cung ứng", "Suppliers"),
    "import.requirements": ("Yêu cầu nội địa hóa", "Requirements"),
    "import.file": ("Tệp", "File"),
    "import.check": ("Kiểm tra", "Check"),
    "import.confirm": ("Xác nhận nhập", "Confirm import"),
    "import.errors": ("lỗi; chưa nhập gì", "errors; nothing imported"),
    "import.line": ("Dòng", "Line"),
    "import.new": ("mới", "new"),
    "import.updated": ("cập nhật", "updated"),
    "import.done": ("Đã nhập", "Imported"),
    "settings.title": ("Cài đặt tài khoản", "Account settings"),
    "settings.token_help": (
        "Mã truy cập API cho hệ thống mua hàng của bạn (Authorization: Bearer …).",
        "An API token for your own procurement system (Authorization: Bearer …).",
    ),
    "settings.new_token": ("Tạo mã truy cập mới", "Create a new token"),
    "settings.token_once": ("Sao chép ngay: mã chỉ hiển thị một lần.", "Copy it now: it is shown only once."),
    "events.per_buyer": (
        "Số cuộc gặp mỗi doanh nghiệp mua (ít nhất / trung vị / nhiều nhất)",
        "Meetings per buyer (min / median / max)",
    ),
    "events.idle_gaps": ("Khoảng trống trong lịch", "Idle gaps"),
    "events.method.milp": ("tối ưu (MILP)", "optimised (MILP)"),
    "events.method.two_stage": ("tối ưu hai bước (MILP)", "optimised in two stages (MILP)"),
    "events.method.greedy": ("xếp tham lam", "greedy"),
    "events.objective": ("điểm mục tiêu", "objective"),
    "events.bound": ("cận trên", "bound"),
    "events.request.must": ("Bắt buộc gặp", "Must meet"),
    "events.request.want": ("Muốn gặp", "Wants to meet"),
    "events.why.no_counterpart": (
        "không có đối tác phù hợp trong số được mời",
        "no qualifying counterpart among those invited",
    ),
    "events.why.few_counterparts": ("chỉ có {n} đối tác phù hợp", "only {n} qualifying counterpart(s)"),
    "events.why.few_slots": (
        "chỉ rảnh {n} khung giờ có đối tác",
        "available in only {n} slot(s) with a counterpart",
    ),
    "events.why.taken": (
        "đối tác đã kín lịch, bận hoặc hết bàn vì các cuộc gặp khác",
        "counterparts' caps, availability and tables are taken by other meetings",
    ),
    "events.why.no_common_slot": ("hai bên không có khung giờ chung", "no slot in which both are available"),
    "events.why.no_room": (
        "hết chỗ: bàn, giới hạn số cuộc gặp hoặc các cuộc gặp bắt buộc khác đã chiếm khung giờ chung",
        "no room left: tables, meeting caps or other must-meetings take the common slots",
    ),
    "events.buyers_moving": ("Bên mua phải đổi bàn", "Buyers changing tables"),
    "events.short_agendas": (
        "Ít cuộc gặp hơn mong muốn, và lý do:",
        "Fewer meetings than they could have, and why:",
    ),
    "settings.tokens": ("Mã truy cập của bạn", "Your tokens"),
    "settings.token_prefix": ("Mã (phần đầu)", "Token (prefix)"),
    "settings.token_created": ("Tạo ngày", "Created"),
    "settings.token_expires": ("Hết hạn", "Expires"),
    "settings.token_revoked": ("Đã thu hồi", "Revoked"),
    "settings.revoke": ("Thu hồi", "Revoke"),
}


def error_message(kind: str, detail: str, lang: str) -> str:
    """A validation message in the user's language where we have one, with the detail kept."""
    key = f"error.{kind}"
    if key not in MESSAGES:
        return detail
    text = translate(key, lang)
    return text if lang == "en" or text == detail else f"{text} ({detail})"


def match_sentence(explanation: dict, lang: str, sector_label=lambda code: code) -> str:
    """One line on why a supplier fits, in the reader's language (the API's `summary` is its
    English twin): the requirement's reading, what it makes in its own words, certificates held
    and missing, province, sector, trader, ownership."""
    t = lambda key: translate(key, lang)  # noqa: E731
    parts = []
    reading = explanation.get("requirement_reading") or {}
    if reading.get("item"):
        asked = f"{t('reading.item')}: " + "; ".join(reading["item"][:2])
        if reading.get("material"):
            asked += f" ({', '.join(reading['material'][:2])})"
        if reading.get("context"):
            asked += f" · {t('reading.context')}: " + "; ".join(reading["context"][:2])
        parts.append(asked)
    made = explanation.get("matched_capabilities") or []
    if made:
        label = "label_vi" if lang == "vi" else "label"
        words = [f"{c[label]} ({', '.join(c['supplier_words'][:2])})" for c in made[:4]]
        parts.append(f"{t('why.makes')} " + "; ".join(words))
    else:
        parts.append(t("why.nothing_in_common"))
    certificates = explanation.get("certifications") or {}
    if certificates.get("held"):
        parts.append(f"{t('why.holds')} " + ", ".join(certificates["held"]))
    for missing in certificates.get("missing", []):
        status = "" if missing["status"] == "absent" else f" ({t('cert.' + missing['status'])})"
        parts.append(f"{t('why.missing')} {missing['standard']}{status}")
    province = explanation.get("province") or {}
    if province.get("supplier"):
        where = province["supplier"]
        if province.get("as_written") and province["as_written"] != where:
            where += f" ({t('why.written')} {province['as_written']})"
        if province.get("match") == "preferred":
            where += f", {t('why.preferred')}"
        parts.append(where)
    sector = explanation.get("sector") or {}
    if sector.get("match") is False:
        parts.append(f"{t('why.other_sector')}: " + ", ".join(sector_label(s) for s in sector["supplier"]))
    if explanation.get("trader"):
        parts.append(t("why.trader"))
    if explanation.get("ownership", "domestic") != "domestic":
        parts.append(t(f"ownership.{explanation['ownership']}"))
    return "; ".join(parts)


def translate(key: str, lang: str) -> str:
    """The string for `key` in `lang`; the key itself if it is missing (visible, not fatal)."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "vi" else pair[1]
