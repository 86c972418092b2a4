"""Forms of the road surveys: create from a road or a selection, edit, the visit (phone first),
recommendations, assigning visitors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiequ.accounts.models import User
from jiequ.areas.models import Road
from jiequ.cases.models import CaseCategory
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import restrict
from jiequ.ledger.models import Entity

from . import plan, questions
from .models import QuestionKind, StateFound, Survey

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuestionsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 9})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Questionnaire"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "One question per line: wording | kind (单选, 多选, 是否, 数字, 文字) | "
                "options separated by “；”."
            ),
        )
        super().__init__(**kwargs)


class SurveyCreateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("title"), max_length=100)
    road = forms.ModelChoiceField(
        label=gettext_lazy("road"),
        queryset=Road.objects.none(),
        required=False,
        help_text=gettext_lazy("All its street shops are put on the visit plan."),
    )
    extra_roads = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Also the shops of"),
        queryset=Road.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    street_shops_only = forms.BooleanField(
        label=gettext_lazy("Street shops only"), required=False, initial=True
    )
    entities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Or these entities"),
        queryset=Entity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("A chosen set of entities, with or without a road."),
    )
    starts_on = forms.DateField(label=gettext_lazy("starts on"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("ends on"), widget=DATE)
    visitors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Visitors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Each takes an even, unbroken stretch of the walk."),
    )
    purpose = forms.CharField(
        label=pgettext_lazy("survey", "purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    questions_text = QuestionsField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        roads = restrict(Road.objects.all(), user, "view").filter(entities__is_street_shop=True)
        roads = roads.distinct().order_by("name")
        self.fields["road"].queryset = roads
        self.fields["extra_roads"].queryset = roads
        self.fields["entities"].queryset = (
            restrict(Entity.objects.all(), user, "view")
            .exclude(state__in=plan.GONE_STATES)
            .select_related("road")
            .order_by("road__name", "number", "name")
        )
        self.fields["visitors"].queryset = plan.possible_visitors(user)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + dt.timedelta(days=14)
        self.fields["questions_text"].initial = questions.to_text(questions.default_questions())

    def clean_questions_text(self) -> list[dict[str, Any]]:
        return questions.parse(self.cleaned_data["questions_text"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        road, extra = cleaned.get("road"), list(cleaned.get("extra_roads") or [])
        chosen = list(cleaned.get("entities") or [])
        if not road and not extra and not chosen:
            self.add_error(None, _("Choose a road or some entities to visit."))
        roads = [r for r in [road, *extra] if r]
        found = (
            list(
                plan.shops_on_roads(
                    self.user, roads, street_shops_only=cleaned.get("street_shops_only", False)
                ).select_related("road", "region")
            )
            if roads
            else []
        )
        cleaned["all_entities"] = list({e.pk: e for e in [*found, *chosen]}.values())
        if (roads or chosen) and not cleaned["all_entities"]:
            self.add_error(None, _("No shop there is in your area of work or still operating."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The survey ends before it starts."))
        return cleaned


class SurveyEditForm(ScopedModelForm):
    questions_text = QuestionsField(required=False)

    class Meta:
        model = Survey
        fields = ["title", "purpose", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked_questions = self.instance.visits.filter(visited_on__isnull=False).exists()
        self.fields["questions_text"].initial = questions.to_text(self.instance.questions)
        if self.locked_questions:
            self.fields["questions_text"].disabled = True
            self.fields["questions_text"].help_text = _(
                "Shops have answered already: the questions can no longer change."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The survey ends before it starts."))
        if not self.locked_questions and "questions_text" in cleaned:
            try:
                cleaned["questions"] = questions.parse(
                    cleaned["questions_text"], self.instance.questions
                )
            except ValidationError as exc:
                self.add_error("questions_text", exc)
        return cleaned

    def save(self, commit: bool = True) -> Survey:
        survey = super().save(commit=False)
        if "questions" in self.cleaned_data:
            survey.questions = self.cleaned_data["questions"]
        if commit:
            survey.save()
        return survey


class RecommendationsForm(ScopedModelForm):
    class Meta:
        model = Survey
        fields = ["findings", "recommendations"]
        widgets = {
            "findings": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "findings": gettext_lazy("What the visits found, in a few paragraphs."),
            "recommendations": gettext_lazy("What to change: one recommendation per paragraph."),
        }


def _category_choices() -> list[tuple[Any, Any]]:
    """Top-level categories as groups, their children to pick."""
    categories = list(CaseCategory.objects.filter(is_active=True).select_related("parent"))
    groups: dict[Any, list[tuple[int, str]]] = {}
    for c in categories:
        if c.parent_id:
            groups.setdefault(c.parent, []).append((c.pk, c.name))
    choices: list[tuple[Any, Any]] = [("", "---------")]
    for parent in sorted(groups, key=lambda p: p.code):
        choices.append((parent.name, sorted(groups[parent], key=lambda kv: kv[1])))
    return choices


class DemandForm(forms.Form):
    category = forms.TypedChoiceField(
        label=gettext_lazy("category"), coerce=int, required=False, empty_value=None
    )
    text = forms.CharField(label=gettext_lazy("demand"), max_length=300, required=False)
    open_case = forms.BooleanField(
        label=gettext_lazy("Send to the demands desk as a case"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        text, category = (cleaned.get("text") or "").strip(), cleaned.get("category")
        if text and not category:
            self.add_error("category", _("Choose the category of this demand."))
        if category and not text:
            self.add_error("text", _("Say in a few words what is asked."))
        if cleaned.get("open_case") and not text:
            self.add_error("text", _("Say in a few words what is asked."))
        if category:
            cleaned["category_obj"] = CaseCategory.objects.filter(pk=category).first()
            if cleaned["category_obj"] is None:
                self.add_error("category", _("Choose the category of this demand."))
        return cleaned


DemandFormSet = forms.formset_factory(DemandForm, extra=2, max_num=5)


class VisitForm(forms.Form):
    """The visit of one shop: built from the survey's questions."""

    visited_on = forms.DateField(label=gettext_lazy("visited on"), widget=DATE)
    state_found = forms.ChoiceField(
        label=gettext_lazy("state found"), choices=StateFound.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=gettext_lazy("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, visit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.questions = visit.survey.questions
        answers = visit.answers or {}
        for q in self.questions:
            name = f"q_{q['key']}"
            self.fields[name] = _question_field(q)
            if q["key"] in answers:
                self.fields[name].initial = answers[q["key"]]
        self.fields["visited_on"].initial = visit.visited_on or timezone.localdate()
        self.fields["state_found"].initial = visit.state_found or StateFound.OPERATING
        self.fields["notes"].initial = visit.notes
        self.fields["loaded_at"].initial = visit.updated_at.isoformat()
        # The notes come after the questions.
        self.order_fields(["visited_on", "state_found"] + [f"q_{q['key']}" for q in self.questions])

    def question_fields(self) -> list[Any]:
        return [self[f"q_{q['key']}"] for q in self.questions]

    def answers(self) -> dict[str, Any]:
        return {q["key"]: self.cleaned_data.get(f"q_{q['key']}") for q in self.questions}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("visited_on") and cleaned["visited_on"] > timezone.localdate():
            self.add_error("visited_on", _("A visit cannot be in the future."))
        return cleaned


def _question_field(q: dict[str, Any]) -> forms.Field:
    label, kind = q["text"], q["kind"]
    options = [(o, o) for o in q.get("options") or []]
    if kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            label=label, choices=options, required=False, widget=forms.RadioSelect
        )
    if kind == QuestionKind.MULTI:
        return forms.MultipleChoiceField(
            label=label, choices=options, required=False, widget=forms.CheckboxSelectMultiple
        )
    if kind == QuestionKind.YESNO:
        return forms.ChoiceField(
            label=label,
            choices=[(questions.YES, _("yes")), (questions.NO, _("no"))],
            required=False,
            widget=forms.RadioSelect,
        )
    if kind == QuestionKind.NUMBER:
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=0,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
    return forms.CharField(
        label=label,
        required=False,
        max_length=questions.MAX_TEXT_ANSWER,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    visitor = forms.ModelChoiceField(
        label=gettext_lazy("Visitor"), queryset=User.objects.none(), required=False
    )
    visits = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args: Any, user: Any, visit_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = plan.possible_visitors(user)
        self.fields["visitor"].empty_label = _("Nobody (unassigned)")
        self.fields["visits"].choices = [(pk, pk) for pk in visit_ids]
        self.fields["visits"].error_messages["required"] = _("Tick the shops to hand over.")
