"""The words that mark a goods text's use context and material, in five languages.

Latin-script markers open a clause ("dùng cho", "for", "bằng", "made of"); Chinese, Japanese and
Korean put the use before the item ("モーター用の", "모터용", "电机用") or wrap it ("为…提供").
`indexer.reading` cuts a text into roles at them.
"""

from __future__ import annotations

import re

# Latin-script markers after which the rest of the clause is use context.
CONTEXT_LATIN = re.compile(
    r"(?<![\w])(?:dùng\s+(?:cho|để|trong|làm|với|sản\s+xuất)|dung\s+(?:cho|de|trong|lam|san\s+xuat)|sử\s+dụng\s+(?:cho|trong|để|với)|su\s+dung\s+(?:cho|trong|de)"
    r"|dành\s+cho|danh\s+cho|lắp\s+(?:cho|trên|vào|đặt)|lap\s+(?:cho|tren|vao)|(?<=cắm\s|gắn\s)(?:vào|lên|trên)|(?<=cam\s|gan\s)(?:vao|len|tren)|phục\s+vụ|phuc\s+vu|ứng\s+dụng|ung\s+dung"
    r"|của|trong\s+(?:máy|hệ\s+thống|ngành|sản\s+xuất)|cho|để"
    # what comes with the goods is no goods asked for ("Lập lách nối ray … kèm bu lông")
    r"|(?<!không\s)(?<!ko\s)(?<!k\s)kèm(?:\s+theo)?"
    # What a part holds or fixes is its use: "Kẹp chữ U giữ cuộn dây", "Dùng cố định điện thoại";
    # not a fixed type ("loại cố định") or "giữ nhiệt" (keeps warm).
    r"|(?<!loại\s)(?<!gắn\s)(?<!đặt\s)(?<!được\s)(?:giữ|cố\s+định)(?!\s+(?:nhiệt|ổn))"
    # …and so is what it is used to do ("dùng đo nhiệt độ", "dùng sạc pin", "dùng đóng gói")
    r"|dùng(?=\s+(?:cố\s+định|giữ|gắn|kẹp|treo|bắt|nối|lắp|đỡ|đóng\s+gói|sạc|điều\s+khiển|lọc|bảo\s+vệ|bảo\s+quản"
    r"|đo|phát|sửa\s+chữa|hiển\s+thị|dẫn|cấp|dán|chuyển|kết\s+nối|biến|ốp|vệ\s+sinh|may|che|truyền)(?![\w]))"
    r"|for\s+use\s+(?:in|on|with)|used\s+(?:in|on|for|to|with|as)|to\s+be\s+used|for|to\s+fit|fits?|fitted\s+(?:to|on|in)"
    r"|(?:that|which)\s+(?:holds?|fix(?:es)?|secures?|attach(?:es)?|mounts?|goes?|connects?|supports?)"
    # an infinitive of purpose: "cartons to ship our control boards", "a cover to protect the pump"
    r"|to\s+(?:hold|fix|secure|attach|mount|ship|pack(?:age)?|protect|carry|transport|store|cover|wrap|seal|connect)"
    r"|protecting|covering"
    r"|holding|fixing|securing|applications?\s*[:：]|application\s+in|in\s+(?:our|the)\s+\w+\s+(?:plant|factory|line)"
    r"|(?:end[\s-]?)?(?:use|usage)\s*[:：]"
    r"|customers?\s+include|serving)(?![\w])",
    re.IGNORECASE,
)
# A maker right before "for" / "cho" is to make what follows, not serve its use: "a die caster
# for motor housings", "Injection moulder wanted for ABS covers", "xưởng đúc nhôm cho vỏ hộp số",
# "đơn vị dập cho giá đỡ". English puts the maker noun just before the marker; Vietnamese may name
# its process after it ("xưởng đúc nhôm"). Matched against the text before a bare "for" or "cho".
MAKER_BEFORE = re.compile(
    r"(?<![\w])(?:(?:suppliers?|makers?|manufacturers?|vendors?|partners?|subcontractors?|moulders?|molders?"
    r"|die[\s-]?casters?|foundr(?:y|ies)|forges?|stampers?|fabricators?|machinists?|platers?|workshops?"
    r"|(?:machine|job|press|welding|forging|stamping)\s+shops?)(?:\s+(?:wanted|needed|required))?"
    r"|(?:xưởng|xuong|nhà\s+máy|nha\s+may|đơn\s+vị|don\s+vi|cơ\s+sở|co\s+so|nhà\s+thầu|nha\s+thau"
    r"|đối\s+tác|doi\s+tac)(?:\s+[^\W\d_]+){0,3})\s*$",
    re.IGNORECASE,
)
# "Plastic storage box with stainless steel hinges": what follows "with" is a component or a
# feature of the goods (reading.COMPONENT), not the goods; its words weigh as other text, and its
# form and material say nothing about how the goods are made.
WITH_LATIN = re.compile(r"\s+with\s+(?=\w)", re.IGNORECASE)
# "<service> of <object>": the object of a process is context ("heat treatment of gears").
OF = re.compile(r"(?<![\w])of(?![\w])", re.IGNORECASE)
# "bằng" before a power source says how the thing runs, not what it is made of ("hoạt động bằng
# tay", "tủ hấp bằng điện"); before a method, how it is made.
POWERED_BY = (
    r"(?:điện|dien|tay|chân|chan|khí\s*nén|khi\s*nen|hơi|hoi|pin|ắc\s*quy|ac\s*quy|động\s*cơ|dong\s*co"
    r"|thủy\s*lực|thuỷ\s*lực|thuy\s*luc|xăng|xang|gas|năng\s*lượng|nang\s*luong"
    # …nor before a method ("bằng phương pháp ép khuôn", "bằng công nghệ cắt laser", "bằng máy")
    r"|phương\s*pháp|phuong\s*phap|công\s*nghệ|cong\s*nghe|máy|dây\s*chuyền|robot)(?![\w])"
)
MATERIAL_LATIN = re.compile(
    rf"(?<![\w])(?:(?:bằng|bang)(?!\s+{POWERED_BY})|chất\s*liệu|chat\s*lieu|vật\s*liệu|vat\s*lieu|làm\s+từ"
    r"|lam\s+tu|made\s+(?:of|from)|material\s*[:：]?|thành\s*phần\s*[:：]?|thanh\s*phan\s*[:：]?)(?![\w])"
    # customs shorthand: "CL: thép", "CL nhựa" (chất liệu), "TP: 100% polyester" (thành phần;
    # only with its colon, as "TP" alone is a city: "TP. HCM")
    r"|(?<![\w/])(?:cl|c/l)(?:\s*[:：]|\s+(?=[^\W\d_]))|(?<![\w/])tp\s*[:：]"
    # a spec sheet's material field in Chinese, Japanese and Korean: "材质：SPCC", "재질: SUS304"
    r"|(?:材质|材質|재질|소재)\s*[:：]",
    re.IGNORECASE,
)
# Head-final languages put the use before the item: "モーター用の銅線", "모터용 동선", "电机用漆包线".
CONTEXT_BEFORE_CJK = re.compile(
    # 用 (for), not inside a word: 使用寿命 (service life), 年用量 (yearly volume), 用途, 用户.
    r"(?<![使作费通采选试应适运享信利引])专?用(?!途|于|於|量|户|品)の?"
    r"|向けの?|のための|に使用する|に使う|용(?=\s|$|의|으로|[^\w])|를?\s*위한|에\s*사용(?:되는|하는)"
    # …and what a part holds or fixes, in a clause before it: "コイルを固定するクリップ",
    # "코일을 고정하는 클립" (not "部品を調達する": only verbs of holding, and a noun after them).
    r"|を(?:固定する|保持する|支持する|接続する|連結する|締結する|取り?付ける|押さえる|保護する|支える|留める)"
    r"(?:ための)?(?=[^\s、。，,])"
    r"|(?:을|를)\s*(?:고정|지지|연결|보호|체결|장착)(?:하는|하기\s*위한|시키는)(?=\s*\w)"
    # …and whom a firm delivers to: "家電メーカーに納入", "가전 업체에 납품" (from after the goods,
    # OBJECT_BEFORE_CJK: "プレス部品を家電メーカーに納入" makes pressings)
    r"|(?P<delivered>(?:に|へ)(?:納入|納品|供給|出荷)|(?:에|에게)\s*(?:납품|공급|수출))"
)
# The end of the goods a firm delivers, before whom it delivers them to: the object's particle,
# or a verb's connective ("부품을 생산하여 …에 납품").
OBJECT_BEFORE_CJK = re.compile(r"を|(?<=\S)(?:을|를)\s|(?:하여|하고|해서|하며)\s")
# Chinese puts a relative clause before its noun with 的: "固定汽车脚垫的卡扣" (a clip that fixes
# floor mats), read as use context when a clause opens with a verb of holding.
FIXING_ZH = re.compile(r"(?:固定|夹持|紧固|支撑|连接|卡住|锁紧)[^，。,；;的]{1,15}的")
# …and the industries a profile serves: "服务于半导体与医疗行业", "面向汽车行业".
# …and whom it supplies: "供应运动鞋品牌" (not "专业供应冲压件", which is what it supplies).
CONTEXT_AFTER_ZH = re.compile(
    r"(?:用于|適用於|适用于|应用于|用於|服务于|服務於|面向"
    # …and "服务电子和家电客户" (serves … customers), not "服务" as a service sold
    r"|服务(?=[^，。；,;]{1,12}?(?:品牌|厂商|客户|企业|工厂|厂家|公司|行业))"
    r"|供(?:应|货)给?(?=[^，。；,;]{1,12}?(?:品牌|厂商|客户|企业|工厂|厂家|公司))"
    # …and a spec sheet's use field: "用途：空调外机", "용도: 에어컨 실외기"
    r"|用途\s*[:：]|용도\s*[:：])"
)
# "为鞋类、手袋和汽车座椅提供成品牛皮革": whom the goods are for, between 为 and the verb of supply
FOR_WHOM_ZH = re.compile(
    r"(?<![成作认因以称])为(?![了主止])([^，。；,;]{1,30}?)(?:提供|供应|供货|配套|生产|制造|加工|采购|定制)"
)
# …and what a finishing process or a part belongs to before it: "歯車の浸炭焼き入れ", "齿轮的热处理",
# "기어의 열처리" are heat treatment, of gears; "电机的漆包线" is winding wire. Not before a process
# that makes the part: "シートカバーの縫製" is bought from whoever makes seat covers.
OBJECT_OF_PROCESS_CJK = re.compile(r"の|的|의(?=\s)")
# A leading label that says whose part the goods are (reading.CATEGORY), commas and all: "Bộ
# phận không đồng bộ của bếp điện cs 8kw,220v, dùng trong gia đình: Thanh cảm ứng điều chỉnh bếp".
PART_OF_LABEL = re.compile(
    r"^\s*((?:bộ\s+phận|linh\s+kiện|phụ\s+kiện|phụ\s+tùng|spare\s+parts?|parts?|accessor(?:y|ies))(?![\w])"
    r"[^:：.。\n]{3,120})[:：]\s*(?=\S)",
    re.IGNORECASE,
)
# A label that names a field or a spec is no category: "Cuộn cảm EFD20 công suất danh định: 125mA".
FIELD_LABEL = re.compile(
    r"(?:^|\s)(?:kt|kích\s*thước|model|mã|nsx|hiệu|chất\s*liệu|vật\s*liệu|cl|tp|thành\s*phần|xuất\s*xứ|size|material"
    r"|brand|type|(?<!kim\s)loại"  # not "… kim loại" (metal): "Bộ phận của máy cắt kim loại: …"
    r"|công\s*suất|điện\s*áp|dòng\s*điện|định\s*mức|danh\s*định|dung\s*tích|trọng\s*lượng|khối\s*lượng|màu(?:\s*sắc)?"
    r"|tốc\s*độ|áp\s*suất|lưu\s*lượng|nhiệt\s*độ|chiều\s*(?:dài|rộng|cao)|độ\s*dày|đường\s*kính|quy\s*cách"
    r"|công\s*dụng|sử\s*dụng|tiêu\s*chuẩn|voltage|power|capacity|weight|colou?r|dimensions?|qty|quantity|specs?"
    r"|specifications?)$",
    re.IGNORECASE,
)
# Goods named only as a part ("Phụ tùng", "Bộ ruột", "spare parts", "部品"): what they are part
# of, named after "của" / "cho" / "for" or before "用", says who makes them, as a category would.
GENERIC_PART = re.compile(
    r"(?:(?:bộ|các|cac)\s+)?(?:bộ\s+phận|bo\s+phan|linh\s+kiện|linh\s+kien|phụ\s+kiện|phu\s+kien|phụ\s+tùng"
    r"|phu\s+tung|chi\s+tiết|chi\s+tiet|ruột|ruot|(?:(?:spare|replacement)\s+)?parts?|components?|部品|零件|配件|部件|부품)"
    r"(?:\s+(?:thay\s+thế|thay\s+the|rời|roi|dự\s+phòng|du\s+phong))?",
    re.IGNORECASE,
)
