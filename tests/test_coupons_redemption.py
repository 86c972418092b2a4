"""Redeeming at a counter: once, and every refusal says why in Chinese."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from jiequ.offers import codes
from jiequ.offers.models import CampaignState, Coupon, Redemption
from jiequ.offers.redemption import Reason, Refused, redeem

from .factories_offers import MatrixShopFactory, handed_out, issued_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(world):
    return [MatrixShopFactory(entity__region=world.grid_sw) for _ in range(3)]


@pytest.fixture
def campaign(world, shops):
    return issued_campaign(world.ours, shops[:2], total=10)


def refusal(shop, code):
    with pytest.raises(Refused) as refused:
        redeem(shop, code)
    return refused.value


def test_a_handed_out_coupon_is_redeemed_once(campaign, shops):
    coupon = handed_out(campaign)[0]
    redemption = redeem(shops[0], codes.display(coupon.code).lower())
    assert redemption.shop == shops[0] and redemption.face_value == 20
    again = refusal(shops[1], coupon.code)
    assert again.reason == Reason.ALREADY
    when = timezone.localtime(redemption.redeemed_at).strftime("%Y-%m-%d %H:%M")
    assert when in again.message and str(shops[0]) in again.message
    assert "只能使用一次" in again.message
    assert Redemption.objects.count() == 1


def test_forged_and_unknown_codes(campaign, shops):
    code = handed_out(campaign)[0].code
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert refusal(shops[0], forged).reason == Reason.FORGED
    # Correctly signed but never issued (e.g. a code of a deleted campaign).
    unknown = refusal(shops[0], codes.new_code())
    assert unknown.reason == Reason.UNKNOWN and "查无此券码" in unknown.message
    assert refusal(shops[0], "  ").reason == Reason.EMPTY


def test_expired_not_started_and_closed_campaigns(campaign, shops):
    code = handed_out(campaign)[0].code
    today = timezone.localdate()
    campaign.ends_on = today - dt.timedelta(days=1)
    campaign.save()
    expired = refusal(shops[0], code)
    assert expired.reason == Reason.EXPIRED and "过期" in expired.message
    campaign.starts_on, campaign.ends_on = today + dt.timedelta(days=2), today + dt.timedelta(9)
    campaign.save()
    early = refusal(shops[0], code)
    assert early.reason == Reason.NOT_STARTED
    assert (today + dt.timedelta(days=2)).isoformat() in early.message
    campaign.starts_on, campaign.state = today, CampaignState.CLOSED
    campaign.save()
    assert refusal(shops[0], code).reason == Reason.CLOSED
    assert not Redemption.objects.exists()


def test_the_last_day_still_counts(campaign, shops):
    code = handed_out(campaign)[0].code
    campaign.ends_on = timezone.localdate()
    campaign.save()
    assert redeem(shops[0], code)


def test_a_shop_outside_the_campaign_is_refused(campaign, shops):
    code = handed_out(campaign)[0].code
    outside = refusal(shops[2], code)
    assert outside.reason == Reason.NOT_HERE and "未参与" in outside.message
    assert not Redemption.objects.exists()


def test_a_coupon_never_handed_out_is_refused(campaign, shops):
    code = Coupon.objects.filter(campaign=campaign, channel="").first().code
    assert refusal(shops[0], code).reason == Reason.NOT_HANDED_OUT


def test_a_shop_that_left_the_matrix_cannot_redeem(campaign, shops):
    code = handed_out(campaign)[0].code
    shops[0].active = False
    shops[0].save()
    assert refusal(shops[0], code).reason == Reason.SHOP_INACTIVE


def race(shops, code):
    """Both shops press "redeem" for one code at the same moment; (results, refusals, errors)."""
    barrier = threading.Barrier(len(shops))
    results, refusals, errors = [], [], []

    def press(shop):
        try:
            barrier.wait()
            results.append(redeem(shop, code))
        except Refused as exc:
            refusals.append(exc)
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(shop,)) for shop in shops]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, refusals, errors


@pytest.mark.django_db(transaction=True)
def test_two_counters_at_the_same_moment_redeem_once(world):
    """PostgreSQL: real concurrent transactions; one wins, the other is told it was used."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    shops = [MatrixShopFactory(entity__region=world.grid_sw) for _ in range(2)]
    campaign = issued_campaign(world.ours, shops, total=4)
    for attempt in range(3):  # the race three times over, to be sure it is not luck
        code = handed_out(campaign)[0].code
        results, refusals, errors = race(shops, code)
        assert not errors, errors
        assert len(results) == 1 and len(refusals) == 1, attempt
        assert refusals[0].reason == Reason.ALREADY
        assert str(results[0].shop) in refusals[0].message
        assert Redemption.objects.filter(coupon__code=code).count() == 1
