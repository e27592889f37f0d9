from django import template

register = template.Library()


@register.simple_tag
def waiting_checkins(user) -> int:
    """How many private check-ins wait for this person's answer (for the desk's home)."""
    from patronshield.aftercare.models import CheckIn

    if not getattr(user, "is_authenticated", False):
        return 0
    return CheckIn.objects.filter(user=user, answered_at=None).count()
