from django import template

register = template.Library()


@register.filter
def index(sequence, position):
    """`{{ headers|index:forloop.counter0 }}`: the item at a position."""
    try:
        return sequence[position]
    except (IndexError, TypeError, KeyError):
        return ""
