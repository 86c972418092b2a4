"""Factories of the members app: liaison reports, transfers, dues payments."""

import datetime

import factory
from factory.django import DjangoModelFactory


class LiaisonReportFactory(DjangoModelFactory):
    """Pass `member` (a mobile member)."""

    class Meta:
        model = "members.LiaisonReport"

    reported_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    channel = "phone"
    summary = "电话通报该党员参加组织生活情况"


class TransferFactory(DjangoModelFactory):
    """Pass `member` and `organisation`; a transfer out issued today, valid 30 days."""

    class Meta:
        model = "members.Transfer"

    direction = "out"
    counterpart = "中共江苏省盐城市亭湖区某某社区委员会"
    counterpart_province = "江苏省"
    counterpart_city = "盐城市"
    letter_number = factory.Sequence(lambda n: f"沪静组转〔2025〕{n + 1}号")
    issued_on = factory.LazyFunction(datetime.date.today)
    valid_days = 30
    dues_paid_to = factory.LazyFunction(lambda: datetime.date.today().replace(day=1))
    state = "issued"


class DuesPaymentFactory(DjangoModelFactory):
    """Pass `member` and `month` (a first day of a month)."""

    class Meta:
        model = "members.DuesPayment"

    amount = "10.00"
    paid_on = factory.LazyFunction(datetime.date.today)
