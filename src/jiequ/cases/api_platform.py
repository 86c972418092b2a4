"""The district city-operations platform's answer about a case it received.

`POST /api/platform/cases/<number>/answer/` with `Authorization: Bearer <token>`, where the
token is JIEQU_DISTRICT_INBOUND_TOKEN (compared in constant time; one shared secret per
platform, no user account), and a JSON body:

    {"status": "accepted" | "resolved" | "returned",
     "reference": "the platform's own number", "resolution": "…", "reason": "…"}

accepted → the case is being handled at the district (`start`); resolved → `resolve` with the
resolution; returned → `return` with the reason (back to the grid consultation). The case moves
through `workflow.apply(…, actor_label="区城运平台")`, so the transition table, the timeline and
the history are the same as for a person.

Answers: 200 (moved, or the same answer again: nothing changes), 400 (a bad body), 401 (no or a
wrong token), 404 (no such case), 409 (the case cannot move that way now; the reason in Chinese).
"""

from __future__ import annotations

import hmac
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiequ.outbox import conf

from .handoff import PLATFORM_NAME
from .models import Case, CaseEvent, Level

# The platform's word → the workflow's action.
ACTIONS = {"accepted": "start", "resolved": "resolve", "returned": "return"}


class AnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=sorted(ACTIONS))
    reference = serializers.CharField(max_length=50, required=False, allow_blank=True)
    resolution = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["status"] == "resolved" and not data.get("resolution", "").strip():
            raise serializers.ValidationError({"resolution": _("Say how the case was resolved.")})
        if data["status"] == "returned" and not data.get("reason", "").strip():
            raise serializers.ValidationError({"reason": _("Say why the case is returned.")})
        return data


def token_ok(request: Request) -> bool:
    expected = conf.get("JIEQU_DISTRICT_INBOUND_TOKEN")
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), str(expected).encode())


def already_answered(case: Case, action: str) -> bool:
    """Did the platform already give this answer since the case was last sent up?"""
    last_up = (
        CaseEvent.objects.filter(case=case, action="escalate", to_level=Level.DISTRICT)
        .order_by("-at", "-pk")
        .first()
    )
    answers = CaseEvent.objects.filter(case=case, actor_label=PLATFORM_NAME, action=action)
    if last_up is not None:
        answers = answers.filter(pk__gt=last_up.pk)
    return answers.exists()


class CaseAnswerView(APIView):
    authentication_classes: list = []  # the platform's own token, checked below
    permission_classes = [AllowAny]
    serializer_class = AnswerSerializer

    def post(self, request: Request, number: str) -> Response:
        from . import workflow

        if not token_ok(request):
            return Response(
                {"detail": _("The platform's token is missing or wrong.")},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": 'Bearer realm="jiequ"'},
            )
        case = Case.objects.filter(number=number).first()
        if case is None:
            return Response(
                {"detail": _("There is no case with this number.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        serializer = AnswerSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        data = serializer.validated_data
        action = ACTIONS[data["status"]]
        reference = data.get("reference", "").strip()
        with transaction.atomic():
            # Serialise two deliveries of the same answer: the second one sees the first.
            case = Case.objects.select_for_update().get(pk=case.pk)
            if already_answered(case, action):
                self._keep_reference(case, reference)
                return Response(self._body(case, changed=False))
            if case.level != Level.DISTRICT:
                return Response(
                    {
                        "detail": _(
                            "Case %(number)s is not at the district platform (it is at "
                            "“%(level)s”): the platform cannot answer for it now."
                        )
                        % {"number": case.number, "level": case.get_level_display()},
                        "state": case.state,
                        "level": case.level,
                    },
                    status=status.HTTP_409_CONFLICT,
                )
            fields: dict[str, Any] = {}
            if action == "resolve":
                fields["resolution"] = data["resolution"].strip()
            try:
                case = workflow.apply(
                    case,
                    action,
                    actor_label=PLATFORM_NAME,
                    reason=data.get("reason", "").strip(),
                    **fields,
                )
            except workflow.TransitionRefused as exc:
                return Response(
                    {"detail": str(exc.message), "state": case.state, "level": case.level},
                    status=status.HTTP_409_CONFLICT,
                )
            self._keep_reference(case, reference)
        return Response(self._body(case, changed=True))

    @staticmethod
    def _keep_reference(case: Case, reference: str) -> None:
        if reference and reference != case.district_reference:
            case.refresh_from_db()
            case.district_reference = reference
            case._change_reason = PLATFORM_NAME
            case.save(update_fields=["district_reference", "updated_at"])

    @staticmethod
    def _body(case: Case, *, changed: bool) -> dict[str, Any]:
        return {
            "number": case.number,
            "state": case.state,
            "level": case.level,
            "district_reference": case.district_reference,
            "changed": changed,
        }
