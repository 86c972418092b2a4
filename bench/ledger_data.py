"""Synthetic ledger ↔ registry data for the matcher benchmark (静安区 石门二路街道, Shanghai).

`generate(n_ledger, n_registry, seed)` returns the subdistrict's ledger (底账) records, the
market-supervision registry extract and the set of true (ledger_id, registry_id) pairs.

Every ledger record that has a registry counterpart differs from it in realistic ways, each at
its own rate: name left empty with only the shop sign, credit code missing (~40%) or mistyped,
abbreviated names, homophone typos, full-/half-width brackets and digits, address variants
(district prefix, Chinese numerals, floor/room dropped or added, "(近XX路)" notes). Chains have
several branches on different roads; some ledger rows carry only the chain's sign. Closed
businesses (~5% of the ledger) have no registry row; new businesses are the extra registry rows;
a few "twins" share a trade name but are different businesses at different addresses.

`generate_detailed` also returns, per ledger id, the tags of the differences applied, so a
benchmark can break recall down by kind. `write_csvs` writes the `jiequ match` CSV contract.

Pure Python, no Django; 300,000 × 300,000 takes a few seconds.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

from jiequ.ledger.matching import LedgerRecord, RegistryRecord

# --------------------------------------------------------------------------- vocabulary

#: Roads of the subdistrict and its neighbours (all real roads in 静安区).
ROADS: tuple[str, ...] = (
    "石门二路", "新闸路", "康定路", "江宁路", "北京西路", "南京西路", "山海关路", "大田路",
    "泰兴路", "奉贤路", "成都北路", "武定路", "昌平路", "南苏州路", "西康路", "常德路",
    "胶州路", "延安中路", "威海路", "石门一路", "陕西北路", "茂名北路", "铜仁路", "新昌路",
    "海防路", "余姚路", "淮安路",
)  # fmt: skip
# The subdistrict's own roads are where most entities sit.
_ROAD_WEIGHTS = tuple(
    6 if r in ("石门二路", "新闸路", "康定路", "山海关路", "大田路", "泰兴路", "奉贤路") else
    4 if r in ("北京西路", "南京西路", "江宁路", "成都北路", "武定路", "石门一路") else 1
    for r in ROADS
)  # fmt: skip
_ROAD_CUM = []
_acc = 0
for _w in _ROAD_WEIGHTS:
    _acc += _w
    _ROAD_CUM.append(_acc)

#: Homophones (same pinyin, tones ignored) used for the ledger's typos.
HOMOPHONES: dict[str, str] = {
    "鸿": "宏弘红", "睿": "瑞锐", "华": "骅桦", "盛": "晟胜", "嘉": "佳家", "信": "鑫欣新",
    "达": "大", "恒": "衡亨", "泰": "太", "博": "波柏", "锦": "金今", "源": "元圆", "隆": "龙",
    "丰": "峰锋", "鑫": "新欣", "宝": "保", "佳": "嘉家", "和": "禾合", "顺": "舜", "康": "慷",
    "美": "镁", "天": "添", "宇": "雨羽", "星": "兴", "辰": "晨臣", "润": "闰", "通": "同",
    "明": "铭鸣", "德": "得", "福": "富", "欣": "鑫新", "悦": "越跃", "禾": "和", "林": "琳霖",
    "晨": "辰", "荣": "蓉容", "成": "诚城", "振": "震", "兴": "星", "汇": "惠慧", "聚": "巨",
    "云": "芸耘", "帆": "凡繁", "祥": "翔", "瑞": "睿锐", "益": "逸艺", "众": "重", "诚": "成城",
    "凯": "铠楷", "泽": "则", "浩": "皓昊", "昊": "浩皓", "志": "智致", "智": "志致", "航": "杭",
    "峰": "丰锋", "亿": "艺易", "壹": "一", "鼎": "顶", "卓": "桌", "乐": "勒", "尚": "上",
    "优": "悠", "雅": "亚", "品": "聘", "鹏": "朋", "腾": "藤", "翔": "祥", "飞": "菲",
    "记": "纪", "家": "佳嘉", "氏": "世", "张": "章", "王": "汪", "李": "理", "陈": "沉",
    "杨": "阳", "黄": "皇", "周": "舟", "吴": "无", "徐": "许", "程": "成", "沈": "审",
}  # fmt: skip
_BRAND_CHARS = (
    "鸿睿华盛嘉信达恒泰博锦源隆丰鑫宝佳和顺安康美天宇星辰海润通明德福欣悦禾森林晨光荣成创"
    "振兴汇聚云帆祥瑞益众诚凯泽浩昊志智航峰亿壹鼎卓乐尚优雅品鹏腾翔飞君豪金玉东方新艺彩"
)
_SURNAMES = (
    "张王李赵刘陈杨黄周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜"
    "叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严武戴莫孔向汤"
)
_SHOP_PRODUCTS = (
    "面馆", "小吃店", "水果店", "烟杂店", "理发店", "便利店", "咖啡馆", "花店", "干洗店",
    "茶叶店", "五金店", "早餐店", "生煎馆", "馄饨店", "熟食店", "服装店", "鞋店", "眼镜店",
    "修配部", "文印店", "日用品商店", "酒行", "饮品店", "烘焙坊", "美发店", "宠物店", "菜馆",
    "小笼馆", "麻辣烫店", "烧烤店", "甜品店", "奶茶店", "照相馆", "钟表店", "粮油店",
)  # fmt: skip
_OWNER_MARKS = ("记", "家", "氏", "师傅")
# industry → sign suffixes a street shop of that industry uses
_SHOP_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "餐饮管理": ("餐厅", "小馆", "面馆", "菜馆", "酒家", "茶餐厅"),
    "餐饮": ("餐厅", "小馆", "饭店", "小厨"),
    "商贸": ("商行", "便利店", "超市"),
    "美容美发": ("美发", "造型", "美容院"),
    "服饰": ("服饰", "时装店"),
    "食品": ("食品店", "烘焙坊"),
    "咖啡": ("咖啡", "咖啡馆"),
    "健康管理": ("推拿", "养生馆"),
    "花艺": ("花店", "花艺"),
    "眼镜": ("眼镜店", "视光"),
    "烟酒": ("烟酒店", "名酒行"),
}
_OFFICE_INDUSTRIES = (
    "信息科技", "网络科技", "文化传播", "企业管理咨询", "广告", "建筑装饰工程", "物业管理",
    "教育科技", "投资管理", "设计", "医药科技", "贸易", "人力资源", "会展服务", "电子商务",
    "实业", "房地产经纪", "数据科技", "环保科技", "供应链管理", "文化发展", "体育发展",
)  # fmt: skip
_OTHER_CITIES = ("杭州", "苏州", "南京", "北京", "深圳", "广州", "宁波", "无锡", "成都", "武汉")

# Real chains that have shops around the subdistrict: (brand, corporate name, sign, unit).
_CHAINS: tuple[tuple[str, str, str, str], ...] = (
    ("全家", "全家便利店（上海）有限公司", "全家便利店", "店"),
    ("罗森", "上海罗森便利有限公司", "罗森便利店", "店"),
    ("好德", "上海好德便利有限公司", "好德便利", "店"),
    ("快客", "上海联华快客便利有限公司", "快客便利", "店"),
    ("老盛昌", "上海老盛昌餐饮管理有限公司", "老盛昌汤包", "店"),
    ("来伊份", "上海来伊份股份有限公司", "来伊份", "店"),
    ("瑞幸", "瑞幸咖啡（上海）有限公司", "瑞幸咖啡", "店"),
    ("星巴克", "上海星巴克咖啡经营有限公司", "星巴克咖啡", "店"),
    ("一点点", "上海一点点餐饮管理有限公司", "一点点", "店"),
    ("巴黎贝甜", "巴黎贝甜（上海）食品有限公司", "巴黎贝甜", "店"),
    ("鲜丰水果", "上海鲜丰水果有限公司", "鲜丰水果", "店"),
    ("联华超市", "联华超市股份有限公司", "联华超市", "门店"),
)
_CHAIN_PRODUCTS = ("生煎", "小笼", "奶茶", "咖啡", "水果", "便利", "面包", "烧腊", "粥铺")

_CN_DIGITS = "零一二三四五六七八九"
_TO_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_TO_HALF_BRACKETS = str.maketrans("（）", "()")
_TO_FULL_BRACKETS = str.maketrans("()", "（）")

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_INDEX = {c: i for i, c in enumerate(CREDIT_CODE_CHARS)}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_check_char(first17: str) -> str:
    """GB 32100-2015 check character of the first 17 characters."""
    total = sum(_CREDIT_INDEX[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code_valid(code: str) -> bool:
    return (
        len(code) == 18
        and all(c in _CREDIT_INDEX for c in code)
        and credit_check_char(code[:17]) == code[17]
    )


def cn_number(n: int) -> str:
    """123 → 一百二十三, 15 → 十五, 1005 → 一千零五 (house numbers up to 9,999)."""
    if n == 0:
        return "零"
    out = []
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    zero = False
    for value, unit in units:
        d, n = divmod(n, value)
        if d:
            if zero:
                out.append("零")
                zero = False
            if not (value == 10 and d == 1 and not out):
                out.append(_CN_DIGITS[d])
            out.append(unit)
        elif out and n:
            zero = True
    return "".join(out)


# --------------------------------------------------------------------------- entities


@dataclass(slots=True)
class _Entity:
    kind: str  # individual | shop | office | branch | chain
    name: str  # registered name
    trade: str  # trade name (brand / shop name without industry)
    sign: str  # shop sign, "" for offices
    code: str
    road: str
    no: int
    lane: int | None = None
    floor: int | None = None
    floor_word: str = "层"
    room: str | None = None
    # name parts for abbreviations
    city: str = ""  # "上海" / "上海市静安区" / "" …
    core: str = ""  # "鸿睿餐饮管理"
    form: str = ""  # "有限公司" / "（个体工商户）"
    tail: str = ""  # "静安分公司" / "石门二路店"
    sign_trade: str = ""  # brand on the sign when it differs from the registered one
    chain_key: int = -1
    twin: bool = False
    status: str = ""  # both | closed | new
    tags: list[str] = field(default_factory=list)


class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.names: set[str] = set()
        self.codes: set[str] = set()
        self.addresses: dict[tuple[str, int], int] = {}

    # ----------------------------------------------------------------- pieces
    def road(self) -> str:
        r = self.rng.random() * _ROAD_CUM[-1]
        lo, hi = 0, len(_ROAD_CUM) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if _ROAD_CUM[mid] <= r:
                lo = mid + 1
            else:
                hi = mid
        return ROADS[lo]

    def credit_code(self, individual: bool) -> str:
        rng = self.rng
        while True:
            r = rng.random()
            area = (
                "310106"
                if r < 0.7
                else "310108"
                if r < 0.82
                else "310000"
                if r < 0.95
                else "310101"
            )
            head = ("92" if individual else "91") + area
            if rng.random() < 0.6:
                org = "MA" + "".join(rng.choices(CREDIT_CODE_CHARS, k=7))
            else:  # an old organisation code (GB 11714) with its own check digit
                body = f"{rng.randrange(100_000_000):08d}"
                c = 11 - sum(int(d) * w for d, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
                org = body + ("X" if c == 10 else "0" if c == 11 else str(c))
            first17 = head + org
            code = first17 + credit_check_char(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def brand(self) -> str:
        rng = self.rng
        k = 2 if rng.random() < 0.8 else 3
        return "".join(rng.sample(_BRAND_CHARS, k))

    def place(self, e: _Entity, office: bool, road: str | None = None) -> None:
        rng = self.rng
        e.road = road or self.road()
        if office:
            if rng.random() < 0.35:
                e.lane = rng.randint(1, 1200)
                e.no = rng.randint(1, 40)
            else:
                e.no = rng.randint(1, 1600)
            e.floor = rng.randint(2, 30)
            e.room = f"{e.floor}{rng.randint(1, 30):02d}" if rng.random() < 0.8 else None
            if rng.random() < 0.15:
                e.floor = None
        else:
            e.no = rng.randint(1, 1600)
            if rng.random() < 0.08:
                e.lane = rng.randint(1, 1200)
                e.no = rng.randint(1, 40)
            if rng.random() < 0.3:
                e.floor = 1
                e.floor_word = rng.choice(("层", "楼"))
        e.floor_word = "楼" if rng.random() < 0.15 else e.floor_word

    def unique(self, name: str) -> bool:
        if name in self.names:
            return False
        self.names.add(name)
        return True

    # ----------------------------------------------------------------- entity kinds
    def individual(self, trade: str | None = None) -> _Entity:
        rng = self.rng
        for attempt in range(1000):
            if trade is None:
                product = rng.choice(_SHOP_PRODUCTS)
                if rng.random() < 0.55:
                    stem = rng.choice(_SURNAMES) + rng.choice(_OWNER_MARKS)
                else:
                    stem = self.brand()
                t = stem + product
            else:  # a twin: same trade name, so the registered name needs a branch marker
                t = stem = trade
            if rng.random() < 0.85:
                city, form = "上海市静安区", "（个体工商户）"
            else:
                city, form = "静安区", ""
            core = t if attempt == 0 or trade is None else f"{t}{rng.choice(ROADS)}店"
            name = city + core + form
            if self.unique(name):
                break
        sign = t if rng.random() < 0.85 else stem
        if len(sign) < 2:
            sign = t
        e = _Entity("individual", name, t, sign, self.credit_code(True), "", 0)
        e.city, e.core, e.form = city, core, form
        self.place(e, office=False)
        return e

    def company(
        self,
        office: bool,
        brand: str | None = None,
        sign: str | None = None,
        industries: tuple[str, ...] = (),
    ) -> _Entity:
        rng = self.rng
        for attempt in range(1000):
            b = self.brand() if brand is None else brand
            if brand is not None and attempt >= 20:  # fixed brand exhausted: lengthen it
                b = brand + rng.choice(_BRAND_CHARS)
            if industries:
                industry = rng.choice(industries)
                shop_words = _SHOP_INDUSTRIES.get(industry, ("店",))
            elif office:
                industry = rng.choice(_OFFICE_INDUSTRIES)
                shop_words: tuple[str, ...] = ()
            else:
                industry = rng.choice(tuple(_SHOP_INDUSTRIES))
                shop_words = _SHOP_INDUSTRIES[industry]
            form = "有限公司" if rng.random() < 0.95 else "股份有限公司"
            name = f"上海{b}{industry}{form}"
            if self.unique(name):
                break
        sign_trade = b
        if sign is None and not office and rng.random() < 0.25:
            # the shop trades under a sign unrelated to its registered name
            sign_trade = self.brand() if rng.random() < 0.6 else rng.choice(_SURNAMES) + "记"
        if sign is None:
            sign = "" if office else sign_trade + rng.choice(shop_words)
        e = _Entity("office" if office else "shop", name, b, sign, self.credit_code(False), "", 0)
        e.sign_trade = sign_trade
        e.city, e.core, e.form = "上海", b + industry, form
        self.place(e, office=office)
        return e

    def branch(self) -> tuple[_Entity, _Entity | None]:
        rng = self.rng
        while True:
            b = self.brand()
            industry = rng.choice(_OFFICE_INDUSTRIES)
            if rng.random() < 0.7:
                city, tail = "上海", rng.choice(("静安分公司", "静安第一分公司", "静安区分公司"))
            else:
                city, tail = rng.choice(_OTHER_CITIES), rng.choice(("上海分公司", "上海静安分公司"))
            parent = f"{city}{b}{industry}有限公司"
            name = parent + tail
            if parent not in self.names and self.unique(name):
                break
        e = _Entity("branch", name, b, "", self.credit_code(False), "", 0)
        e.city, e.core, e.form, e.tail = city, b + industry, "有限公司", tail
        self.place(e, office=True)
        parent_entity = None
        if city == "上海" and rng.random() < 0.3:  # the parent company also sits in the area
            self.names.add(parent)
            parent_entity = _Entity("office", parent, b, "", self.credit_code(False), "", 0)
            parent_entity.city, parent_entity.core, parent_entity.form = "上海", e.core, "有限公司"
            self.place(parent_entity, office=True)
            parent_entity.twin = True
            e.twin = True
        return e, parent_entity

    def chain(self, key: int, n_branches: int) -> list[_Entity]:
        rng = self.rng
        if key < len(_CHAINS):
            brand, corp, sign, unit = _CHAINS[key]
            core = corp.removesuffix("股份有限公司").removesuffix("有限公司")
            form = corp[len(core) :]
        else:
            while True:
                brand = self.brand() + rng.choice(_CHAIN_PRODUCTS)
                core = f"上海{brand}餐饮管理"
                corp = core + "有限公司"
                if self.unique(corp):
                    break
            form, sign, unit = "有限公司", brand, rng.choice(("店", "分店"))
        roads_used: dict[str, int] = {}
        out = []
        for _ in range(n_branches):
            road = self.road()
            k = roads_used.get(road, 0) + 1
            roads_used[road] = k
            tail = f"{road}{'' if k == 1 else cn_number(k)}{unit}"
            name = corp + tail
            if not self.unique(name):
                continue
            e = _Entity("chain", name, brand, sign, self.credit_code(False), "", 0)
            e.city, e.core, e.form, e.tail = "", core, form, tail
            e.chain_key = key
            self.place(e, office=False, road=road)
            out.append(e)
        return out

    def twin_of(self, e: _Entity) -> _Entity:
        """A different business with the same trade name / sign, elsewhere."""
        if e.kind == "individual":
            stem = e.trade[: len(e.trade) - len(_product_of(e.trade))] or e.trade
            food = any(w in e.trade for w in ("面", "馆", "小吃", "早餐", "馄饨", "熟食", "烧烤"))
            t = self.company(
                office=False,
                brand=stem,
                sign=e.sign,
                industries=("餐饮管理", "餐饮") if food else ("商贸",),
            )
        else:
            t = self.individual(trade=e.sign or e.trade)
            t.sign = e.sign or e.trade
        if self.rng.random() < 0.5:  # same road, another number
            while abs(t.no - e.no) < 4:
                t.no = self.rng.randint(1, 1600)
            t.road = e.road
        while t.road == e.road and t.no == e.no:
            t.road = self.road()
        t.twin = e.twin = True
        return t


# --------------------------------------------------------------------------- rendering

_STREET = ("individual", "shop", "chain")


def _product_of(trade: str) -> str:
    for p in _SHOP_PRODUCTS:
        if trade.endswith(p):
            return p
    return ""


def _address(
    e: _Entity,
    *,
    prefix: str,
    cn: bool = False,
    floor: bool = True,
    room: bool = True,
    add_floor: str = "",
    note: str = "",
    fullwidth: bool = False,
    no_hao: bool = False,
    floor_word: str | None = None,
) -> str:
    num = cn_number if cn else str
    parts = [prefix, e.road]
    if e.lane is not None:
        parts.append(f"{num(e.lane)}弄")
    bare = no_hao and e.lane is None and not note and not add_floor
    bare = bare and not (floor and e.floor is not None) and not (room and e.room is not None)
    parts.append(num(e.no) if bare else f"{num(e.no)}号")
    if note:
        parts.append(note)
    if floor and e.floor is not None:
        parts.append(f"{num(e.floor)}{floor_word or e.floor_word}")
    elif add_floor:
        parts.append(add_floor)
    if room and e.room is not None:
        parts.append(f"{e.room}室")
    s = "".join(parts)
    return s.translate(_TO_FULLWIDTH_DIGITS) if fullwidth else s


def _registry_view(e: _Entity, rng: random.Random) -> tuple[str, str]:
    name = e.name
    if "（" in name and rng.random() < 0.08:
        name = name.translate(_TO_HALF_BRACKETS)
    r = rng.random()
    prefix = "上海市静安区" if r < 0.93 else "上海市" if r < 0.96 else "静安区"
    return name, _address(e, prefix=prefix)


def _homophone(text: str, rng: random.Random, trade: str = "") -> str:
    """Replace one character that has a homophone, inside the trade name when it is there."""
    start = text.find(trade) if trade else -1
    span = range(start, start + len(trade)) if start >= 0 else range(len(text))
    positions = [i for i in span if text[i] in HOMOPHONES]
    if not positions:
        positions = [i for i, c in enumerate(text) if c in HOMOPHONES]
    if not positions:
        return text
    i = rng.choice(positions)
    return text[:i] + rng.choice(HOMOPHONES[text[i]]) + text[i + 1 :]


def _abbreviation(e: _Entity, rng: random.Random) -> str:
    if e.kind == "individual":
        return rng.choice((e.core, "静安区" + e.core, e.core + "（个体）", "上海市静安区" + e.core))
    if e.kind == "chain":
        return rng.choice((e.sign + e.tail, e.trade + e.tail, e.core + e.tail))
    if e.kind == "branch":
        city = e.city if e.city != "上海" else ""
        return rng.choice(
            (
                city + e.core + e.form + e.tail,
                e.city + e.core + e.tail,
                city + e.core + e.tail,
            )
        )
    industry = e.core[len(e.trade) :]
    short_industry = industry[:2] if len(industry) > 2 else industry
    return rng.choice(
        (
            e.core + e.form,  # drop 上海
            e.city + e.core,  # drop 有限公司
            e.core,  # drop both
            e.trade + short_industry,  # 鸿睿餐饮
            e.city + e.core + "公司",  # drop 有限
            "上海市" + e.core + e.form,  # 上海 → 上海市
        )
    )


def _number_typo(n: int, rng: random.Random) -> int:
    digits = str(n)
    if len(digits) >= 2 and digits[-1] != digits[-2] and rng.random() < 0.5:
        return int(digits[:-2] + digits[-1] + digits[-2])
    return n + rng.choice((-2, -1, 1, 2)) if n > 2 else n + 2


def _ledger_view(
    e: _Entity, rng: random.Random, roads: tuple[str, ...], g: _Gen
) -> tuple[str, ...]:
    tags = e.tags
    has_shop_sign = bool(e.sign)
    # ---- name and sign
    r = rng.random()
    if has_shop_sign and r < 0.22:
        name = ""
        tags.append("sign_only")
    elif r < 0.38:
        name = _abbreviation(e, rng)
        tags.append("abbreviated")
    else:
        name = e.name
    if has_shop_sign:
        s = rng.random()
        if e.kind == "chain":
            if s < 0.45:
                sign = e.sign
            elif s < 0.8:
                sign = f"{e.sign}（{e.tail}）"
            else:
                sign = e.trade
        elif s < 0.7 or not name:
            sign = e.sign
            if e.kind == "shop" and s < 0.15:
                sign = e.sign_trade
            elif e.kind == "shop" and s < 0.3:
                sign = e.sign_trade + rng.choice(("店", "小馆", "餐厅"))
        else:
            sign = ""
        if not name and not sign:
            sign = e.sign
    else:
        sign = e.trade if rng.random() < 0.2 else ""
    if e.kind != "chain" and rng.random() < 0.06:
        tags.append("homophone")
        if name and (not sign or rng.random() < 0.5):
            name = _homophone(name, rng, e.trade)
            if sign and rng.random() < 0.5:
                sign = _homophone(sign, rng, e.trade)
        elif sign:
            sign = _homophone(sign, rng, e.trade)
    if ("（" in name or "(" in name) and rng.random() < 0.4:
        name = name.translate(_TO_HALF_BRACKETS if "（" in name else _TO_FULL_BRACKETS)
        tags.append("bracket_width")
    if "（" in sign and rng.random() < 0.4:
        sign = sign.translate(_TO_HALF_BRACKETS)
    # ---- credit code
    r = rng.random()
    if r < 0.40:
        code = ""
        tags.append("no_code")
    elif r < 0.415:
        i = rng.randrange(18)
        code = e.code[:i] + rng.choice(CREDIT_CODE_CHARS.replace(e.code[i], "")) + e.code[i + 1 :]
        tags.append("code_typo")
    elif r < 0.43:
        code = e.code.lower() if rng.random() < 0.5 else f" {e.code} "
        tags.append("code_format")
    else:
        code = e.code
    # ---- address
    r = rng.random()
    prefix = (
        "" if r < 0.45 else "静安区" if r < 0.6 else "上海静安区" if r < 0.65 else "上海市静安区"
    )
    if prefix != "上海市静安区":
        tags.append("addr_prefix")
    kw: dict = {"prefix": prefix}
    if rng.random() < 0.06:
        kw["cn"] = True
        tags.append("addr_cn_numerals")
    if e.floor is not None and rng.random() < 0.25:
        kw["floor"] = False
        tags.append("addr_floor_dropped")
    elif e.floor is None and e.kind in ("individual", "shop", "chain") and rng.random() < 0.1:
        kw["add_floor"] = rng.choice(("1层", "一楼", "底层"))
        tags.append("addr_floor_added")
    elif e.floor is not None and rng.random() < 0.15:
        kw["floor_word"] = "楼" if e.floor_word == "层" else "层"
    if e.room is not None and rng.random() < 0.2:
        kw["room"] = False
        tags.append("addr_room_dropped")
    if rng.random() < 0.08:
        other = rng.choice(roads)
        while other == e.road:
            other = rng.choice(roads)
        kw["note"] = f"（近{other}）" if rng.random() < 0.5 else f"(近{other})"
        tags.append("addr_note")
    if rng.random() < 0.04:
        kw["fullwidth"] = True
        tags.append("addr_fullwidth")
    if rng.random() < 0.03:
        kw["no_hao"] = True
    where = e
    r = rng.random()
    if e.status == "both" and r < 0.04:
        # the ledger has where the business operates, the registry its registered address
        where = replace(e)
        g.place(where, office=e.kind in ("office", "branch"), road=None if r < 0.02 else e.road)
        while where.road == e.road and where.no == e.no:
            where.no = rng.randint(1, 1600)
        tags.append("addr_other")
    elif e.status == "both" and r < 0.06:
        where = replace(e, no=_number_typo(e.no, rng))
        tags.append("addr_number_typo")
    address = _address(where, **kw)
    if e.kind == "chain":
        tags.append("chain")
    if e.sign_trade and e.sign_trade != e.trade:
        tags.append("sign_unrelated")
    if e.twin:
        tags.append("twin")
    return name, sign, code, address


# --------------------------------------------------------------------------- public API


@dataclass
class Dataset:
    ledger: list
    registry: list
    truth: set[tuple[str, str]]
    tags: dict[str, list[str]]  # ledger id → differences applied ("closed" for no counterpart)


def generate_detailed(n_ledger: int, n_registry: int, seed: int = 1) -> Dataset:
    if n_ledger < 0 or n_registry < 0:
        raise ValueError("sizes must be non-negative")
    g = _Gen(seed)
    rng = g.rng
    n_closed = round(0.05 * n_ledger)
    n_both = min(n_ledger - n_closed, n_registry)
    n_closed = n_ledger - n_both
    n_new = n_registry - n_both
    total = n_both + n_closed + n_new

    # ---- entities: chains first (grouped), then twins, then the rest
    entities: list[_Entity] = []
    chain_target = int(total * 0.10)
    key = 0
    while len(entities) < chain_target:
        n = min(rng.randint(2, 8), chain_target - len(entities))
        entities.extend(g.chain(key, max(1, n)))
        key += 1
    twin_pairs: list[tuple[_Entity, _Entity]] = []
    n_twin_pairs = max(1, int(total * 0.01)) if total >= 20 else 0
    while len(entities) < total and len(twin_pairs) < n_twin_pairs:
        a = g.individual() if rng.random() < 0.5 else g.company(office=False)
        b = g.twin_of(a)
        entities += [a, b]
        twin_pairs.append((a, b))
    while len(entities) < total:
        r = rng.random()
        if r < 0.38:
            entities.append(g.individual())
        elif r < 0.65:
            entities.append(g.company(office=False))
        elif r < 0.94:
            entities.append(g.company(office=True))
        else:
            br, parent = g.branch()
            entities.append(br)
            if parent is not None and len(entities) < total:
                entities.append(parent)
    del entities[total:]

    # ---- statuses: a quarter of the twin pairs are the trap "old one closed, new one opened"
    counts = {"both": n_both, "closed": n_closed, "new": n_new}
    for a, b in twin_pairs[: len(twin_pairs) // 4]:
        if counts["closed"] > 0 and counts["new"] > 0:
            a.status, b.status = "closed", "new"
            counts["closed"] -= 1
            counts["new"] -= 1
    pool = ["both"] * counts["both"] + ["closed"] * counts["closed"] + ["new"] * counts["new"]
    rng.shuffle(pool)
    it = iter(pool)
    for e in entities:
        if not e.status:
            e.status = next(it)

    # ---- a closed street shop's premises are often taken over by a new business
    new_shops = [e for e in entities if e.status == "new" and e.kind in _STREET and not e.twin]
    rng.shuffle(new_shops)
    for e in entities:
        if e.status == "closed" and e.kind in _STREET and new_shops and rng.random() < 0.5:
            successor = new_shops.pop()
            successor.road, successor.no, successor.lane = e.road, e.no, e.lane
            successor.floor, successor.room = e.floor, e.room
            e.tags.append("successor_same_address")

    # ---- records
    in_ledger = [e for e in entities if e.status in ("both", "closed")]
    in_registry = [e for e in entities if e.status in ("both", "new")]
    rng.shuffle(in_ledger)
    rng.shuffle(in_registry)
    ledger_ids: dict[int, str] = {}
    registry_ids: dict[int, str] = {}
    ledger, registry = [], []
    tags: dict[str, list[str]] = {}
    for i, e in enumerate(in_registry, 1):
        rid = f"R{i:06d}"
        registry_ids[id(e)] = rid
        name, address = _registry_view(e, rng)
        registry.append(RegistryRecord(id=rid, name=name, credit_code=e.code, address=address))
    for i, e in enumerate(in_ledger, 1):
        lid = f"L{i:06d}"
        ledger_ids[id(e)] = lid
        name, sign, code, address = _ledger_view(e, rng, ROADS, g)
        if e.status == "closed":
            e.tags.append("closed")
        tags[lid] = e.tags
        ledger.append(
            LedgerRecord(id=lid, name=name, sign_name=sign, credit_code=code, address=address)
        )
    truth = {(ledger_ids[id(e)], registry_ids[id(e)]) for e in entities if e.status == "both"}
    return Dataset(ledger, registry, truth, tags)


def generate(n_ledger: int, n_registry: int, seed: int = 1) -> tuple[list, list, set]:
    """Ledger records, registry records and the true (ledger_id, registry_id) pairs."""
    d = generate_detailed(n_ledger, n_registry, seed)
    return d.ledger, d.registry, d.truth


def write_csvs(directory, ledger, registry, truth) -> tuple[Path, Path, Path]:
    """LEDGER.csv, REGISTRY.csv, TRUTH.csv in `directory`, UTF-8 with BOM."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = (d / "LEDGER.csv", d / "REGISTRY.csv", d / "TRUTH.csv")
    with paths[0].open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(("id", "name", "sign_name", "credit_code", "address"))
        w.writerows((r.id, r.name, r.sign_name, r.credit_code, r.address) for r in ledger)
    with paths[1].open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(("id", "name", "credit_code", "address"))
        w.writerows((r.id, r.name, r.credit_code, r.address) for r in registry)
    with paths[2].open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(("ledger_id", "registry_id"))
        w.writerows(sorted(truth))
    return paths


if __name__ == "__main__":  # pragma: no cover - manual use: write a sample
    import argparse
    import time

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n_ledger", type=int)
    p.add_argument("n_registry", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default="var/bench/match")
    a = p.parse_args()
    t0 = time.perf_counter()
    led, reg, tru = generate(a.n_ledger, a.n_registry, a.seed)
    t1 = time.perf_counter()
    for path in write_csvs(a.out, led, reg, tru):
        print(path)
    print(f"generated in {t1 - t0:.1f} s, written in {time.perf_counter() - t1:.1f} s")
