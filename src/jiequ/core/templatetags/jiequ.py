from django import template

register = template.Library()


@register.filter
def index(sequence, position):
    """`{{ headers|index:forloop.counter0 }}`: the item at a position."""
    try:
        return sequence[position]
    except (IndexError, TypeError, KeyError):
        return ""


@register.filter
def dash(value):
    """An empty value as "—"; unlike `default`, 0 stays 0."""
    return "—" if value is None or value == "" else value
