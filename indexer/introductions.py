"""A buyer's introduction of itself, which is use context and never the item.

Briefs often open by saying who asks: "We are a Japanese motorcycle maker in Hanoi…", "当社は
自動車部品メーカーです。", "저희 회사는 농기계 제조사로, …", "我司为出口家具企业，…", "Công ty chúng
tôi sản xuất quạt điện và cần …". The buyer's own industry says what the parts are for, as "dùng
cho" does; read as the item it ranks makers of motorcycles, sockets or fans.

Only requests are read this way: a firm's "We cast ADC12 aluminium parts" is what it offers.
"""

from __future__ import annotations

import bisect
import re

from indexer.noise import GREETING
from models.vocabulary.text import has_cjk

# Who asks, at the start of a clause. English and Vietnamese need a verb of being or making after
# the subject ("We need…" and "Chúng tôi cần…" are the request itself).
_START = re.compile(
    r"(?:we\s+are\s+(?:a|an|the|one\s+of)\b|we're\s+(?:a|an)\b"
    r"|we\s+(?:build|make|assemble|produce|manufacture|run|operate|design|export)\b"
    r"|our\s+(?:company|firm|group|factory|plant|facility)\b[^,.;]{0,40}?\s"
    r"(?:is|makes|builds|assembles|produces|manufactures)\b"
    r"|(?:công\s+ty|cong\s+ty|cty|doanh\s+nghiệp|doanh\s+nghiep|nhà\s+máy|nha\s+may|xưởng|xuong|tập\s+đoàn)?"
    r"\s*(?:của\s+|cua\s+)?(?:chúng\s+tôi|chung\s+toi)\s+"
    r"(?:là|la|sản\s+xuất|san\s+xuat|chuyên|chuyen|lắp\s+ráp|lap\s+rap|chế\s+tạo|che\s+tao|hoạt\s+động|có\s+nhà\s+máy)\b"
    r"|(?:nhà\s+máy|công\s+ty|xưởng|doanh\s+nghiệp)\s[^,.;]{0,40}?của\s+(?:chúng\s+tôi|chung\s+toi)\b"
    # …and as a sales chat says it: "Bên em là công ty sản xuất quạt điện, cần mua …"
    r"|(?:bên|ben)\s+(?:em|mình|minh|tôi|toi|anh|chị|chi)\s+(?:là|la|sản\s+xuất|san\s+xuat|chuyên|chuyen)\b"
    r"|(?:当社|弊社|私たち|私ども|我々|わが社|当グループ|弊グループ|当工場|弊工場)は"
    r"|(?:저희|당사|폐사|우리\s*회사)(?:\s*회사)?(?:는|은)"
    r"|(?:我们|我司|我公司|本公司|我厂|我方|本厂|敝司)(?:是|为|系|作为))",
    re.IGNORECASE,
)
# What turns an introduction into the request: English and Vietnamese state it after the subject
# ("… in Binh Duong and need a local foundry"), so it ends the introduction there; Chinese,
# Japanese and Korean state it at the clause's end ("…を探しています"), so such a clause is no
# introduction at all ("我们为铁路项目采购转向架零件" asks for bogie parts).
_REQUEST = re.compile(
    r"\b(?:need|needs|want|wants|seek|seeks|seeking|require|requires|looking|searching|sourcing|would\s+like"
    r"|source|buy|buying|purchase|purchasing|procure|order|requirement|request|rfq"
    r"|interested|invite|invites|plan\s+to|in\s+need)\b"
    r"|(?<![\w])(?:cần|can|muốn|muon|tìm|tim|có\s+nhu\s+cầu|yêu\s+cầu|mời|đặt\s+hàng|đang\s+tìm)(?![\w])"
    r"|探|募集|求め|調達|依頼|委託|発注|購入|必要|希望|お願い|ほしい|欲しい|したい"
    r"|찾|구합|구매|조달|필요|원합|의뢰|모집|희망|요청|발주"
    r"|采购|寻找|找|需要|求购|购买|订购|定制|委托|招募|征集|寻求|物色|需求",
    re.IGNORECASE,
)
_GREETING = re.compile(GREETING, re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;，；、。.!?\n()（）]")
_SENTENCE_END = re.compile(r"[。.!?\n](?!\d)")


def introductions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch where the buyer introduces itself: from a subject that opens
    a sentence to the request, or to the sentence's end."""
    out: list[tuple[int, int]] = []
    sentence_starts = [0, *(m.end() for m in _SENTENCE_END.finditer(text))]
    for m in _START.finditer(text):
        before = text[sentence_starts[bisect.bisect_right(sentence_starts, m.start()) - 1] : m.start()]
        if _GREETING.sub("", before).strip(" \t,;:!-–—(（，。！"):
            continue  # a subject inside a sentence ("… for use by our company") is no introduction
        end = _introduction_end(text, m.start())
        if end > m.end():
            out.append((m.start(), end))
    return out


def _introduction_end(text: str, start: int) -> int:
    """Clause by clause to the sentence's end, stopping at the request."""
    sentence = _SENTENCE_END.search(text, start + 1)
    stop = sentence.start() if sentence else len(text)
    position = start
    while position < stop:
        boundary = _CLAUSE_END.search(text, position + 1, stop)
        clause_end = boundary.start() if boundary else stop
        request = _REQUEST.search(text, position, clause_end)
        if request:
            return position if has_cjk(text[position:clause_end]) else request.start()
        position = clause_end + 1 if boundary else stop
    return stop
