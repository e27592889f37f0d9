""" "Started by mistake": the desk cancels within 5 minutes with a reason; whoever was alerted
hears "cancelled"; the escalation stops; the record keeps the event and `verify-log` passes."""

from datetime import timedelta

import pytest
from django.urls import reverse

from patronshield.desk import chain
from patronshield.desk.models import Encounter, Event
from patronshield.notifications import services as alerts
from patronshield.notifications.models import Notification


@pytest.fixture
def encounter(client, people):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    client.post(reverse("desk:step", args=[e.pk, "agency"]), {"answer": "ice"})
    return e


def deliver_all(encounter):
    return [alerts.deliver(n.pk) for n in encounter.notifications.filter(status="pending")]


def started_ago(encounter, minutes):
    Encounter.objects.filter(pk=encounter.pk).update(
        started_at=encounter.started_at - timedelta(minutes=minutes)
    )


def cancel(client, encounter, reason="Pressed the wrong button"):
    return client.post(reverse("desk:cancel", args=[encounter.pk]), {"reason": reason})


def test_the_desk_page_offers_cancelling_in_the_first_minutes(client, encounter):
    page = client.get(reverse("desk:step", args=[encounter.pk, "request"]))
    assert b"Started by mistake?" in page.content
    assert reverse("desk:cancel", args=[encounter.pk]).encode() in page.content
    assert b"csrfmiddlewaretoken" in page.content
    started_ago(encounter, 6)
    page = client.get(reverse("desk:step", args=[encounter.pk, "request"]))
    assert b"Started by mistake?" not in page.content


def test_cancelling_tells_whoever_was_alerted_and_stops_the_chain(client, encounter, smtp):
    assert deliver_all(encounter) == ["sent", "sent"]  # the director and the first designee
    r = cancel(client, encounter)
    assert r.status_code == 302 and r.url == reverse("desk:record", args=[encounter.pk])
    encounter.refresh_from_db()
    assert encounter.closed_at and encounter.closed_by.email == "desk@a.example.org"
    event = encounter.events.get(kind=Event.Kind.CANCELLED)
    assert event.data["reason"] == "Pressed the wrong button" and event.at == encounter.closed_at

    assert deliver_all(encounter) == ["sent", "sent"]
    cancelled = smtp.messages[2:]
    assert sorted(to[0] for to, _ in cancelled) == [
        "designee@a.example.org",
        "director@a.example.org",
    ]
    for _to, body in cancelled:
        assert "Subject: Cancelled: law enforcement at Ecorse Public Library" in body
        assert "started by mistake" in body and "Pressed the wrong button" in body

    # Nobody further is called: not by the scheduled step, not by the sweep.
    assert alerts.escalate(encounter.pk, 1) == []
    later = encounter.started_at + timedelta(hours=1)
    assert alerts.sweep(now=later)["escalated"] == 0
    assert not encounter.notifications.filter(contact__email="designee2@a.example.org").exists()

    record = client.get(reverse("desk:record", args=[encounter.pk]))
    assert "Cancelled, started by mistake: Pressed the wrong button" in record.content.decode()
    assert chain.verify_library(encounter.library_id).ok


def test_an_alert_not_sent_yet_is_not_sent_and_nobody_hears_cancelled(client, encounter, smtp):
    assert cancel(client, encounter).status_code == 302
    assert deliver_all(encounter) == []
    assert smtp.messages == []
    assert set(encounter.notifications.values_list("status", flat=True)) == {"cancel"}


def test_under_a_gag_cancelled_says_no_more_than_the_gag_wording(client, people, smtp):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    client.post(reverse("desk:step", args=[e.pk, "agency"]), {"answer": "fbi"})
    client.post(reverse("desk:step", args=[e.pk, "request"]), {"answer": "patron_records"})
    client.post(
        reverse("desk:step", args=[e.pk, "document"]), {"answer": "national_security_letter"}
    )
    deliver_all(e)
    assert cancel(client, e, "Wrong button on the FBI letter").status_code == 302
    deliver_all(e)
    to, body = smtp.messages[-1]
    assert to == ["director@a.example.org"] and len(smtp.messages) == 2
    assert "Cancelled: the urgent legal matter at Ecorse Public Library" in body
    for detail in ["FBI", "National Security", "Wrong button", "Main library", "Desk"]:
        assert detail not in body, detail


def test_after_five_minutes_it_is_refused(client, encounter, smtp):
    deliver_all(encounter)
    started_ago(encounter, 5.1)
    r = cancel(client, encounter)
    assert r.status_code == 400 and b"More than 5 minutes have passed" in r.content
    encounter.refresh_from_db()
    assert encounter.closed_at is None
    assert not encounter.events.filter(kind=Event.Kind.CANCELLED).exists()
    assert not encounter.notifications.filter(key__endswith="-cancel").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(client, encounter, reason):
    r = cancel(client, encounter, reason)
    assert r.status_code == 400 and b"Say in a few words why" in r.content
    encounter.refresh_from_db()
    assert encounter.closed_at is None


def test_a_reason_that_may_name_a_patron_is_warned_about_first(client, encounter):
    r = cancel(client, encounter, "Maria Lopez pressed it, call 313-555-0142")
    assert r.status_code == 200 and b"This may identify a patron." in r.content
    assert not encounter.events.filter(kind=Event.Kind.CANCELLED).exists()


def test_only_a_get_or_a_post_with_csrf(people, encounter):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["desk"])
    assert cancel(strict, encounter).status_code == 403
    page = strict.get(reverse("desk:cancel", args=[encounter.pk]))  # the form only
    assert page.status_code == 200 and b'name="reason"' in page.content
    assert not Encounter.objects.filter(pk=encounter.pk, closed_at__isnull=False).exists()


def test_another_librarys_encounter_is_not_found(client, encounter, outsider):
    client.force_login(outsider)
    assert cancel(client, encounter).status_code == 404
    assert client.get(reverse("desk:cancel", args=[encounter.pk])).status_code == 404
    assert Notification.objects.filter(key__endswith="-cancel").count() == 0


def test_counsel_cannot_cancel(client, encounter, people):
    from patronshield.accounts.models import Role
    from tests.conftest import make_user

    lawyer = make_user("counsel@a.example.org", Role.COUNSEL, encounter.library, encounter.branch)
    encounter.counsel.add(lawyer)
    client.force_login(lawyer)
    assert cancel(client, encounter).status_code == 403
    encounter.refresh_from_db()
    assert encounter.closed_at is None


def test_a_cancelled_encounter_cannot_be_cancelled_or_answered_again(client, encounter):
    cancel(client, encounter)
    r = cancel(client, encounter, "again")
    assert r.status_code == 302 and r.url == reverse("desk:record", args=[encounter.pk])
    assert encounter.events.filter(kind=Event.Kind.CANCELLED).count() == 1


def test_a_webhook_hears_cancelled_on_its_own_channel_only(client, people, encounter, smtp):
    from patronshield.notifications.models import Contact

    director = Contact.objects.get(role="director")
    n = Notification.objects.create(
        encounter=encounter, contact=director, channel="webhook", wave=1, key="hook-w1"
    )
    Notification.objects.filter(pk=n.pk).update(status="sent")  # the alert went by webhook
    deliver_all(encounter)
    cancel(client, encounter)
    by_channel = sorted(
        encounter.notifications.filter(key__endswith="-cancel").values_list(
            "contact__role", "channel"
        )
    )
    assert by_channel == [("designee", "email"), ("director", "email"), ("director", "webhook")]
    payload = alerts.messages.cancelled_payload(encounter, "k")
    assert payload["type"] == "cancelled" and payload["reason"] == "Pressed the wrong button"


def test_verify_log_catches_a_cancellation_edited_away(client, encounter):
    from django.core.management import call_command

    cancel(client, encounter)
    call_command("verify_log", "--library", "ecorse")  # exits non-zero on any failure
    Encounter.objects.filter(pk=encounter.pk).update(closed_at=None, closed_by=None)
    report = chain.verify_library(encounter.library_id)
    assert not report.ok
    assert "closed_at" in str(vars(report))
