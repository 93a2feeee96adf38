"""What never decides a match in a goods text: makers' names, brands, "mới 100%", model codes,
sizes and ratings, what the goods are not or come without, and how a buyer frames its request
("Looking for a local supplier of …"). `reading.read` marks these spans as noise."""

from __future__ import annotations

import re

_COMPANY_END = (
    r"(?:co\.?\s*,?\s*\.?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|corp(?:oration)?\.?"
    r"|jsc|group|factory|gmbh|llc)"
)
# A number starts only where no digit precedes it, and is bounded: a 5,000-digit "number"
# must not make the patterns below backtrack quadratically.
_NUMBER = r"(?<![\d.,])\d{1,9}(?:[.,]\d{1,6})?"
# A letter's greeting: "Dear Sir/Madam,", "Kính gửi quý công ty,", "お世話になっております。"
GREETING = (
    r"^\s*(?:hi|hello|good\s+(?:morning|afternoon)|dear\s+[^,.;:\n]{0,40}|kính\s+gửi\s+[^,.;:\n]{0,60}"
    r"|kinh\s+gui\s+[^,.;:\n]{0,60}|(?:xin\s+)?chào\s+[^,.;:\n]{0,30}|xin\s+chào|(?:いつも)?お世話になって(?:おり|い)ます"
    r"|您好|你好|尊敬的[^,，。:：\n]{0,30}|안녕하십니까|안녕하세요)(?=\s*[,.;:!，。！：\n])"
)
_TOOL_VI = r"(?:khuôn|khuon)(?:\s+(?:mẫu|mau|ép|ep|đúc|duc|dập|dap))?"
# Whose moulds: the customer's or the buyer's (not "do chúng tôi": a moulder's own moulds)
_OWNER_VI = (
    r"(?:của\s+|cua\s+|do\s+)?(?:quý\s+khách|quy\s+khach|khách\s+hàng|khach\s+hang|khách|khach|bên\s+mua"
    r"|ben\s+mua|bên\s+đặt\s+hàng|ben\s+dat\s+hang)(?:\s+(?:cung\s+cấp|cung\s+cap|gửi|gui|giao))?"
)
_TOOL_EN = r"(?:moulds?|molds?|tooling|dies)"
_OWNER_EN = r"(?:customers?|clients?|buyers?|customer's|customers'|client's|buyer's)"
_SUPPLIED_TOOLING = (
    rf"\b(?:theo|với|voi|bằng|bang)\s+{_TOOL_VI}\s+{_OWNER_VI}\b"
    rf"|\b{_TOOL_VI}\s+(?:của\s+|cua\s+|do\s+){_OWNER_VI}\b"
    rf"|\b{_OWNER_EN}(?:\s+own)?[\s\-]+(?:(?:supplied|provided|owned)\s+)?{_TOOL_EN}\b"
    rf"|\b{_TOOL_EN}\s+(?:will\s+be\s+|are\s+|is\s+)?(?:supplied|provided|owned|consigned)\s+by\s+(?:the\s+)?"
    r"(?:customers?|clients?|buyers?)\b"
    # …and any free-issue part: "(casting supplied by us)", "phôi do bên mua cung cấp"
    r"|\b[\w\-]+(?:\s+[\w\-]+)?\s+(?:will\s+be\s+|is\s+|are\s+)?(?:supplied|provided|consigned|free[\s\-]issued)"
    r"\s+by\s+(?:us|the\s+buyer|the\s+customer|buyer|customer)\b"
    r"|\b\w+(?:\s+\w+)?\s+do\s+(?:bên\s+mua|ben\s+mua|khách\s+hàng|khach\s+hang|chúng\s+tôi|chung\s+toi|bên\s+em)"
    r"\s+(?:cung\s+cấp|cung\s+cap)\b"
    r"|(?:客户|客戶|客方|买方)(?:提供|自有|自备)的?模具|来模加工|客供模具|模具由(?:我方|我司|客户|买方)提供"
    r"|(?:お客様|顧客)(?:支給|提供)の?金型|支給金型|金型は(?:こちら|当社|弊社|お客様)(?:から|より|で)?支給"
    r"|고객사?\s*(?:제공|지급|소유)\s*금형|금형은?\s*(?:당사|고객사?|발주사)\s*(?:제공|지급)"
)
# What a firm does not do, or a buyer does not need: "không nhận làm khuôn", "We do not make
# moulds", "不做模具", "金型は製作しません", "금형은 제작하지 않습니다", "không cần khuôn".
_NOT_DONE = (
    r"\b(?:không|ko|khong|chưa|chua)\s+(?:nhận\s+|nhan\s+)?(?:làm|lam|sản\s*xuất|san\s*xuat|chế\s*tạo|che\s*tao"
    r"|gia\s*công|gia\s*cong|cung\s*cấp|cung\s*cap|thiết\s*kế|thiet\s*ke|cần|can|yêu\s*cầu|yeu\s*cau)\b[^,;.)]*"
    r"|\b(?:(?:do|does|did)\s+not|(?:do|does|did)n['’]t|no\s+longer)\s+(?:make|manufacture|produce"
    r"|offer|supply|provide|do|design|build|need|require)\b[^,;.)]*"
    r"|\bno\s+(?:need\s+(?:for|of)|in[\s\-]house)\s+[^,;.)]*"
    r"|(?:不|无法|不能)(?:做|生产|制造|制作|加工|提供|承接|需要)[^，。,；;、]{0,15}"
    r"|[\u30a0-\u30ff\u4e00-\u9fff]{1,12}(?:は|を)?(?:製作|製造|生産|加工|対応|設計)(?:は)?"
    r"(?:しておりません|していません|しません|できません|不可)"
    r"|[\uac00-\ud7a3]{1,12}?(?:은|는|을|를)?\s*(?:제작|생산|가공|설계)(?:하지\s*않|은?\s*불가)[^,.。]*"
)
# Spans that never decide a match (matched case-insensitively on the NFC text).
_NOISE = [
    # manufacturer: up to the firm's legal form, or to the end of the clause. Only a label or a
    # name follows it: "NSX: …", "NSX Guangzhou …", but "nhà sản xuất lò xo" and "manufacturer
    # of power cables" say what a firm makes, and "…a printer maker. Requirement: …" ends there.
    rf"(?:\bnsx\s*[:：.;]?\s*|\b(?:nhà\s*sản\s*xuất|nha\s*san\s*xuat|hãng\s*sản\s*xuất)"
    rf"(?:\s*[:：]\s*|[.;](?!\s*(?-i:[A-Z]))\s*|\s+(?=(?-i:[A-Z0-9]))))(?:[^;。]*?{_COMPANY_END}|[^,;。]*)",
    # …in English only a name (capitalised words) or a firm follows: "Manufacturer: Foshan Jintlang
    # Co., Ltd", "made by Panasonic", but "We are a cable manufacturer: PVC and XLPE cables".
    rf"\b(?:manufacturer|maker|made\s+by)(?:\s*[:：]\s*|[.;](?!\s*(?-i:[A-Z]))\s*|\s+(?=(?-i:[A-Z0-9])))"
    rf"(?:[^;。]*?{_COMPANY_END}|(?-i:[A-Z0-9][\w&.\-]*(?:\s+[A-Z0-9][\w&.\-]*)*))",
    r"\b(?:khách\s*hàng|khach\s*hang|customers?|clients?|đối\s*tác|doi\s*tac)\s*(?:chính|chinh|gồm|gom|là|la)?\s*[:：]\s*[^.;。\n]*",
    # …and without the colon: "khách hàng chính là các hãng ô tô", "our clients are appliance
    # makers" (not "tìm đối tác là xưởng dập", a buyer's search for a partner that stamps)
    r"\b(?:khách\s*hàng|khach\s*hang|đối\s*tác\s*chính|doi\s*tac\s*chinh)\s*(?:chính\s*|chinh\s*)?"
    r"(?:là|la|gồm|gom|bao\s*gồm|bao\s*gom)\s+[^.;。\n]*"
    r"|\b(?:our\s+|main\s+|key\s+)*(?:customers|clients)\s+(?:are|include)\s+[^.;。\n]*",
    # …and in Chinese, Japanese and Korean: "主要顧客：日系家電メーカー", "客户包括三星", "고객사: 삼성전자"
    r"(?:主要|主な|主力)?(?:顧客|客户|客戶|取引先|得意先|納入先)(?:(?:包括|包含|は)\s*[:：]?|\s*[:：])\s*[^.;。\n]*"
    r"|(?:주요\s*)?(?:고객사?|거래처|납품처)\s*[:：]\s*[^.;。\n]*",
    r"\b(?:hàng\s*)?(?:mới|moi)\s*[:：]?\s*100\s*%|\b(?:brand\s*)?new\s*100\s*%|\b100\s*%\s*new\b|\bbrand[-\s]new\b",
    r"\b(?:không|ko|k)\s*(?:có\s*)?(?:nhãn\s*)?hiệu\b|\bkhong\s*(?:nhan\s*)?hieu\b|\bno\s*brand\b|\bunbranded\b",
    r"\b(?:nhãn\s*hiệu|thương\s*hiệu|hiệu|nhan\s*hieu|thuong\s*hieu|hieu|brand|trademark)\s*[:：]\s*[^,;.。]*",
    # …and in Chinese, Japanese and Korean: brand, model and maker fields, and "brand new"
    r"(?:品牌|商标|牌子|型号|规格型号|生产厂家|生产商|制造商|厂家|产地|ブランド|型番|型式|メーカー|製造元|製造者"
    r"|브랜드|모델명|모델|제조사|제조업체|제조원)\s*[:：]\s*[^,;.。，、；\n]*"
    r"|全新|新品|신품|새\s*제품",
    # the label of a spec sheet's name field: the name after it is the item
    r"(?:产品名称|產品名稱|品名|商品名|製品名|품명|제품명|상품명)\s*[:：]",
    # "hiệu SMC", "hiệu zoomlion": a brand of up to three words; not "tín hiệu" (signal), "ký
    # hiệu" (symbol), "hiệu chuẩn" (calibration), "hiệu suất" (efficiency)
    r"\b(?<!tín\s)(?<!ký\s)(?<!tin\s)(?<!ky\s)hiệu\s+(?!(?:chuẩn|suất|quả|điện|ứng|lực|chỉnh|năng|số)(?![\w]))"
    r"[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2}",
    r"\b(?:model|models|mã\s*hàng|mã\s*sp|mã|ma\s*hang|ký\s*hiệu|ky\s*hieu|part\s*(?:no|number)\.?|p/n|code|type|(?<!kim\s)loại|(?<!kim\s)loai)"
    r"\s*[:：]\s*[^,;。]*?(?=[,;。]|\.(?!\d)|$)",
    r"\bmodel\s+[\w\-/.+]+",
    GREETING,
    # a request's own reference: "RFQ #2291", "Inquiry no. 17/2026"
    r"\b(?:rfq|rfi|rfp|inquiry|enquiry)\b(?:\s*(?:no\.?|number|#)\s*|\s*[:：#]?\s*)(?:[\w\-/]*\d[\w\-/]*)?",
    r"\b(?:xuất\s*xứ|xuat\s*xu|origin|made\s+in)\s*[:：]?\s*[^,;.。]*",
    # sizes, ratings and quantities
    r"\b(?:kt|kích\s*thước|kich\s*thuoc|size|sizes|dimensions?|đk|dk|đường\s*kính|duong\s*kinh|phi|dài|rộng|cao|dày"
    r"|chiều\s*dài|điện\s*áp|dòng\s*điện|công\s*suất|áp\s*suất|dung\s*tích|trọng\s*lượng|voltage|power|weight)"
    r"\s*[:：]\s*[^,;。]*",
    rf"{_NUMBER}\s*(?:[x*×]\s*{_NUMBER}\s*){{1,4}}(?:mm|cm|m|inch|in)?\b",
    rf"(?:[±+\-]|\+/-|\+-)?\s*{_NUMBER}\s*(?:mm|cm|m|µm|um|inch|inches|kg|g|gr|v|vac|vdc|kv|w|kw|kva|a|ma|hz|mpa|bar|psi"
    r"|cc|ml|l|pcs|pc|chiếc|cái|tấn|tons?|tonnes?|トン|톤|吨|t|rpm|%|mah|ah|ohm|Ω|uf|µf|nf|pf|°c|độ|spindles|cọc\s*sợi|coc\s*soi)(?![\w])",
    r"(?<!\d)\d{2,6}(?:cc|t)\b",
    # what the goods are not ("không phải dạng đúc", "chưa được gia cố", "not for medical use")
    r"\b(?:không|ko|khong)\s*\(?\s*(?:phải|phai)\b[^,;.)]*|\b(?:chưa|chua)\s+(?:được|duoc|qua)\b[^,;.]*"
    r"|\bnot\s+(?:for|made\s+of|including|an?)\s+[\w\-]+(?:\s+[\w\-]+)?",
    # …and what they come without ("k có thiết bị đo", "không gồm: mạch, pin", "without motor")
    r"\b(?:không|ko|khong|k)\s+(?:bao\s*)?(?:gồm|gom)\s*[:：][^;.)]*"
    r"|\b(?:không|ko|khong|k)\s+(?:có|co|gồm|gom|kèm|kem|bao\s*gồm|bao\s*gom|gắn|gan|lắp|lap)\b[^,;.)]*"
    r"|\b(?:without|excluding)\s+[^,;.)]*",
    # …and how they are not made or what they do not do, in the nomenclature's words ("không hàn
    # giáp mối", "không tráng phủ", "không chứa MMDS", "không dùng điện"): no welding, coating or
    # electrics wanted. Not "không gỉ" (stainless) nor "không dệt" (nonwoven): those name goods.
    r"\b(?:không|ko|khong)\s+(?:chứa|chua|hàn|han|tráng|trang|phủ|phu|mạ|sơn|son|đúc|duc|ren|tự\s*động"
    r"|tu\s*dong|tự\s*dính|tu\s*dinh|lập\s*trình|lap\s*trinh|dùng\s*điện|dung\s*dien|hoạt\s*động\s*bằng)\b[^,;.)]*",
    # moulds the other side brings: a moulder "nhận ép nhựa theo khuôn của khách hàng" makes no
    # moulds, nor does a buyer whose "khuôn do bên mua cung cấp" ask for them
    _SUPPLIED_TOOLING,
    _NOT_DONE,
]
NOISE_RE = re.compile("|".join(f"(?:{p})" for p in _NOISE), re.IGNORECASE)
# Model codes (AL6-M, PYF08-A-E, 4V310-10): capitals and digits, case-sensitive; grades that
# name a material (SUS304, ADC12, SKD61) are kept.
MODEL_CODE = re.compile(
    r"(?<![\w\-])(?!(?:SUS|ADC|SKD|SPCC|SPHC|SS|PA|PP|PE|PVC|ABS|PC|POM)\d*(?![\w\-]))"
    r"(?=[A-Z0-9\-/.]*\d)(?=[A-Z0-9\-/.]*[A-Z])[A-Z0-9]+(?:[\-/.][A-Z0-9]+)*(?![\w\-])"
)
# Buyers' framing of a request; never the item ("Looking for a local supplier of …").
FRAMING_RE = re.compile(
    r"\b(?:we\s+are\s+)?(?:(?:looking|searching)\s+for|seeking(?:\s+for)?)\b(?:\s+(?:a|an|the))?(?:\s+(?:local|domestic|vietnamese|qualified|reliable|new))*"
    r"(?:\s+(?:suppliers?|makers?|manufacturers?|vendors?|partners?|sources?))?(?:\s+(?:of|for|to|able\s+to|that\s+can)(?![\w]))?"
    r"|\b(?:(?:we|i)\s+(?:also\s+|urgently\s+|now\s+)?)?(?:need|require|request)s?\s+(?:a\s+|an\s+)?(?:local\s+|domestic\s+)?(?:suppliers?|makers?|manufacturers?)?(?:\s+(?:of|for))?"
    r"|\b(?:suppliers?|makers?|manufacturers?|vendors?|sources?)\s+(?:of|for|able\s+to)\b"
    r"|\b(?:cần\s+tìm|can\s+tim|tìm\s+kiếm|tìm|tim)\s+(?:nhà\s+cung\s+(?:cấp|ứng)|nha\s+cung\s+(?:cap|ung)|đơn\s+vị|don\s+vi|đối\s+tác|doi\s+tac)"
    # (not "gia công": it begins the process's own name, "gia công cơ khí", "gia công tấm")
    r"(?:\s+(?:sản\s+xuất|san\s+xuat))?"
    # "Cần tìm xưởng đúc …": the search is framing, whoever is sought
    r"|^\s*(?:cần\s+tìm|can\s+tim|tìm\s+kiếm|tim\s+kiem)(?![\w])"
    # "nhà cung cấp trong nước cho khóa kéo": suppliers *of* zips, as in "suppliers for"
    r"|\b(?:nhà\s+cung\s+(?:cấp|ứng)|nha\s+cung\s+(?:cap|ung))\b"
    r"(?:\s+(?:trong\s+nước|nội\s+địa|việt\s+nam|địa\s+phương|trong\s+nuoc|noi\s+dia))?(?:\s+(?:cho|về|cho\s+các)(?![\w]))?"
    # a leading "make / supply" verb frames the item: "Chế tạo đế máy" asks for machine bases
    r"|^\s*(?:chế\s+tạo|che\s+tao|sản\s+xuất|san\s+xuat|cung\s+cấp|cung\s+cap)\b"
    r"|^\s*(?:manufactur(?:e|ing)|supply|production|provision)\s+of\b"
    # …and so does an order or purchase ("Đặt hàng ép phun", "Sourcing castors"), and "to
    # drawing" is how every part is made, not what it is
    r"|^\s*(?:(?:cần\s+)?đặt(?:\s+hàng|\s+mua)?|(?:can\s+)?dat\s+hang|thu\s+mua|cần\s+mua|mua)\b"
    r"|^\s*(?:sourcing|buying|purchasing|procurement\s+of|ordering)\b"
    r"|\b(?:theo\s+(?:bản\s+vẽ|mẫu|yêu\s+cầu)|theo\s+ban\s+ve|(?:according\s+|as\s+per\s+|per\s+)?to\s+(?:the\s+|our\s+|customer\s+)?drawings?)\b",
    re.IGNORECASE,
)
