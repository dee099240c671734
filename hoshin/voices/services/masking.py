"""Finding and masking personal details in text a citizen wrote, before anyone publishes it.

``mask(text, known=...)`` returns the masked text and what it found, so a person can see each
hit (``highlight``) and correct the proposal before it goes out. Detection is deliberately
generous — a false hit costs the editor a click, a miss puts a citizen's phone number on the
internet — and a person always confirms.

What is found (``Kind``):

- the writer's own details when known (name, e-mail, phone, address from VoiceWriter), in any
  spacing and in full- or half-width characters;
- names next to honorifics (「山田様」「ヤマダさん」「田中氏」), after 氏名/名前, and in
  self-introductions (「私は山田太郎と申します」「私は山田です」);
- phone numbers (03-1234-5678, 090-1234-5678, (03)1234-5678, 0312345678, +81 …), with
  full-width digits and any dash;
- e-mail addresses;
- postal codes (〒123-4567, 123-4567);
- addresses: a prefecture or municipality followed by a block number (丁目, 番地, 番・号,
  1-2-3), or any block number with 丁目/番地.

Text is compared after a one-to-one width fold (full-width ASCII → ASCII, every dash → "-"),
so offsets in the folded text are offsets in the original.
"""

import html
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.safestring import SafeString, mark_safe


class Kind(StrEnum):
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    POSTAL_CODE = "postal_code"
    ADDRESS = "address"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def replacement(self) -> str:
        return REPLACEMENTS[self]


KIND_LABELS = {
    Kind.NAME: "氏名",
    Kind.PHONE: "電話番号",
    Kind.EMAIL: "メールアドレス",
    Kind.POSTAL_CODE: "郵便番号",
    Kind.ADDRESS: "住所",
}
# A name keeps its honorific around the mark (〇〇様), as published letters usually read.
REPLACEMENTS = {
    Kind.NAME: "〇〇",
    Kind.PHONE: "【電話番号】",
    Kind.EMAIL: "【メールアドレス】",
    Kind.POSTAL_CODE: "【郵便番号】",
    Kind.ADDRESS: "【住所】",
}
ALL_KINDS = frozenset(Kind)
# What a department is shown of the writer's text: contact details go, names and places stay
# (a department must know *which* crossing is dangerous). See selectors/access.py.
CONTACT_KINDS = frozenset({Kind.PHONE, Kind.EMAIL, Kind.POSTAL_CODE})


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int
    original: str

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass
class MaskResult:
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def counts(self) -> dict[str, int]:
        """How many hits of each kind, by label (for the confirmation summary)."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.label] = counts.get(finding.label, 0) + 1
        return counts


# ---- width fold (one character → one character) ------------------------------------------

_DASHES = "‐‑‒–—―−ー－ｰ─━"
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # ！..～ → !..~
_FOLD.update({ord(ch): ord("-") for ch in _DASHES})
_FOLD.update({0x3000: ord(" "), ord("（"): ord("("), ord("）"): ord(")")})


def fold(text: str) -> str:
    """Full-width ASCII to ASCII and every dash to "-", keeping the length."""
    return text.translate(_FOLD)


# ---- patterns -----------------------------------------------------------------------------

_KANJI = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ\U00020000-\U0003134f"
_KATAKANA = r"\u30a1-\u30fa\u30fc\u30fd\u30fe"  # ァ..ヺ ー ヽ ヾ (the fold turned ー into "-")
_NAME_CHARS = f"[{_KANJI}{_KATAKANA}]"
# A katakana name may hold a long-vowel mark, which the fold turned into "-".
_NAME_PART = rf"{_NAME_CHARS}(?:{_NAME_CHARS}|-(?=[{_KATAKANA}])){{0,7}}"
_NAME = rf"{_NAME_PART}(?: {_NAME_PART})?"
_HONORIFIC = r"(?:様|さま|さん|サン|氏|君|くん|ちゃん|殿|先生)"

# Words that stand before an honorific or after 私は without being anyone's name.
_NOT_NAMES = {
    "皆",
    "皆々",
    "お客",
    "客",
    "神",
    "仏",
    "奥",
    "お母",
    "お父",
    "お兄",
    "お姉",
    "娘",
    "息子",
    "子供",
    "子ども",
    "市長",
    "副市長",
    "議長",
    "職員",
    "担当",
    "担当者",
    "業者",
    "店員",
    "運転手",
    "近所",
    "隣",
    "お隣",
    "市民",
    "住民",
    "利用者",
    "先生",
    "学生",
    "高校生",
    "中学生",
    "小学生",
    "大学生",
    "主婦",
    "母親",
    "父親",
    "高齢者",
    "障害者",
    "会社員",
    "公務員",
    "賛成",
    "反対",
    "心配",
    "不安",
    "残念",
    "安心",
    "疑問",
    "不満",
    "大変",
    "感謝",
    "同感",
    "同意",
    "年金生活者",
    "自営業",
    "無職",
    "地元",
    "地域",
    "町内会",
    "自治会",
    "役所",
    "市役所",
    "行政",
    "国",
    "県",
    "市",
    "町",
    "村",
    "区",
    "みな",
    "皆様",
    "スタッフ",
    "ボランティア",
    "ドライバー",
    "ヘルパー",
    "ケアマネ",
    "ケアマネージャー",
}
_NOT_NAME_ENDINGS = tuple("長員者師客民達方人族親母父兄姉弟妹所課係局庁社店屋業会校院署団")
# 「私は○○です」 also introduces feelings and opinions (私は大変不満です): words with these
# endings or parts are not taken for names there.
_NOT_NAME_BEFORE_DESU = tuple("的感中気念満配対成安題変心意見望要")
_NOT_NAME_PARTS = ("不", "無", "非", "未", "大変", "とても")


def _looks_like_name(word: str, *, before_desu: bool = False) -> bool:
    word = word.strip(" -")
    if not word or word in _NOT_NAMES_FOLDED or word.endswith(_NOT_NAME_ENDINGS):
        return False
    if before_desu:
        return not (word.endswith(_NOT_NAME_BEFORE_DESU) or any(p in word for p in _NOT_NAME_PARTS))
    return True


_NOT_NAMES_FOLDED = {fold(word) for word in _NOT_NAMES}

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"(?<![\d-])(?:"
    r"(?:\+81[ -]?|\(0\d{1,4}\)[ -]?)\d{1,4}[ -]?\d{1,4}[ -]?\d{3,4}"  # +81 …, (03)1234-5678
    r"|0\d{1,4}[ -]\d{1,4}[ -]\d{3,4}"  # 03-1234-5678, 090 1234 5678
    r"|0\d{1,4}\(\d{1,4}\)\d{3,4}"  # 03(1234)5678
    r"|0\d{9,10}"  # 0312345678, 09012345678
    r")(?![\d-])"
)
_POSTAL = re.compile(r"〒 ?\d{3}-?\d{4}(?!\d)|(?<![\d-])\d{3}-\d{4}(?![\d-])")
_PREFECTURE = r"(?:東京都|北海道|(?:京都|大阪)府|[" + _KANJI + r"]{2,3}県)"
_MUNICIPALITY = rf"(?:[{_KANJI}{_KATAKANA}]{{1,6}}?[市区町村郡])"
_NUMBER = r"(?:\d+|[一二三四五六七八九十]+)"
_BLOCK = (
    rf"(?:{_NUMBER}丁目(?: ?\d+(?:番地?|-)(?: ?\d+(?:号|-\d+)?)?)?"  # 3丁目, 3丁目4番5号
    rf"|\d+番地(?:の\d+)?(?: ?\d+号)?"  # 123番地, 123番地の4
    rf"|\d+番(?!目)(?: ?\d+号)"  # 4番5号
    rf"|\d+-\d+(?:-\d+)?(?![\d-]))"  # 1-2-3 (only after a place name, see below)
)
_ADDRESS = re.compile(
    rf"(?:{_PREFECTURE} ?)?(?:{_MUNICIPALITY} ?)+[{_KANJI}{_KATAKANA}ヶケ]{{0,8}}? ?{_BLOCK}"
    rf"|{_PREFECTURE} ?[{_KANJI}{_KATAKANA}]{{1,12}}? ?{_BLOCK}"
    rf"|[{_KANJI}{_KATAKANA}]{{1,8}}{_NUMBER}丁目(?: ?\d+(?:番地?|-)(?: ?\d+(?:号|-\d+)?)?)?"
    rf"|[{_KANJI}{_KATAKANA}]{{0,8}}(?<!\d)\d+番地(?:の\d+)?"
)
_HONORIFIC_NAME = re.compile(rf"({_NAME})(?={_HONORIFIC})")
_LABELLED_NAME = re.compile(rf"(?:氏名|お名前|名前)\s*[:：は]?\s*({_NAME})")
_SELF_INTRO = re.compile(
    rf"(?:私は|わたしは|私、|僕は|自分は)\s*({_NAME})\s*(?=と申します|といいます|と言います|です)"
    rf"|({_NAME})\s*(?=と申します)"
)


def _literal(value: str) -> re.Pattern | None:
    """A pattern for a known value that tolerates any spacing and dash (full or half width)."""
    folded = "".join(fold(value).split())
    if len(folded) < 2:
        return None
    parts = [re.escape(ch) if ch != "-" else "-?" for ch in folded]
    return re.compile(r"[ ]*".join(parts), re.IGNORECASE)


def _name_parts(name: str) -> list[str]:
    """The full name and its parts of two or more characters (姓 and 名 written apart)."""
    name = fold(name).strip()
    parts = [part for part in name.split() if len(part) >= 2]
    return [name, *parts] if len(parts) > 1 else [name]


def find(
    text: str,
    *,
    names: tuple[str, ...] = (),
    known: tuple[tuple[Kind, str], ...] = (),
    kinds: frozenset[Kind] = ALL_KINDS,
) -> list[Finding]:
    """Every personal detail found in ``text``, in order, without overlaps."""
    folded = fold(text)
    spans: list[tuple[int, int, Kind]] = []

    def add(start: int, end: int, kind: Kind) -> None:
        if end > start:
            spans.append((start, end, kind))

    # Known values first: they win over the patterns where both match.
    for kind, value in known:
        pattern = _literal(value) if value else None
        if pattern is not None:
            for match in pattern.finditer(folded):
                add(match.start(), match.end(), kind)
    for name in names:
        for part in _name_parts(name) if name else []:
            pattern = _literal(part)
            if pattern is not None:
                for match in pattern.finditer(folded):
                    add(match.start(), match.end(), Kind.NAME)
    if Kind.EMAIL in kinds:
        for match in _EMAIL.finditer(folded):
            add(match.start(), match.end(), Kind.EMAIL)
    if Kind.POSTAL_CODE in kinds:
        for match in _POSTAL.finditer(folded):
            add(match.start(), match.end(), Kind.POSTAL_CODE)
    if Kind.PHONE in kinds:
        for match in _PHONE.finditer(folded):
            add(match.start(), match.end(), Kind.PHONE)
    if Kind.ADDRESS in kinds:
        for match in _ADDRESS.finditer(folded):
            add(match.start(), match.end(), Kind.ADDRESS)
    if Kind.NAME in kinds:
        for pattern in (_HONORIFIC_NAME, _LABELLED_NAME, _SELF_INTRO):
            for match in pattern.finditer(folded):
                group = next(g for g in range(1, (pattern.groups or 0) + 1) if match.group(g))
                word = match.group(group).rstrip(" -")
                before_desu = pattern is _SELF_INTRO and folded.startswith("です", match.end())
                if _looks_like_name(word, before_desu=before_desu):
                    add(match.start(group), match.start(group) + len(word), Kind.NAME)
    return _without_overlaps(text, spans)


def _without_overlaps(text: str, spans: list[tuple[int, int, Kind]]) -> list[Finding]:
    """Keep the earliest span of overlapping ones (the longer when they start together)."""
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    findings: list[Finding] = []
    end_of_last = -1
    for start, end, kind in spans:
        if start < end_of_last:
            if findings and end > findings[-1].end and start <= findings[-1].end:
                last = findings[-1]  # extend the previous hit over the overlap
                findings[-1] = Finding(last.kind, last.start, end, text[last.start : end])
                end_of_last = end
            continue
        findings.append(Finding(kind, start, end, text[start:end]))
        end_of_last = end
    return findings


def mask(
    text: str,
    *,
    names: tuple[str, ...] = (),
    known: tuple[tuple[Kind, str], ...] = (),
    kinds: frozenset[Kind] = ALL_KINDS,
) -> MaskResult:
    """``text`` with every finding replaced by its kind's mark (〇〇, 【電話番号】 …)."""
    text = text or ""
    findings = find(text, names=names, known=known, kinds=kinds)
    pieces, position = [], 0
    for finding in findings:
        pieces.append(text[position : finding.start])
        pieces.append(finding.kind.replacement)
        position = finding.end
    pieces.append(text[position:])
    return MaskResult(text="".join(pieces), findings=findings)


def writer_known_values(writer) -> tuple[tuple[str, ...], tuple[tuple[Kind, str], ...]]:
    """(names, known values) of a VoiceWriter (or None) for ``mask``."""
    if writer is None:
        return (), ()
    names = (writer.name,) if writer.name else ()
    known = tuple(
        (kind, value)
        for kind, value in (
            (Kind.EMAIL, writer.email),
            (Kind.PHONE, writer.phone),
            (Kind.ADDRESS, writer.postal_address),
        )
        if value
    )
    # A postal address often starts with its postal code; the address lines alone are known too.
    for line in (writer.postal_address or "").splitlines():
        line = line.strip()
        if line and line != writer.postal_address.strip():
            known += ((Kind.ADDRESS, line),)
    return names, known


def mask_for_writer(text: str, writer, *, kinds: frozenset[Kind] = ALL_KINDS) -> MaskResult:
    """``mask`` with the writer's own details added to what is looked for."""
    names, known = writer_known_values(writer)
    return mask(text, names=names, known=known, kinds=kinds)


def highlight(text: str, findings: list[Finding]) -> SafeString:
    """``text`` as HTML with each finding in a <mark> naming its kind (for the editor)."""
    pieces, position = [], 0
    for finding in findings:
        pieces.append(html.escape(text[position : finding.start]))
        pieces.append(
            f'<mark class="masked masked--{finding.kind.value}">'
            f"{html.escape(finding.original)}"
            f'<span class="visually-hidden">（{finding.label}）</span></mark>'
        )
        position = finding.end
    pieces.append(html.escape(text[position:]))
    return mark_safe("".join(pieces).replace("\n", "<br>"))


def highlight_marks(masked_text: str) -> SafeString:
    """The masked text as HTML with each mark (〇〇, 【電話番号】 …) highlighted."""
    marks = sorted(set(REPLACEMENTS.values()), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(mark) for mark in marks))
    pieces, position = [], 0
    for match in pattern.finditer(masked_text):
        pieces.append(html.escape(masked_text[position : match.start()]))
        pieces.append(f'<mark class="masked">{html.escape(match.group())}</mark>')
        position = match.end()
    pieces.append(html.escape(masked_text[position:]))
    return mark_safe("".join(pieces).replace("\n", "<br>"))
