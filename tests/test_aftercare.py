"""After the visit: the review opens when an encounter closes (never for a drill), the
debrief and its tasks with reminders, the private check-in that only its owner can read,
the impact note, the statement with no personal data, and follow-up programmes."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from patronshield import crypto
from patronshield.accounts.models import Role
from patronshield.aftercare import services
from patronshield.aftercare.models import CheckIn, Review, Statement, Task
from patronshield.desk import chain, record
from patronshield.desk import services as desk
from patronshield.desk.management.commands.daily import daily
from patronshield.desk.models import Event
from tests.conftest import make_user, reauthenticate

SECRET = "I keep thinking about it at night"
NAME, PHONE, CARD = "Maria Gonzalez", "313-555-0142", "21234567890123"


def visit(people, *, drill=False, **answers):
    e = desk.encounter_start(user=people["desk"])
    if drill:
        type(e).objects.filter(pk=e.pk).update(drill=True)
        e.refresh_from_db()
    return desk.encounter_answer(
        encounter=e,
        actor=people["desk"],
        **{
            "agency": "ice",
            "request": "patron_records",
            "requester": "officer",
            "document": "administrative_warrant",
            "emergency": False,
            "patron_consent": False,
            **answers,
        },
    )


def close(encounter, user):
    return record.encounter_close(encounter=encounter, user=user)


@pytest.fixture
def review(people):
    e = visit(people)
    record.note_add(encounter=e, user=people["designee"], text="Officers waited.")
    close(e, people["director"])
    return Review.objects.get(encounter=e)


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ------------------------------------------------------------------------------ opening


def test_closing_an_encounter_opens_its_review_with_a_check_in_for_each_person_there(people):
    e = visit(people)
    record.note_add(encounter=e, user=people["designee"], text="Officers waited.")
    assert not Review.objects.exists()
    close(e, people["director"])
    review = Review.objects.get(encounter=e)
    assert review.library_id == e.library_id and review.completed_at is None
    present = {c.user.email for c in review.checkins.all()}
    # the desk worker started it, the designee wrote a note, the director closed it
    assert present == {"desk@a.example.org", "designee@a.example.org", "director@a.example.org"}
    assert "admin@a.example.org" not in present
    opened = e.events.filter(kind=Event.Kind.REVIEW).get()
    assert opened.data == {"step": "opened", "review": review.pk}
    assert chain.verify_library(e.library_id).ok


def test_closing_twice_opens_one_review(people):
    e = visit(people)
    close(e, people["director"])
    services.review_open(encounter=e)
    assert Review.objects.count() == 1
    assert e.events.filter(kind=Event.Kind.REVIEW).count() == 1


def test_a_drill_opens_no_review(people):
    e = visit(people, drill=True)
    close(e, people["director"])
    assert not Review.objects.exists()
    assert not CheckIn.objects.exists()


def test_each_person_is_told_a_check_in_waits_and_nothing_more(
    people, smtp, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from patronshield.aftercare.tasks import checkin_notice

    e = visit(people)
    with django_capture_on_commit_callbacks(execute=True):
        close(e, people["director"])
    for queued in DBTaskResult.objects.filter(task_path__endswith="checkin_notice"):
        checkin_notice.call(*queued.args_kwargs["args"])  # what the worker does
    to = sorted(m[0][0] for m in smtp.messages if "check-in" in m[1])
    assert to == ["desk@a.example.org", "director@a.example.org"]
    body = next(m[1] for m in smtp.messages if m[0] == ["desk@a.example.org"])
    assert "/after/checkin/" in body and "Only you can read" in body
    assert "ICE" not in body and "warrant" not in body


def test_the_desk_home_and_the_after_page_show_the_waiting_check_in(client, people, review):
    client.force_login(people["desk"])
    assert "After the visit · 1 check-in waiting for you" in text(client.get("/"))
    page = text(client.get(reverse("aftercare:home")))
    assert "Waiting for you" in page
    assert "After-action reviews" not in page  # the desk does not see reviews


# ------------------------------------------------------------------------------ debrief


def test_the_director_fills_the_debrief_and_completing_it_goes_on_the_chain(client, people, review):
    client.force_login(people["director"])
    url = reverse("aftercare:debrief", args=[review.pk])
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            "went_well": "Staff stayed calm and called the director at once.",
            "went_badly": "The officers reached the workroom door.",
            "policy_followed": "partly",
            "policy_step": "",
            "to_change": "Practise the script.",
            "complete": "1",
        },
    )
    assert r.status_code == 400
    assert "Say which step of the policy was not followed." in text(r)
    r = client.post(
        url,
        {
            "went_well": "Staff stayed calm.",
            "policy_followed": "partly",
            "policy_step": "Step 2: keep officers in public areas",
            "review_training": "on",
            "complete": "1",
        },
    )
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.completed_at and review.completed_by == people["director"]
    assert review.needs_policy_review and review.review_training
    done = review.encounter.events.filter(kind=Event.Kind.REVIEW).order_by("seq").last()
    assert done.data["step"] == "completed" and done.data["policy_followed"] == "partly"
    assert "Staff stayed calm" not in str(done.data)  # the chain keeps the step, not the text
    page = text(client.get(reverse("aftercare:review", args=[review.pk])))
    assert "This review asks for a second look" in page
    assert "Review the library's policy" in page and "Review the staff training" in page
    assert "Step 2: keep officers in public areas" in page
    assert chain.verify_library(review.library_id).ok


def test_the_review_links_to_the_policy_and_the_training_when_it_asks_for_them(
    client, people, review
):
    client.force_login(people["director"])
    html = client.get(reverse("aftercare:review", args=[review.pk])).content.decode()
    assert f'href="{reverse("policy:show")}"' not in html.split("<main")[1].split("</main>")[0]
    review.review_policy = review.review_training = True
    review.save()
    html = client.get(reverse("aftercare:review", args=[review.pk])).content.decode()
    assert f'href="{reverse("policy:show")}"' in html
    assert f'href="{reverse("training:team")}"' in html


def test_a_patrons_name_in_the_debrief_is_a_warning_until_saved_anyway(client, people, review):
    client.force_login(people["director"])
    url = reverse("aftercare:debrief", args=[review.pk])
    data = {"went_badly": f"They asked about patron {NAME}, card {CARD}.", "policy_followed": "yes"}
    r = client.post(url, data)
    assert r.status_code == 200
    page = text(r)
    assert "This may identify a patron." in page and NAME in page  # the text is kept
    review.refresh_from_db()
    assert review.went_badly == ""
    token = re.search(r'name="confirm" value="([0-9a-f]+)"', r.content.decode()).group(1)
    assert client.post(url, {**data, "confirm": token}).status_code == 302
    review.refresh_from_db()
    assert NAME in review.went_badly


def test_only_the_director_and_designees_write_the_review(people, review):
    for who in ("desk", "admin"):
        with pytest.raises(PermissionDenied):
            services.debrief_save(review=review, user=people[who], went_well="x")
    services.debrief_save(review=review, user=people["designee"], went_well="Calm.")


# -------------------------------------------------------------------------------- tasks


def test_tasks_have_owners_on_the_staff_and_are_reminded_before_and_on_the_due_date(
    people, review, smtp, outsider
):
    today = services.library_today(review.library)
    with pytest.raises(Exception, match="staff"):
        services.task_add(
            review=review, user=people["director"], title="x", owner=outsider, due=today
        )
    task = services.task_add(
        review=review, user=people["director"], title="Reprint the desk cards",
        owner=people["desk"], due=today + dt.timedelta(days=10),
    )  # fmt: skip
    assert services.task_reminders_send() == []
    noon = timezone.now()
    before = noon + dt.timedelta(days=8)
    assert any(f"task {task.pk} (before)" in line for line in daily(now=before))
    # (the daily job also reminds of training and policy reviews: count only the tasks')
    tasks_mail = lambda: [m for m in smtp.messages if "Reprint the desk cards" in m[1]]  # noqa: E731
    assert len(tasks_mail()) == 1
    to, body = tasks_mail()[0]
    assert to == ["desk@a.example.org"] and "Reprint the desk cards" in body
    assert not any("task" in line for line in daily(now=before + dt.timedelta(hours=3)))
    on = noon + dt.timedelta(days=10)
    assert any(f"task {task.pk} (due)" in line for line in daily(now=on))
    assert not any("task" in line for line in daily(now=on + dt.timedelta(days=1)))
    assert len(tasks_mail()) == 2
    # a new due date is reminded again
    Task.objects.filter(pk=task.pk).update(due=today + dt.timedelta(days=20))
    assert any("(due)" in line for line in daily(now=noon + dt.timedelta(days=21)))
    assert len(tasks_mail()) == 3


def test_a_done_task_is_not_reminded_and_a_failed_send_is_tried_again(people, review, settings):
    today = services.library_today(review.library)
    task = services.task_add(
        review=review, user=people["director"], title="Call counsel", owner=people["desk"],
        due=today,
    )  # fmt: skip
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    assert "failed" in services.task_reminders_send()[0]
    task.refresh_from_db()
    assert task.reminded_due is None
    services.task_done(task=task, user=people["desk"])
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert services.task_reminders_send() == []


def test_the_owner_marks_their_task_done_others_cannot(client, people, review):
    today = services.library_today(review.library)
    task = services.task_add(
        review=review, user=people["director"], title="Update the roster",
        owner=people["desk"], due=today,
    )  # fmt: skip
    url = reverse("aftercare:task_done", args=[task.pk])
    client.force_login(people["admin"])
    assert client.post(url).status_code == 404
    client.force_login(people["desk"])
    assert "Update the roster" in text(client.get(reverse("aftercare:home")))
    assert client.post(url).status_code == 302
    task.refresh_from_db()
    assert task.done_at and task.done_by == people["desk"]


def test_the_task_form_refuses_bad_input(client, people, review):
    client.force_login(people["director"])
    url = reverse("aftercare:task_add", args=[review.pk])
    assert (
        client.post(url, {"title": "", "owner": people["desk"].pk, "due": "soon"}).status_code
        == 400
    )
    r = client.post(url, {"title": "Fix it", "owner": people["desk"].pk, "due": "2001-01-01"})
    assert r.status_code == 400 and "The due date is in the past." in text(r)
    assert not Task.objects.exists()


# ---------------------------------------------------------------------------- check-ins


def answer(client, checkin, **data):
    return client.post(reverse("aftercare:checkin", args=[checkin.pk]), data)


def test_a_check_in_is_answered_by_its_owner_and_sealed(client, people, review):
    mine = review.checkins.get(user=people["desk"])
    client.force_login(people["desk"])
    page = client.get(reverse("aftercare:checkin", args=[mine.pk]))
    assert page.status_code == 200
    assert "Crisis Lifeline" in text(page)  # referrals from the directory
    r = answer(client, mine, feeling="struggling", how=SECRET, referrals=["eap", "counselling"])
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.help_requested is True and mine.answered_at
    assert SECRET.encode() not in bytes(mine.sealed)
    assert services.checkin_read(mine, people["desk"])["how"] == SECRET
    assert SECRET in client.get(reverse("aftercare:checkin", args=[mine.pk])).content.decode()
    with pytest.raises(PermissionDenied):
        services.checkin_read(mine, people["director"])
    with pytest.raises(PermissionDenied):
        services.checkin_answer(checkin=mine, user=people["director"], how="no")


@pytest.mark.parametrize("who", ["director", "designee", "admin", "counsel", "operator"])
def test_nobody_else_can_read_a_check_in_by_url(client, people, review, library, who):
    lib, branch = library
    users = {
        **people,
        "counsel": make_user("counsel@a.example.org", Role.COUNSEL, lib, branch),
        "operator": make_user("op@a.example.org", "", lib, branch, is_staff=True, is_operator=True),
    }
    mine = review.checkins.get(user=people["desk"])
    services.checkin_answer(checkin=mine, user=people["desk"], how=SECRET, referrals=["eap"])
    client.force_login(users[who])
    url = reverse("aftercare:checkin", args=[mine.pk])
    for r in (client.get(url), client.post(url, {"how": "overwritten"})):
        assert r.status_code in (403, 404)
        assert SECRET.encode() not in r.content
    mine.refresh_from_db()
    assert services.checkin_read(mine, people["desk"])["how"] == SECRET


def test_the_director_sees_only_offered_and_whether_help_was_requested(client, people, review):
    mine = review.checkins.get(user=people["desk"])
    services.checkin_answer(
        checkin=mine, user=people["desk"], feeling="struggling", how=SECRET,
        referrals=["support_group"],
    )  # fmt: skip
    client.force_login(people["director"])
    page = text(client.get(reverse("aftercare:review", args=[review.pk])))
    assert "Desk" in page and "help requested" in page and "offered" in page
    assert SECRET not in page and "struggling" not in page.lower()
    assert "Support groups" not in page and "Not good" not in page
    assert "not answered yet" in page  # the designee's and the director's own


def test_a_check_in_is_not_in_the_counsel_export_or_the_admin(client, people, review, library):
    from patronshield.desk.export import export_pdf

    mine = review.checkins.get(user=people["desk"])
    services.checkin_answer(checkin=mine, user=people["desk"], how=SECRET, referrals=["eap"])
    pdf = export_pdf(encounter=review.encounter, user=people["director"])
    assert SECRET.encode() not in pdf
    assert SECRET not in pdf_text(pdf) and "help requested" not in pdf_text(pdf)
    lib, branch = library
    root = make_user("root@a.example.org", Role.ADMIN, lib, branch, is_staff=True,
                     is_superuser=True)  # fmt: skip
    client.force_login(root)
    reauthenticate(client, root)
    assert client.get("/admin/aftercare/checkin/").status_code == 404
    assert client.get(f"/admin/aftercare/checkin/{mine.pk}/change/").status_code == 404
    assert SECRET.encode() not in client.get("/admin/").content


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_a_check_in_only_sealed(people):
    from patronshield.libraries.management.commands.backup import dump

    e = visit(people)
    close(e, people["director"])
    mine = CheckIn.objects.get(user=people["desk"])
    services.checkin_answer(checkin=mine, user=people["desk"], how=SECRET, referrals=["eap"])
    raw, sealed = dump(), bytes(mine.sealed)
    if raw.startswith(b"pgdump:"):  # pg_dump's custom format compresses: read it as SQL
        import subprocess
        import tempfile

        with tempfile.NamedTemporaryFile() as f:
            f.write(raw.removeprefix(b"pgdump:"))
            f.flush()
            raw = subprocess.run(["pg_restore", "-f", "-", f.name], capture_output=True,
                                 check=True).stdout  # fmt: skip
        sealed = sealed.hex().encode()
    assert sealed in raw  # it is there, sealed
    assert SECRET.encode() not in raw


def pdf_text(pdf: bytes) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def keys(monkeypatch):
    old = crypto.new_key_spec("old")

    def use(spec):
        monkeypatch.setenv("PATRONSHIELD_DATA_KEYS", spec)
        crypto.keyring.cache_clear()

    use(old)
    yield use, old
    crypto.keyring.cache_clear()


def test_rotate_keys_reseals_check_ins(keys, people):
    from patronshield.libraries.management.commands.rotate_keys import rotate

    use, old = keys
    e = visit(people)
    close(e, people["director"])
    mine = CheckIn.objects.get(user=people["desk"])
    services.checkin_answer(checkin=mine, user=people["desk"], how=SECRET)
    new = crypto.new_key_spec("new")
    use(new + "," + old)
    assert rotate()["aftercare.CheckIn.sealed"] == 1
    mine.refresh_from_db()
    assert crypto.key_id(bytes(mine.sealed)) == "new"
    use(new)  # the old key gone: the answers still read, for their owner
    assert services.checkin_read(mine, people["desk"])["how"] == SECRET


def test_the_director_adds_a_volunteer_who_was_there(client, people, review, library):
    lib, branch = library
    volunteer = make_user("volunteer@a.example.org", Role.DESK, lib, branch)
    client.force_login(people["director"])
    url = reverse("aftercare:present", args=[review.pk])
    assert "Volunteer" in text(client.get(url))
    assert client.post(url, {"person": volunteer.pk}).status_code == 302
    assert review.checkins.filter(user=volunteer).exists()
    assert client.post(url, {"person": volunteer.pk}).status_code == 400  # already offered


# ---------------------------------------------------------------------------- community


@pytest.fixture
def noisy(people):
    """An encounter whose record names a patron, a phone, a card and the officer."""
    e = visit(people, agency="ice", request="patron_whereabouts", document="administrative_warrant")
    record.officer_add(
        encounter=e, user=people["desk"], name="Agent Robert Smithers", badge="B-4471"
    )
    record.note_add(
        encounter=e,
        user=people["desk"],
        text=f"They asked whether patron {NAME} ({PHONE}, card {CARD}) was here.",
        confirmed=True,
    )
    close(e, people["director"])
    return Review.objects.get(encounter=e)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_statement_template_has_no_personal_data(noisy, language):
    draft = services.statement_draft(noisy.encounter, language)
    assert draft and noisy.library.name in draft
    for forbidden in (NAME, "Maria", "Gonzalez", PHONE, "0142", CARD, "Smithers", "B-4471",
                      "Officers waited", "here."):  # fmt: skip
        assert forbidden not in draft, forbidden
    day = timezone.localtime(noisy.encounter.started_at).date()
    monday = day - dt.timedelta(days=day.weekday())
    assert str(monday.day) in draft and str(monday.year) in draft
    assert f"{day:%H:%M}" not in draft
    assert services.statement_findings(noisy.encounter, draft) == []
    assert ("immigration" if language == "en" else "inmigración") in draft


def test_the_statement_says_what_the_library_did(people):
    e = visit(people, agency="local_police", request="enter_nonpublic_area", document="none")
    close(e, people["director"])
    draft = services.statement_draft(e, "en")
    assert "local law enforcement officers" in draft
    assert "areas of the library that are not open to the public" in draft
    assert e.outcome == "decline" and "politely declined" in draft


def test_the_director_edits_approves_and_it_is_published_without_a_cookie(client, people, noisy):
    client.force_login(people["director"])
    url = reverse("aftercare:statement", args=[noisy.pk])
    page = client.get(url)
    assert page.status_code == 200
    en = services.statement_draft(noisy.encounter, "en")
    es = services.statement_draft(noisy.encounter, "es")
    assert en.split("\n")[0] in page.content.decode()
    # An officer's name or the patron's phone written in: warned, not published.
    r = client.post(url, {"text_en": en + "\nAgent Smithers was polite.", "text_es": es})
    assert r.status_code == 200 and "Smithers" in text(r) and "Publish anyway" in text(r)
    r = client.post(url, {"text_en": en + f"\nCall {PHONE}.", "text_es": es})
    assert "looks like a phone number" in text(r)
    assert not Statement.objects.filter(published=True).exists()
    r = client.post(url, {"text_en": en + "\nWe thank our community.", "text_es": es})
    assert r.status_code == 302
    assert set(Statement.objects.filter(published=True).values_list("language", flat=True)) == {
        "en",
        "es",
    }
    last = noisy.encounter.events.filter(kind=Event.Kind.REVIEW).order_by("seq").last()
    assert last.data["step"] == "statement_published" and last.data["languages"] == ["en", "es"]

    client.logout()
    for path in ("/statements/", f"/l/{noisy.library.slug}/statements/"):
        r = client.get(path)
        assert r.status_code == 200
        assert "We thank our community." in r.content.decode()
        assert 'lang="es"' in r.content.decode()
        assert "Set-Cookie" not in r.headers and not r.cookies
        assert NAME not in r.content.decode()
    assert client.post("/statements/").status_code == 405

    client.force_login(people["director"])
    assert client.post(url, {"withdraw": "1"}).status_code == 302
    client.logout()
    assert "We thank our community." not in client.get("/statements/").content.decode()


def test_a_reader_of_arabic_sees_the_arabic_statement_first(client, people, noisy):
    """The public page is in English or Spanish, but the statement itself is ordered by the
    reader's own languages (Accept-Language), and marked for right-to-left."""
    noisy.library.languages = ["en", "es", "ar"]
    noisy.library.save()
    en = services.statement_draft(noisy.encounter, "en")
    services.statement_approve(
        review=noisy, user=people["director"], confirmed=True,
        texts={"en": en, "es": "", "ar": "زار موظفو إنفاذ القانون المكتبة هذا الأسبوع."},
    )  # fmt: skip
    html = client.get("/statements/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5").content.decode()
    assert html.index('lang="ar" dir="auto"') < html.index('lang="en" dir="auto"')
    assert "The week of" in html  # the heading stays in the page's language
    html = client.get("/statements/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index('lang="en" dir="auto"') < html.index('lang="ar" dir="auto"')


def test_a_language_without_a_template_is_written_by_the_director(client, people, noisy):
    noisy.library.languages = ["en", "es", "vi"]
    noisy.library.save()
    assert services.statement_draft(noisy.encounter, "vi") == ""
    client.force_login(people["director"])
    url = reverse("aftercare:statement", args=[noisy.pk])
    assert "Tiếng Việt" in client.get(url).content.decode()
    en = services.statement_draft(noisy.encounter, "en")
    assert client.post(url, {"text_en": en, "text_es": "", "text_vi": ""}).status_code == 302
    assert list(Statement.objects.filter(published=True).values_list("language", flat=True)) == [
        "en"
    ]


def test_no_statement_under_a_nondisclosure_order(client, people):
    e = visit(people, agency="fbi", request="patron_records", document="national_security_letter")
    close(e, people["director"])
    review = Review.objects.get(encounter=e)
    with pytest.raises(Exception, match="nondisclosure"):
        services.statement_approve(review=review, user=people["director"], texts={"en": "x"})
    client.force_login(people["designee"])  # the gag: the director and counsel only
    assert client.get(reverse("aftercare:review", args=[review.pk])).status_code == 404
    client.force_login(people["director"])
    r = client.get(reverse("aftercare:statement", args=[review.pk]))
    assert "no statement can be published" in text(r)


def test_the_impact_note_is_checked_for_patron_data(client, people, review):
    client.force_login(people["director"])
    url = reverse("aftercare:community", args=[review.pk])
    r = client.post(
        url, {"seen": f"Two SUVs outside; {NAME} was taken.", "rumours": "", "groups": ""}
    )
    assert r.status_code == 200 and "This may identify a patron." in text(r)
    r = client.post(url, {"seen": "Two SUVs outside.", "rumours": "That the library called ICE.",
                          "groups": "The parish, the high school."})  # fmt: skip
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.impact_rumours == "That the library called ICE."


def test_a_follow_up_programme_goes_on_the_events_calendar_in_one_step(client, people, review):
    from patronshield.public.models import Event as PublicEvent

    client.force_login(people["director"])
    url = reverse("aftercare:programme", args=[review.pk, "rights"])
    form = client.get(url)
    assert "Know Your Rights" in text(form)
    html = form.content.decode()
    values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', html))
    description = re.search(r'name="description"[^>]*>\s*([^<]*)</textarea>', html).group(1)
    r = client.post(url, {**values, "description": description, "partner": "Legal Aid of MI"})
    assert r.status_code == 302
    event = PublicEvent.objects.get()
    assert event.kind == "workshop" and event.partner == "Legal Aid of MI"
    assert event.starts_at > timezone.now()
    client.logout()
    assert "Know Your Rights" in client.get("/events/").content.decode()
    assert "Know Your Rights" in client.get("/events.ics").content.decode()
    client.force_login(people["director"])
    assert client.get(reverse("aftercare:programme", args=[review.pk, "nope"])).status_code == 404
    past = {**values, "date": "2001-01-01"}
    assert client.post(url, past).status_code == 400


def test_the_retention_purge_takes_the_review_text_and_the_check_ins(people, review):
    from patronshield.desk import retention

    services.debrief_save(review=review, user=people["director"], went_well="Calm staff.")
    services.checkin_answer(
        checkin=review.checkins.get(user=people["desk"]), user=people["desk"], how=SECRET
    )
    services.task_add(
        review=review, user=people["director"], title="Reprint cards", owner=people["desk"],
        due=services.library_today(review.library),
    )  # fmt: skip
    report = retention.purge_library(
        review.library, now=timezone.now() + dt.timedelta(days=4 * 365)
    )
    assert report["after_action_reviews"] == 1 and report["check_ins"] == 3
    review.refresh_from_db()
    assert review.purged_at and review.went_well == ""
    assert not CheckIn.objects.exists() and not Task.objects.exists()
    assert chain.verify_library(review.library_id).ok


def test_reminders_and_notices_are_in_the_owners_language(people, review, smtp):
    """A desk worker who chose Spanish gets the task reminder and the check-in notice in
    Spanish; the text they wrote stays as written."""
    import email as email_lib
    from email.header import decode_header, make_header

    people["desk"].language = "es"
    people["desk"].save()
    task = services.task_add(
        review=review, user=people["director"], title="Reimprimir las tarjetas",
        owner=people["desk"], due=services.library_today(review.library),
    )  # fmt: skip
    services.task_reminders_send()
    checkin = review.checkins.get(user=people["desk"])
    services.checkin_notice_send(checkin.pk)
    subjects = []
    for _to, raw in smtp.messages:
        msg = email_lib.message_from_string(raw)
        subjects.append(str(make_header(decode_header(msg["Subject"]))))
        body = msg.get_payload(decode=True).decode()
        assert "Reimprimir las tarjetas" in body or "consulta privada" in body
    assert any(s.startswith("Tarea de seguimiento vencida") for s in subjects), subjects
    assert any(s.startswith("Le espera una consulta privada") for s in subjects), subjects
    assert task.pk


def test_closing_never_waits_on_the_mail_server_and_the_notice_is_retried(
    people, settings, django_capture_on_commit_callbacks
):
    """The check-in notice goes through the worker: closing with the mail server down is
    instant, and the notice is queued again until it goes out."""
    from django_tasks_db.models import DBTaskResult

    from patronshield.aftercare.tasks import checkin_notice
    from tests.conftest import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    e = visit(people)
    with django_capture_on_commit_callbacks(execute=True):
        close(e, people["director"])
    queued = DBTaskResult.objects.filter(task_path__endswith="checkin_notice")
    assert queued.count() == Review.objects.get(encounter=e).checkins.count() >= 1
    checkin = Review.objects.get(encounter=e).checkins.first()
    assert checkin_notice.call(checkin.pk) is False  # mail down: queued again, not lost
    assert queued.count() > Review.objects.get(encounter=e).checkins.count()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert checkin_notice.call(checkin.pk) is True


def test_an_old_visit_prompts_no_check_in(client, people):
    """A record closed long ago (imported, or the demo's) offers check-ins on /after/ but
    does not prompt anyone on the desk's home."""
    from patronshield.desk.models import Encounter

    e = visit(people)
    close(e, people["director"])
    Encounter.objects.filter(pk=e.pk).update(
        closed_at=timezone.now() - services.CHECKIN_FRESH - dt.timedelta(days=1)
    )
    client.force_login(people["director"])
    assert "check-in waiting" not in text(client.get("/"))
    assert "check-in" in text(client.get(reverse("aftercare:home"))).lower()
