"""Browser checks of the positions at phone width (Playwright, Debian's Chromium): the week
view and its week switching, booking a slot (and being refused the same slot), the menu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiequ.positions import menu
from jiequ.positions.models import Booking, SignUp
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

from .factories_positions import ActivityFactory, BookingFactory, at, positions_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_week_view_on_a_phone_switches_weeks(world, party, users, page_as, live_server):  # noqa: F811
    pw = positions_world(world, party)
    BookingFactory(room=pw.room, organisation=party.west, purpose="支部委员会")
    BookingFactory(room=pw.hall, council=pw.council, starts_at=at(2, 14), state="requested")
    BookingFactory(room=pw.room, organisation=party.east, starts_at=at(8, 9))
    page = page_as(users.staff, viewport=PHONE)
    page.goto(live_server.url + pw.west.get_absolute_url())
    assert page.locator("h1").inner_text() == "江宁片区党群服务阵地"
    assert page.locator("table.week .slot.confirmed").count() >= 1
    assert page.locator("table.week .slot.requested").count() == 1
    assert page.evaluate(NO_PAGE_SCROLL)
    # The grid scrolls inside its own box, with the room column kept in view.
    assert page.evaluate(
        "(() => { const w = document.querySelector('.week-wrap');"
        " return w.scrollWidth > w.clientWidth; })()"
    )
    shot(page, "positions-week-phone")
    before = page.locator("#week .range").inner_text()
    page.click("#week a:has-text('下一周')")
    page.wait_for_function(f"document.querySelector('#week .range').innerText !== {before!r}")
    assert "成都街区党支部" in page.locator("#week").inner_text()
    assert page.evaluate(NO_PAGE_SCROLL)
    shot(page, "positions-next-week-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + pw.west.get_absolute_url())
    shot(page, "positions-detail-desktop")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("positions:position_day", args=[pw.west.pk]))
    assert page.evaluate(NO_PAGE_SCROLL)
    shot(page, "positions-day-phone")


def test_secretary_books_a_slot_on_a_phone(world, party, users, page_as, live_server):  # noqa: F811
    pw = positions_world(world, party)
    day = at(1, 10).date()
    page = page_as(users.secretary, viewport=PHONE)
    page.goto(live_server.url + pw.west.get_absolute_url())
    page.click(f"a[aria-label='预订 组织生活室 {day:%m-%d}']")
    page.wait_for_selector("#booking-form")
    assert page.input_value("#id_room") == str(pw.room.pk)
    assert page.input_value("#id_organisation") == str(party.west.pk)
    assert page.input_value("#id_day") == day.isoformat()
    assert page.locator("#id_council").count() == 0  # a secretary books for their branch
    page.fill("#id_start", "10:00")
    page.fill("#id_end", "12:00")
    page.fill("#id_purpose", "主题党日：学习党章")
    page.fill("#id_attendees", "12")
    assert page.evaluate(NO_PAGE_SCROLL)
    shot(page, "positions-booking-form-phone")
    page.click("#booking-form button[type=submit]")
    page.wait_for_selector("text=预订成功")
    booking = Booking.objects.get()
    assert booking.state == "confirmed" and booking.organisation == party.west
    shot(page, "positions-booking-done-phone")
    # The same slot again: refused in Chinese, nothing saved.
    page.goto(live_server.url + reverse("positions:booking_add") + f"?room={pw.room.pk}&day={day}")
    page.fill("#id_start", "11:00")
    page.fill("#id_end", "12:30")
    page.fill("#id_purpose", "支部委员会")
    page.fill("#id_attendees", "5")
    page.click("#booking-form button[type=submit]")
    error = page.locator(".has-error .error").first.inner_text()
    assert "已被预订" in error and "10:00" in error
    assert Booking.objects.count() == 1
    shot(page, "positions-booking-refused-phone")
    # Cancelling frees the slot.
    page.goto(live_server.url + booking.get_absolute_url())
    page.fill("#cancel-form input[name=reason]", "改期")
    page.click("#cancel-form button[type=submit]")
    page.wait_for_selector("text=该时段已释放")
    booking.refresh_from_db()
    assert booking.state == "cancelled"


def test_member_uses_the_weekly_menu_on_a_phone(world, party, users, page_as, live_server):  # noqa: F811
    me = party.west_members[0]
    me.user = users.member
    me.save()
    pw = positions_world(world, party)
    open_one = ActivityFactory(
        organiser=party.committee,
        title="书记讲党课：新兴领域党建",
        starts_at=at(1, 19),
        capacity=10,
        room=pw.room,
    )
    full = ActivityFactory(
        organiser=party.committee,
        title="志愿服务：垃圾分类桶边督导",
        kind="volunteering",
        audience="open",
        starts_at=at(1, 7, 30),
        capacity=1,
    )
    menu.sign_up(full, party.west_members[1], users.staff)
    ActivityFactory(
        organiser=party.committee,
        title="书记领治理：沿街商铺议题共创",
        kind="governance",
        starts_at=at(2, 14),
    )
    page = page_as(users.member, viewport=PHONE)
    week = menu.week_start(at(1, 19).date())
    page.goto(live_server.url + reverse("positions:menu") + f"?week={week}")
    assert page.locator("h1").inner_text() == "每周菜单"
    assert page.evaluate(NO_PAGE_SCROLL)
    card = page.locator(f"#activity-{open_one.pk}")
    card.locator("button:has-text('报名')").click()
    page.wait_for_selector("text=已报名“书记讲党课：新兴领域党建”")
    page.locator(f"#activity-{full.pk} button:has-text('加入候补')").click()
    page.wait_for_selector("text=候补第1位")
    assert SignUp.objects.get(activity=open_one, member=me).state == "confirmed"
    assert SignUp.objects.get(activity=full, member=me).state == "waiting"
    assert page.locator("#my-signups li").count() == 2
    assert page.evaluate(NO_PAGE_SCROLL)
    shot(page, "positions-menu-phone")
    page.set_viewport_size(DESKTOP)
    shot(page, "positions-menu-desktop")
