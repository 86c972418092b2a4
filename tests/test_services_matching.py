"""The matching score (plain Python): each part, the exclusions and the ordering."""

from datetime import date, timedelta

from jiequ.services.matching import Item, best, grams, score, shared_terms

TODAY = date(2026, 6, 1)


def need(**kw):
    values = {
        "key": 1,
        "category": "advice",
        "title": "骑手劳动合同纠纷法律咨询",
        "description": "骑手遇到劳动合同问题，希望律师上门提供免费法律咨询。",
        "lat": 31.2300,
        "lon": 121.4600,
        "starts": TODAY,
        "ends": TODAY + timedelta(days=99),
        "quantity": 10,
        "unit": "次",
        "groups": frozenset({"new_employment"}),
    }
    values.update(kw)
    return Item(**values)


def resource(**kw):
    values = {
        "key": 2,
        "category": "advice",
        "title": "免费法律咨询进楼宇",
        "description": "律师每月到楼宇提供免费法律咨询，涉及劳动合同和工伤认定。",
        "lat": 31.2300,
        "lon": 121.4600,
        "starts": TODAY - timedelta(days=30),
        "ends": None,
        "quantity": 40,
        "unit": "次",
        "groups": frozenset({"new_employment", "workers"}),
    }
    values.update(kw)
    return Item(**values)


def points(suggestion, kind):
    return sum(r.points for r in suggestion.reasons if r.kind == kind)


def test_a_close_match_scores_high_with_every_reason():
    s = score(need(), resource(), TODAY)
    assert s.score >= 85
    assert {r.kind for r in s.reasons} == {
        "category",
        "words",
        "distance",
        "period",
        "capacity",
        "groups",
    }
    words = next(r for r in s.reasons if r.kind == "words")
    assert "法律咨询" in words.detail["terms"] and "劳动合同" in words.detail["terms"]


def test_category_same_related_and_unrelated():
    same = score(need(), resource(), TODAY)
    related = score(need(), resource(category="employment"), TODAY)
    other = score(need(), resource(category="venue"), TODAY)
    assert points(same, "category") == 35
    assert points(related, "category") == 14
    assert points(other, "category") == 0
    assert same.score > related.score > other.score


def test_distance_falls_to_nothing_at_two_kilometres_and_is_half_when_unknown():
    near = score(need(), resource(), TODAY)
    # About 1 km north.
    mid = score(need(), resource(lat=31.2390), TODAY)
    far = score(need(), resource(lat=31.2600), TODAY)
    unknown = score(need(), resource(lat=None, lon=None), TODAY)
    assert points(near, "distance") == 15
    assert 6 < points(mid, "distance") < 9
    assert points(far, "distance") == 0
    assert points(unknown, "distance") == 7.5
    metres = next(r for r in mid.reasons if r.kind == "distance").detail["metres"]
    assert 950 < metres < 1050


def test_no_suggestion_when_periods_do_not_meet_or_nothing_remains():
    assert score(need(), resource(ends=TODAY - timedelta(days=1)), TODAY) is None
    assert score(need(), resource(starts=TODAY + timedelta(days=200)), TODAY) is None
    assert score(need(), resource(quantity=0), TODAY) is None


def test_period_share_and_capacity_share():
    half = score(need(), resource(ends=TODAY + timedelta(days=49)), TODAY)
    assert points(half, "period") == 5
    short = score(need(quantity=10), resource(quantity=5), TODAY)
    assert points(short, "capacity") == 2.5
    other_unit = score(need(), resource(unit="场"), TODAY)
    assert points(other_unit, "capacity") == 2.5


def test_groups_share():
    s = score(need(groups=frozenset({"new_employment", "elderly"})), resource(), TODAY)
    assert points(s, "groups") == 2.5
    none = score(need(groups=frozenset({"children"})), resource(), TODAY)
    assert points(none, "groups") == 0


def test_unrelated_wording_shares_nothing():
    s = score(need(), resource(title="篮球场周末开放", description="职工篮球场周末开放。"), TODAY)
    assert points(s, "words") == 0


def test_shared_terms_are_longest_pieces_without_numbers_or_stop_words():
    assert shared_terms("骑手法律咨询", "律师事务所提供免费法律咨询") == ["法律咨询"]
    assert shared_terms("需要40人会议室", "可容纳40人的会议室") == ["会议室"]
    assert shared_terms("提供服务", "提供服务") == []
    assert "服务" not in grams("社区服务")


def test_best_orders_by_score_then_key_and_limits():
    candidates = [
        resource(key=5, category="venue"),
        resource(key=3),
        resource(key=4),
        resource(key=6, quantity=0),
    ]
    found = best(need(), candidates, TODAY, limit=2)
    assert [s.key for s in found] == [3, 4]
    # From a resource: the needs it could meet, each keyed by the need.
    needs = [need(key=10), need(key=11, category="venue", title="篮球场", description="")]
    found = best(resource(), needs, TODAY, item_is_need=False)
    assert found[0].key == 10
