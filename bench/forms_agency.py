"""Builders for papers an agency issues without a court, and for look-alikes that are not
legal process at all (letters, flyers, business cards)."""

# The HTML templates keep their lines as the printed forms run them.
# ruff: noqa: E501

from __future__ import annotations

from datetime import timedelta

from bench.documents_html import (
    COUNTRIES,
    ICE_DETROIT,
    LIBRARY_ADDRESS,
    LIBRARY_NAME,
    NOW,
    POLICE,
    Doc,
    W,
    deadline,
    esc,
    meta,
)
from bench.forms_judicial import CUSTODIAN, _extras, fax_header

ICE_TITLES = [
    "Supervisory Detention and Deportation Officer",
    "Field Office Director",
    "Deputy Field Office Director",
    "Assistant Field Office Director",
    "Acting Field Office Director",
    "Supervisory Immigration Enforcement Agent",
    "Acting Supervisory Detention and Deportation Officer",
]


def dhs_letterhead(w: W, sub: str = "", office: str = "") -> str:
    seal = w.seal("DHS", "HOMELAND SECURITY", 0.8)
    lines = [
        "<div class='dept'>U.S. Department of Homeland Security</div>",
        f"<div>{esc(sub)}</div>" if sub else "",
        f"<div class='small'>{esc(office)}</div>" if office else "",
    ]
    return f"<div class='lh'>{seal}<div class='agency'>{''.join(lines)}</div></div>"


def _ice_officer(w: W) -> tuple[str, str]:
    return w.person(0.4), w.pick(ICE_TITLES)


# ------------------------------------------------------------------ administrative warrants


def administrative_warrant(w: W) -> Doc:
    if w.chance(0.6):
        return _i200(w)
    return _i205(w)


I200_BASIS = [
    "the execution of a charging document to initiate removal proceedings against the subject;",
    "the pendency of ongoing removal proceedings against the subject;",
    "the failure to establish admissibility subsequent to deferred inspection;",
    "biometric confirmation of the subject's identity and a records check of federal databases "
    "that affirmatively indicate, by themselves or in addition to other reliable information, "
    "that the subject either lacks immigration status or notwithstanding such status is "
    "removable under U.S. immigration law; and/or",
    "statements made voluntarily by the subject to an immigration officer and/or other reliable "
    "evidence that affirmatively indicate the subject either lacks immigration status or "
    "notwithstanding such status is removable under U.S. immigration law.",
]


def _i200(w: W) -> Doc:
    alien = w.person(0.2)
    issued = w.issued()
    officer, title = _ice_officer(w)
    v = w.rng.randrange(5)
    basis = list(I200_BASIS)
    if v == 3:  # a trap: the wording mentions an immigration judge
        basis[1] = (
            "the pendency of ongoing removal proceedings against the subject before an "
            "immigration judge;"
        )
    checked = {w.rng.randrange(len(basis))}
    if w.chance(0.5):
        checked.add(w.rng.randrange(len(basis)))
    boxes = "".join(
        f"<p style='margin-left:.3in'>{w.cb(i in checked)} {esc(b)}</p>"
        for i, b in enumerate(basis)
    )
    to = [
        "Any immigration officer authorized pursuant to sections 236 and 287 of the Immigration "
        "and Nationality Act and part 287 of title 8, Code of Federal Regulations, to serve "
        "warrants of arrest for immigration violations",
        "Any immigration officer authorized pursuant to sections 236 and 287 of the Immigration and "
        "Nationality Act and 8 CFR part 287 to serve warrants of arrest for immigration violations",
        "Any immigration officer authorized pursuant to sections 236 and 287 of the Immigration and "
        "Nationality Act and part 287 of title 8, Code of Federal Regulations, to serve warrants "
        "of arrest for immigration violations",
        "Any immigration officer authorized under sections 236 and 287 of the Immigration and "
        "Nationality Act and part 287 of title 8, Code of Federal Regulations, to serve arrest "
        "warrants for immigration violations",
        "Any immigration officer authorized pursuant to sections 236 and 287 of the Immigration "
        "and Nationality Act and part 287 of title 8, Code of Federal Regulations, to serve "
        "warrants of arrest for immigration violations",
    ][v]
    command = [
        "YOU ARE COMMANDED to arrest and take into custody for removal proceedings under the "
        "Immigration and Nationality Act, the above-named alien.",
        "YOU ARE COMMANDED to arrest and take into custody for removal proceedings under the "
        "Immigration and Nationality Act, the above-named alien.",
        "YOU ARE COMMANDED to arrest and take into custody, for removal proceedings under the "
        "Immigration and Nationality Act, the above-named alien.",
        "YOU ARE COMMANDED to arrest and take into custody for removal proceedings under the "
        "Immigration and Nationality Act the above-named alien.",
        "YOU ARE HEREBY COMMANDED to arrest and take into custody for removal proceedings under "
        "the Immigration and Nationality Act, the above-named alien.",
    ][v]
    big = w.chance(0.35)  # a trap: WARRANT in huge type, as some copies look
    title_html = (
        "<div class='bigtitle' style='font-size:2.1em;letter-spacing:.08em'>WARRANT</div>"
        "<div class='c'><b>for Arrest of Alien</b></div>"
        if big
        else "<div class='bigtitle'>Warrant for Arrest of Alien</div>"
    )
    body = f"""
{fax_header(w, "ERO DETROIT") if w.chance(0.1) else ""}
{dhs_letterhead(w, w.pick(["", "U.S. Immigration and Customs Enforcement", ""]))}
{title_html}
<table><tr><td></td><td class="r" style="width:45%">File No. {w.fill(w.a_number())}<br>
{w.pick(["Event No.", "Subject ID"])}: {w.fill(w.pick(["DET", "MCX", "DTR"]) + w.digits(10))}<br>
Date: {w.lf(w.d(issued), "", "1.5in")}</td></tr></table>
<p>To: &nbsp;{esc(to)}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;I have determined that there is probable cause to believe that
{w.lf(alien.upper(), "", "2.8in")} is removable from the United States. This determination is
based upon:</p>
{boxes}
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>{esc(command)}</b></p>
<table><tr><td style="width:35%"></td><td>{
        w.sig_block(
            officer,
            "(Signature of Authorized Immigration Officer)",
            f"{officer}, {title}" if w.chance(0.7) else f"{officer} {title.upper()}",
            "(Printed Name and Title of Authorized Immigration Officer)",
            3.9,
        )
    }</td></tr></table>
<div class="ret"><div class="rh">Certificate of Service</div>
<p class="small">I hereby certify that the Warrant for Arrest of Alien was served by me at
______________ <i>(Location)</i> on ______________ <i>(Name of Alien)</i> on __________
<i>(Date of Service)</i>, and the contents of this notice were read to him or her in the
____________ <i>(Language)</i> language.</p>
<table class="small"><tr><td style="width:50%"><div class="sigv2">&nbsp;</div><div class="cap">Name and Signature of Officer</div></td>
<td style="padding-left:10px"><div class="sigv2">&nbsp;</div><div class="cap">Name or Number of Interpreter (if applicable)</div></td></tr></table></div>
<div class="formfoot">{
        w.pick(
            ["Form I-200 (Rev. 09/16)", "Form I-200 (Rev. 09/16)", "DHS Form I-200 (Rev. 09/16)"]
        )
    }</div>
{_extras(w, court=False)}
"""
    page2 = f"""
<div class="pg2">{dhs_letterhead(w, "U.S. Immigration and Customs Enforcement", "Enforcement and Removal Operations")}
<div class="title">Record of Deportable/Inadmissible Alien – Narrative (continuation)</div>
<p>Subject: <span class="fill">{esc(alien.upper())}</span> &nbsp; File No. <span class="fill">{w.a_number()}</span></p>
<p>Country of citizenship: <span class="fill">{w.pick(COUNTRIES)}</span> &nbsp; Date of birth:
<span class="fill">{w.rng.randint(1, 12):02d}/{w.rng.randint(1, 28):02d}/{w.rng.randint(1968, 2003)}</span></p>
<p><span class="fill">On {esc(w.d(issued - timedelta(days=w.rng.randint(1, 20))))}, ERO Detroit received
information that the subject may be found in the City of Ecorse, Michigan. Records checks show that
the subject entered the United States without inspection. A Form I-200 was issued.</span></p>
<p class="small">For official use only. Law enforcement sensitive.</p></div>"""
    return Doc(
        [body, page2],
        meta(
            "administrative_warrant",
            "I-200",
            f"i200-v{v}{'-big' if big else ''}",
            issued=issued,
            signer_title=title,
        ),
    )


def _i205(w: W) -> Doc:
    alien = w.person(0.2)
    issued = w.issued()
    officer, title = _ice_officer(w)
    v = w.rng.randrange(4)
    authority = [
        "an immigration judge in exclusion, deportation, or removal proceedings",
        "a designated official",
        "the Board of Immigration Appeals",
        "a United States District or Magistrate Court Judge",
    ]
    chosen = w.rng.choices(range(4), weights=[55, 10, 15, 20])[0]  # the trap box gets checked too
    boxes = "".join(
        f"<p style='margin-left:.3in'>{w.cb(i == chosen)} {esc(a)}</p>"
        for i, a in enumerate(authority)
    )
    command = [
        "YOU ARE COMMANDED to take into custody and remove from the United States the above-named "
        "alien, pursuant to law, at the expense of:",
        "I, the undersigned officer of the United States, by virtue of the power and authority "
        "vested in the Secretary of Homeland Security under the laws of the United States and by "
        "his or her direction, command you to take into custody and remove from the United States "
        "the above-named alien, pursuant to law, at the expense of:",
        "By virtue of the power and authority vested in the Secretary of Homeland Security under "
        "the laws of the United States, YOU ARE COMMANDED to take into custody and remove from the "
        "United States the above-named alien, pursuant to law, at the expense of:",
        "I, the undersigned officer of the United States, by virtue of the authority vested in the "
        "Secretary of Homeland Security, command you to take into custody and remove from the "
        "United States the above-named alien, pursuant to law, at the expense of:",
    ][v]
    section = w.pick(
        [
            "212(a)(6)(A)(i)",
            "237(a)(1)(B)",
            "237(a)(2)(A)(iii)",
            "212(a)(7)(A)(i)(I)",
            "237(a)(1)(C)(i)",
        ]
    )
    entry = w.pick(
        [
            "Hidalgo, Texas",
            "Detroit, Michigan",
            "unknown place",
            "San Ysidro, California",
            "Chicago O'Hare, Illinois",
        ]
    )
    body = f"""
{dhs_letterhead(w)}
<div class="bigtitle">WARRANT OF REMOVAL/DEPORTATION</div>
<table><tr><td></td><td class="r" style="width:45%">File No: {w.fill(w.a_number())}<br>
Date: {w.lf(w.d(issued), "", "1.5in")}</td></tr></table>
<p>To any immigration officer of the United States Department of Homeland Security:</p>
<p>{w.lf(alien.upper(), "(Full name of alien)", "4.2in")}</p>
<p>who entered the United States at {w.lf(entry, "(Place of entry)", "2.2in")} on
{w.lf(w.pick(["unknown date", "03/14/2019", "07/02/2016", "11/30/2021"]), "(Date of entry)", "1.5in")}</p>
<p>is subject to removal/deportation from the United States, based upon a final order by:</p>
{boxes}
<p>and pursuant to the following provisions of the Immigration and Nationality Act:</p>
<p style="margin-left:.3in"><span class="fill">Section {section} of the Act</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>{esc(command)}</b></p>
<p style="margin-left:.3in"><span class="fill">{w.pick(['the appropriation "Enforcement and Removal Operations"', "the Government", "ICE ERO"])}</span></p>
<table style="margin-top:8px"><tr><td style="width:30%"></td><td>
{w.sig_block(officer, "(Signature of immigration officer)", title, "(Title of immigration officer)", 3.8)}
<div class="sigv2" style="width:3.8in;margin-left:auto;margin-top:6px">{w.fill(w.d(issued) + ", Detroit, Michigan")}</div>
<div class="cap" style="width:3.8in;margin-left:auto">(Date and office location)</div></td></tr></table>
<div class="formfoot">{w.pick(["Form I-205 (Rev. 08/07)", "Form I-205 (Rev. 08/07)", "DHS Form I-205 (Rev. 08/07)"])}</div>
{_extras(w, court=False)}
"""
    page2 = f"""
<div class="pg2">
<p class="small">To be completed by immigration officer executing the warrant:</p>
<p>Name of alien being removed: <span class="fill">{esc(alien.upper())}</span></p>
<p>Removed by: {w.cb(True)} commercial air &nbsp; {w.cb(False)} ICE Air Operations &nbsp; {w.cb(False)} land</p>
<table class="box" style="margin-top:6px"><tr><td style="width:50%;height:1.9in">Photograph of alien removed</td>
<td>Right index fingerprint of alien removed</td></tr></table>
<table style="margin-top:10px"><tr><td style="width:50%"><div class="sigv2">&nbsp;</div>
<div class="cap">(Signature of alien being fingerprinted)</div></td><td style="padding-left:12px">
<div class="sigv2">&nbsp;</div><div class="cap">(Signature and title of immigration officer taking fingerprint)</div></td></tr></table>
<p>Departure Verified by: ____________________ &nbsp; Departure date: __________ &nbsp; Port of
departure: __________ &nbsp; Manner of departure: __________</p>
<div class="formfoot">Form I-205 (Rev. 08/07)</div></div>"""
    return Doc(
        [body, page2],
        meta(
            "administrative_warrant",
            "I-205",
            f"i205-v{v}{'-judgebox' if chosen == 3 else ''}",
            issued=issued,
            signer_title=title,
        ),
    )


# ------------------------------------------------------------------ detainers


def detainer(w: W) -> Doc:
    alien = w.person(0.2)
    issued = w.issued()
    officer, title = _ice_officer(w)
    title = w.pick([title, "Deportation Officer", "Immigration Enforcement Agent"])
    v = w.rng.randrange(4)
    facility = w.pick(
        [
            "Wayne County Jail",
            "Monroe County Jail",
            "Wayne County Sheriff's Office",
            "Michigan Department of Corrections",
            "Ecorse Police Department lockup",
        ]
    )
    basis = [
        "a final order of removal against the alien;",
        "the pendency of ongoing removal proceedings against the alien;",
        "biometric confirmation of the alien's identity and a records check of federal databases "
        "that affirmatively indicate, by themselves or in addition to other reliable information, "
        "that the alien either lacks immigration status or notwithstanding such status is "
        "removable under U.S. immigration law; and/or",
        "statements made by the alien to an immigration officer and/or other reliable evidence "
        "that affirmatively indicate the alien either lacks immigration status or notwithstanding "
        "such status is removable under U.S. immigration law.",
    ]
    chosen = w.rng.randrange(4)
    boxes = "".join(
        f"<p style='margin-left:.3in' class='small'>{w.cb(i == chosen)} {esc(b)}</p>"
        for i, b in enumerate(basis)
    )
    req = [
        (
            "Notify DHS as early as practicable (at least 48 hours, if possible) before the alien is "
            "released from your custody. Please notify DHS by calling {p}."
        ),
        (
            "Maintain custody of the alien for a period NOT TO EXCEED 48 HOURS beyond the time when "
            "he/she would otherwise have been released from your custody to allow DHS to assume "
            "custody."
        ),
        "Relay this detainer to any other law enforcement agency to which you transfer custody of the alien.",
        (
            "Notify this office in the event of the alien's death, hospitalization or transfer to "
            "another institution."
        ),
    ]
    lis = "".join(f"<li>{esc(r.format(p=w.phone()))}</li>" for r in req)
    title_line = [
        "IMMIGRATION DETAINER – NOTICE OF ACTION",
        "IMMIGRATION DETAINER - NOTICE OF ACTION",
        "Immigration Detainer – Notice of Action",
        "IMMIGRATION DETAINER – NOTICE OF ACTION",
    ][v]
    body = f"""
<table><tr><td style="width:60%"><b>DEPARTMENT OF HOMELAND SECURITY</b><br>
<span style="font-size:1.25em;font-weight:bold">{title_line}</span></td>
<td class="small">Subject ID: {w.fill(w.digits(9))}<br>Event #: {w.fill("DET" + w.digits(10))}<br>
File No: {w.fill(w.a_number())}<br>Date: {w.fill(w.d(issued))}</td></tr></table>
<div class="sep"></div>
<table class="small"><tr><td style="width:50%">TO: <i>(Name and Title of Institution – OR Any
Subsequent Law Enforcement Agency)</i><br>{w.fill(facility)}</td>
<td>FROM: <i>(Department of Homeland Security Office Address)</i><br>{w.fill("ICE ERO Detroit, " + ICE_DETROIT)}</td></tr></table>
<p class="small">Name of Alien: {w.fill(alien.upper())} &nbsp; Date of Birth: {w.fill(f"{w.rng.randint(1, 12):02d}/{w.rng.randint(1, 28):02d}/{w.rng.randint(1965, 2004)}")}
&nbsp; Citizenship: {w.fill(w.pick(COUNTRIES))} &nbsp; Sex: {w.fill(w.pick(["M", "F"]))}</p>
<p class="small"><b>1. DHS HAS DETERMINED THAT PROBABLE CAUSE EXISTS THAT THE SUBJECT IS A REMOVABLE
ALIEN. THIS DETERMINATION IS BASED ON:</b></p>
{boxes}
<p class="small"><b>2. DHS TRANSFERRED THE ALIEN TO YOUR CUSTODY FOR A PROCEEDING OR INVESTIGATION</b>
{w.cb(False)} Upon completion of the proceeding or investigation for which the alien was transferred to
your custody, DHS intends to resume custody of the alien to complete processing and/or make an
admissibility determination.</p>
<p class="small"><b>IT IS THEREFORE REQUESTED THAT YOU:</b></p>
<ul class="small">{lis}</ul>
<p class="small">{w.cb(False)} If checked: please cancel the detainer related to this alien previously submitted to you on
__________ <i>(date)</i>.</p>
<table><tr><td style="width:50%"><div class="sigv2">{w.fill(f"{officer}, {title}")}</div>
<div class="cap">(Name and title of Immigration Officer)</div></td><td style="padding-left:10px">
<div class="sigv">{w.signature(officer, 3)}</div><div class="cap">(Signature of Immigration Officer) (Sign in ink)</div></td></tr></table>
<p class="tiny"><b>Notice:</b> If the alien may be the victim of a crime or you want the alien to remain in the United States
for a law enforcement purpose, notify the ICE Law Enforcement Support Center at (802) 872-6020. You may also
call this number if you have any other questions or concerns about this matter.</p>
<div class="ret small"><div class="rh">TO BE COMPLETED BY THE LAW ENFORCEMENT AGENCY CURRENTLY HOLDING THE ALIEN WHO IS THE SUBJECT OF THIS NOTICE:</div>
Please provide the information below, sign, and return to DHS by e-mailing or faxing a copy.<br>
Local Booking/Inmate #: ________ &nbsp; Estimated release date/time: ________ &nbsp;
Date of latest criminal charge/conviction: ________ &nbsp; Last offense charged/conviction: ________<br>
This form was served upon the alien on ________, in the following manner: {w.cb(False)} in person
{w.cb(False)} by inmate mail delivery {w.cb(False)} other (please specify): ________</div>
<div class="formfoot">{w.pick(["DHS Form I-247A (3/17)", "DHS Form I-247A (3/17)", "DHS Form I-247A (3/17) Page 1 of 3"])}</div>
{_extras(w, court=False)}
"""
    page2 = """
<div class="pg2">
<div class="title">NOTICE TO THE DETAINEE</div>
<p class="small">The Department of Homeland Security (DHS) has placed an immigration detainer on you. An
immigration detainer is a notice from DHS informing law enforcement agencies that DHS intends to
assume custody of you after you otherwise would be released from custody. DHS has requested that
the law enforcement agency which is currently detaining you maintain custody of you for a period
not to exceed 48 hours beyond the time when you would have been released. If DHS does not take you
into custody during that additional 48-hour period, you should contact your custodian.</p>
<p class="small">If you believe you are a United States citizen or the victim of a crime, please advise DHS by
calling the ICE Law Enforcement Support Center toll free at (855) 448-6903.</p>
<div class="title">AVISO A LA PERSONA DETENIDA</div>
<p class="small">El Departamento de Seguridad Nacional (DHS) ha emitido una orden de detención inmigratoria en su
contra. Mediante esta orden, se notifica a los organismos policiales que el DHS pretende arrestarlo
cuando usted cumpla su reclusión actual.</p>
<div class="formfoot">DHS Form I-247A (3/17) Page 2 of 3</div></div>"""
    return Doc(
        [body, page2],
        meta("detainer", "I-247A", f"i247a-v{v}", issued=issued, signer_title=title),
    )


# ------------------------------------------------------------------ administrative subpoenas


def administrative_subpoena(w: W) -> Doc:
    r = w.rng.random()
    if r < 0.45:
        return _i138(w)
    return _agency_subpoena(w)


def _i138(w: W) -> Doc:
    issued = w.issued()
    due = deadline(w, issued, 21)
    officer = w.person(0.4)
    title = w.pick(
        [
            "Special Agent in Charge",
            "Special Agent in Charge",
            "Assistant Special Agent in Charge",
            "Field Office Director",
            "Deputy Special Agent in Charge",
        ]
    )
    v = w.rng.randrange(4)
    records = w.pick(
        [
            "All records identifying the patron who used library card number 21184 00{c}, including "
            "name, address, date of birth, telephone number and e-mail address.",
            "Sign-in sheets and computer session logs for October 1 through November 10, 2026, and "
            "any records showing the identity of {n}.",
            "Any and all records, including registration, circulation and computer use, relating to "
            "{n}, date of birth {dob}.",
            "Surveillance video of the library entrance for November {d}, 2026.",
        ]
    ).format(
        c=w.digits(6),
        n=w.person(0).upper(),
        dob=f"{w.rng.randint(1, 12):02d}/{w.rng.randint(1, 28):02d}/{w.rng.randint(1970, 2003)}",
        d=w.rng.randint(1, 9),
    )
    command = [
        "By the service of this subpoena upon you, YOU ARE HEREBY COMMANDED AND REQUIRED to appear "
        "before {o}, an officer of the Department of Homeland Security, at {p} on {dt} to give "
        "testimony and to produce the following books, papers, records and documents:",
        "YOU ARE HEREBY COMMANDED to appear before {o}, an officer of the U.S. Department of "
        "Homeland Security, at {p} on {dt}, and to produce the following records:",
        "You are hereby commanded and required to produce the following records to {o}, an officer "
        "of the Department of Homeland Security, at {p} on or before {dt}:",
        "By service of this subpoena, YOU ARE COMMANDED to appear before {o}, Department of "
        "Homeland Security, at {p} on {dt} at 10:00 a.m., and to bring the following records:",
    ][v].format(
        o=w.person(0),
        p="HSI Detroit, 477 Michigan Ave., Suite 1850, Detroit, MI 48226",
        dt=w.d(due),
    )
    body = f"""
{
        dhs_letterhead(
            w,
            w.pick(
                ["U.S. Immigration and Customs Enforcement", "Homeland Security Investigations"]
            ),
            "Detroit, Michigan",
        )
    }
<div class="bigtitle">SUBPOENA</div>
<div class="c small">{
        w.pick(
            ["Immigration Enforcement Subpoena", "To Appear and/or Produce Records", "Duces Tecum"]
        )
    }</div>
<table class="small" style="margin-top:6px"><tr><td>In the matter of: {
        w.fill(w.pick(["Investigation DT" + w.digits(8), "Case No. DT02" + w.digits(6)]))
    }</td>
<td class="r">Subpoena No. {w.fill("ICE-HSI-DT-2026-" + w.digits(5))}</td></tr></table>
<p>To: <span class="fill">{w.pick(CUSTODIAN)}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{esc(command)}</p>
<p style="margin-left:.3in"><span class="fill">{esc(records)}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;in connection with an investigation or inquiry relating to the
enforcement of the Immigration and Nationality Act. This subpoena is issued under the authority
of section 235(d) of the Immigration and Nationality Act, 8 U.S.C. § 1225(d), and 8 C.F.R.
§ 287.4.</p>
<p class="small">&nbsp;&nbsp;&nbsp;&nbsp;Failure to comply with this subpoena may render you liable to proceedings in a
United States District Court to enforce compliance with this subpoena.</p>
<table style="margin-top:10px"><tr><td style="width:35%">Date: {w.lf(w.d(issued), "", "1.5in")}</td>
<td>{
        w.sig_block(
            officer,
            "(Signature of Issuing Officer)",
            f"{officer}, {title}",
            "(Name and Title of Issuing Officer)",
            3.6,
        )
    }</td></tr></table>
<div class="ret small"><div class="rh">CERTIFICATE OF SERVICE</div>
This subpoena was served on ________ by {w.cb(False)} personal service {
        w.cb(False)
    } certified mail {w.cb(False)} other ________
<br>By: ________________________ (Name and title)</div>
<div class="formfoot">{
        w.pick(["Form I-138 (Rev. 03/19)", "DHS Form I-138", "Form I-138 (Rev. 8/14)"])
    }</div>
{_extras(w, court=False)}
"""
    page2 = f"""
<div class="pg2">{dhs_letterhead(w, "Homeland Security Investigations")}
<div class="title">ATTACHMENT TO SUBPOENA – RECORDS REQUESTED</div>
<ol><li><span class="fill">{esc(records)}</span></li>
<li>A certificate of authenticity signed by the custodian of records.</li></ol>
<p>You may produce the records by e-mail to the agent named above in lieu of appearance.
{w.pick(["You are requested not to disclose the existence of this subpoena.", "Please contact the agent with any questions."])}</p>
<p class="small">Privacy Act Statement: Authority 8 U.S.C. § 1225(d). The information will be used
in the investigation named above.</p></div>"""
    return Doc(
        [body, page2],
        meta(
            "administrative_subpoena",
            "I-138",
            f"i138-v{v}",
            issued=issued,
            execute_by=due,
            signer_title=title,
        ),
    )


AGENCY_SUBPOENAS = [
    # (department, component, authority, title of signer, heading)
    (
        "U.S. Department of Justice",
        "Drug Enforcement Administration",
        "Section 506 of the "
        "Comprehensive Drug Abuse Prevention and Control Act of 1970 (21 U.S.C. § 876)",
        ["Special Agent in Charge", "Assistant Special Agent in Charge", "Group Supervisor"],
        "SUBPOENA",
    ),
    (
        "U.S. Department of Labor",
        "Wage and Hour Division",
        "Sections 9 and 11 of the Fair Labor "
        "Standards Act (29 U.S.C. §§ 209, 211) and 15 U.S.C. § 49",
        ["Regional Administrator", "District Director"],
        "SUBPOENA DUCES TECUM",
    ),
    (
        "U.S. Department of Health and Human Services",
        "Office of Inspector General",
        "the Inspector General Act of 1978, 5 U.S.C. § 406(a)(4)",
        ["Deputy Inspector General for Investigations", "Special Agent in Charge"],
        "ADMINISTRATIVE SUBPOENA",
    ),
    (
        "U.S. Department of Homeland Security",
        "U.S. Customs and Border Protection",
        "19 U.S.C. § 1509",
        ["Port Director", "Assistant Port Director"],
        "SUMMONS",
    ),
    (
        "U.S. Department of Education",
        "Office of Inspector General",
        "the Inspector General Act of 1978, as amended, 5 U.S.C. § 406(a)(4)",
        ["Special Agent in Charge"],
        "SUBPOENA DUCES TECUM",
    ),
]


SLUG = {
    "Drug Enforcement Administration": "dea",
    "Wage and Hour Division": "dol-whd",
    "Office of Inspector General": "oig",
    "U.S. Customs and Border Protection": "cbp",
}


def _agency_subpoena(w: W) -> Doc:
    dept, comp, authority, titles, heading = w.pick(AGENCY_SUBPOENAS)
    issued = w.issued()
    due = deadline(w, issued, 21)
    officer = w.person(0.4)
    title = w.pick(titles)
    v = w.rng.randrange(4)
    heading = w.pick([heading, "ADMINISTRATIVE SUBPOENA"]) if heading != "SUMMONS" else heading
    intro = [
        f"Issued under the authority of {authority}.",
        f"This {heading.lower()} is issued pursuant to {authority}.",
        f"By authority of {authority}:",
        f"Pursuant to {authority}, and in connection with an official investigation,",
    ][v]
    records = w.pick(
        [
            "Records identifying the user of the e-mail address or library account listed in the "
            "attachment, including name, address and telephone number.",
            "Payroll and timekeeping records for contract custodial staff, January 2025 to present.",
            "Invoices, purchase orders and payment records for vendor account no. {a}.",
            "Records of computer use by the person named in the attachment on October {d}, 2026.",
        ]
    ).format(a=w.digits(6), d=w.rng.randint(1, 31))
    seal = w.seal(comp.split()[0][:4].upper(), dept.split()[-1].upper(), 0.75)
    body = f"""
<div class="lh">{seal}<div class="agency"><div class="dept">{esc(dept)}</div><div>{esc(comp)}</div>
<div class="small">{w.pick(["Detroit Field Division", "Chicago Region", "Detroit, Michigan", "Great Lakes Region"])}</div></div></div>
<div class="bigtitle">{esc(heading)}</div>
<p class="small">{esc(intro)}</p>
<p>TO: <span class="fill">{w.pick(CUSTODIAN)}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{w.pick(["YOU ARE HEREBY REQUIRED", "YOU ARE HEREBY COMMANDED", "You are required"])} to
produce the records described below to {w.fill(w.person(0))}, {w.pick(["Special Agent", "Investigator", "Diversion Investigator"])},
at {w.fill(w.pick(["431 Howard St., Detroit, MI 48226", "477 Michigan Ave., Detroit, MI 48226", "211 W. Fort St., Detroit, MI 48226"]))}
on or before {w.fill(w.d(due))}:</p>
<p style="margin-left:.3in"><span class="fill">{esc(records)}</span></p>
<p class="small">&nbsp;&nbsp;&nbsp;&nbsp;The records are needed in an investigation being conducted by
this agency. Failure to comply may result in an action to enforce this {heading.lower()} in the
appropriate United States District Court. You may produce the records by mail in lieu of
appearing in person.</p>
<table style="margin-top:10px"><tr><td style="width:35%">Date issued: {w.lf(w.d(issued), "", "1.5in")}</td>
<td>{w.sig_block(officer, "Signature", f"{officer}, {title}", "Name and title", 3.4)}</td></tr></table>
<div class="ret small"><div class="rh">RETURN OF SERVICE</div>I certify that I served this {heading.lower()}
on ____________ by ____________________.</div>
{_extras(w, court=False)}
"""
    page2 = f"""
<div class="pg2"><div class="title">ATTACHMENT A</div>
<p>Definitions and instructions. "Records" means any written or electronic material in your
possession, custody or control. Please provide the records in electronic form where possible.</p>
<ol><li><span class="fill">{esc(records)}</span></li><li>A declaration of the custodian of records.</li></ol>
<p class="small">Issued by {esc(comp)}, {esc(dept)}.</p></div>"""
    return Doc(
        [body, page2],
        meta(
            "administrative_subpoena",
            None,
            f"agency-subpoena-{SLUG[comp]}-v{v}",
            issued=issued,
            execute_by=due,
            signer_title=title,
        ),
    )


# ------------------------------------------------------------------ national security letters


def national_security_letter(w: W) -> Doc:
    issued = w.issued()
    sac = w.person(0.5)
    v = w.rng.randrange(4)
    custodian = w.person(0)
    items = w.pick(
        [
            (
                "the name, address, length of service, and local and long distance toll billing records",
                "of the following telephone number(s) and e-mail account(s)",
            ),
            (
                "subscriber information and toll billing records information, or electronic "
                "communication transactional records",
                "for the accounts listed in the attachment",
            ),
            (
                "subscriber information and toll billing records",
                "associated with the following IP address(es) assigned by the library's network",
            ),
            (
                "the name, address and length of service (subscriber information) and toll billing "
                "records",
                "for the accounts identified below",
            ),
        ]
    )
    lead = [
        "Under the authority of Executive Order 12333, dated December 4, 1981, and pursuant to "
        "Title 18, United States Code (U.S.C.), Section 2709 (Section 201 of the Electronic "
        "Communications Privacy Act of 1986) (as amended), you are hereby directed to provide "
        "the Federal Bureau of Investigation (FBI)",
        "Pursuant to 18 U.S.C. § 2709, you are hereby directed to provide to the Federal Bureau of "
        "Investigation (FBI)",
        "In accordance with Title 18, United States Code, Section 2709, the FBI hereby requests "
        "and directs that you provide",
        "Under the authority of 18 U.S.C. § 2709 and Executive Order 12333, you are directed to "
        "furnish the Federal Bureau of Investigation",
    ][v]
    ident = "".join(
        f"<li><span class='fill'>{x}</span></li>"
        for x in w.rng.sample(
            [
                f"10.14.2.{w.rng.randint(2, 250)} (public wireless network)",
                f"{w.pick(['jsmith', 'rivera.m', 'abu.k', 'nova77'])}{w.digits(2)}@{w.pick(['gmail.com', 'outlook.com', 'proton.me'])}",
                f"(313) {w.rng.randint(200, 989)}-{w.digits(4)}",
                f"library card 21184 00{w.digits(6)}",
            ],
            k=2,
        )
    )
    body = f"""
<div class="c" style="line-height:1.3"><span style="font-size:1.05em">U.S. Department of Justice</span><br>
<span style="font-size:1.45em;font-weight:bold;font-family:'DejaVu Serif'">Federal Bureau of Investigation</span></div>
<div class="sep"></div>
<table class="small"><tr><td>In Reply, Please Refer to<br>File No. {w.fill(w.pick(["315N", "415R", "66F"]) + "-DE-" + w.digits(7))}</td>
<td class="r">{w.pick(["Detroit Field Office", "Detroit Division"])}<br>477 Michigan Avenue, 26th Floor<br>Detroit, MI 48226</td></tr></table>
<p class="r">{w.fill(w.d(issued))}</p>
<p><span class="fill">{esc(custodian)}<br>Custodian of Records<br>{LIBRARY_NAME}<br>{LIBRARY_ADDRESS}</span></p>
<p>Dear {esc(w.pick(["Custodian of Records", "Sir or Madam", custodian.split()[0] + " " + custodian.split()[-1]]))}:</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{esc(lead)} {esc(items[0])} {esc(items[1])}:</p>
<ul>{ident}</ul>
<p>&nbsp;&nbsp;&nbsp;&nbsp;In accordance with 18 U.S.C. § 2709(b), I certify that the information
sought is relevant to an authorized investigation to protect against international terrorism or
clandestine intelligence activities, and that such an investigation of a United States person is
not conducted solely on the basis of activities protected by the first amendment to the
Constitution of the United States.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;In accordance with 18 U.S.C. § 2709(c)(1), I certify that the absence of
a prohibition of disclosure under this subsection may result in a danger to the national security
of the United States, interference with a criminal, counterterrorism, or counterintelligence
investigation, or danger to the life or physical safety of any person. Accordingly, you are
prohibited from disclosing to any person, other than those to whom disclosure is necessary to
comply with this letter or an attorney to obtain legal advice, that the FBI has sought or obtained
access to information or records under 18 U.S.C. § 2709.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;You have a right to challenge this letter, and its nondisclosure
requirement, in a United States district court under 18 U.S.C. § 3511(a) and (b).
{w.pick(["Please deliver the records personally to a representative of the Detroit Field Office within 10 business days.", "The records may be provided electronically.", "Do not send the records by mail or mention the FBI on any envelope."])}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;Any questions should be directed to the Detroit Field Office at {w.phone()}.</p>
<p>Sincerely,</p>
<div style="width:3.2in">{w.signature(sac, 3)}</div>
<p style="margin-top:0"><span class="fill">{esc(sac)}</span><br>Special Agent in Charge</p>
{_extras(w, court=False)}
"""
    page2 = f"""
<div class="pg2"><div class="c"><b>ATTACHMENT</b></div>
<p>In preparing your response to this National Security Letter, you should determine whether your
organization maintains the following types of information which may be considered by you to be
subscriber information or toll billing records:</p>
<ul><li>Subscriber name and related subscriber information</li><li>Account number(s)</li>
<li>Date the account opened or closed</li><li>Physical and/or postal addresses associated with the account</li>
<li>Subscriber day/evening telephone numbers</li><li>Assigned IP address</li></ul>
<p>The FBI is not requesting, and you should not provide, the content of any communications.
Do not disclose this request. 18 U.S.C. § 2709(c).</p>
<p class="small">File No. on first page. {esc(sac)}, Special Agent in Charge.</p></div>"""
    return Doc(
        [body, page2],
        meta(
            "national_security_letter",
            None,
            f"nsl-v{v}",
            issued=issued,
            signer_title="Special Agent in Charge",
        ),
    )


# ------------------------------------------------------------------ not legal process


def other(w: W) -> Doc:
    return w.pick(
        [
            _ice_letter,
            _police_letter,
            _kyr_flyer,
            _business_card,
            _event_flyer,
            _ice_letter,
            _kyr_flyer,
            _business_card,
        ]
    )(w)


def _ice_letter(w: W) -> Doc:
    issued = w.issued()
    officer = w.person(0.3)
    title = w.pick(
        [
            "Deportation Officer",
            "Assistant Field Office Director",
            "Supervisory Detention and Deportation Officer",
            "Special Agent",
            "Community Relations Officer",
        ]
    )
    subject = w.person(0).upper()
    v = w.rng.randrange(4)
    ask = [
        "U.S. Immigration and Customs Enforcement (ICE) respectfully requests your voluntary "
        "assistance in locating the individual named below, who is believed to visit your library.",
        "ICE is seeking your voluntary cooperation with an ongoing immigration enforcement matter.",
        "This letter requests your voluntary cooperation in providing information about a library "
        "patron.",
        "We are writing to ask for your voluntary assistance. Your help is appreciated but is not "
        "required by law.",
    ][v]
    trap = w.pick(
        [
            f"An administrative warrant (Form I-200) has been issued for {subject}.",
            f"{subject} is the subject of a final order of removal issued by an immigration judge.",
            "",
            f"A Warrant for Arrest of Alien has been issued for {subject} by this office.",
        ]
    )
    body = f"""
{dhs_letterhead(w, "U.S. Immigration and Customs Enforcement", "Enforcement and Removal Operations – Detroit Field Office, " + ICE_DETROIT)}
<p class="r">{w.fill(w.d(issued))}</p>
<p>{w.pick(["Library Director", "Branch Manager", "To Whom It May Concern"])}<br>{LIBRARY_NAME}<br>{LIBRARY_ADDRESS}</p>
<p><b>Re: {w.pick(["Request for voluntary assistance", "Request for Information", "Voluntary cooperation request"])}</b></p>
<p>Dear {w.pick(["Director", "Sir or Madam", "Library Staff"])}:</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{esc(ask)} {esc(trap)}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;We would appreciate any information you can share about
{w.fill(subject)}, including library card records, computer sign-in logs, the times the person
usually visits, and any address or telephone number on file. If you prefer, an officer can meet
with you at the library.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{w.pick(["This request is voluntary and is not a subpoena or warrant.", "Your cooperation is voluntary.", "Thank you for your cooperation.", "Please treat this letter as confidential."])}
Please contact me at {w.phone()} or {officer.split()[0].lower()}.{officer.split()[-1].lower()}@ice.dhs.gov.</p>
<p>Sincerely,</p>
<div style="width:3in">{w.signature(officer, 3)}</div>
<p style="margin-top:0">{w.fill(officer)}<br>{esc(title)}</p>
{_extras(w, court=False)}
"""
    page2 = f"""
<div class="pg2">{dhs_letterhead(w, "U.S. Immigration and Customs Enforcement")}
<p><b>Subject information</b></p>
<table class="box"><tr><td style="width:35%">Name</td><td>{w.fill(subject)}</td></tr>
<tr><td>Country of birth</td><td>{w.fill(w.pick(COUNTRIES))}</td></tr>
<tr><td>Approximate age</td><td>{w.fill(str(w.rng.randint(20, 60)))}</td></tr>
<tr><td>Notes</td><td>{w.fill("May use library computers in the afternoon.")}</td></tr></table>
<p class="small">If you have any information, please call the ICE tip line at 1-866-347-2423.
This is a request for voluntary cooperation.</p></div>"""
    return Doc(
        [body, page2],
        meta("other", None, f"ice-letter-v{v}", issued=issued, signer_title=title),
    )


def _police_letter(w: W) -> Doc:
    agency, addr, tel = w.pick(POLICE)
    issued = w.issued()
    officer = w.person(0.3)
    title = w.pick(
        [
            "Detective",
            "Detective Sergeant",
            "Lieutenant",
            "Chief of Police",
            "Community Policing Officer",
        ]
    )
    v = w.rng.randrange(4)
    ask = [
        "We are investigating an incident near the library and would appreciate your voluntary "
        "cooperation in providing copies of any surveillance video from your exterior cameras.",
        "As part of an ongoing investigation we request, on a voluntary basis, the name and address "
        "associated with the library card described below.",
        "Our department requests your voluntary cooperation: please let us know the times a "
        "certain patron has used the public computers this month.",
        "We ask for your voluntary assistance in identifying a person seen at the library, shown in "
        "the attached photo.",
    ][v]
    badge = w.seal("POLICE", agency.split()[0].upper(), 0.8, "#1a1a1a")
    body = f"""
<div class="lh">{badge}<div class="agency"><div class="dept">{esc(agency)}</div>
<div class="small">{esc(addr)} &nbsp; {tel}</div></div></div>
<p class="r">{w.fill(w.d(issued))}</p>
<p>{LIBRARY_NAME}<br>Attn: {w.pick(["Director", "Circulation Supervisor", "Records"])}<br>{LIBRARY_ADDRESS}</p>
<p><b>RE: {w.pick(["Request for voluntary cooperation", "Request for information – Incident #" + w.digits(6), "Investigative request"])}</b></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{esc(ask)}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{w.pick(["If you require legal process, please let me know and we will obtain a subpoena or a warrant.", "We understand you may require a court order before releasing patron records.", "Any help would be greatly appreciated.", "This is a courtesy request."])}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;You may reach me at {w.phone()}. Thank you for your assistance.</p>
<p>Respectfully,</p>
<div style="width:3in">{w.signature(officer, 3)}</div>
<p style="margin-top:0">{w.fill(officer)}<br>{esc(title)}, Badge #{w.digits(3)}</p>
{_extras(w, court=False)}
"""
    page2 = f"""
<div class="pg2"><div class="title">Incident summary (for library staff)</div>
<p>On {esc(w.d(issued - timedelta(days=3)))} at approximately {w.t()}, officers responded to a report of a
{w.pick(["stolen bicycle", "damaged vehicle", "lost wallet", "disturbance"])} near {LIBRARY_ADDRESS}.</p>
<div style="border:1px dashed #555;height:2.4in;text-align:center;padding-top:1in">[ photo ]</div>
<p class="small">{esc(agency)} – This is a request, not a court order.</p></div>"""
    return Doc(
        [body, page2],
        meta("other", None, f"police-letter-v{v}", issued=issued, signer_title=title),
    )


KYR_EN = [
    (
        "Is it a real warrant?",
        "A <b>judicial warrant</b> is signed by a <b>judge</b> and names a "
        "court, such as “United States District Court” or a state court. An ICE "
        "<b>administrative warrant</b> (Form <b>I-200</b> or <b>I-205</b>) is signed by an "
        "immigration officer, not a judge.",
    ),
    (
        "“YOU ARE COMMANDED”",
        "Both kinds of paper say “YOU ARE COMMANDED”. "
        "Those words do not make a paper a court warrant. Look at who signed it.",
    ),
    (
        "At the library",
        "Staff may ask to see the warrant, say “I am not authorized to consent; "
        "please wait for the director,” and call the director. Do not block or lie to officers.",
    ),
    (
        "Subpoenas",
        "A subpoena asks for records by a date. It is not a search warrant. "
        "The library's lawyer decides how to respond.",
    ),
    (
        "Your rights",
        "You have the right to remain silent. You do not have to open a door without "
        "a warrant signed by a judge. Do not sign anything you do not understand.",
    ),
]


def _kyr_flyer(w: W) -> Doc:
    org = w.pick(
        [
            "Downriver Immigrant Justice Network",
            "Southwest Detroit Community Legal Clinic",
            "Michigan Library Workers for Privacy",
            "Wayne County Rapid Response Coalition",
        ]
    )
    v = w.rng.randrange(4)
    head = [
        "KNOW YOUR RIGHTS",
        "KNOW YOUR RIGHTS AT THE LIBRARY",
        "Warrant or not? Know the difference",
        "IF IMMIGRATION (ICE) COMES TO THE LIBRARY",
    ][v]
    color = w.pick(["#b3261e", "#0b5394", "#38761d", "#6b1d7a", "#111"])
    sections = w.rng.sample(KYR_EN, k=w.rng.randint(3, 5))
    sec_html = "".join(
        f"<div style='margin:8px 0;padding:6px 10px;border-left:6px solid {color}'>"
        f"<div style='font-weight:bold;font-size:1.15em'>{t}</div><div>{b}</div></div>"
        for t, b in sections
    )
    compare = ""
    if w.chance(0.6):
        compare = """
<table class="box" style="margin-top:8px"><tr><td style="width:50%;background:#eef5ee"><b>Judicial warrant ✓</b><br>
“UNITED STATES DISTRICT COURT” or “STATE OF MICHIGAN ... COURT”<br>Signed by a judge or magistrate<br>
Names the place to be searched</td><td style="background:#f8eaea"><b>ICE administrative warrant ✗</b><br>
“Department of Homeland Security”<br>Form I-200 / I-205<br>Signed by an immigration officer</td></tr></table>"""
    body = f"""
<div style="background:{color};color:white;padding:12px;text-align:center;font-family:'DejaVu Sans';
font-weight:bold;font-size:2.1em;line-height:1.1">{esc(head)}</div>
<div class="c" style="font-size:1.1em;margin:6px 0">{w.pick(["Conozca sus derechos", "Share this with your family and neighbors", "For library patrons and staff", "Información en español al reverso"])}</div>
{sec_html}
{compare}
<div class="c small" style="margin-top:12px">{esc(org)} · Hotline {w.phone()} · Not legal advice.
{w.pick(["", "Printed November 2026.", "Free to copy and share."])}</div>
"""
    page2 = f"""
<div class="pg2"><div style="background:{color};color:white;padding:12px;text-align:center;font-family:'DejaVu Sans';
font-weight:bold;font-size:2em">CONOZCA SUS DERECHOS</div>
<p>Una <b>orden judicial</b> está firmada por un <b>juez</b>. Una orden administrativa de ICE
(formulario I-200 o I-205) está firmada por un agente de inmigración, no por un juez.</p>
<p>Las dos pueden decir “YOU ARE COMMANDED” (“SE LE ORDENA”). Eso no la convierte en una orden de un
tribunal.</p><p>Usted tiene derecho a guardar silencio. No firme nada sin hablar con un abogado.</p>
<div class="c small">{esc(org)} · {w.phone()}</div></div>"""
    return Doc([body, page2], meta("other", None, f"kyr-flyer-v{v}", issued=None, signer_title=""))


def _business_card(w: W) -> Doc:
    v = w.rng.randrange(4)
    name = w.person(0.4)
    first, last = name.split()[0].lower(), name.split()[-1].lower()
    agency, unit, title, email, seal_txt = [
        (
            "U.S. Immigration and Customs Enforcement",
            "Enforcement and Removal Operations",
            w.pick(
                [
                    "Deportation Officer",
                    "Deportation Officer",
                    "Supervisory Detention and Deportation Officer",
                ]
            ),
            f"{first}.{last}@ice.dhs.gov",
            "ICE",
        ),
        (
            "U.S. Immigration and Customs Enforcement",
            "Homeland Security Investigations",
            "Special Agent",
            f"{first}.{last}@hsi.dhs.gov",
            "HSI",
        ),
        (
            "U.S. Department of Homeland Security",
            "Immigration and Customs Enforcement – ERO Detroit",
            w.pick(["Deportation Officer", "Immigration Enforcement Agent"]),
            f"{first}.{last}@ice.dhs.gov",
            "DHS",
        ),
        (
            "Federal Bureau of Investigation",
            "Detroit Field Office",
            "Special Agent",
            f"{first[0]}{last}@fbi.gov",
            "FBI",
        ),
    ][v]
    seal = w.seal(seal_txt, "", 0.62)
    card = f"""
<div style="display:flex;gap:10px;align-items:flex-start">{seal}
<div style="font-family:'DejaVu Sans';line-height:1.25"><div style="font-size:8pt;font-weight:bold">{esc(agency)}</div>
<div style="font-size:7pt">{esc(unit)}</div></div></div>
<div style="margin-top:8px;font-family:'DejaVu Sans'"><div style="font-size:12pt;font-weight:bold">{esc(name)}</div>
<div style="font-size:8pt">{esc(title)}</div></div>
<div style="margin-top:6px;font-family:'DejaVu Sans';font-size:7pt;line-height:1.3">
{esc(ICE_DETROIT if seal_txt != "FBI" else "477 Michigan Ave., Detroit, MI 48226")}<br>
Office: {w.phone()} &nbsp; Cell: {w.phone()}<br>{esc(email)}</div>"""
    back = f"""
<div style="font-family:'DejaVu Sans';font-size:8pt;padding-top:10px">
<div style="font-weight:bold">{w.pick(["Report suspicious activity", "Tip line", "Notes"])}</div>
<div>1-866-DHS-2-ICE (1-866-347-2423)</div><div>www.ice.gov/tips</div>
<div style="margin-top:12px;border-bottom:0.6px solid #555;height:14px"></div>
<div style="border-bottom:0.6px solid #555;height:14px"></div></div>"""
    css = ".cardpage { width: 3.5in; height: 2in; box-sizing: border-box; padding: 0.16in 0.2in; }"
    return Doc(
        [f"<div class='cardpage'>{card}</div>", f"<div class='pg2 cardpage'>{back}</div>"],
        meta("other", None, f"business-card-v{v}", issued=None, signer_title=title),
        css=css,
        page_css="size: 3.5in 2in; margin: 0;",
        raster_size=(3.5, 2.0),
    )


def _event_flyer(w: W) -> Doc:
    agency, addr, tel = w.pick(POLICE[:2] + POLICE[3:])
    v = w.rng.randrange(5)
    when = NOW + timedelta(days=w.rng.randint(3, 30))
    title, blurb = [
        (
            "COFFEE WITH A COP",
            "Join officers for coffee and conversation. No agenda, no speeches – just a "
            "chance to ask questions and get to know the officers in your neighborhood.",
        ),
        (
            "NATIONAL NIGHT OUT",
            "Food, music, a K-9 demonstration and a tour of a patrol car. Bring the kids!",
        ),
        ("BIKE SAFETY RODEO", "Free helmet fittings and bike checks for kids ages 5–14."),
        ("COMMUNITY SHRED DAY", "Bring up to three boxes of papers to be shredded securely, free."),
        (
            "WARRANT RESOLUTION DAY",
            "Have an old misdemeanor or traffic warrant? Resolve it without arrest "
            "with the 25th District Court. A judge will be available. No ICE present.",
        ),
    ][v]
    color = w.pick(["#0b3d91", "#1d1d1d", "#8a1c1c", "#0b5394"])
    badge = w.seal("POLICE", "", 1.1, color)
    body = f"""
<div class="c">{badge}</div>
<div class="c" style="font-family:'DejaVu Sans';font-weight:bold;color:{color};font-size:1.1em">{esc(agency.upper())}</div>
<div class="c" style="font-family:'DejaVu Sans';font-weight:bold;font-size:3em;line-height:1.05;margin:12px 0;color:{color}">{esc(title)}</div>
<div class="c" style="font-size:1.35em">{esc(blurb)}</div>
<div class="c" style="margin:18px 0;font-size:1.6em;font-weight:bold">{esc(when.strftime("%A, %B %-d"))} · {w.pick(["10 a.m. – noon", "5 – 8 p.m.", "1 – 3 p.m."])}</div>
<div class="c" style="font-size:1.3em">{w.pick([LIBRARY_NAME + " Community Room", "Ecorse Public Library parking lot", "Memorial Park, next to the library"])}<br>
{LIBRARY_ADDRESS}</div>
<div class="c small" style="margin-top:24px">Questions? Call {tel} · {esc(addr)}<br>Everyone welcome · Free</div>
"""
    page2 = f"""
<div class="pg2"><div class="c" style="font-size:2em;font-weight:bold;color:{color}">Sign-up sheet</div>
<table class="box" style="margin-top:12px"><tr><td>Name</td><td>Phone or e-mail</td><td>Number attending</td></tr>
{"".join("<tr><td>&nbsp;</td><td></td><td></td></tr>" for _ in range(14))}</table></div>"""
    return Doc(
        [body, page2], meta("other", None, f"event-flyer-v{v}", issued=None, signer_title="")
    )
