"""Home-page figures of members: each counts a list the user can open."""

import datetime

from jiequ.members.figures import home_figures

from .factories import MemberFactory, MobileMemberFactory
from .factories_members import LiaisonReportFactory, TransferFactory

TODAY = datetime.date.today()


def test_home_figures_count_and_link(party, users):
    MemberFactory(organisation=party.west, membership="probationary")
    overdue = MobileMemberFactory(organisation=party.west)
    LiaisonReportFactory(member=overdue, reported_on=TODAY - datetime.timedelta(days=400))
    TransferFactory(
        member=party.west_members[0],
        organisation=party.west,
        issued_on=TODAY - datetime.timedelta(days=60),
    )
    figures = {label: (number, url) for label, number, url in home_figures(users.secretary)}
    assert figures["正式党员"] == (5, "/members/?membership=full")
    assert figures["预备党员"] == (1, "/members/?membership=probationary")
    assert figures["流动党员"] == (1, "/members/?mobile=true")
    assert figures["流动党员待通报"] == (1, "/members/liaison-due/")
    assert figures["组织关系转接逾期"] == (1, "/members/transfers/overdue/")
    staff = {label: number for label, number, url in home_figures(users.staff)}
    assert staff["正式党员"] == 7
    assert home_figures(users.district) == []
