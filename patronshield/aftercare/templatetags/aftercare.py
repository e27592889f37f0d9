from django import template

register = template.Library()


@register.simple_tag
def waiting_checkins(user) -> int:
    """How many private check-ins wait for this person's answer (for the desk's home): those
    of visits closed in the last CHECKIN_FRESH days; older ones stay on /after/ unprompted."""
    from django.utils import timezone

    from patronshield.aftercare.models import CheckIn
    from patronshield.aftercare.services import CHECKIN_FRESH

    if not getattr(user, "is_authenticated", False):
        return 0
    return CheckIn.objects.filter(
        user=user,
        answered_at=None,
        review__encounter__closed_at__gte=timezone.now() - CHECKIN_FRESH,
    ).count()
