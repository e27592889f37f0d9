"""What each message says. Built when it is sent, from the encounter as it is then, so a
later answer (the document, the decision) is in the next message, and a gag applies at once.
Under a gag nothing about the visit leaves the server.

`update` is 0 for the alert, and 1, 2 … for the updates that follow a decision
(`services.facts_update`): the first decision, then each changed one."""

from django.conf import settings
from django.utils import timezone

from patronshield.policy import defect_reasons, texts, vocab


def _label(encounter, field, unknown="not known yet"):
    value = getattr(encounter, field)
    return getattr(encounter, f"get_{field}_display")() if value else unknown


def _who(encounter) -> str:
    """The agency; for a parent or a party to a lawsuit (no agency), who is asking."""
    if not encounter.officer:
        return str(encounter.get_requester_display())
    return _label(encounter, "agency")


def where(encounter) -> str:
    parts = [encounter.library.name]
    if encounter.branch:
        parts.append(encounter.branch.name)
    if encounter.area:
        parts.append(encounter.area.name)
    return ", ".join(parts)


def paper_reason(encounter, language: str = "en") -> str:
    """What the document check found wrong with the paper, in the reader's language ("" when
    nothing): "The paper does not hold here: The warrant names another address, …"."""
    if not encounter.document_defects:
        return ""
    language = vocab.language_or_default(language)
    reasons = defect_reasons(encounter.document_defects, encounter.document, language)
    return texts(language)["common"]["defects_alert"].format(reasons=" ".join(reasons))


def urgent(encounter) -> str:
    return f"Urgent legal matter at {encounter.library.name}: call in now"


def decided(update: int) -> str:
    """The word an update's subject starts with."""
    return "Decision changed" if update > 1 else "Decided"


def script(encounter) -> str:
    """What the desk was told to say (the decision's script, in English)."""
    return (encounter.decision or {}).get("staff_script", "")


def subject(encounter, update: int = 0) -> str:
    if encounter.gagged:
        return urgent(encounter)
    drill = "DRILL: " if encounter.drill else ""
    if update and encounter.outcome:
        return (
            f"{drill}{decided(update)}: {_label(encounter, 'outcome')}"
            f" - law enforcement at {where(encounter)}"
        )
    return f"{drill}Law enforcement at {where(encounter)}"


def _on_it(encounter) -> str:
    if not encounter.acknowledged_at:
        return "Nobody has said they are on it yet."
    at = timezone.localtime(encounter.acknowledged_at).strftime("%H:%M")
    return f"{encounter.acknowledged_by} is on it (since {at})."


def email_body(encounter, ack_url: str, language: str = "en", update: int = 0) -> str:
    url = f"{settings.SITE_URL}/desk/{encounter.pk}/"
    if encounter.gagged:
        return f"{urgent(encounter)}.\n\nI'm on it (one tap): {ack_url}\nSign in for more: {url}\n"
    update = update if encounter.outcome else 0
    started = timezone.localtime(encounter.started_at).strftime("%H:%M")
    who = (
        encounter.started_by.display_name
        if encounter.started_by
        else (f"silent alert ({encounter.device.name})" if encounter.device else "the desk")
    )
    drill = "DRILL - this is a training exercise.\n\n" if encounter.drill else ""
    if update:
        header = ("The decision has changed" if update > 1 else "The desk has answered") + (
            f". Law enforcement at {where(encounter)} (since {started}, reported by {who})."
        )
    else:
        header = f"Law enforcement is at {where(encounter)} (since {started}, reported by {who})."
    lines = [
        drill + header,
        "",
        f"Agency: {_who(encounter)}" if encounter.officer else f"Who is asking: {_who(encounter)}",
        f"Asking for: {_label(encounter, 'request')}",
        f"Document: {_label(encounter, 'document')}",
        f"Decision: {_label(encounter, 'outcome')}"
        if update
        else f"Decision so far: {_label(encounter, 'outcome', 'not decided yet')}",
    ]
    if reason := paper_reason(encounter, language):
        lines.append(reason)
    if script(encounter):
        lines.append(f'The desk was told to say: "{script(encounter)}"')
    if not encounter.outcome:
        lines += ["", "The facts follow in a second message when the desk has answered."]
    if update:
        lines += ["", _on_it(encounter)]
    lines += [
        "",
        f"I'm on it (one tap): {ack_url}",
        f"Open the encounter (sign-in required): {url}",
        "",
        "Guidance from the library's policy, not legal advice.",
    ]
    return "\n".join(lines) + "\n"


SMS_LIMIT = 320  # two text messages


def sms_body(encounter, ack_url: str, language: str = "en", update: int = 0) -> str:
    if encounter.gagged:
        return f"{urgent(encounter)}. On it: {ack_url}"
    drill = "DRILL " if encounter.drill else ""
    reason = paper_reason(encounter, language)
    if not (update and encounter.outcome):
        return (
            f"{drill}Law enforcement at {where(encounter)}: {_who(encounter)}, "
            f"{_label(encounter, 'request', 'request not known yet')}. "
            + (f"{reason} " if reason else "")
            + f"On it: {ack_url}"
        )
    # The decision first, then the facts, then what the desk says, cut to fit; the link whole.
    text = (
        f"{drill}{decided(update)} at {where(encounter)}: {_label(encounter, 'outcome')}. "
        f"{_who(encounter)}; {_label(encounter, 'request')}; "
        f"paper: {_label(encounter, 'document')}."
        + (f" {reason}" if reason else "")
        + (f' Desk says: "{script(encounter)}"' if script(encounter) else "")
    )
    tail = f" On it: {ack_url}"
    room = max(0, SMS_LIMIT - len(tail))
    if len(text) > room:  # at a word, with "..." (plain characters: a text message's own)
        cut = text[: max(0, room - 3)]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ;,.") + "..."
    return text + tail


def webhook_payload(
    encounter, ack_url: str, key: str, language: str = "en", update: int = 0
) -> dict:
    update = update if encounter.outcome else 0
    stage = "decided" if update else "alert"
    if encounter.gagged:
        return {
            "type": "urgent",
            "stage": stage,
            "key": key,
            "library": encounter.library.name,
            "text": urgent(encounter),
            "ack_url": ack_url,
        }
    return {
        "type": "update" if update else "encounter",
        "stage": stage,
        "update": update,
        "key": key,
        "drill": encounter.drill,
        "library": encounter.library.name,
        "branch": encounter.branch.name if encounter.branch else None,
        "area": encounter.area.name if encounter.area else None,
        "agency": encounter.agency or None,
        "requester": encounter.requester or None,
        "request": encounter.request or None,
        "document": encounter.document or None,
        "outcome": encounter.outcome or None,
        "outcome_label": str(_label(encounter, "outcome")) if encounter.outcome else None,
        "who": str(_who(encounter)) if encounter.agency or not encounter.officer else None,
        "request_label": str(_label(encounter, "request")) if encounter.request else None,
        "document_label": str(_label(encounter, "document")) if encounter.document else None,
        "document_defects": list(encounter.document_defects or []),
        "paper_reason": paper_reason(encounter, language) or None,
        "staff_script": script(encounter) or None,
        "acknowledged_by": encounter.acknowledged_by or None,
        "text": subject(encounter, update),
        "ack_url": ack_url,
        "url": f"{settings.SITE_URL}/desk/{encounter.pk}/",
    }


# ------------------------------------------------------------------ started by mistake


def cancel_reason(encounter) -> str:
    """What the desk said when cancelling (`desk.services.encounter_cancel`)."""
    from patronshield.desk.models import Event

    event = encounter.events.filter(kind=Event.Kind.CANCELLED).order_by("seq").last()
    return ((event.data or {}).get("reason", "") if event else "") or ""


def cancelled_subject(encounter) -> str:
    if encounter.gagged:
        return f"Cancelled: urgent legal matter at {encounter.library.name}"
    drill = "DRILL: " if encounter.drill else ""
    return f"{drill}Cancelled: law enforcement at {where(encounter)}"


def cancelled_text(encounter) -> str:
    """One line: the alert is cancelled. Under a gag, no more than the gag wording said."""
    if encounter.gagged:
        return (
            f"Cancelled: the urgent legal matter at {encounter.library.name}. No need to call in."
        )
    drill = "DRILL: " if encounter.drill else ""
    started = timezone.localtime(encounter.started_at).strftime("%H:%M")
    return (
        f"{drill}Cancelled: the alert about law enforcement at {where(encounter)} "
        f"(since {started}) was started by mistake. Nothing to do."
    )


def cancelled_body(encounter) -> str:
    lines = [cancelled_text(encounter), ""]
    if not encounter.gagged:
        if reason := cancel_reason(encounter):
            lines.append(f'The desk said why: "{reason}"')
        lines.append(
            f"The record keeps it (sign-in required): {settings.SITE_URL}/desk/{encounter.pk}/"
        )
    return "\n".join(lines) + "\n"


def cancelled_sms(encounter) -> str:
    return cancelled_text(encounter)


def cancelled_payload(encounter, key: str) -> dict:
    payload = {
        "type": "cancelled",
        "key": key,
        "library": encounter.library.name,
        "text": cancelled_text(encounter),
    }
    if not encounter.gagged:
        payload.update(
            drill=encounter.drill,
            reason=cancel_reason(encounter) or None,
            url=f"{settings.SITE_URL}/desk/{encounter.pk}/",
        )
    return payload


VOICE_LANGUAGES = {"en": "en-US", "es": "es-US"}  # what Twilio's <Say> speaks; others: English


def voice_language(language: str) -> tuple[str, str]:
    """(the language the call is written in, the one <Say> speaks)."""
    return (language, VOICE_LANGUAGES[language]) if language in VOICE_LANGUAGES else ("en", "en-US")


def call_words(encounter, language: str = "en") -> str:
    """What the call says, in the contact's language; under a gag only the gag wording."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override(language):
        if encounter.gagged:
            return _("Urgent legal matter at %(library)s: call in now.") % {
                "library": encounter.library.name
            }
        drill = _("This is a drill.") + " " if encounter.drill else ""
        return drill + _("Law enforcement is at %(where)s: %(who)s.") % {
            "where": where(encounter),
            "who": (
                _who(encounter)
                if encounter.agency or not encounter.officer
                else _("agency not known yet")
            ),
        }


def call_twiml(encounter, gather_url: str, language: str = "en") -> str:
    """The call: the alert, then "press 1 if you are on it" (a <Gather> that posts the key
    pressed to `gather_url`), said twice; then goodbye."""
    from django.utils import translation
    from django.utils.translation import gettext as _
    from twilio.twiml.voice_response import Gather, VoiceResponse

    language, spoken = voice_language(language)
    response = VoiceResponse()
    gather = Gather(num_digits=1, action=gather_url, method="POST", timeout=8)
    with translation.override(language):
        words = call_words(encounter, language)
        press = _("Press 1 if you are on it.")
        for _time in range(2):
            gather.say(f"{words} {press}", language=spoken)
        response.append(gather)
        response.say(_("Nothing was pressed. Goodbye."), language=spoken)
    return str(response)


def call_answer_twiml(text: str, language: str = "en") -> str:
    """What the call says after a key was pressed, then it hangs up."""
    from twilio.twiml.voice_response import VoiceResponse

    _language, spoken = voice_language(language)
    response = VoiceResponse()
    response.say(text, language=spoken)
    response.hangup()
    return str(response)
