"""Tests for jiequ.ledger.matching: linking the ledger to a registry extract (no DB)."""

import random
from collections import Counter

import pytest

from jiequ.ledger import matching
from jiequ.ledger.matching import (
    MATCH_THRESHOLD,
    REVIEW_THRESHOLD,
    CsvFormatError,
    LedgerRecord,
    Pair,
    RegistryRecord,
    match_records,
    read_ledger_csv,
    read_registry_csv,
    write_pairs_csv,
)

ROADS = ("石门二路", "石门一路", "南京西路", "江宁路", "奉贤路", "新闸路", "成都北路", "北京西路")
CODE_A = "91350100M000100Y43"  # GB 32100-2015 check vectors
CODE_B = "91110000600037341L"


def L(id: str, name: str = "", sign: str = "", code: str = "", address: str = "") -> LedgerRecord:
    return LedgerRecord(id=id, name=name, sign_name=sign, credit_code=code, address=address)


def R(id: str, name: str, code: str = "", address: str = "") -> RegistryRecord:
    return RegistryRecord(id=id, name=name, credit_code=code, address=address)


def matches(pairs: list[Pair]) -> set[tuple[str, str]]:
    return {(p.ledger_id, p.registry_id) for p in pairs if p.decision == "match"}


def reviews(pairs: list[Pair]) -> set[tuple[str, str]]:
    return {(p.ledger_id, p.registry_id) for p in pairs if p.decision == "review"}


def assert_well_formed(pairs: list[Pair], review_threshold: float = REVIEW_THRESHOLD) -> None:
    """The contract every result keeps."""
    m = [p for p in pairs if p.decision == "match"]
    assert all(p.decision in ("match", "review") for p in pairs)
    assert all(0.0 <= p.score <= 1.0 for p in pairs)
    assert all(p.score >= review_threshold for p in pairs)
    assert max(Counter(p.ledger_id for p in m).values(), default=0) <= 1
    assert max(Counter(p.registry_id for p in m).values(), default=0) <= 1
    matched_l = {p.ledger_id for p in m}
    matched_r = {p.registry_id for p in m}
    for p in pairs:
        if p.decision == "review":
            # Reviews only for ledger records left unmatched, never to a matched registry record.
            assert p.ledger_id not in matched_l
            assert p.registry_id not in matched_r
    assert max(
        Counter(p.ledger_id for p in pairs if p.decision == "review").values(), default=0
    ) <= (matching.MAX_REVIEWS)


def test_thresholds_are_ordered() -> None:
    assert 0 < REVIEW_THRESHOLD < MATCH_THRESHOLD <= 1


def test_empty_inputs() -> None:
    assert match_records([], []) == []
    assert match_records([L("L1", "上海鸿睿餐饮管理有限公司")], []) == []
    assert match_records([], [R("R1", "上海鸿睿餐饮管理有限公司")]) == []


def test_equal_credit_code_is_a_match_with_score_one() -> None:
    # Renamed since: the names share nothing, the code (typed in full width and lower case) does.
    ledger = [L("L1", "上海新名字贸易有限公司", code="９１３５０１００ｍ０００１００ｙ４３ ")]
    registry = [
        R("R1", "上海旧名称实业有限公司", CODE_A, "上海市静安区江宁路1号"),
        R("R2", "上海新名字贸易有限公司", CODE_B, "上海市静安区江宁路2号"),
    ]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert pairs == [Pair("L1", "R1", 1.0, "match")]


def test_different_credit_codes_block_a_match() -> None:
    ledger = [L("L1", "上海鸿睿餐饮管理有限公司", code=CODE_B, address="石门二路123号")]
    registry = [R("R1", "上海鸿睿餐饮管理有限公司", CODE_A, "上海市静安区石门二路123号")]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert not matches(pairs)
    # Without the ledger's code the same pair is a confident match.
    again = match_records([L("L1", "上海鸿睿餐饮管理有限公司", address="石门二路123号")], registry)
    assert matches(again) == {("L1", "R1")}


def test_a_mistyped_credit_code_is_no_conflict() -> None:
    typo = "E" + CODE_A[1:]  # fails its check character, one edit from CODE_A
    ledger = [L("L1", "上海鸿睿餐饮管理有限公司", code=typo, address="石门二路123号")]
    registry = [R("R1", "上海鸿睿餐饮管理有限公司", CODE_A, "上海市静安区石门二路123号")]
    assert matches(match_records(ledger, registry, roads=ROADS)) == {("L1", "R1")}


def test_sign_name_is_the_trade_name_inside_the_registered_name() -> None:
    registry = [
        R("R1", "上海鸿睿餐饮管理有限公司静安分公司", CODE_A, "上海市静安区石门二路123号"),
        R("R2", "上海金鼎贸易有限公司", CODE_B, "上海市静安区石门二路125号"),
    ]
    for sign in ("鸿睿小馆", "鸿睿餐厅", "鸿睿"):
        ledger = [L("L1", "", sign, "", "静安区石门二路一百二十三号一楼")]
        pairs = match_records(ledger, registry, roads=ROADS)
        assert matches(pairs) == {("L1", "R1")}, sign
        assert_well_formed(pairs)


def test_homophone_sign_matches() -> None:
    # 鸿瑞 and 鸿睿 are both "hong rui".
    registry = [R("R1", "上海鸿睿餐饮管理有限公司静安分公司", CODE_A, "上海市静安区石门二路123号")]
    ledger = [L("L1", "", "鸿瑞餐厅", "", "石门二路123号")]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert matches(pairs) == {("L1", "R1")}
    assert pairs[0].score >= MATCH_THRESHOLD


def test_abbreviated_registered_name_matches() -> None:
    registry = [R("R1", "上海睿泰信息科技有限公司", CODE_A, "上海市静安区新闸路88弄3号12层1203室")]
    ledger = [L("L1", "睿泰信息", "", "", "新闸路88弄3号1203室")]
    assert matches(match_records(ledger, registry, roads=ROADS)) == {("L1", "R1")}


def test_chain_branches_match_by_address() -> None:
    registry = [
        R("R1", "全家便利店（上海）有限公司石门二路店", "", "上海市静安区石门二路100号"),
        R("R2", "全家便利店（上海）有限公司江宁路店", "", "上海市静安区江宁路520号"),
        R("R3", "全家便利店（上海）有限公司江宁路二店", "", "上海市静安区江宁路1188号"),
        R("R4", "全家便利店（上海）有限公司新闸路店", "", "上海市静安区新闸路66号"),
    ]
    # The ledger knows only the sign; the addresses are written differently.
    ledger = [
        L("L1", "", "全家便利店", "", "江宁路一千一百八十八号"),
        L("L2", "", "全家", "", "静安区石门二路100号1层"),
        L("L3", "", "全家便利店", "", "上海静安区江宁路520号(近新闸路)"),
    ]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert matches(pairs) == {("L1", "R3"), ("L2", "R1"), ("L3", "R2")}
    assert_well_formed(pairs)


def test_branch_marker_on_the_ledger_picks_the_branch() -> None:
    registry = [
        R("R1", "上海老盛昌餐饮管理有限公司江宁路店", "", "上海市静安区江宁路300号"),
        R("R2", "上海老盛昌餐饮管理有限公司江宁路二店", "", "上海市静安区江宁路900号"),
    ]
    ledger = [L("L1", "", "老盛昌汤包（江宁路二店）", "", "江宁路900号")]
    assert matches(match_records(ledger, registry, roads=ROADS)) == {("L1", "R2")}


def test_a_chain_branch_at_another_address_is_no_match() -> None:
    # The ledger's shop is a branch the registry extract does not hold.
    registry = [
        R("R1", "全家便利店（上海）有限公司石门二路店", "", "上海市静安区石门二路100号"),
        R("R2", "全家便利店（上海）有限公司江宁路店", "", "上海市静安区江宁路520号"),
    ]
    ledger = [L("L1", "", "全家便利店", "", "新闸路77号")]
    assert not matches(match_records(ledger, registry, roads=ROADS))


def test_closed_business_gets_no_match() -> None:
    registry = [
        R("R1", "上海鸿睿餐饮管理有限公司", CODE_A, "上海市静安区石门二路123号"),
        # A new business took over the closed shop's premises.
        R("R2", "上海市静安区李师傅生煎馆（个体工商户）", CODE_B, "上海市静安区奉贤路45号"),
    ]
    ledger = [
        L("L1", "上海鸿睿餐饮管理有限公司", "鸿睿小馆", "", "石门二路123号"),
        L("L2", "上海市静安区王记面馆（个体工商户）", "王记面馆", "", "奉贤路45号"),
    ]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert matches(pairs) == {("L1", "R1")}
    assert not any(p.ledger_id == "L2" and p.decision == "match" for p in pairs)


def test_same_sign_new_business_elsewhere_is_not_matched() -> None:
    # The old 鸿睿小馆 closed; a new individual business trades under the same sign elsewhere.
    registry = [R("R1", "上海市静安区鸿睿小馆（个体工商户）", CODE_B, "上海市静安区成都北路700号")]
    ledger = [L("L1", "上海鸿睿餐饮管理有限公司", "鸿睿小馆", "", "石门二路123号")]
    assert not matches(match_records(ledger, registry, roads=ROADS))


def test_unique_registered_name_matches_despite_another_address() -> None:
    # The ledger has where the company works, the registry its registered address.
    registry = [
        R("R1", "上海霖隆教育科技有限公司", "", "上海市静安区石门二路767号17层"),
        R("R2", "上海金鼎贸易有限公司", "", "上海市静安区石门一路877号"),
    ]
    ledger = [L("L1", "上海霖隆教育科技有限公司", "", "", "石门一路877号2414室")]
    assert matches(match_records(ledger, registry, roads=ROADS)) == {("L1", "R1")}


def test_near_house_number_is_a_typo() -> None:
    registry = [R("R1", "上海市静安区郑记麻辣烫店（个体工商户）", "", "上海市静安区大田路902号")]
    ledger = [L("L1", "", "郑记麻辣烫", "", "大田路900号")]
    assert matches(match_records(ledger, registry)) == {("L1", "R1")}


def test_two_ledger_records_never_match_one_registry_record() -> None:
    registry = [R("R1", "上海鸿睿餐饮管理有限公司", "", "上海市静安区石门二路123号")]
    ledger = [
        L("L1", "", "鸿睿小馆", "", "石门二路123号"),
        L("L2", "", "鸿瑞餐厅", "", "石门二路123号"),  # the same shop surveyed twice
    ]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert len(matches(pairs)) <= 1
    assert_well_formed(pairs)


def test_the_best_of_two_confident_candidates_takes_the_registry_record() -> None:
    registry = [R("R1", "上海鸿睿餐饮管理有限公司", CODE_A, "上海市静安区石门二路123号")]
    ledger = [
        L("L1", "", "鸿睿小馆", "", "石门二路123号"),  # a confident match on its own
        L("L2", "上海鸿睿餐饮管理有限公司", "", CODE_A, "石门二路123号"),  # the code decides
    ]
    alone = match_records(ledger[:1], registry, roads=ROADS)
    assert matches(alone) == {("L1", "R1")}
    pairs = match_records(ledger, registry, roads=ROADS)
    assert matches(pairs) == {("L2", "R1")}
    assert_well_formed(pairs)


def test_a_clear_winner_takes_the_registry_record() -> None:
    registry = [R("R1", "上海鸿睿餐饮管理有限公司", CODE_A, "上海市静安区石门二路123号")]
    ledger = [
        L("L1", "", "鸿睿小馆", "", "石门二路5号"),  # same name, other number
        L("L2", "上海鸿睿餐饮管理有限公司", "鸿睿小馆", CODE_A, "石门二路123号"),
    ]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert matches(pairs) == {("L2", "R1")}
    assert_well_formed(pairs)


def test_ambiguous_candidates_go_to_review() -> None:
    # Two registry records the ledger record cannot tell apart: a person decides.
    registry = [
        R("R1", "上海市静安区鸿睿小吃店（个体工商户）", "", "上海市静安区石门二路123号"),
        R("R2", "上海市静安区鸿睿小吃店（个体工商户）", "", "上海市静安区石门二路123号"),
    ]
    ledger = [L("L1", "", "鸿睿小吃", "", "石门二路123号")]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert not matches(pairs)
    assert reviews(pairs) == {("L1", "R1"), ("L1", "R2")}


def test_thresholds_are_respected() -> None:
    registry = [
        R("R1", "上海鸿睿餐饮管理有限公司", CODE_A, "上海市静安区石门二路123号"),
        R("R2", "上海金鼎贸易有限公司", "", "上海市静安区江宁路5号"),
    ]
    ledger = [
        L("L1", "", "鸿睿小馆", CODE_A, "石门二路123号"),
        L("L2", "", "金鼎", "", "江宁路5号"),
    ]
    assert matches(match_records(ledger, registry, roads=ROADS)) == {("L1", "R1"), ("L2", "R2")}
    # Only exact codes reach 1.0.
    strict = match_records(ledger, registry, roads=ROADS, match_threshold=1.0, review_threshold=1.0)
    assert matches(strict) == {("L1", "R1")}
    assert_well_formed(strict, review_threshold=1.0)
    # With the match threshold out of reach everything above the review threshold is a review.
    loose = match_records(ledger, registry, roads=ROADS, match_threshold=1.0, review_threshold=0.5)
    assert ("L2", "R2") in reviews(loose)


def test_records_without_name_or_code() -> None:
    registry = [R("R1", "上海鸿睿餐饮管理有限公司", CODE_A, "上海市静安区石门二路123号")]
    ledger = [L("L1", "", "", "", "石门二路123号"), L("L2", "", "", CODE_A, "")]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert matches(pairs) == {("L2", "R1")}
    assert_well_formed(pairs)


# --- a small synthetic survey ---------------------------------------------------------------------

BRAND_CHARS = "鸿睿华盛嘉信达恒泰博锦源隆丰鑫宝佳和顺安康美天宇星辰海润通明德福欣悦禾森林晨光荣成创"
INDUSTRIES = ("餐饮管理", "信息科技", "文化传播", "商贸", "美容美发", "服饰", "企业管理咨询")
SIGNS = {"餐饮管理": "小馆", "商贸": "便利店", "美容美发": "美发", "服饰": "服饰"}
HOMOPHONES = {"鸿": "宏", "睿": "瑞", "华": "骅", "盛": "晟", "信": "鑫", "恒": "衡", "锦": "金"}


def _survey(n: int, seed: int) -> tuple[list[LedgerRecord], list[RegistryRecord], set]:
    """Registry entities, and a ledger that saw most of them with the usual differences."""
    rng = random.Random(seed)
    brands: set[str] = set()
    while len(brands) < n:
        brands.add("".join(rng.sample(BRAND_CHARS, rng.choice((2, 2, 3)))))
    registry, ledger, truth = [], [], set()
    for i, brand in enumerate(sorted(brands)):
        industry = rng.choice(INDUSTRIES)
        road, number = rng.choice(ROADS), rng.randint(1, 1500)
        name = f"上海{brand}{industry}有限公司"
        rid, lid = f"R{i:04d}", f"L{i:04d}"
        code = f"913101{i:012d}"  # not checked here; equality is what counts
        registry.append(R(rid, name, code, f"上海市静安区{road}{number}号"))
        if rng.random() < 0.1:  # a new business the survey has not seen yet
            continue
        shown = brand
        if rng.random() < 0.15:  # a homophone typo
            shown = "".join(HOMOPHONES.get(c, c) for c in brand)
        sign = shown + SIGNS.get(industry, "") if industry in SIGNS else ""
        r = rng.random()
        ledger_name = "" if sign and r < 0.3 else (f"{shown}{industry}" if r < 0.5 else name)
        address = rng.choice((f"{road}{number}号", f"静安区{road}{number}号1楼"))
        ledger.append(L(lid, ledger_name, sign, code if rng.random() < 0.4 else "", address))
        truth.add((lid, rid))
    # Closed businesses: in the ledger only.
    for j in range(n // 10):
        brand = "".join(rng.sample("甲乙丙丁戊己庚辛壬癸", 2))
        ledger.append(L(f"C{j:04d}", "", brand + "小馆", "", f"{rng.choice(ROADS)}7{j}号"))
    return ledger, registry, truth


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_survey(seed: int) -> None:
    ledger, registry, truth = _survey(300, seed)
    pairs = match_records(ledger, registry, roads=ROADS)
    assert_well_formed(pairs)
    found = matches(pairs)
    tp = len(found & truth)
    precision, recall = tp / len(found), tp / len(truth)
    assert precision >= 0.98
    assert recall >= 0.95
    assert not any(lid.startswith("C") for lid, _ in found)
    sent_to_review = {p.ledger_id for p in pairs if p.decision == "review"}
    assert len(sent_to_review) <= 0.05 * len(ledger)


def test_deterministic() -> None:
    ledger, registry, _ = _survey(200, 3)
    assert match_records(ledger, registry, roads=ROADS) == match_records(
        ledger, registry, roads=ROADS
    )


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_round_trip_with_bom(tmp_path) -> None:
    ledger_csv = tmp_path / "ledger.csv"
    ledger_csv.write_text(
        "id,name,sign_name,credit_code,address\n"
        "L1,,鸿睿小馆,,石门二路123号\n"
        "L2,上海金鼎贸易有限公司,,91350100M000100Y43,江宁路5号\n",
        encoding="utf-8-sig",
    )
    registry_csv = tmp_path / "registry.csv"
    registry_csv.write_text(
        "address,id,credit_code,name,extra\n"  # other column order and an extra column
        "上海市静安区石门二路123号,R1,,上海鸿睿餐饮管理有限公司,x\n",
        encoding="utf-8",
    )
    ledger = read_ledger_csv(ledger_csv)
    registry = read_registry_csv(registry_csv)
    assert ledger[0] == L("L1", "", "鸿睿小馆", "", "石门二路123号")
    assert registry == [R("R1", "上海鸿睿餐饮管理有限公司", "", "上海市静安区石门二路123号")]
    out = tmp_path / "pairs.csv"
    write_pairs_csv(out, [Pair("L1", "R1", 0.91234, "match"), Pair("L2", "R1", 0.6, "review")])
    assert out.read_text(encoding="utf-8").splitlines() == [
        "ledger_id,registry_id,score,decision",
        "L1,R1,0.9123,match",
        "L2,R1,0.6000,review",
    ]


def test_csv_missing_columns(tmp_path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text("id,name\nL1,鸿睿\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="缺少列 / missing columns: sign_name, credit_code"):
        read_ledger_csv(path)


def test_csv_unreadable(tmp_path) -> None:
    with pytest.raises(CsvFormatError, match="无法读取文件"):
        read_registry_csv(tmp_path / "absent.csv")
    latin = tmp_path / "gbk.csv"
    latin.write_bytes("id,name,credit_code,address\nR1,鸿睿,,石门二路1号\n".encode("gbk"))
    with pytest.raises(CsvFormatError, match="UTF-8"):
        read_registry_csv(latin)


def test_repeated_ids_are_matched_once() -> None:
    # An export that repeats rows: an id is still matched at most once.
    registry = [
        R("R1", "上海鸿睿餐饮管理有限公司", "", "上海市静安区石门二路123号"),
        R("R1", "上海鸿睿餐饮管理有限公司", "", "上海市静安区石门二路123号"),
    ]
    ledger = [
        L("L1", "", "鸿睿小馆", "", "石门二路123号"),
        L("L1", "上海鸿睿餐饮管理有限公司", "", "", "石门二路123号"),
    ]
    pairs = match_records(ledger, registry, roads=ROADS)
    assert [(p.ledger_id, p.registry_id, p.decision) for p in pairs] == [("L1", "R1", "match")]
