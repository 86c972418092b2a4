"""Normalisation of what market-supervision registries and subdistrict ledgers hold.

Plain Python (no Django) so the matcher can be imported and benchmarked on its own.

Names become a *core trade name* ("上海鸿睿餐饮管理有限公司静安分公司" → "鸿睿") with the
branch marker kept apart ("静安分公司"), so that chains with several branches do not collapse
into one. Addresses become (road, number, rest) with the subdistrict's own road list; general
address parsers misread Shanghai street addresses ("石门二路123号" → 湖南省常德市石门县), so none
is used. Credit codes are checked with the GB 32100-2015 check character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

# Credit codes have one implementation for the whole project; re-exported for the matcher.
from jiequ.core.credit_code import (  # noqa: F401
    CREDIT_CODE_CHARS,
    CREDIT_CODE_WEIGHTS,
    credit_code_valid,
    normalise_credit_code,
)

# --- shared vocabulary -------------------------------------------------------------------------

# Shanghai's districts, longest first so "浦东新区" wins over "浦东".
SHANGHAI_DISTRICTS = (
    "浦东新区",
    "静安",
    "黄浦",
    "徐汇",
    "长宁",
    "普陀",
    "虹口",
    "杨浦",
    "闵行",
    "宝山",
    "嘉定",
    "浦东",
    "金山",
    "松江",
    "青浦",
    "奉贤",
    "崇明",
)
_DISTRICT_ALT = "|".join(SHANGHAI_DISTRICTS)

# A bare district name is only a prefix when it is not the start of a road or landmark:
# "奉贤路", "静安寺", "长宁支路" keep their first two characters.
_NOT_AFTER_DISTRICT = "路街道巷弄寺里坊桥支区县镇新城"

# "中国", "上海市", "上海", "静安区", "浦东新区", "静安" at the start, repeatedly.
_PLACE_PREFIX_RE = re.compile(
    rf"^(?:中国|上海市|上海|(?:{_DISTRICT_ALT})区|浦东新区|(?:{_DISTRICT_ALT})(?![{_NOT_AFTER_DISTRICT}]))"
)

# Whole bracket notes that are a place ("(上海)", "(中国)", "(静安区)").
_PLACE_NOTE_RE = re.compile(rf"^(?:中国|上海市?|(?:{_DISTRICT_ALT})区?|浦东新区)+$")

# Organisation forms (suffixes). LEGAL_FORMS are the registered legal forms only; the stem of a
# name keeps everything else ("鸿睿餐饮管理"), the core drops all of ORG_FORMS.
LEGAL_FORMS = (
    "集团股份有限公司",
    "股份有限公司",
    "集团有限公司",
    "有限责任公司",
    "个人独资企业",
    "个体工商户",
    "有限公司",
    "合伙企业",
    "有限合伙",
    "普通合伙",
    "股份公司",
    "集团公司",
    "总公司",
    "公司",
    "集团",
    "个体",
)
ORG_FORMS = (
    *LEGAL_FORMS,
    "事务所",
    "工作室",
    "经营部",
    "门市部",
    "服务部",
    "营业部",
    "修配部",
    "商行",
    "商店",
    "商号",
    "中心",
    "店",
    "铺",
    "馆",
    "厂",
    "坊",
    "院",
    "行",
    "社",
    "部",
)

# Industry and shop-kind words between the trade name and the organisation form. Also the
# two-character heads people abbreviate them to ("房地" for 房地产经纪, "人力" for 人力资源).
INDUSTRY_WORDS = (
    # companies
    "餐饮管理",
    "餐饮服务",
    "餐饮",
    "食品",
    "国际贸易",
    "进出口",
    "贸易",
    "商贸",
    "信息科技",
    "网络科技",
    "教育科技",
    "生物科技",
    "医药科技",
    "数据科技",
    "环保科技",
    "科技",
    "信息技术",
    "技术",
    "电子商务",
    "文化传播",
    "文化传媒",
    "文化发展",
    "体育发展",
    "文化",
    "传媒",
    "传播",
    "企业管理",
    "管理咨询",
    "商务咨询",
    "咨询",
    "投资管理",
    "资产管理",
    "投资",
    "酒店管理",
    "物业管理",
    "健康管理",
    "供应链管理",
    "管理",
    "实业",
    "发展",
    "服务",
    "会展",
    "商务",
    "经营",
    "物业",
    "房地产经纪",
    "房地产",
    "经纪",
    "广告",
    "设计",
    "装饰",
    "装潢",
    "建筑",
    "工程",
    "教育",
    "培训",
    "健康",
    "医疗",
    "医药",
    "物流",
    "供应链",
    "人力资源",
    "网络",
    "信息",
    "电子",
    "软件",
    "数据",
    "环保",
    "智能",
    "体育",
    "企业",
    "房地",
    "人力",
    "供应",
    # shops
    "美容美发",
    "美容",
    "美发",
    "美甲",
    "造型",
    "理发",
    "健身",
    "养生",
    "推拿",
    "足浴",
    "保健",
    "酒店",
    "宾馆",
    "旅馆",
    "旅行",
    "汽车",
    "大药房",
    "药房",
    "便利",
    "超市",
    "水果",
    "生鲜",
    "烟酒",
    "烟杂",
    "名酒行",
    "酒行",
    "名酒",
    "花店",
    "书店",
    "鞋店",
    "茶叶",
    "粮油",
    "百货",
    "日用品",
    "服饰",
    "服装",
    "时装",
    "眼镜",
    "视光",
    "钟表",
    "五金",
    "家居",
    "电器",
    "数码",
    "通讯",
    "文印",
    "印务",
    "印刷",
    "照相",
    "摄影",
    "干洗",
    "洗衣",
    "花艺",
    "鲜花",
    "宠物",
    "棋牌",
    "咖啡",
    "茶饮",
    "奶茶",
    "饮品",
    "烘焙",
    "面包",
    "蛋糕",
    "甜品",
    "小吃",
    "快餐",
    "早餐",
    "生煎",
    "小笼",
    "馄饨",
    "熟食",
    "麻辣烫",
    "烧腊",
    "粥",
    "面馆",
    "小馆",
    "小厨",
    "茶餐厅",
    "餐厅",
    "饭店",
    "酒家",
    "酒楼",
    "菜馆",
    "火锅",
    "烧烤",
    "料理",
    "食府",
    "茶室",
    "茶馆",
)
_SUFFIX_WORDS = frozenset((*ORG_FORMS, *INDUSTRY_WORDS))
_LEGAL_WORDS = frozenset(LEGAL_FORMS)
_INDUSTRY_SET = frozenset(INDUSTRY_WORDS)


_WordTable = dict[str, tuple[tuple[int, frozenset[str]], ...]]


def _by_length(words: frozenset[str]) -> _WordTable:
    """Words by their last character, then by length, longest first.

    Longest first, so "小馆" is stripped whole rather than "馆" then "小"; a look-up checks only
    the lengths of words ending in the same character, several times faster than one big
    regex alternation.
    """
    table: dict[str, dict[int, set[str]]] = {}
    for w in words:
        table.setdefault(w[-1], {}).setdefault(len(w), set()).add(w)
    return {
        last: tuple((n, frozenset(ws)) for n, ws in sorted(by_n.items(), reverse=True))
        for last, by_n in table.items()
    }


_SUFFIXES_BY_LEN = _by_length(_SUFFIX_WORDS)
_LEGAL_BY_LEN = _by_length(_LEGAL_WORDS)
_INDUSTRY_BY_LEN = _by_length(_INDUSTRY_SET)
_SHOP_WORDS_IN_DIAN_BY_LEN = _by_length(
    frozenset(w for w in _SUFFIX_WORDS if len(w) > 1 and w.endswith("店"))
)

# A branch after the company form: "…有限公司静安分公司", "…有限公司南京西路店".
_COMPANY_BRANCH_RE = re.compile(r"^(.+?公司)(.+?(?:分公司|分店|门店|营业部|分部|店))$")
# The branch word at the end of a shop name, with an ordinal ("第一分店", "二店", "3号店").
_BRANCH_TAIL_RE = re.compile(
    r"(?:第?[0-9一二三四五六七八九十百]+号?)?"
    r"(?:分公司|分店|门店|营业部|分部|旗舰店|直营店|总店|加盟店|体验店|专卖店|概念店|店)$"
)
_LANDMARK_RE = re.compile(r"(?:广场|中心|大厦|商场|商城|城|坊|寺|站|桥)$")
_DISTRICT_IN_RE = re.compile(_DISTRICT_ALT)
_PLACE_BEFORE_RE = re.compile(rf"(?:上海市?|(?:{_DISTRICT_ALT})区?|浦东新区)$")
_ROAD_ONE_CHAR = frozenset("路街道巷弄")
_DIRECTION_OR_NUMERAL = frozenset("东南西北中一二三四五六七八九十0123456789")
_BRACKET_RE = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")
_BRANCH_NOTE_RE = re.compile(r"(?:分公司|分店|门店|营业部|分部|店)$")
_ORG_NOTE_RE = re.compile(r"^(?:有限合伙|普通合伙|集团|个体工商户|个体|个人独资|特殊普通合伙)$")
_NON_WORD_RE = re.compile(r"[\W_]+")
_SPACE_RE = re.compile(r"\s+")


def halfwidth(text: str) -> str:
    """Full-width to half-width (NFKC), whitespace removed, Latin letters lower case.

    >>> halfwidth("ＡＢＣ　咖啡（静安店）")
    'abc咖啡(静安店)'
    """
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def strip_place_prefix(text: str) -> str:
    """Drop leading "中国", "上海(市)", district names ("静安区", "浦东新区", "静安").

    A bare district name stays when a road or landmark follows ("奉贤路", "静安寺"), and nothing
    is dropped when it would leave the name empty.

    >>> strip_place_prefix("上海市静安区鸿睿餐饮")
    '鸿睿餐饮'
    >>> strip_place_prefix("奉贤路小吃"), strip_place_prefix("上海金山咖啡有限公司")
    ('奉贤路小吃', '金山咖啡有限公司')
    """
    while True:
        m = _PLACE_PREFIX_RE.match(text)
        if not m or m.end() >= len(text):
            return text
        rest = text[m.end() :]
        if m.group() in _BARE_DISTRICTS and _only_suffix_words(rest):
            return text  # "金山咖啡", "宝山餐饮有限公司": the district name is the brand
        text = rest


_BARE_DISTRICTS = frozenset(SHANGHAI_DISTRICTS)


def _only_suffix_words(text: str) -> bool:
    """True if `text` is nothing but org forms and industry words ("咖啡有限公司")."""
    while text:
        n = _ends_with(text, len(text), _SUFFIXES_BY_LEN)
        if not n:
            return False
        text = text[:-n]
    return True


def _bracket_notes(text: str) -> tuple[str, str]:
    """Remove bracket notes: places and org forms vanish, a branch note is returned apart.

    Any other note keeps its content without the brackets ("鸿睿(餐饮)" → "鸿睿餐饮").

    >>> _bracket_notes("鸿睿(上海)餐饮管理有限公司(静安店)")
    ('鸿睿餐饮管理有限公司', '静安店')
    """
    branch = ""

    def repl(m: re.Match[str]) -> str:
        nonlocal branch
        note = m.group(1)
        if not note or _PLACE_NOTE_RE.match(note) or _ORG_NOTE_RE.match(note):
            return ""
        if _BRANCH_NOTE_RE.search(note):
            branch = branch or note
            return ""
        return note

    return _BRACKET_RE.sub(repl, text), branch


def _ends_with(text: str, end: int, table: _WordTable) -> int:
    """Length of the longest listed word ending at text[end], or 0."""
    if end <= 0:
        return 0
    for n, words in table.get(text[end - 1], ()):
        if end >= n and text[end - n : end] in words:
            return n
    return 0


def _strip(text: str, by_len: _WordTable) -> str:
    """Strip listed words from the end while something is left.

    >>> _strip("鸿睿餐饮管理有限公司", _SUFFIXES_BY_LEN)
    '鸿睿'
    """
    while True:
        n = _ends_with(text, len(text), by_len)
        if not n or n >= len(text):
            return text
        text = text[:-n]


def _shop_branch_start(text: str) -> int:
    """Where the branch marker of a shop name starts ("鸿睿小馆南京西路店" → 4), or 0 if none.

    The place of a "<place>店" marker starts after the last industry or shop word
    ("瑞幸咖啡|静安嘉里中心店"); without one, at a district name, or two characters before the
    road word (three with a direction or numeral: "星巴克|南京西路店", "老王|江宁路店"), or two
    before a landmark word. A bare "店" after a shop word is the org form, not a branch
    ("张记小吃店"); an ordinal or a branch word alone is ("张记小吃二店", "鸿睿分店").
    """
    m = _BRANCH_TAIL_RE.search(text)
    if not m or m.start() == 0:
        return 0
    tail = m.start()
    plain = m.group() == "店"
    if plain and _ends_with(text, len(text), _SHOP_WORDS_IN_DIAN_BY_LEN):
        return 0  # "张记花店", "张记日用品商店": the shop word, not a branch
    for p in range(tail, 0, -1):
        if _ends_with(text, p, _INDUSTRY_BY_LEN):
            # One character between the shop word and 店 is part of a word ("日用品商店").
            return p if not plain or tail - p >= 2 else 0
    d = _DISTRICT_IN_RE.search(text, 1, tail + 2)
    if d:
        return d.start()
    if text[tail - 1] in _ROAD_ONE_CHAR and tail >= 3:
        width = 3 if text[tail - 2] in _DIRECTION_OR_NUMERAL else 2
        return max(tail - 1 - width, 0)
    lm = _LANDMARK_RE.search(text, 0, tail)
    if lm:
        return max(lm.start() - 2, 0)
    # "鸿睿旗舰店", "鸿睿二店": markers without a place.
    return 0 if plain else tail


def _with_place_before(text: str, start: int) -> int:
    """Move a branch start back over a district or city right before it ("静安|第一分公司")."""
    m = _PLACE_BEFORE_RE.search(text, 0, start)
    if m and m.start() > 0:
        return m.start()
    return start


class NameParts(NamedTuple):
    """A name taken apart; see split_name."""

    core: str  # core trade name ("鸿睿")
    branch: str  # branch marker as written ("静安分公司"), or ""
    stem: str  # name without place, legal form or branch, industry words kept ("鸿睿餐饮管理")
    form: str  # legal form: "公司", "个体" (individual business), "合伙", "独资" or "" unknown


def legal_form(name: str) -> str:
    """The kind of legal entity a name states: "公司", "个体", "合伙", "独资", or "".

    A company and an individual business with the same trade name are different entities.

    >>> legal_form("上海鸿睿咖啡有限公司"), legal_form("静安区鸿睿咖啡（个体工商户）")
    ('公司', '个体')
    >>> legal_form("鸿睿企业管理合伙企业（有限合伙）"), legal_form("鸿睿咖啡")
    ('合伙', '')
    """
    for word, form in _FORM_WORDS:
        if word in name:
            return form
    return ""


_FORM_WORDS = (("个体", "个体"), ("合伙", "合伙"), ("独资", "独资"), ("公司", "公司"))


@lru_cache(maxsize=65536)
def split_name(name: str) -> NameParts:
    """(core trade name, branch marker, stem, legal form) of a registered name or a sign.

    The stem keeps the industry words ("鸿睿餐饮管理"); the core drops them too ("鸿睿").

    >>> split_name("上海鸿睿餐饮管理有限公司静安分公司")
    NameParts(core='鸿睿', branch='静安分公司', stem='鸿睿餐饮管理', form='公司')
    >>> tuple(split_name("鸿睿小馆(南京西路店)"))
    ('鸿睿', '南京西路店', '鸿睿小馆', '')
    >>> tuple(split_name("上海市静安区老王面馆(个体工商户)"))
    ('老王', '', '老王面馆', '个体')
    """
    text = halfwidth(name)
    form = legal_form(text)
    text, branch = _bracket_notes(text)
    # The place prefix goes first, so "上海市静安区张记花店" is not read as a 静安 branch.
    text = strip_place_prefix(_NON_WORD_RE.sub("", text))
    m = _COMPANY_BRANCH_RE.match(text)
    if m:
        text, branch = m.group(1), branch or m.group(2)
    else:
        start = _shop_branch_start(text)
        if start > 0:
            start = _with_place_before(text, start)
            text, branch = text[:start], branch or text[start:]
    return NameParts(_strip(text, _SUFFIXES_BY_LEN), branch, _strip(text, _LEGAL_BY_LEN), form)


def name_key(name: str) -> str:
    """The core trade name: no place prefix, bracket notes, org form, industry words or branch.

    >>> name_key("上海鸿睿餐饮管理有限公司静安分公司")
    '鸿睿'
    >>> name_key("鸿睿（上海）信息科技有限公司")
    '鸿睿'
    >>> name_key("ＡＢＣ咖啡（静安店）")
    'abc'
    """
    return split_name(name)[0]


def branch_of(name: str) -> str:
    """The branch marker of a name as written (NFKC), or "".

    >>> branch_of("上海鸿睿餐饮管理有限公司静安第一分公司")
    '静安第一分公司'
    >>> branch_of("全家便利店(石门二路店)")
    '石门二路店'
    >>> branch_of("鸿睿餐饮管理有限公司")
    ''
    """
    return split_name(name)[1]


_BRANCH_WORD_RE = re.compile(r"(?:分公司|分店|门店|营业部|分部|店)$")


def branch_key(branch: str) -> str:
    """A branch marker reduced for comparison: "静安第一分公司" → "静安1", "江宁路店" → "江宁路".

    >>> branch_key("第二分店") == branch_key("二店") == "2"
    True
    >>> branch_key("上海南京西路分公司") == branch_key("南京西路店")
    True
    """
    text = _BRANCH_WORD_RE.sub("", halfwidth(branch))
    text = strip_place_prefix(text).replace("第", "").removesuffix("号")
    return cn_numerals_to_arabic(text)


def bigrams(text: str) -> set[str]:
    """Character bigrams; a one-character text is its own only gram.

    >>> sorted(bigrams("鸿睿祥"))
    ['睿祥', '鸿睿']
    """
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


@cache
def _char_pinyin(char: str) -> str:
    # Imported lazily: pypinyin loads its dictionaries on first use (about 0.3 s).
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0]


def pinyin(text: str) -> str:
    """Toneless pinyin, one syllable per character, space separated.

    Each character takes its default reading on its own (no phrase context), which keeps the
    key identical on both sides and is about 20 times faster than phrase look-up.

    >>> pinyin("鸿睿") == pinyin("鸿瑞") == "hong rui"
    True
    """
    return " ".join(_char_pinyin(c) for c in text)


@cache
def _readings(char: str) -> frozenset[str]:
    from pypinyin import Style
    from pypinyin import pinyin as _pinyin

    return frozenset(_pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def homophones(a: str, b: str) -> bool:
    """True if `a` and `b` can be read the same, character by character, any reading counted.

    Catches homophones hidden by a character's default reading (勒 is "lei" by default, but
    also "le", like 乐).

    >>> homophones("勒福", "乐福"), homophones("鸿睿", "鸿瑞"), homophones("鸿睿", "鸿达")
    (True, True, False)
    """
    return len(a) == len(b) and all(
        x == y or not _readings(x).isdisjoint(_readings(y)) for x, y in zip(a, b, strict=True)
    )


class _SoundTable(dict[int, str]):
    """str.translate table: code point → one private-use character per toneless syllable
    (there are about 400), filled on first sight of each character."""

    def __init__(self) -> None:
        super().__init__()
        self.syllables: dict[str, str] = {}

    def __missing__(self, point: int) -> str:
        syllable = _char_pinyin(chr(point))
        code = self.syllables.get(syllable)
        if code is None:
            code = self.syllables[syllable] = chr(0xF0000 + len(self.syllables))
        self[point] = code
        return code


_SOUND_TABLE = _SoundTable()


def sound_key(text: str) -> str:
    """The pinyin of `text` as one code character per syllable, for fast string metrics.

    Homophones get the same key, and character metrics on keys (edit distance, containment)
    count syllables, not letters.

    >>> sound_key("鸿睿") == sound_key("鸿瑞") != sound_key("鸿达")
    True
    >>> len(sound_key("鸿睿祥"))
    3
    """
    return text.translate(_SOUND_TABLE)


# --- numerals ------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM_RE = re.compile("[〇零一二两三四五六七八九十百千]+")


def cn_to_int(text: str) -> int:
    """A Chinese numeral as an integer, positional ("一百二十三") or digit by digit ("一二三").

    >>> [cn_to_int(s) for s in ("一百二十三", "十五", "二〇一", "一千零八", "两百")]
    [123, 15, 201, 1008, 200]
    """
    if not any(c in _CN_UNITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        else:
            digit = _CN_DIGITS[c] if digit is None or digit == 0 else digit * 10 + _CN_DIGITS[c]
    return total + (digit or 0)


def cn_numerals_to_arabic(text: str) -> str:
    """Every run of Chinese numerals replaced by Arabic digits.

    >>> cn_numerals_to_arabic("一百二十三号三楼")
    '123号3楼'
    """
    return _CN_NUM_RE.sub(lambda m: str(cn_to_int(m.group())), text)


def int_to_cn(n: int) -> str:
    """Small integers (0–99) as road names write them: 2 → "二", 12 → "十二", 21 → "二十一".

    >>> [int_to_cn(n) for n in (2, 10, 12, 21, 40)]
    ['二', '十', '十二', '二十一', '四十']
    """
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    if tens >= 10:
        return str(n)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# --- addresses -----------------------------------------------------------------------------------

_ROAD_ARABIC_RE = re.compile(r"(?<=[\u4e00-\u9fff])(\d{1,2})(?=(?:路|马路|支路|街|大道|巷))")


def normalise_road(road: str) -> str:
    """A road name with Arabic ordinals written in Chinese, as street signs do.

    Both sides go through this, so "石门2路" and "石门二路" meet at "石门二路" and the road's
    own numeral never turns into a house number.

    >>> normalise_road("石门2路") == normalise_road("石门二路") == "石门二路"
    True
    """
    return _ROAD_ARABIC_RE.sub(_road_numeral, halfwidth(road))


def _road_numeral(m: re.Match[str]) -> str:
    return int_to_cn(int(m.group(1)))


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed address: road ("石门二路"), house number ("123", "1025弄5"), and the rest."""

    road: str
    number: str
    rest: str

    @property
    def building_key(self) -> str:
        """Road and number, floors and rooms ignored; "" unless both are known."""
        return f"{self.road}{self.number}号" if self.road and self.number else ""


_ADDR_PREFIX_RE = re.compile(
    rf"^(?:中国|上海市|上海|(?:{_DISTRICT_ALT})区|浦东新区|(?:{_DISTRICT_ALT})(?![{_NOT_AFTER_DISTRICT}])"
    r"|[\u4e00-\u9fff]{2,6}?街道|[\u4e00-\u9fff]{2,3}镇(?![路街]))"
)
_ROAD_RE = re.compile(
    r"([\u4e00-\u9fff0-9]{1,12}?(?:大道|路|街|巷|道|弄))"
    r"(?=[0-9〇零一二两三四五六七八九十百千]+(?:[-~至][0-9]+)?(?:号|弄))"
)
# "123号", "123-125号", "1025弄", "1025弄5号", "1025弄3支弄5号", and "123" at the very end.
_NUMBER_RE = re.compile(r"^(\d+)(?:[-~至](\d+))?(?:(号|$)|弄(?:(\d+)支弄)?(?:(\d+)号?)?)")
_UNIT_RES = (
    (re.compile(r"(\d+)(?:号楼|幢|栋|座|号座)"), r"\1栋"),
    (re.compile(r"(?:F(\d+)|(\d+)F)(?![a-z])", re.IGNORECASE), r"\1\2层"),
    (re.compile(r"(\d+)(?:楼|层)"), r"\1层"),
    (re.compile(r"(\d+)(?:室|房)"), r"\1室"),
)


def _strip_address_prefix(text: str) -> str:
    while True:
        m = _ADDR_PREFIX_RE.match(text)
        if not m or m.end() >= len(text):
            return text
        text = text[m.end() :]


def normalise_units(text: str) -> str:
    """Building, floor and room words unified; Chinese numerals in Arabic.

    >>> normalise_units("恒隆广场一号楼三楼301房")
    '恒隆广场1栋3层301室'
    >>> normalise_units("A座12F")
    'a座12层'
    """
    text = cn_numerals_to_arabic(halfwidth(text).replace("號", "号").replace("樓", "楼"))
    for rx, repl in _UNIT_RES:
        text = rx.sub(repl, text)
    return text


@lru_cache(maxsize=64)
def _road_pattern(roads: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a road list, normalised like addresses; cached per list."""
    # Longest first: "南京西路" must win over "南京路" when both are listed.
    names = sorted({normalise_road(r) for r in roads if r}, key=len, reverse=True)
    return re.compile("|".join(re.escape(r) for r in names)) if names else None


def road_and_number(addr: str, roads: Iterable[str] = ()) -> tuple[str, str, str]:
    """(road, number, what follows): the part of parse_address the matcher needs.

    >>> road_and_number("静安区石门2路一百二十三号三楼")
    ('石门二路', '123', '3楼')
    """
    text = _BRACKET_RE.sub("", halfwidth(addr).replace("號", "号"))
    text = _ROAD_ARABIC_RE.sub(_road_numeral, _strip_address_prefix(text))
    road, after = "", text
    pattern = _road_pattern(roads if isinstance(roads, tuple) else tuple(roads))
    if pattern is not None:
        # Prefer a listed road followed by a number ("石门二路街道南京西路1号" → 南京西路).
        hits = list(pattern.finditer(text))
        numbered = [m for m in hits if _CN_NUM_START.match(text, m.end())]
        if hits:
            found = (numbered or hits)[0]
            road, after = found.group(), text[found.end() :]
    if not road:
        m = _ROAD_RE.search(text)
        if not m:
            return "", "", text
        road, after = m.group(1), text[m.end() :]
    after = cn_numerals_to_arabic(after)
    m = _NUMBER_RE.match(after)
    if not m:
        return road, "", after
    first, _to, hao, lane_sub, lane_no = m.groups()  # "123-125号" is filed under 123
    if hao is not None:
        number = first
    else:
        number = f"{first}弄" + (f"{lane_sub}支弄" if lane_sub else "") + (lane_no or "")
    return road, number, after[m.end() :]


def parse_address(addr: str, roads: Iterable[str] = ()) -> Address:
    """Parse an address into (road, number, rest), with the subdistrict's road list first.

    Province, city, district and subdistrict prefixes are optional, bracket notes
    ("(近江宁路)") are dropped, Chinese numerals after the road become Arabic, and
    号/弄/支弄/楼/层/幢/栋/座/室 are unified. Without a listed road, "<X>(路|街|大道|巷|道|弄)<n>号"
    is recognised.

    >>> parse_address("上海市静安区石门二路一百二十三号")
    Address(road='石门二路', number='123', rest='')
    >>> parse_address("南京西路1025弄5号(近石门一路)3楼", roads=["南京西路"])
    Address(road='南京西路', number='1025弄5', rest='3层')
    """
    road, number, rest = road_and_number(addr, roads)
    return Address(road, number, normalise_units(rest))


_CN_NUM_START = re.compile(r"[0-9〇零一二两三四五六七八九十百千]")


def address_key(addr: str, roads: Iterable[str] = ()) -> str:
    """Building-level key ("石门二路123号"), floors and rooms removed; "" when unparsed.

    >>> address_key("上海市静安区石门二路一百二十三号三楼") == address_key("石门二路123号")
    True
    """
    return parse_address(addr, roads).building_key
