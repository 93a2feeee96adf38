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
    "field.password": ("Mật khẩu", "Password"),
    "profile.edit": ("Sửa hồ sơ", "Edit profile"),
    "profile.completeness": ("Mức hoàn thiện hồ sơ", "Profile completeness"),
    "profile.contacts": ("Liên hệ", "Contacts"),
    "profile.contacts_hidden": (
        "Đăng nhập với tài khoản bên mua để xem liên hệ.",
        "Sign in as a buyer to see contact details.",
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
}


def error_message(kind: str, detail: str, lang: str) -> str:
    """A validation message in the user's language where we have one, with the detail kept."""
    key = f"error.{kind}"
    if key not in MESSAGES:
        return detail
    text = translate(key, lang)
    return text if lang == "en" or text == detail else f"{text} ({detail})"


def translate(key: str, lang: str) -> str:
    """The string for `key` in `lang`; the key itself if it is missing (visible, not fatal)."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "vi" else pair[1]
