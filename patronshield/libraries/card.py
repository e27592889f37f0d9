"""The desk card: one printed page per branch and language with the five things to do, who
to call (the escalation roster) and how to tell the documents apart. Made on request and
cached under a fingerprint of everything on it (the roster, the adopted version, the
branch), so a changed roster or a newly adopted policy gives a new card at once."""

from __future__ import annotations

import hashlib
import json

from django.template.loader import render_to_string

from patronshield.policy import authoring
from patronshield.public import pdfs

from .policies import adopted_table, adopted_version

LANGUAGES = ("en", "es")  # the staff interface's languages
CARD_FORMAT = 2  # bump when the card's layout (its template) changes
BASE_PT = 10.5
SCALES = (1, 0.94, 0.88, 0.82, 0.76)


def roster(library, language: str) -> list[dict]:
    """Who to call, in order: the active roster (director, designees, counsel); counsel from
    the library's profile when the roster has none."""
    words = authoring.card_text("director_or_designee", language)
    rows = [
        {"role": words[f"role.{c.role}"], "name": c.name, "phone": c.phone, "email": c.email}
        for c in library.contacts.filter(active=True).order_by("position")
    ]
    if library.counsel_name and not library.contacts.filter(active=True, role="counsel").exists():
        rows.append(
            {
                "role": words["role.counsel"],
                "name": library.counsel_name,
                "phone": library.counsel_phone,
                "email": library.counsel_email,
            }
        )
    return rows


def card_context(branch, language: str) -> dict:
    library = branch.library
    version = adopted_version(library)
    words = authoring.card_text(adopted_table(library).approver, language)
    if version:
        policy_line = words["version"].format(
            number=version.number, date=version.board_adopted_on.isoformat()
        )
    else:
        policy_line = words["model"]
    return {
        "t": words,
        "language": language,
        "library": library.name,
        "branch": branch.name,
        "address": branch.address or library.address,
        "roster": roster(library, language),
        "policy_line": policy_line,
    }


def fingerprint(branch, language: str) -> str:
    """A hash of all the card says: it changes when the roster, the policy, the branch or the
    card's words (an upgrade's) do."""
    data = {"format": CARD_FORMAT, **card_context(branch, language)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def card_html(context: dict, scale: float = 1) -> str:
    return render_to_string(
        "policy/pdf/card.html", {**context, "font": "Noto Sans", "pt": BASE_PT * scale}
    )


def card_pdf(branch, language: str) -> bytes:
    """The card as a one-page PDF, its type made smaller step by step until it fits. Made
    once per fingerprint for every process (public/rendered.py: kept in files or Redis, one
    render at a time)."""
    from patronshield.public import rendered

    def render() -> bytes:
        context = card_context(branch, language)
        for scale in SCALES:
            document = pdfs.weasyprint.HTML(string=card_html(context, scale)).render()
            if len(document.pages) == 1:
                break
        return document.write_pdf()

    key = f"desk-card-{branch.pk}-{fingerprint(branch, language)}"
    return rendered.get_or_render(key, render)
