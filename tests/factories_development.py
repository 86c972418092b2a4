"""Factories for applications to join, and a helper that walks one through its steps."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jiequ.development import procedure, services


def _phone(n: int) -> str:
    return f"+86137{n:08d}"


def _crypto():
    from jiequ.core import crypto

    return crypto


class ApplicationFactory(DjangoModelFactory):
    """Pass `organisation`; an applicant with no step recorded yet (use `walk` for steps)."""

    class Meta:
        model = "development.Application"
        exclude = ("phone",)

    name = factory.Sequence(lambda n: f"申请人{n}号")
    birth_date = dt.date(1995, 5, 5)
    phone = factory.Sequence(_phone)
    phone_encrypted = factory.LazyAttribute(lambda o: _crypto().encrypt(o.phone))
    phone_hash = factory.LazyAttribute(lambda o: _crypto().lookup_hash(o.phone))
    consent_at = factory.LazyFunction(timezone.now)


# Days after the previous step that satisfy every interval (a year of training, a year of
# probation) with the defaults of jiequ.party.rules.
GAPS = {1: 0, 2: 10, 7: 370, 17: 30, 22: 370, 24: 20}
PEOPLE = {5: "王培养、李联系", 9: "赵介绍、钱介绍"}


def step_dates(start: dt.date, upto: int = 25) -> dict[int, dt.date]:
    dates, day = {}, start
    for number in range(1, upto + 1):
        day = day + dt.timedelta(days=GAPS.get(number, 7))
        dates[number] = day
    return dates


def walk(application, upto: int, start: dt.date | None = None, by=None):
    """Record steps 1..upto with valid dates, starting about four years ago."""
    start = start or timezone.localdate() - dt.timedelta(days=4 * 365)
    done = procedure.done_steps(application)
    for number, day in step_dates(start, upto).items():
        if number not in done:
            services.record_step(application, number, day, people=PEOPLE.get(number, ""), by=by)
    return application
