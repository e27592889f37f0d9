import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patronshield.desk.chain import event_append
from patronshield.desk.models import Encounter, Event
from patronshield.policy import vocab

from . import health, services
from .models import Device

ACK_ERRORS = {
    "used": 410,
    "expired": 410,
    "invalid": 404,
}


@login_not_required
@require_http_methods(["GET", "POST"])
def ack(request, token):
    """The "I'm on it" link. GET shows one button (mail scanners open links on their own;
    a GET must not count as an answer); POST records it. Shows nothing beyond the message."""
    try:
        link = services.ack_lookup(token)
        if request.method == "POST":
            link = services.acknowledge(token)
            done = True
        else:
            done = False
    except services.AckError as e:
        return render(
            request, "notifications/ack.html", {"error": str(e)}, status=ACK_ERRORS[str(e)]
        )
    except services.AckRefused as e:  # closed or cancelled meanwhile: nobody needs to go
        return render(
            request,
            "notifications/ack.html",
            {"error": "refused", "refused": services.ack_refused_message(e.reason)},
            status=409,
        )
    encounter = link.encounter
    return render(
        request,
        "notifications/ack.html",
        {
            "done": done,
            "contact": link.contact,
            "library": encounter.library,
            "gagged": encounter.gagged,
            "drill": encounter.drill,
            "encounter_pk": encounter.pk,
        },
    )


def _unauthorized():
    response = JsonResponse({"error": "a valid device token is required"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="patronshield"'
    return response


def _device(request):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    digest = hashlib.sha256(token.strip().encode()).hexdigest()
    return (
        Device.objects.select_related("library", "branch")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )


ALERT_FIELDS = {
    "agency": vocab.AGENCIES,
    "request": vocab.REQUESTS,
    "document": vocab.DOCUMENTS,
    "area": None,
}


ALERT_MAX_BYTES = 1024  # the four answers fit in a few hundred bytes


def _alert_body(request) -> tuple[dict, str]:
    """The alert's body and "", or {} and why it is refused. It is empty, or a JSON object
    of at most ALERT_MAX_BYTES sent as application/json; a larger body is never read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return {}, "the Content-Length header is not a number"
    if length > ALERT_MAX_BYTES:
        return {}, f"the body is larger than {ALERT_MAX_BYTES} bytes"
    if not request.body.strip():
        return {}, ""
    if request.content_type != "application/json":
        return {}, "the body must be sent as application/json"
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
        return {}, "the body is not valid JSON"
    if not isinstance(body, dict):
        return {}, "the body must be a JSON object"
    return body, ""


@csrf_exempt
@login_not_required
@require_POST
def alert(request):
    """POST /api/alert with `Authorization: Bearer <token>`: a silent alert from a desk
    device starts an encounter at its library and branch and escalates."""
    device = _device(request)
    if device is None:
        return _unauthorized()
    body, error = _alert_body(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    if unknown := sorted(set(body) - set(ALERT_FIELDS)):
        return JsonResponse(
            {"error": f"unknown field {unknown[0]!r}; allowed: {', '.join(ALERT_FIELDS)}"},
            status=400,
        )
    if not_text := [name for name, value in body.items() if not isinstance(value, str)]:
        return JsonResponse({"error": f"{not_text[0]}: the value must be a string"}, status=400)
    answers = {}
    for name in ("agency", "request", "document"):
        if name in body:
            if body[name] not in ALERT_FIELDS[name]:
                return JsonResponse(
                    {
                        "error": f"{name}: {body[name]!r} is not one of: "
                        f"{', '.join(ALERT_FIELDS[name])}"
                    },
                    status=400,
                )
            answers[name] = body[name]
    area = None
    if "area" in body:
        area = device.library.areas.filter(name__iexact=str(body["area"])).first()
        if area is None:
            names = ", ".join(device.library.areas.values_list("name", flat=True))
            return JsonResponse(
                {"error": f"area: {body['area']!r} is not one of: {names}"}, status=400
            )
    with transaction.atomic():
        encounter = Encounter.objects.create(
            library=device.library,
            branch=device.branch or device.library.branches.first(),
            device=device,
            area=area,
            **answers,
        )
        event_append(
            library=device.library_id,
            encounter=encounter,
            kind=Event.Kind.STARTED,
            data={
                "device": device.name,
                "started_at": encounter.started_at.isoformat(),
                **answers,
            },
        )
        Device.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
        services.escalation_start(encounter)
    return JsonResponse({"id": encounter.pk, "status": "escalating"}, status=201)


@login_not_required
@require_safe
@never_cache
def healthz(request):
    """For a monitor: the database, the oldest alert waiting, the worker's last heartbeat;
    503 when alerts are stuck (health.py). No library, encounter or person, no counts."""
    body, ok = health.report()
    return JsonResponse(body, status=200 if ok else 503)


def twilio_signed(request) -> bool:
    """The request comes from Twilio: its X-Twilio-Signature matches the URL Twilio was given
    (built from SITE_URL: behind a proxy the request's own URL differs) and the form."""
    from django.conf import settings
    from twilio.request_validator import RequestValidator

    signature = request.headers.get("X-Twilio-Signature", "")
    if not (settings.TWILIO_AUTH_TOKEN and signature):
        return False
    url = settings.SITE_URL + request.get_full_path()
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature)


@login_not_required
@csrf_exempt
@require_POST
def twilio_status(request):
    """Twilio's status callback for a text: what became of it goes on the outbox row."""
    if not twilio_signed(request):
        return JsonResponse({"error": "signature"}, status=403)
    services.provider_status(
        sid=request.POST.get("MessageSid") or request.POST.get("CallSid", ""),
        status=request.POST.get("MessageStatus") or request.POST.get("CallStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return JsonResponse({}, status=200)


@login_not_required
@csrf_exempt
@require_POST
def twilio_gather(request, token):
    """The key pressed during an alert call: 1 is "I'm on it" (the alert link's, used once);
    anything else records nothing. Answers with what the call says next."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from . import messages

    if not twilio_signed(request):
        return JsonResponse({"error": "signature"}, status=403)
    language = "en"
    try:
        link = services.ack_lookup(token)
        contact = link.contact
        language = contact.user.language if contact.user_id and contact.user else "en"
        language, _spoken = messages.voice_language(language)
        with translation.override(language):
            if request.POST.get("Digits") != "1":
                text = _("Nothing was recorded. Goodbye.")
            else:
                services.acknowledge(token, via="call")
                text = _("Thank you. The desk can see you are on it.")
    except services.AckError:
        with translation.override(language):
            text = _("This alert has already been answered or has expired. Goodbye.")
    except services.AckRefused as e:
        with translation.override(language):
            text = services.ack_refused_message(e.reason)
    return HttpResponse(messages.call_answer_twiml(text, language), content_type="application/xml")
