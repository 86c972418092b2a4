"""Tests for jiequ.ledger.normalise: names, addresses, credit codes (pure Python, no DB)."""

import doctest

import pytest

from jiequ.ledger import normalise
from jiequ.ledger.normalise import (
    Address,
    address_key,
    bigrams,
    branch_key,
    branch_of,
    cn_numerals_to_arabic,
    cn_to_int,
    credit_code_valid,
    halfwidth,
    int_to_cn,
    name_key,
    normalise_credit_code,
    normalise_road,
    normalise_units,
    parse_address,
    pinyin,
    sound_key,
    split_name,
    strip_place_prefix,
)

ROADS = ("石门二路", "石门一路", "南京西路", "江宁路", "奉贤路", "新闸路", "成都北路", "北京西路")


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(normalise)
    assert result.attempted > 30
    assert result.failed == 0


# --- names ---------------------------------------------------------------------------------------


def test_halfwidth() -> None:
    assert halfwidth("ＡＢＣ　咖啡（静安店）") == "abc咖啡(静安店)"
    assert halfwidth(" 鸿睿\t小馆 ") == "鸿睿小馆"
    assert halfwidth("") == ""


@pytest.mark.parametrize(
    ("name", "core"),
    [
        # place prefixes
        ("上海鸿睿餐饮管理有限公司", "鸿睿"),
        ("上海市鸿睿餐饮管理有限公司", "鸿睿"),
        ("上海市静安区鸿睿小吃店", "鸿睿"),
        ("静安区鸿睿小吃店", "鸿睿"),
        ("浦东新区鸿睿贸易有限公司", "鸿睿"),
        ("上海徐汇鸿睿贸易有限公司", "鸿睿"),
        # bracket notes that are places or org forms
        ("鸿睿（上海）信息科技有限公司", "鸿睿"),
        ("鸿睿(中国)投资有限公司", "鸿睿"),
        ("上海鸿睿企业管理合伙企业(有限合伙)", "鸿睿"),
        ("上海市静安区老王面馆（个体工商户）", "老王"),
        ("朱记小吃店（个体）", "朱记"),
        # organisation forms
        ("上海鸿睿实业股份有限公司", "鸿睿"),
        ("上海鸿睿集团有限公司", "鸿睿"),
        ("上海鸿睿贸易有限责任公司", "鸿睿"),
        ("鸿睿工作室", "鸿睿"),
        ("鸿睿五金经营部", "鸿睿"),
        ("鸿睿商行", "鸿睿"),
        ("鸿睿日用品门市部", "鸿睿"),
        # industry words and shop kinds
        ("上海鸿睿网络科技有限公司", "鸿睿"),
        ("上海鸿睿文化传播有限公司", "鸿睿"),
        ("上海鸿睿企业管理咨询有限公司", "鸿睿"),
        ("上海鸿睿实业发展有限公司", "鸿睿"),
        ("上海鸿睿物业管理服务有限公司", "鸿睿"),
        ("鸿瑞餐厅", "鸿瑞"),
        ("鸿睿小馆", "鸿睿"),
        ("鸿睿烘焙坊", "鸿睿"),
        ("张记日用品商店", "张记"),
        ("上海星巴克咖啡经营有限公司", "星巴克"),
        # branch markers are not part of the core
        ("上海鸿睿餐饮管理有限公司静安分公司", "鸿睿"),
        ("上海鸿睿餐饮管理有限公司第一分公司", "鸿睿"),
        ("鸿睿小馆(南京西路店)", "鸿睿"),
        ("鸿睿小馆南京西路店", "鸿睿"),
        ("鸿睿小馆二店", "鸿睿"),
        ("鸿睿旗舰店", "鸿睿"),
        ("星巴克南京西路店", "星巴克"),
        ("瑞幸咖啡静安嘉里中心店", "瑞幸"),
        # Latin letters and full-width
        ("ＡＢＣ咖啡（静安店）", "abc"),
    ],
)
def test_name_key(name: str, core: str) -> None:
    assert name_key(name) == core


def test_name_key_keeps_roads_and_landmarks_that_start_with_a_district() -> None:
    # 奉贤 and 静安 are districts, but 奉贤路 is a road and 静安寺 a temple.
    assert name_key("奉贤路小吃店") == "奉贤路"
    assert name_key("上海静安寺咖啡馆") == "静安寺"
    assert strip_place_prefix("奉贤路小吃") == "奉贤路小吃"
    assert strip_place_prefix("上海市静安区鸿睿") == "鸿睿"


def test_a_district_name_that_is_the_brand_stays() -> None:
    assert name_key("上海金山咖啡有限公司") == name_key("金山咖啡") == "金山"
    assert name_key("上海静安鸿睿餐饮管理有限公司") == "鸿睿"


def test_name_key_never_empties_a_name() -> None:
    # A name that is nothing but an industry word keeps it.
    assert name_key("咖啡") == "咖啡"
    assert name_key("上海") == "上海"
    assert name_key("") == ""


@pytest.mark.parametrize(
    ("name", "branch"),
    [
        ("上海鸿睿餐饮管理有限公司静安分公司", "静安分公司"),
        ("上海鸿睿餐饮管理有限公司静安第一分公司", "静安第一分公司"),
        ("杭州云鼎祥物业管理有限公司上海分公司", "上海分公司"),
        ("全家便利店(石门二路店)", "石门二路店"),
        ("上海星巴克咖啡经营有限公司北京西路二店", "北京西路二店"),
        ("联华超市股份有限公司南京西路门店", "南京西路门店"),
        ("鸿睿小馆第一分店", "第一分店"),
        ("鸿睿旗舰店", "旗舰店"),
        ("鸿睿餐饮管理有限公司", ""),
        ("张记小吃店", ""),
        ("上海市静安区张记花店（个体工商户）", ""),
        ("鸿睿便利店", ""),
    ],
)
def test_branch_of(name: str, branch: str) -> None:
    assert branch_of(name) == branch


def test_chain_branches_share_a_core_but_not_a_branch() -> None:
    a = "全家便利店（上海）有限公司石门二路店"
    b = "全家便利店（上海）有限公司江宁路店"
    c = "全家便利店（上海）有限公司江宁路二店"
    assert name_key(a) == name_key(b) == name_key(c) == "全家"
    keys = {branch_key(branch_of(n)) for n in (a, b, c)}
    assert len(keys) == 3


def test_branch_key_compares_spellings_of_one_branch() -> None:
    assert branch_key("第二分店") == branch_key("二店") == "2"
    assert branch_key("上海南京西路分公司") == branch_key("南京西路店") == "南京西路"
    assert branch_key("静安第一分公司") == branch_key("静安区第一分公司")
    assert branch_key("江宁路店") != branch_key("江宁路二店")


def test_split_name_keeps_the_industry_in_the_stem() -> None:
    parts = split_name("上海鸿睿餐饮管理有限公司静安分公司")
    assert parts.core == "鸿睿"
    assert parts.branch == "静安分公司"
    assert parts.stem == "鸿睿餐饮管理"
    assert split_name("上海市静安区张记面馆（个体工商户）").stem == "张记面馆"


def test_bigrams() -> None:
    assert bigrams("鸿睿祥") == {"鸿睿", "睿祥"}
    assert bigrams("鑫") == {"鑫"}
    assert bigrams("") == set()


def test_pinyin_makes_homophones_equal() -> None:
    assert pinyin("鸿睿") == pinyin("鸿瑞") == "hong rui"
    assert pinyin("鸿达") != pinyin("鸿瑞")
    assert sound_key("鸿睿") == sound_key("鸿瑞")
    assert sound_key("鸿睿祥") != sound_key("鸿瑞")
    assert len(sound_key("鸿睿祥")) == 3


# --- numerals and roads --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百二十三", 123),
        ("一百零五", 105),
        ("两百", 200),
        ("一千三百五十五", 1355),
        ("一千零八", 1008),
        ("一二三", 123),
        ("二〇一", 201),
        ("零", 0),
    ],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


def test_cn_numerals_to_arabic() -> None:
    assert cn_numerals_to_arabic("一百二十三号三楼") == "123号3楼"
    assert cn_numerals_to_arabic("1025弄五号") == "1025弄5号"


def test_int_to_cn() -> None:
    assert [int_to_cn(n) for n in (0, 2, 10, 12, 21, 40)] == [
        "〇",
        "二",
        "十",
        "十二",
        "二十一",
        "四十",
    ]


def test_road_numerals_stay_chinese_on_both_sides() -> None:
    assert normalise_road("石门2路") == normalise_road("石门二路") == "石门二路"
    assert normalise_road("南京西路") == "南京西路"


# --- addresses -----------------------------------------------------------------------------------


def test_chinese_numerals_and_prefix_meet_the_short_form() -> None:
    long = parse_address("上海市静安区石门二路一百二十三号")
    short = parse_address("石门二路123号")
    assert long == short == Address("石门二路", "123", "")
    assert long.building_key == "石门二路123号"


@pytest.mark.parametrize("roads", [(), ROADS])
@pytest.mark.parametrize(
    "address",
    [
        "石门二路123号",
        "上海市静安区石门二路一百二十三号",
        "上海静安区石门二路123号",
        "静安区石门二路123号3楼301室",
        "石门二路123号(近南京西路)",
        "石门二路123号（近新闸路）一楼",
        "石门2路123号",
        "石门二路１２３号",
        "上海市静安区石门二路街道石门二路123号",
    ],
)
def test_variants_of_one_building_share_its_key(roads: tuple[str, ...], address: str) -> None:
    assert address_key(address, roads) == "石门二路123号"


def test_road_list_comes_first() -> None:
    # The note names another road; the listed road followed by a number wins.
    assert parse_address("南京西路1025弄5号(近石门一路)3楼", ROADS) == Address(
        "南京西路", "1025弄5", "3层"
    )
    assert parse_address("上海市静安区石门二路街道南京西路100号", ROADS).road == "南京西路"
    # A district name that starts a road is not a prefix.
    assert parse_address("奉贤路45号", ROADS) == Address("奉贤路", "45", "")
    assert parse_address("静安区奉贤路45号").road == "奉贤路"


def test_lanes_and_sub_lanes() -> None:
    assert parse_address("泰兴路917弄5号25楼").number == "917弄5"
    assert parse_address("泰兴路917弄").number == "917弄"
    assert parse_address("泰兴路917弄3支弄5号").number == "917弄3支弄5"
    assert parse_address("北京西路1号-3号").number == "1"


def test_floors_and_rooms_are_left_out_of_the_building_key() -> None:
    a = parse_address("成都北路333号招商局广场B座12F1201室")
    b = parse_address("上海市静安区成都北路三百三十三号")
    assert a.building_key == b.building_key == "成都北路333号"
    assert a.rest == "招商局广场b座12层1201室"


def test_unparsed_address_has_no_building_key() -> None:
    a = parse_address("恒隆广场3501室")
    assert (a.road, a.number) == ("", "")
    assert a.building_key == ""
    assert parse_address("").building_key == ""


def test_normalise_units() -> None:
    assert normalise_units("恒隆广场一号楼三楼301房") == "恒隆广场1栋3层301室"
    assert normalise_units("2幢5层") == normalise_units("2栋5楼") == "2栋5层"
    assert normalise_units("A座12F") == "a座12层"


# --- credit codes --------------------------------------------------------------------------------

VALID_CODES = ("91350100M000100Y43", "91110000600037341L")


@pytest.mark.parametrize("code", VALID_CODES)
def test_check_vectors_are_valid(code: str) -> None:
    assert credit_code_valid(code)


@pytest.mark.parametrize("code", VALID_CODES)
def test_changing_any_character_invalidates(code: str) -> None:
    alphabet = normalise.CREDIT_CODE_CHARS
    for i, c in enumerate(code):
        other = alphabet[(alphabet.index(c) + 1) % len(alphabet)]
        assert not credit_code_valid(code[:i] + other + code[i + 1 :]), (i, other)


def test_credit_code_shape() -> None:
    assert not credit_code_valid("")
    assert not credit_code_valid("91350100M000100Y4")  # 17 characters
    assert not credit_code_valid("91350100M000100Y433")  # 19 characters
    assert not credit_code_valid("91350100O000100Y43")  # O is not in the alphabet


def test_normalise_credit_code() -> None:
    assert normalise_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert normalise_credit_code("91350100 m000100 y43") == "91350100M000100Y43"
    assert credit_code_valid("９１３５０１００ｍ０００１００ｙ４３")
    assert normalise_credit_code("") == ""
