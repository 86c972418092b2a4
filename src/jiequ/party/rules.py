"""The Party's organisational rules as numbers, kept in one place with where each comes from.

Every check in the system (how many members a branch needs, when a committee is due, how often
a branch meets, what a member pays in dues, how long an application's steps must be apart) reads
its number here through `value()`. A subdistrict can adjust a number for its own organisations
(a `RuleOverride` for its region, edited on the rules page); everything else uses the default.
The sources are the documents as published; the rules page shows them next to each number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from jiequ.areas.models import Region

BRANCH_RULES = "《中国共产党支部工作条例（试行）》"
DEVELOPMENT_RULES = "《中国共产党发展党员工作细则》"
DUES_RULES = "《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）"


@dataclass(frozen=True)
class Rule:
    key: str
    default: Any
    label: Any  # lazy text
    unit: Any
    source: str

    @property
    def is_table(self) -> bool:
        return isinstance(self.default, list)


_RULES = [
    # Setting up organisations.
    Rule(
        "branch_min_full_members",
        3,
        _("Full members needed to found a branch of one's own"),
        pgettext_lazy("unit", "members"),
        f"{BRANCH_RULES}：有正式党员3人以上的，应当成立党支部",
    ),
    Rule(
        "joint_branch_max_units",
        5,
        _("Units a joint branch may cover at most"),
        pgettext_lazy("unit", "units"),
        f"{BRANCH_RULES}：联合党支部覆盖单位一般不超过5个",
    ),
    Rule(
        "committee_min_full_members",
        7,
        _("Full members from which a branch elects a committee"),
        pgettext_lazy("unit", "members"),
        f"{BRANCH_RULES}：正式党员7人以上的党支部，应当设立党支部委员会",
    ),
    Rule(
        "committee_min_size",
        3,
        _("Smallest branch committee"),
        pgettext_lazy("unit", "people"),
        f"{BRANCH_RULES}：党支部委员会由3至5人组成，一般不超过7人",
    ),
    Rule(
        "committee_usual_max_size",
        5,
        _("Usual largest branch committee"),
        pgettext_lazy("unit", "people"),
        f"{BRANCH_RULES}：党支部委员会由3至5人组成，一般不超过7人",
    ),
    Rule(
        "committee_max_size",
        7,
        _("Largest branch committee"),
        pgettext_lazy("unit", "people"),
        f"{BRANCH_RULES}：党支部委员会由3至5人组成，一般不超过7人",
    ),
    Rule(
        "branch_usual_max_members",
        50,
        _("Members a branch normally has at most"),
        pgettext_lazy("unit", "members"),
        f"{BRANCH_RULES}：党支部党员人数一般不超过50人",
    ),
    Rule(
        "general_branch_min_members",
        50,
        _("Members from which a general branch is set up"),
        pgettext_lazy("unit", "members"),
        "《中国共产党国有企业基层组织工作条例（试行）》等基层组织设置规定："
        "党员50人以上的，经上级党组织批准，可以成立党的总支部委员会",
    ),
    Rule(
        "committee_level_min_members",
        100,
        _("Members from which a primary Party committee is set up"),
        pgettext_lazy("unit", "members"),
        "《中国共产党国有企业基层组织工作条例（试行）》等基层组织设置规定："
        "党员100人以上的，经上级党组织批准，设立党的基层委员会",
    ),
    Rule(
        "branch_term_years",
        3,
        _("Term of a branch committee or secretary"),
        pgettext_lazy("unit", "years"),
        f"{BRANCH_RULES}：党支部委员会和不设委员会的党支部书记、副书记每届任期3年或者5年",
    ),
    Rule(
        "community_branch_term_years",
        5,
        _("Term of a community branch"),
        pgettext_lazy("unit", "years"),
        "《中国共产党城市基层党建工作条例》及村（社区）“两委”任期调整：社区党组织每届任期5年",
    ),
    Rule(
        "term_warning_days",
        90,
        _("Days before a term ends from which it is flagged"),
        pgettext_lazy("unit", "days"),
        "本系统默认：提前3个月提示准备换届",
    ),
    # Mobile members and transfers.
    Rule(
        "liaison_interval_days",
        365,
        _("Days between a mobile member's reports to the home organisation"),
        pgettext_lazy("unit", "days"),
        "《关于加强和改进流动党员管理工作的意见》：流动党员所在党组织至少每年向其组织关系所在党组织通报一次情况",
    ),
    Rule(
        "transfer_valid_days",
        30,
        _("Validity of an introduction letter"),
        pgettext_lazy("unit", "days"),
        "组织关系介绍信有效期由开具党组织填写，本系统默认30天",
    ),
    # Development of members.
    Rule(
        "min_applicant_age",
        18,
        _("Minimum age of an applicant"),
        pgettext_lazy("unit", "years"),
        f"{DEVELOPMENT_RULES}：年满十八岁……可以申请加入中国共产党",
    ),
    Rule(
        "application_talk_within_days",
        30,
        _("Days within which the organisation talks with an applicant"),
        pgettext_lazy("unit", "days"),
        f"{DEVELOPMENT_RULES}：党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话",
    ),
    Rule(
        "activist_min_months",
        12,
        _("Months an activist is trained before becoming a development candidate"),
        pgettext_lazy("unit", "months"),
        f"{DEVELOPMENT_RULES}：对经过一年以上培养教育和考察……可列为发展对象",
    ),
    Rule(
        "approval_within_months",
        3,
        _("Months within which the higher committee approves"),
        pgettext_lazy("unit", "months"),
        f"{DEVELOPMENT_RULES}：上级党委对党支部接收预备党员的决议，应当在三个月内审批",
    ),
    Rule(
        "probation_months",
        12,
        _("Probation of a probationary member"),
        pgettext_lazy("unit", "months"),
        f"{DEVELOPMENT_RULES}：预备党员的预备期为一年，从支部大会通过之日算起",
    ),
    Rule(
        "probation_max_extension_months",
        12,
        _("Longest extension of probation"),
        pgettext_lazy("unit", "months"),
        f"{DEVELOPMENT_RULES}：可以延长一次预备期，延长时间不能少于半年，最长不超过一年",
    ),
    # Regular meetings (三会一课) and themed Party days: months between meetings at most.
    Rule(
        "general_meeting_every_months",
        3,
        _("Branch general meeting at least every"),
        pgettext_lazy("unit", "months"),
        f"{BRANCH_RULES}：党员大会一般每季度召开1次",
    ),
    Rule(
        "committee_meeting_every_months",
        1,
        _("Branch committee meeting at least every"),
        pgettext_lazy("unit", "months"),
        f"{BRANCH_RULES}：党支部委员会会议一般每月召开1次",
    ),
    Rule(
        "group_meeting_every_months",
        1,
        _("Party group meeting at least every"),
        pgettext_lazy("unit", "months"),
        f"{BRANCH_RULES}：党小组会一般每月召开1次",
    ),
    Rule(
        "lecture_every_months",
        3,
        _("Party lecture at least every"),
        pgettext_lazy("unit", "months"),
        f"{BRANCH_RULES}：党课……党支部书记每年至少讲1次党课（本系统按每季度1次提示）",
    ),
    Rule(
        "themed_day_every_months",
        1,
        _("Themed Party day at least every"),
        pgettext_lazy("unit", "months"),
        f"{BRANCH_RULES}：党支部应当每月相对固定1天开展主题党日",
    ),
    Rule(
        "quorum_share_percent",
        50,
        _("Share of members present above which a general meeting may vote"),
        pgettext_lazy("unit", "%"),
        "《中国共产党章程》及选举工作条例：有表决权的到会人数超过应到会人数的半数，方能开会",
    ),
    # Dues: [monthly after-tax pay up to (yuan, null = no limit), percent].
    Rule(
        "dues_employed_brackets",
        [[3000, "0.5"], [5000, "1"], [10000, "1.5"], [None, "2"]],
        _("Dues of members in work, by monthly after-tax pay"),
        pgettext_lazy("unit", "yuan / %"),
        f"{DUES_RULES}：3000元以下（含）0.5%；3000至5000元（含）1%；"
        "5000至10000元（含）1.5%；10000元以上2%",
    ),
    Rule(
        "dues_retired_brackets",
        [[5000, "0.5"], [None, "1"]],
        _("Dues of retired members, by monthly pension"),
        pgettext_lazy("unit", "yuan / %"),
        f"{DUES_RULES}：离退休干部、职工5000元以下（含）0.5%，5000元以上1%",
    ),
    Rule(
        "dues_flat_yuan",
        "0.2",
        _("Monthly dues of students, members without work or on low income"),
        pgettext_lazy("unit", "yuan"),
        f"{DUES_RULES}：学生党员、下岗失业党员、依靠抚恤或救济生活的党员、"
        "领取当地最低生活保障金的党员，每月交纳党费0.2元",
    ),
]

RULES: dict[str, Rule] = {rule.key: rule for rule in _RULES}


def value(key: str, region: Region | None = None) -> Any:
    """The number (or table) in force for `key` in `region`: its subdistrict's own, or the default.

    Raises KeyError for an unknown key, so a typo in a check fails loudly.
    """
    rule = RULES[key]
    if region is not None:
        from jiequ.core.scoping import ancestor_paths

        from .models import RuleOverride

        paths = [*ancestor_paths(region.path), region.path]
        override = (
            RuleOverride.objects.filter(key=key, region__path__in=paths)
            .order_by("-region__path")
            .values_list("value", flat=True)
            .first()
        )
        if override is not None:
            return override
    return rule.default


def decimal_value(key: str, region: Region | None = None) -> Decimal:
    return Decimal(str(value(key, region)))


class RuleValues:
    """`rules.value(key, region)` for many regions with one query.

    It reads every override once and picks, as `rules.value` does, the one of the region
    itself or of the nearest region above it; without one, the rule's default.
    """

    def __init__(self) -> None:
        from .models import RuleOverride

        self._overrides: dict[str, list[tuple[str, Any]]] = {}
        rows = RuleOverride.objects.values_list("key", "region__path", "value")
        for key, path, value in rows:
            self._overrides.setdefault(key, []).append((path, value))
        for entries in self._overrides.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)  # nearest region first

    def __call__(self, key: str, region: Region | None = None) -> Any:
        rule = RULES[key]
        if region is not None:
            for path, value in self._overrides.get(key, ()):
                if region.path.startswith(path):
                    return value
        return rule.default
