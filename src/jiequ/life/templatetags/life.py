"""`{% load life %}{% member_training member as training %}`: a member's training record."""

from typing import Any

from django import template

from jiequ.life.training import TrainingRecord, training_for

register = template.Library()


@register.simple_tag
def member_training(member: Any) -> TrainingRecord:
    return training_for(member)
