"""The official procedure for developing Party members: 5 stages, 25 steps and their rules.

《中国共产党发展党员工作细则》 lays the way from an application letter to full membership out as
25 steps in five chapters. This module knows the steps, which stage each one opens, which
people it records (trainers, introducers), and checks a step before it is recorded:

- `check_step()` returns what refuses a step (each `Refusal` names its rule and source);
- `late_flags()` returns steps that were done, but later than the rules say (shown, not refused);
- `next_step()`, `due()` / `due_date()` and `stage_of()` say where an application stands.

Every number comes from jiequ.party.rules (a subdistrict may adjust them). A few checks are
not numbers a subdistrict adjusts (steps in order, two introducers); their rules are here, in
`PROCEDURE_RULES`, with their sources. Writing (recording a step, stopping, extending probation)
is in jiequ.development.services.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.party import rules
from jiequ.party.rules import DEVELOPMENT_RULES, RULES, Rule

from .models import Stage

if TYPE_CHECKING:
    from jiequ.areas.models import Region

    from .models import Application, ApplicationStep

LAST_STEP = 25


# The five chapters of the procedure (the timeline groups the steps by them).
@dataclass(frozen=True)
class Phase:
    key: str
    label: Any  # lazy text


PHASES = [
    Phase("applicant", gettext_lazy("Applying to join")),
    Phase("activist", gettext_lazy("Choosing and training activists")),
    Phase("candidate", gettext_lazy("Choosing and reviewing development candidates")),
    Phase("admission", gettext_lazy("Admission of probationary members")),
    Phase("probation", gettext_lazy("Education, review and full membership of probationers")),
]


# Checks that are not adjustable numbers; each names the text it comes from.
PROCEDURE_RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in [
        Rule(
            "steps_in_order",
            LAST_STEP,
            gettext_lazy("The 25 steps are taken in order"),
            gettext_lazy("steps"),
            f"{DEVELOPMENT_RULES}：发展党员须经五个阶段、25个步骤，依次进行，不得省略或颠倒",
        ),
        Rule(
            "dates_in_order",
            0,
            gettext_lazy("A step is not dated before the step before it"),
            gettext_lazy("days"),
            f"{DEVELOPMENT_RULES}：各步骤依次进行，后一步骤的日期不早于前一步骤",
        ),
        Rule(
            "no_future_dates",
            0,
            gettext_lazy("A step is recorded once it is done"),
            gettext_lazy("days"),
            "本系统：步骤完成后按实际日期登记，不登记未来的日期",
        ),
        Rule(
            "trainers",
            [1, 2],
            gettext_lazy("Trainers of an activist"),
            gettext_lazy("people"),
            f"{DEVELOPMENT_RULES}：党组织应当指定一至两名正式党员作入党积极分子的培养联系人",
        ),
        Rule(
            "introducers",
            2,
            gettext_lazy("Introducers of a development candidate"),
            gettext_lazy("people"),
            f"{DEVELOPMENT_RULES}：发展党员，必须有两名正式党员作入党介绍人",
        ),
        Rule(
            "probation_min_extension_months",
            6,
            gettext_lazy("Shortest extension of probation"),
            gettext_lazy("months"),
            RULES["probation_max_extension_months"].source,
        ),
        Rule(
            "probation_extended_once",
            1,
            gettext_lazy("Probation is extended at most once"),
            gettext_lazy("times"),
            RULES["probation_max_extension_months"].source,
        ),
        Rule(
            "application_open",
            0,
            gettext_lazy("A stopped or completed application takes no more steps"),
            "",
            "本系统：已终止的申请不再登记步骤，转正后的申请不再终止或延长预备期",
        ),
        Rule(
            "one_member_record",
            1,
            gettext_lazy("One member record and one open application per person"),
            gettext_lazy("records"),
            "本系统：一人只有一条党员记录、一份在办的入党申请（以手机号识别）",
        ),
    ]
}


def rule(key: str) -> Rule:
    """A rule by key, from the adjustable numbers (party.rules) or the procedure's own."""
    return RULES[key] if key in RULES else PROCEDURE_RULES[key]


@dataclass(frozen=True)
class PeopleNeed:
    """People a step records: how they are called and how many the rule asks for."""

    label: Any  # lazy text
    minimum: int = 0
    maximum: int | None = None
    rule_key: str | None = None


@dataclass(frozen=True)
class Step:
    number: int
    name: Any  # lazy text; the UI shows it in Chinese
    phase: str
    opens: str | None = None  # the stage the application enters with this step
    people: PeopleNeed | None = None


STEPS: list[Step] = [
    Step(1, gettext_lazy("Hands in the application letter"), "applicant", Stage.APPLICANT),
    Step(
        2,
        gettext_lazy("Party organisation sends someone to talk"),
        "applicant",
        people=PeopleNeed(gettext_lazy("who talked with the applicant")),
    ),
    Step(3, gettext_lazy("Recommended and chosen as activist"), "activist", Stage.ACTIVIST),
    Step(4, gettext_lazy("Activist filed with the higher committee"), "activist"),
    Step(
        5,
        gettext_lazy("Trainers assigned"),
        "activist",
        people=PeopleNeed(gettext_lazy("trainers"), 1, 2, "trainers"),
    ),
    Step(6, gettext_lazy("Training, education and review"), "activist"),
    Step(7, gettext_lazy("Chosen as development candidate"), "candidate", Stage.CANDIDATE),
    Step(8, gettext_lazy("Candidate reported to the higher committee"), "candidate"),
    Step(
        9,
        gettext_lazy("Introducers chosen"),
        "candidate",
        people=PeopleNeed(gettext_lazy("introducers"), 2, 2, "introducers"),
    ),
    Step(10, gettext_lazy("Political review"), "candidate"),
    Step(11, gettext_lazy("Intensive training"), "candidate"),
    Step(12, gettext_lazy("Review by the branch committee"), "admission"),
    Step(13, gettext_lazy("Preliminary review by the higher committee"), "admission"),
    Step(14, gettext_lazy("Admission form filled in"), "admission"),
    Step(15, gettext_lazy("Branch general meeting discusses and votes"), "admission"),
    Step(
        16,
        gettext_lazy("Higher committee sends someone to talk"),
        "admission",
        people=PeopleNeed(gettext_lazy("who talked with the candidate")),
    ),
    Step(17, gettext_lazy("Approval by the higher committee"), "admission", Stage.PROBATIONARY),
    Step(18, gettext_lazy("Filed with the organisation department above"), "probation"),
    Step(19, gettext_lazy("Placed in a branch and a Party group"), "probation"),
    Step(20, gettext_lazy("Admission oath"), "probation"),
    Step(21, gettext_lazy("Continued education and review"), "probation"),
    Step(22, gettext_lazy("Applies for full membership"), "probation"),
    Step(23, gettext_lazy("Branch general meeting discusses full membership"), "probation"),
    Step(24, gettext_lazy("Higher committee approves full membership"), "probation", Stage.FULL),
    Step(25, gettext_lazy("Records filed in the archive"), "probation"),
]

STEP_BY_NUMBER: dict[int, Step] = {step.number: step for step in STEPS}

# Board columns and list filters follow the stages that steps open.
OPEN_STAGES = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY]


@dataclass(frozen=True)
class Refusal:
    """Why a step (or a change) is refused, with the rule that refuses it."""

    message: str
    rule: Rule

    @property
    def rule_label(self) -> str:
        return str(self.rule.label)

    @property
    def source(self) -> str:
        return self.rule.source

    def __str__(self) -> str:
        return _("%(message)s (rule: %(rule)s; %(source)s)") % {
            "message": self.message,
            "rule": self.rule_label,
            "source": self.source,
        }


class Refused(Exception):
    """A step or change the rules refuse; nothing was saved."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(str(r) for r in refusals))
        self.refusals = refusals


@dataclass(frozen=True)
class Flag:
    """A step done later than the rules say: shown on the board, not refused."""

    number: int
    message: str
    rule: Rule

    @property
    def rule_label(self) -> str:
        return str(self.rule.label)

    @property
    def source(self) -> str:
        return self.rule.source


@dataclass(frozen=True)
class Due:
    """When the next step is due (`kind` "by": a deadline) or may first be taken ("from")."""

    number: int
    on: date
    kind: str
    rule: Rule

    @property
    def is_deadline(self) -> bool:
        return self.kind == "by"

    def __str__(self) -> str:
        if self.is_deadline:
            return _("by %(date)s") % {"date": self.on.isoformat()}
        return _("from %(date)s") % {"date": self.on.isoformat()}


class RuleBook(rules.RuleValues):
    """The rules in force for applications: every override read once (see rules.RuleValues)."""

    def value(self, key: str, region: Region | None) -> Any:
        return self(key, region)

    def number(self, key: str, region: Region | None) -> int:
        return int(self(key, region))


# Dates -------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later (31 January + 1 month → 28/29 February)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# Reading an application ----------------------------------------------------------------------


def done_steps(application: Application) -> dict[int, ApplicationStep]:
    """The steps recorded so far, by number (uses prefetched steps when there are some)."""
    if application.pk is None:
        return {}
    return {step.number: step for step in application.steps.all()}


def _region(application: Application) -> Region | None:
    organisation = getattr(application, "organisation", None)
    return organisation.region if organisation is not None else None


def parse_people(people: str | Iterable[str] | None) -> list[str]:
    """ "张三、李四" / "张三, 李四" / ["张三", "李四"] → ["张三", "李四"] (blanks dropped)."""
    if people is None:
        return []
    parts = re.split(r"[,，、;；/\s]+", people) if isinstance(people, str) else list(people)
    return [p.strip() for p in parts if p and p.strip()]


def stage_of(application: Application) -> str:
    """The stage the recorded steps put the application in (or "stopped")."""
    if application.stage == Stage.STOPPED:
        return Stage.STOPPED
    stage = Stage.APPLICANT
    done = done_steps(application)
    for step in STEPS:
        if step.number in done and step.opens:
            stage = step.opens
    return stage


def next_step(application: Application) -> Step | None:
    """The step to take next; None once all 25 are done or the application was stopped."""
    if application.stage == Stage.STOPPED:
        return None
    done = done_steps(application)
    for step in STEPS:
        if step.number not in done:
            return step
    return None


def probation_end(application: Application, book: RuleBook | None = None) -> date | None:
    """When probation ends: the branch meeting's vote (step 15) + probation + any extension."""
    meeting = done_steps(application).get(15)
    if meeting is None:
        return None
    book = book or RuleBook()
    months = book.number("probation_months", _region(application))
    return add_months(meeting.done_on, months + application.probation_extension_months)


def due(application: Application, book: RuleBook | None = None) -> Due | None:
    """When the next step is due, or may first be taken; None if the rules set no date."""
    step = next_step(application)
    if step is None:
        return None
    book = book or RuleBook()
    region = _region(application)
    done = done_steps(application)
    number = step.number
    if number == 2 and 1 in done:
        days = book.number("application_talk_within_days", region)
        on = date.fromordinal(done[1].done_on.toordinal() + days)
        return Due(number, on, "by", RULES["application_talk_within_days"])
    if number == 7 and 3 in done:
        months = book.number("activist_min_months", region)
        return Due(
            number, add_months(done[3].done_on, months), "from", RULES["activist_min_months"]
        )
    if number == 17 and 15 in done:
        months = book.number("approval_within_months", region)
        on = add_months(done[15].done_on, months)
        return Due(number, on, "by", RULES["approval_within_months"])
    if number in (22, 23):
        end = probation_end(application, book)
        if end is not None:
            return Due(number, end, "from", RULES["probation_months"])
    if number == 24 and 23 in done:
        months = book.number("approval_within_months", region)
        on = add_months(done[23].done_on, months)
        return Due(number, on, "by", RULES["approval_within_months"])
    return None


def due_date(application: Application, book: RuleBook | None = None) -> date | None:
    """The date of `due()`: when the next step is due or may first be taken."""
    found = due(application, book)
    return found.on if found else None


def is_overdue(
    application: Application, today: date | None = None, book: RuleBook | None = None
) -> bool:
    """The next step has a deadline and it has passed."""
    found = due(application, book)
    today = today or timezone.localdate()
    return found is not None and found.is_deadline and found.on < today


def late_flags(application: Application, book: RuleBook | None = None) -> dict[int, Flag]:
    """Steps done later than the rules say, by step number (flagged, not refused)."""
    book = book or RuleBook()
    region = _region(application)
    done = done_steps(application)
    flags: dict[int, Flag] = {}
    if 1 in done and 2 in done:
        limit = book.number("application_talk_within_days", region)
        days = (done[2].done_on - done[1].done_on).days
        if days > limit:
            flags[2] = Flag(
                2,
                _(
                    "The talk was held %(days)d days after the application was handed in; "
                    "the rule is within %(limit)d days."
                )
                % {"days": days, "limit": limit},
                RULES["application_talk_within_days"],
            )
    for number, after in ((17, 15), (24, 23)):
        if number in done and after in done:
            months = book.number("approval_within_months", region)
            deadline = add_months(done[after].done_on, months)
            if done[number].done_on > deadline:
                flags[number] = Flag(
                    number,
                    _(
                        "Approved on %(date)s, %(days)d days after the branch general meeting "
                        "of %(meeting)s; the rule is within %(months)d months."
                    )
                    % {
                        "date": done[number].done_on.isoformat(),
                        "days": (done[number].done_on - done[after].done_on).days,
                        "meeting": done[after].done_on.isoformat(),
                        "months": months,
                    },
                    RULES["approval_within_months"],
                )
    return flags


@dataclass
class Progress:
    """Where an application stands: what the timeline, lists and the board show."""

    stage: str
    done: dict[int, ApplicationStep]
    next_step: Step | None
    due: Due | None
    overdue: bool
    late: dict[int, Flag] = field(default_factory=dict)


def progress(
    application: Application, today: date | None = None, book: RuleBook | None = None
) -> Progress:
    book = book or RuleBook()
    today = today or timezone.localdate()
    found = due(application, book)
    return Progress(
        stage=stage_of(application),
        done=done_steps(application),
        next_step=next_step(application),
        due=found,
        overdue=found is not None and found.is_deadline and found.on < today,
        late=late_flags(application, book),
    )


# Checking a step before it is recorded ------------------------------------------------------


def _step_label(number: int) -> str:
    step = STEP_BY_NUMBER.get(number)
    return f"{number}（{step.name}）" if step else str(number)


def check_step(
    application: Application,
    number: int,
    done_on: date,
    today: date,
    people: str | Iterable[str] | None = (),
    book: RuleBook | None = None,
) -> list[Refusal]:
    """What refuses recording step `number` as done on `done_on`; empty when it may be recorded.

    `people` are the names the step records (trainers for step 5, introducers for step 9).
    """
    book = book or RuleBook()
    region = _region(application)
    step = STEP_BY_NUMBER.get(number)
    if step is None:
        return [
            Refusal(
                _("There is no step %(n)s: the procedure has 25 steps.") % {"n": number},
                rule("steps_in_order"),
            )
        ]
    if application.stage == Stage.STOPPED:
        return [
            Refusal(
                _("This application was stopped; it takes no more steps."),
                rule("application_open"),
            )
        ]
    done = done_steps(application)
    if number in done:
        return [
            Refusal(
                _("Step %(step)s is already recorded, as done on %(date)s.")
                % {"step": _step_label(number), "date": done[number].done_on.isoformat()},
                rule("steps_in_order"),
            )
        ]
    refusals: list[Refusal] = []
    previous = done.get(number - 1)
    if number > 1 and previous is None:
        waiting = next_step(application)
        refusals.append(
            Refusal(
                _("Step %(step)s comes after step %(previous)s, which is not recorded yet.")
                % {"step": _step_label(number), "previous": _step_label(number - 1)}
                + (
                    " " + _("The next step is %(next)s.") % {"next": _step_label(waiting.number)}
                    if waiting is not None
                    else ""
                ),
                rule("steps_in_order"),
            )
        )
    if done_on > today:
        refusals.append(
            Refusal(
                _("%(date)s is in the future; record the step once it is done.")
                % {"date": done_on.isoformat()},
                rule("no_future_dates"),
            )
        )
    if previous is not None and done_on < previous.done_on:
        refusals.append(
            Refusal(
                _(
                    "Step %(step)s cannot be dated %(date)s: step %(previous)s before it "
                    "was done on %(previous_date)s."
                )
                % {
                    "step": _step_label(number),
                    "date": done_on.isoformat(),
                    "previous": _step_label(number - 1),
                    "previous_date": previous.done_on.isoformat(),
                },
                rule("dates_in_order"),
            )
        )
    if number == 1:
        minimum = book.number("min_applicant_age", region)
        age = age_on(application.birth_date, done_on)
        if age < minimum:
            refusals.append(
                Refusal(
                    _(
                        "%(name)s was %(age)d on %(date)s; an applicant must be at least "
                        "%(minimum)d years old."
                    )
                    % {
                        "name": application.name,
                        "age": age,
                        "date": done_on.isoformat(),
                        "minimum": minimum,
                    },
                    RULES["min_applicant_age"],
                )
            )
    if number == 7 and 3 in done:
        months = book.number("activist_min_months", region)
        earliest = add_months(done[3].done_on, months)
        if done_on < earliest:
            refusals.append(
                Refusal(
                    _(
                        "An activist chosen on %(chosen)s is trained for at least %(months)d "
                        "months: they may become a development candidate from %(earliest)s."
                    )
                    % {
                        "chosen": done[3].done_on.isoformat(),
                        "months": months,
                        "earliest": earliest.isoformat(),
                    },
                    RULES["activist_min_months"],
                )
            )
    if number in (22, 23) and 15 in done:
        end = probation_end(application, book)
        if end is not None and done_on < end:
            months = book.number("probation_months", region)
            refusals.append(
                Refusal(
                    _(
                        "Probation runs %(months)d months from the branch general meeting of "
                        "%(meeting)s%(extension)s: it ends on %(end)s, so step %(step)s may "
                        "be taken from then."
                    )
                    % {
                        "months": months,
                        "meeting": done[15].done_on.isoformat(),
                        "extension": (
                            _(", extended by %(n)d months")
                            % {"n": application.probation_extension_months}
                            if application.probation_extension_months
                            else ""
                        ),
                        "end": end.isoformat(),
                        "step": _step_label(number),
                    },
                    RULES["probation_months"],
                )
            )
    if number == 17:
        refusals += _admission_refusals(application)
    if number == 24 and application.member_id is None:
        refusals.append(
            Refusal(
                _("There is no probationary member record to make full."),
                rule("one_member_record"),
            )
        )
    refusals += _people_refusals(step, parse_people(people))
    return refusals


def _admission_refusals(application: Application) -> list[Refusal]:
    from jiequ.members.models import Member

    if application.member_id is not None:
        return [
            Refusal(
                _("This application already has its member record."),
                rule("one_member_record"),
            )
        ]
    if not application.phone_hash:
        return [
            Refusal(
                _("The application has no phone number; a member record needs one."),
                rule("one_member_record"),
            )
        ]
    if Member.objects.filter(phone_hash=application.phone_hash).exists():
        return [
            Refusal(
                _("A Party member record with this phone number already exists."),
                rule("one_member_record"),
            )
        ]
    return []


def _people_refusals(step: Step, names: list[str]) -> list[Refusal]:
    need = step.people
    if need is None or need.rule_key is None:
        return []
    count = len(names)
    if need.minimum <= count and (need.maximum is None or count <= need.maximum):
        return []
    if need.maximum == need.minimum:
        wanted = str(need.minimum)
    elif need.maximum is None:
        wanted = _("at least %(n)d") % {"n": need.minimum}
    else:
        wanted = f"{need.minimum}–{need.maximum}"
    return [
        Refusal(
            _("Step %(step)s records %(wanted)s %(people)s; %(count)d given.")
            % {
                "step": _step_label(step.number),
                "wanted": wanted,
                "people": need.label,
                "count": count,
            },
            rule(need.rule_key),
        )
    ]


def check_extension(application: Application, months: int) -> list[Refusal]:
    """What refuses extending this application's probation by `months`."""
    refusals: list[Refusal] = []
    if application.stage != Stage.PROBATIONARY:
        return [
            Refusal(
                _("Only a probationary member's probation can be extended."),
                rule("application_open"),
            )
        ]
    if 23 in done_steps(application):
        return [
            Refusal(
                _("The branch general meeting has already discussed full membership."),
                rule("steps_in_order"),
            )
        ]
    if application.probation_extension_months:
        refusals.append(
            Refusal(
                _("Probation was already extended by %(n)d months; it is extended only once.")
                % {"n": application.probation_extension_months},
                rule("probation_extended_once"),
            )
        )
    region = _region(application)
    maximum = int(rules.value("probation_max_extension_months", region))
    minimum = int(PROCEDURE_RULES["probation_min_extension_months"].default)
    if months > maximum:
        refusals.append(
            Refusal(
                _("Probation is extended by at most %(max)d months, not %(n)d.")
                % {"max": maximum, "n": months},
                RULES["probation_max_extension_months"],
            )
        )
    elif months < minimum:
        refusals.append(
            Refusal(
                _("Probation is extended by at least %(min)d months, not %(n)d.")
                % {"min": minimum, "n": months},
                PROCEDURE_RULES["probation_min_extension_months"],
            )
        )
    return refusals
