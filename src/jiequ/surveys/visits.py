"""Recording one shop's visit: the state found, the answers, the notes and the demands raised.

One transaction: the visit row is locked, checked against the version the visitor opened (two
visitors on one shop never overwrite each other silently), saved with its demands; a demand
marked for the demands desk becomes a case through jiequ.cases.services.create_case (source
"branch visit"). If anything fails nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import StateFound, Survey, SurveyDemand, SurveyState, SurveyVisit
from .questions import clean_answers


@dataclass
class DemandInput:
    category: Any  # CaseCategory
    text: str
    open_case: bool = False


class VisitConflict(Exception):
    """Someone else saved this visit after it was opened."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this visit while you were filling it in. "
                "Reload the page to see their answers, then add yours."
            )
        )


def _case_title(entity: Any, text: str) -> str:
    name = entity.sign_name or entity.name
    return f"{name}：{text}"[:100]


def _submission_key(visit: SurveyVisit, text: str, category_id: int) -> str:
    # The same demand saved twice (a double tap) makes one case.
    raw = f"survey-visit:{visit.pk}:{category_id}:{text.strip()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:64]


def record_visit(
    visit: SurveyVisit,
    user: Any,
    *,
    visited_on: dt.date,
    state_found: str,
    answers: dict[str, Any],
    notes: str = "",
    demands: list[DemandInput] | None = None,
    loaded_at: str | None = None,
) -> SurveyVisit:
    if state_found not in StateFound.values:
        raise ValidationError(_("Say what you found: operating, closed or moved away."))
    with transaction.atomic():
        locked = (
            SurveyVisit.objects.select_for_update(of=("self",))
            .select_related("survey", "entity")
            .get(pk=visit.pk)
        )
        if loaded_at and locked.updated_at.isoformat() != loaded_at:
            raise VisitConflict
        survey = locked.survey
        if survey.state == SurveyState.DONE:
            raise ValidationError(_("This survey is done; its visits can no longer change."))
        locked.answers = clean_answers(survey.questions, answers)
        locked.visited_on = visited_on
        locked.state_found = state_found
        locked.notes = notes
        locked.recorded_by = user
        if locked.visitor_id is None:
            locked.visitor = user
        locked._change_reason = "survey visit"
        locked.save()
        for demand in demands or []:
            _add_demand(locked, user, demand)
        if survey.state == SurveyState.PLANNED:
            Survey.objects.filter(pk=survey.pk, state=SurveyState.PLANNED).update(
                state=SurveyState.IN_PROGRESS
            )
    return locked


def _add_demand(visit: SurveyVisit, user: Any, demand: DemandInput) -> SurveyDemand:
    text = demand.text.strip()
    if not text:
        raise ValidationError(_("A demand needs a few words saying what is asked."))
    row = SurveyDemand(visit=visit, category=demand.category, text=text)
    if demand.open_case:
        from jiequ.cases.models import Source
        from jiequ.cases.services import create_case

        entity = visit.entity
        case, _created = create_case(
            source=Source.VISIT,
            category=demand.category,
            title=_case_title(entity, text),
            description=_("Raised on the road survey “%(survey)s”: %(text)s")
            % {"survey": visit.survey.title, "text": text},
            entity=entity,
            user=user,
            submission_key=_submission_key(visit, text, demand.category.pk),
        )
        row.case = case
    row.save()
    return row
