"""Training modules, generated from the policy in force: the library's areas, the papers an
officer may show (with specimens), what to say, what never to do, and patrons' information.

Everything a module teaches about a decision comes from `decide(…, adopted_table(library))`
and the engine's own texts (in the trainee's language), so the modules change when the
board adopts a new policy. A question about a decision is checked against the engine at the
moment it is answered, never against an answer written here; its feedback cites the rules.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import override

from patronshield.desk.models import Document, Outcome
from patronshield.libraries.policies import adopted_table
from patronshield.policy import Citation, Scenario, decide, state_laws, texts, vocab

from .specimens import BY_ID, SPECIMENS

PASS_SHARE = 0.8  # a module is passed with 80 % of its answers right
# Who shows each kind of paper in the documents module's examples.
ISSUER_AGENCY = {"court": "state_police", "agency": "ice", "fbi": "fbi"}


@dataclass
class Question:
    id: str
    prompt: str
    options: list[tuple[str, str]]  # (value, label)
    answer: str
    feedback: str
    citations: tuple[Citation, ...] = ()
    decision: bool = False  # the answer is the engine's decision
    specimen: object = None


@dataclass
class Case:
    """A situation and what the engine decides for it."""

    label: str
    outcome: str
    outcome_label: str
    explanation: str
    script: str
    citations: tuple[Citation, ...]


@dataclass
class Module:
    slug: str
    title: str
    summary: str
    intro: list[str] = field(default_factory=list)
    lists: list[tuple[str, list[str]]] = field(default_factory=list)  # (heading, items)
    cases: list[Case] = field(default_factory=list)
    specimens: list = field(default_factory=list)  # (specimen, [what it allows: cases])
    questions: list[Question] = field(default_factory=list)
    version: str = ""


def _order(qid: str, options):
    """A fixed order that does not put the right answer first every time."""
    return sorted(options, key=lambda o: hashlib.sha256(f"{qid}:{o[0]}".encode()).hexdigest())


class _Builder:
    def __init__(self, library, language: str):
        self.library = library
        self.language = vocab.language_or_default(language)
        self.table = adopted_table(library)
        self.t = texts(self.language)
        self.outcomes = dict(Outcome.choices)

    def decide(self, **facts):
        facts.setdefault("document", "none")
        return decide(
            Scenario(state=self.library.state, language=self.language, **facts), self.table
        )

    def case(self, label, **facts) -> Case:
        d = self.decide(**facts)
        return Case(
            label, d.outcome, str(self.outcomes[d.outcome]), d.explanation, d.staff_script,
            d.citations,
        )  # fmt: skip

    def decision_question(self, qid, prompt, **facts) -> Question:
        d = self.decide(**facts)
        return Question(
            qid,
            prompt,
            _order(qid, [(k, str(v)) for k, v in Outcome.choices]),
            d.outcome,
            d.explanation,
            d.citations,
            decision=True,
        )

    # ------------------------------------------------------------------ the modules

    def areas(self) -> Module:
        areas = list(self.library.areas.order_by("-public", "position", "name"))
        public = [a.name for a in areas if a.public] or [_("the open floor and the stacks")]
        private = [a.name for a in areas if not a.public] or [_("staff rooms and offices")]
        m = Module(
            "areas",
            _("The library's areas"),
            _("Where officers may go, and where they may not without a judge's paper."),
        )
        m.intro = [
            self.t["explanation"]["public"],
            self.t["explanation"]["policy_nonpublic"],
        ]
        m.lists = [(_("Public areas"), public), (_("Non-public areas"), private)]
        m.cases = [
            self.case(
                _("Officers in %(area)s") % {"area": public[0]},
                agency="local_police", request="presence_public_area",
            ),
            self.case(
                _("ICE asks to enter %(area)s with an ICE warrant") % {"area": private[0]},
                agency="ice", request="enter_nonpublic_area", document="administrative_warrant",
            ),
            self.case(
                _("Officers with a judge's search warrant ask to enter %(area)s")
                % {"area": private[0]},
                agency="state_police", request="enter_nonpublic_area",
                document="judicial_search_warrant",
            ),
            self.case(
                _("An emergency: someone's life is in danger behind a staff door"),
                agency="local_police", request="enter_nonpublic_area", emergency=True,
            ),
        ]  # fmt: skip
        m.questions = [
            self.decision_question(
                "areas.1",
                _("An ICE officer shows a Form I-200 and asks to go into %(area)s.")
                % {"area": private[-1]},
                agency="ice", request="enter_nonpublic_area", document="administrative_warrant",
            ),
            self.decision_question(
                "areas.2",
                _("Two police officers walk through %(area)s and talk with patrons.")
                % {"area": public[-1]},
                agency="local_police", request="question_people_public_area",
            ),
            self.decision_question(
                "areas.3",
                _("A detective with a search warrant signed by a judge asks to enter %(area)s.")
                % {"area": private[0]},
                agency="state_police", request="enter_nonpublic_area",
                document="judicial_search_warrant",
            ),
            self.decision_question(
                "areas.4",
                _("An officer with no papers asks to look around %(area)s.") % {"area": private[0]},
                agency="sheriff", request="enter_nonpublic_area", document="verbal",
            ),
        ]  # fmt: skip
        return m

    def documents(self) -> Module:
        m = Module(
            "documents",
            _("Telling the papers apart"),
            _(
                "A judge's warrant or order, or an agency's form: how to tell, and what each "
                "allows."
            ),
        )
        m.intro = [
            _(
                "A judge's warrant or order names a court at the top (the caption) and is "
                "signed by a judge. An ICE warrant says “Department of Homeland Security” and "
                "is signed by an immigration officer. If you cannot tell, say so: that is the "
                "safe answer."
            ),
            _("Each example below is a made-up specimen, not a real form."),
        ]
        m.specimens = [
            (
                s,
                [
                    self.case(
                        _("If they ask to enter a non-public area with it"),
                        agency=ISSUER_AGENCY[s.issuer], request="enter_nonpublic_area",
                        document=s.kind,
                    ),
                    self.case(
                        _("If they ask for a patron's records with it"),
                        agency=ISSUER_AGENCY[s.issuer], request="patron_records",
                        document=s.kind,
                    ),
                ],
            )
            for s in SPECIMENS
        ]  # fmt: skip
        kinds = [
            (k, str(v))
            for k, v in Document.choices
            if k in {s.kind for s in SPECIMENS} | {"unknown"}
        ]
        for n, sid in enumerate(("i205", "search_warrant", "nsl", "subpoena"), start=1):
            s = BY_ID[sid]
            m.questions.append(
                Question(
                    f"documents.{n}",
                    _("What is this paper?"),
                    _order(f"documents.{n}", kinds),
                    s.kind,
                    " ".join(str(t) for t in s.tells),
                    specimen=s,
                )
            )
        m.questions.append(
            self.decision_question(
                "documents.5",
                _("An ICE officer shows the Form I-205 above and asks for the records of the "
                  "patron it names."),
                agency="ice", request="patron_records", document="administrative_warrant",
            )
        )  # fmt: skip
        m.questions.append(
            self.decision_question(
                "documents.6",
                _("An officer shows the court subpoena above and asks to search the workroom now."),
                agency="local_police", request="enter_nonpublic_area",
                document="judicial_subpoena",
            )
        )  # fmt: skip
        return m

    SITUATIONS = (
        ("ice_staff_room", dict(agency="ice", request="enter_nonpublic_area",
                                document="administrative_warrant")),
        ("warrant", dict(agency="state_police", request="patron_records",
                         document="judicial_search_warrant")),
        ("nsl", dict(agency="fbi", request="patron_records", document="national_security_letter")),
        ("public", dict(agency="ice", request="presence_public_area")),
        ("records_badge", dict(agency="sheriff", request="patron_records", document="verbal")),
    )  # fmt: skip

    def situation_labels(self):
        return {
            "ice_staff_room": _("ICE shows an ICE warrant and asks to enter the staff room"),
            "warrant": _("Police show a judge's search warrant for patron records"),
            "nsl": _("The FBI hands over a National Security Letter"),
            "public": _("ICE officers walk into the public areas"),
            "records_badge": _("A deputy with only a badge asks about a patron"),
        }

    def script(self) -> Module:
        labels = self.situation_labels()
        m = Module(
            "script",
            _("What to say"),
            _("The words the desk uses, from the policy: polite, short, and true."),
        )
        m.intro = [
            _("Say that the policy requires the director to handle the request, and call them. "
              "Ask for identification and a copy of any paper. Never argue.")
        ]  # fmt: skip
        scripts = {}
        for key, facts in self.SITUATIONS:
            case = self.case(str(labels[key]), **facts)
            m.cases.append(case)
            scripts[key] = case.script
        for n, key in enumerate(("ice_staff_room", "nsl", "records_badge"), start=1):
            d = self.decide(**dict(self.SITUATIONS)[key])
            options, seen = [(key, scripts[key])], {scripts[key]}
            for other, text in scripts.items():
                if text not in seen and len(options) < 4:
                    options.append((other, text))
                    seen.add(text)
            m.questions.append(
                Question(
                    f"script.{n}",
                    _("%(situation)s. What do you say?") % {"situation": labels[key]},
                    _order(f"script.{n}", options),
                    key,
                    d.explanation,
                    d.citations,
                    decision=True,
                )
            )  # fmt: skip
        return m

    def never(self) -> Module:
        steps = self.t["steps"]
        m = Module(
            "never",
            _("What never to do"),
            _("What the desk always does, and never does, whatever the paper."),
        )
        m.lists = [
            (_("Always"), list(steps["do.always"])),
            (_("Never"), list(steps["dont.always"])),
            (_("Under a gag (National Security Letter, FISA order)"),
             list(steps["do.nondisclosure"]) + list(steps["dont.nondisclosure"])),
        ]  # fmt: skip
        dos = list(steps["do.always"]) + list(steps["do.decline"])
        for n, item in enumerate(steps["dont.always"], start=1):
            qid = f"never.{n}"
            m.questions.append(
                Question(
                    qid,
                    _("Which of these must you never do?"),
                    _order(qid, [("never", item)] + [(f"do{i}", d) for i, d in enumerate(dos[:3])]),
                    "never",
                    item,
                )
            )
        d = self.decide(agency="fbi", request="patron_records", document="national_security_letter")
        qid = f"never.{len(m.questions) + 1}"
        m.questions.append(
            Question(
                qid,
                _("The FBI hands you a National Security Letter. Who may you tell?"),
                _order(qid, [
                    ("gag", steps["do.nondisclosure"][0]),
                    ("team", _("Your coworkers, so they are ready")),
                    ("patron", _("The patron it is about")),
                    ("anyone", _("Anyone who asks")),
                ]),
                "gag" if d.nondisclosure else "anyone",
                d.explanation,
                d.citations,
                decision=True,
            )
        )  # fmt: skip
        return m

    def records(self) -> Module:
        law = state_laws()[self.library.state]
        m = Module(
            "records",
            _("Patrons' information"),
            _("Who was here, what they borrowed, camera footage: what the policy and %(state)s "
              "law protect.") % {"state": law.name},
        )  # fmt: skip
        m.intro = [self.t["explanation"]["policy_records"]]
        if law.citation:
            m.intro.append(
                _("%(state)s's library-records law: %(citation)s.")
                % {"state": law.name, "citation": law.citation}
            )
        m.cases = [
            self.case(_("A phone call asking whether someone is in the library"),
                      agency="local_police", request="patron_whereabouts", document="verbal"),
            self.case(_("A court subpoena for a patron's borrowing records"),
                      agency="fbi", request="patron_records", document="judicial_subpoena"),
            self.case(_("Police ask for camera footage, with no paper"),
                      agency="local_police", request="surveillance_footage", document="verbal"),
            self.case(_("Police bring the patron's written consent"),
                      agency="local_police", request="patron_records", patron_consent=True),
        ]  # fmt: skip
        m.questions = [
            self.decision_question(
                "records.1",
                _("A caller says he is a detective and asks whether a patron is here."),
                agency="local_police", request="patron_whereabouts", document="verbal",
            ),
            self.decision_question(
                "records.2",
                _("An agent hands over a court subpoena for a patron's borrowing records."),
                agency="fbi", request="patron_records", document="judicial_subpoena",
            ),
            self.decision_question(
                "records.3",
                _("After a fight in the parking lot, police ask for the camera footage, "
                  "with no paper."),
                agency="local_police", request="surveillance_footage", document="verbal",
            ),
            self.decision_question(
                "records.4",
                _("An officer brings a note signed by a patron allowing the library to give "
                  "the police her computer records."),
                agency="local_police", request="patron_records", patron_consent=True,
            ),
        ]  # fmt: skip
        return m


ORDER = ("areas", "documents", "script", "never", "records")


def _version(library, slug: str) -> str:
    """A fingerprint of what the module teaches, in English: it changes with the policy."""
    with override("en"):
        m = getattr(_Builder(library, "en"), slug)()
    content = {
        "intro": m.intro,
        "lists": m.lists,
        "cases": [(c.label, c.outcome, c.explanation, c.script) for c in m.cases],
        "specimens": [(s.id, [c.outcome for c in cases]) for s, cases in m.specimens],
        "questions": [(q.id, q.prompt, q.options, q.answer) for q in m.questions],
    }
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()[:16]


def module(library, slug: str, language: str) -> Module:
    if slug not in ORDER:
        raise KeyError(slug)
    m = getattr(_Builder(library, language), slug)()
    m.version = _version(library, slug)
    return m


def modules(library, language: str) -> list[Module]:
    return [module(library, slug, language) for slug in ORDER]


def titles() -> dict[str, str]:
    return {
        "areas": _("The library's areas"),
        "documents": _("Telling the papers apart"),
        "script": _("What to say"),
        "never": _("What never to do"),
        "records": _("Patrons' information"),
    }


def check(m: Module, answers: dict) -> list[dict]:
    """Each question, the answer given, whether it is right, and the feedback."""
    results = []
    for q in m.questions:
        given = answers.get(q.id, "")
        labels = dict(q.options)
        results.append(
            {
                "question": q,
                "given": given,
                "given_label": labels.get(given, ""),
                "answer_label": labels[q.answer],
                "right": given == q.answer,
            }
        )
    return results
