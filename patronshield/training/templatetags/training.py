from django import template

register = template.Library()


@register.simple_tag
def training_status(user):
    """The trainee's round: {"state": current|due|overdue, "assignment": …}, or None for
    those who do not train (counsel, operators)."""
    from patronshield.training import schedule

    if user.library_id is None or user.role not in schedule.TRAINEE_ROLES:
        return None
    return schedule.status(user)
