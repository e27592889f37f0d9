"""Builders for documents a court issues: warrants, subpoenas, orders, FISC orders."""

# The HTML templates keep their lines as the printed forms run them.
# ruff: noqa: E501

from __future__ import annotations

from datetime import timedelta

from bench.documents_html import (
    DISTRICTS,
    EDMI,
    LIBRARY_ADDRESS,
    LIBRARY_ITEMS,
    LIBRARY_NAME,
    LIBRARY_PLACES,
    NOW,
    OFFENSES,
    OTHER_ITEMS,
    OTHER_PLACES_ELSEWHERE,
    OTHER_PLACES_MI,
    POLICE,
    STATE_COURTS,
    Doc,
    W,
    deadline,
    esc,
    meta,
)

CUSTODIAN = [
    f"Custodian of Records, {LIBRARY_NAME}, {LIBRARY_ADDRESS}",
    f"Keeper of Records, {LIBRARY_NAME}<br>{LIBRARY_ADDRESS}",
    f"Library Director, {LIBRARY_NAME}, {LIBRARY_ADDRESS}",
    f"{LIBRARY_NAME.upper()}<br>ATTN: Records Custodian<br>4184 W. JEFFERSON AVE.<br>ECORSE, MI 48229",
]


def _magistrate(w: W) -> tuple[str, str]:
    title = w.pick(
        [
            "United States Magistrate Judge",
            "U.S. Magistrate Judge",
            "United States Magistrate Judge",
            "Chief United States Magistrate Judge",
        ]
    )
    name = w.person()
    printed = w.pick([f"Hon. {name}, {title}", f"{name}, {title}", f"{name.upper()}, {title}"])
    return name, printed, title


def _items(w: W, library: bool) -> str:
    text = w.pick(LIBRARY_ITEMS if library else OTHER_ITEMS)
    return text.replace("{card}", w.digits(6))


def _extras(w: W, court: bool = True) -> str:
    """Real-world clutter: a filing or received stamp, a fax header."""
    out = ""
    if w.chance(0.18):
        word = w.pick(["FILED", "RECEIVED", "COPY", "ENTERED"] if court else ["RECEIVED", "COPY"])
        out += w.stamp([word, w.d(NOW - timedelta(days=w.rng.randint(0, 6)), 4).upper()])
    return out


def fax_header(w: W, sender: str) -> str:
    when = NOW - timedelta(days=w.rng.randint(0, 8))
    return (
        f'<div class="tiny" style="font-family:\'DejaVu Sans Mono\';margin-bottom:4px">'
        f"{when.strftime('%b-%d-%Y').upper()} {w.rng.randint(8, 17):02d}:{w.rng.randint(0, 59):02d}"
        f"&nbsp;&nbsp;FROM:{esc(sender)}&nbsp;&nbsp;{w.phone()}&nbsp;&nbsp;TO:3133810412"
        f"&nbsp;&nbsp;P.{w.rng.randint(1, 2):03d}/00{w.rng.randint(2, 4)}</div>"
    )


# ------------------------------------------------------------------ search warrants


def search_warrant(w: W) -> Doc:
    if w.chance(0.68):
        return _ao93(w)
    return _state_search_warrant(w)


def _ao93(w: W) -> Doc:
    library = w.chance(0.65)
    if library:
        district, state, city, _court, prefix = w.pick(EDMI)
        place = w.pick(LIBRARY_PLACES)
        short = w.pick(
            [
                LIBRARY_NAME + ", " + LIBRARY_ADDRESS,
                "The Ecorse Public Library",
                "Premises at 4184 W. Jefferson Ave., Ecorse, MI",
            ]
        )
    else:
        district, state, city, _court, prefix = w.pick(DISTRICTS)
        place = (
            w.pick(OTHER_PLACES_MI)
            if state == "Michigan" and w.chance(0.8)
            else OTHER_PLACES_ELSEWHERE[state]
        )
        short = place.split(",")[0]
    telephone = w.chance(0.2)
    form = "AO 93C" if telephone else "AO 93"
    issued = w.issued()
    execute_by = deadline(w, issued, 14)
    jname, printed, title = _magistrate(w)
    anytime = w.chance(0.25)
    items = _items(w, library)
    case = f"Case No. {w.fill(f'{prefix}-mj-{w.rng.randint(30100, 30999)}')}"
    multi = w.extra.get("multi", False)

    v = w.rng.randrange(4)
    header = (
        "AO 93C (08/18) Warrant by Telephone or Other Reliable Electronic Means"
        if telephone
        else w.pick(
            [
                "AO 93 (Rev. 11/13) Search and Seizure Warrant",
                "AO 93 (Rev. 11/13) Search and Seizure Warrant",
                "AO 93 (Rev. 12/09) Search and Seizure Warrant",
            ]
        )
    )
    left = (
        "In the Matter of the Search of<br>"
        '<span class="cap" style="text-align:left">(Briefly describe the property to be searched '
        "or identify the person by name and address)</span><br>"
        f"{w.fill(short)}"
    )
    if multi:
        place_text = w.pick(
            [
                f"{esc(short)}, as more fully described in Attachment A, incorporated here by reference.",
                "See Attachment A.",
                f"The premises described in Attachment A ({esc(short)}).",
            ]
        )
        items_text = w.pick(
            [
                "See Attachment B.",
                "The items listed in Attachment B, attached.",
                "Those items described in Attachment B.",
            ]
        )
    else:
        place_text = esc(place)
        items_text = esc(items)
    app = [
        "An application by a federal law enforcement officer or an attorney for the government "
        "requests the search of the following person or property located in the",
        "A federal law enforcement officer or an attorney for the government has applied for the "
        "search of the following person or property located in the",
        "Upon the application of a federal law enforcement officer or an attorney for the "
        "government, the search is requested of the following person or property located in the",
        "An application by a federal law enforcement officer or an attorney for the government "
        "requests the search and seizure of the following person or property located in the",
    ][v]
    find = [
        "I find that the affidavit(s), or any recorded testimony, establish probable cause to "
        "search and seize the person or property described above, and that such search will "
        "reveal",
        "The affidavit(s), or any recorded testimony, establish probable cause to search and seize "
        "the person or property described above, and I find that the search will reveal",
        "I find that the sworn affidavit(s) and any recorded testimony establish probable cause "
        "to search and seize the person or property described above, and that such search will "
        "reveal",
        "Having reviewed the affidavit(s) and any recorded testimony, I find probable cause to "
        "search and seize the person or property described above, and that the search will "
        "reveal",
    ][v]
    tel = (
        "<p>Attested to by the applicant in accordance with the requirements of Fed. R. Crim. "
        f"P. 4.1 by {w.fill(w.pick(['telephone', 'reliable electronic means', 'video conference']))}.</p>"
        if telephone
        else ""
    )
    body = f"""
{fax_header(w, w.pick(["USAO EDMI", "FBI DETROIT", "HSI DETROIT"])) if w.chance(0.1) else ""}
<div class="formid">{esc(header)}</div>
{w.court_head(district, state)}
{w.ao_caption(left, case, 5)}
<div class="title">{
        "WARRANT BY TELEPHONE OR OTHER RELIABLE ELECTRONIC MEANS"
        if telephone
        else "SEARCH AND SEIZURE WARRANT"
    }</div>
<p>To:&nbsp;&nbsp;&nbsp;Any authorized law enforcement officer</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{app} {w.fill(district)} District of {w.fill(state)}
<span class="small"><i>(identify the person or describe the property to be searched and give its
location)</i></span>:</p>
<p style="margin-left:.3in"><span class="fill">{place_text}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{find} <span class="small"><i>(identify the person or describe the
property to be seized)</i></span>:</p>
<p style="margin-left:.3in"><span class="fill">{items_text}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>YOU ARE COMMANDED</b> to execute this warrant on or before
{w.lf(w.d(execute_by), "", "1.4in")} <i>(not to exceed 14 days)</i></p>
<p style="margin-left:.3in">{w.cb(not anytime)} in the daytime 6:00 a.m. to 10:00 p.m.
&nbsp;&nbsp;{w.cb(anytime)} at any time in the day or night because good cause has been
established.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;Unless delayed notice is authorized below, you must give a copy of the
warrant and a receipt for the property taken to the person from whom, or from whose premises, the
property was taken, or leave the copy and receipt at the place where the property was taken.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;The officer executing this warrant, or an officer present during the
execution of the warrant, must prepare an inventory as required by law and promptly return this
warrant and inventory to {
        w.lf(
            w.pick([jname, "the duty magistrate judge", "Hon. " + jname]),
            "(United States Magistrate Judge)",
            "2.4in",
        )
    }.</p>
<p class="small">&nbsp;&nbsp;&nbsp;&nbsp;{w.cb(False)} Pursuant to 18 U.S.C. § 3103a(b), I find
that immediate notification may have an adverse result listed in 18 U.S.C. § 2705 (except for
delay of trial), and authorize the officer executing this warrant to delay notice to the person
who, or whose property, will be searched or seized <i>(check the appropriate box)</i>
{w.cb(False)} for ____ days <i>(not to exceed 30)</i> {w.cb(False)} until, the facts justifying,
the later specific date of ________.</p>
{tel}
<table style="margin-top:8px"><tr>
<td style="width:42%;vertical-align:bottom">Date and time issued:
{w.lf(w.d(issued) + " " + w.t(), "", "2.5in")}</td>
<td>{w.sig_block(jname, "Judge's signature", "", "", 3.3)}</td></tr>
<tr><td style="vertical-align:top;padding-top:6px">City and state:
{w.lf(city, "", "1.9in")}</td>
<td><div class="sigv2" style="width:3.3in;margin-left:auto">{w.fill(printed)}</div>
<div class="cap" style="width:3.3in;margin-left:auto">Printed name and title</div></td></tr>
</table>
{_extras(w)}
"""
    page2 = _attachments(w, place, items, library, district, state)
    return Doc(
        [body, page2],
        meta(
            "judicial_search_warrant",
            form,
            f"ao93-v{v}{'-tel' if telephone else ''}",
            issued=issued,
            execute_by=execute_by,
            signer_title=title,
            place=library,
        ),
    )


def _attachments(w: W, place: str, items: str, library: bool, district: str, state: str) -> str:
    more = (
        [
            "Subscriber, session and authentication records associated with the public "
            "workstations and the wireless network, including logs of MAC and IP addresses.",
            "Any paper sign-in sheets or guest-pass logs for the same period.",
            "Images and video of the persons using workstation PC-07 during the same period.",
        ]
        if library
        else [
            "Records and documents showing who occupies or controls the premises, such as mail, "
            "leases and utility bills.",
            "Keys, safes and locked containers, and their contents.",
            "Photographs and video of the items above as they were found.",
        ]
    )
    lis = "".join(f"<li><span class='fill'>{esc(x)}</span></li>" for x in [items, *more])
    head = w.pick(["ATTACHMENT A", "Attachment A", "ATTACHMENT A"])
    return f"""
<div class="pg2">
<div class="c"><b>{head}</b></div>
<div class="c"><b>{
        w.pick(
            [
                "Property to be searched",
                "Property to Be Searched",
                "Description of the Place to Be Searched",
            ]
        )
    }</b></div>
<p>&nbsp;&nbsp;&nbsp;&nbsp;The property to be searched is <span class="fill">{esc(place)}</span>
The search includes any rooms, closets, cabinets and electronic devices within it that may hold
the items described in Attachment B.</p>
<div class="sep" style="margin-top:20px"></div>
<div class="c"><b>ATTACHMENT B</b></div>
<div class="c"><b>{
        w.pick(["Items to be seized", "Items to Be Seized", "Property to Be Seized"])
    }</b></div>
<p>&nbsp;&nbsp;&nbsp;&nbsp;All information and things that are evidence, fruits, or instruments of
violations of {
        w.pick(
            ["18 U.S.C. § 875(c)", "18 U.S.C. § 2252A", "21 U.S.C. § 841(a)(1)", "18 U.S.C. § 1343"]
        )
    }, including:</p>
<ol>{lis}</ol>
<p class="small">This warrant was issued in the {esc(district)} District of {esc(state)}.</p>
</div>
"""


def _state_search_warrant(w: W) -> Doc:
    library = w.chance(0.65)
    court, county, judge_title, court_addr, _tel = w.pick(STATE_COURTS)
    agency = w.pick(POLICE)
    place = w.pick(LIBRARY_PLACES) if library else w.pick(OTHER_PLACES_MI)
    items = _items(w, library)
    issued = w.issued()
    has_deadline = w.chance(0.55)
    execute_by = deadline(w, issued, 10) if has_deadline else None
    judge = w.person()
    signer_title = (
        w.pick([judge_title, judge_title, "Magistrate"]) if "DISTRICT" in court else judge_title
    )
    affiant = f"{w.pick(['Det.', 'Det. Sgt.', 'Officer', 'Sgt.', 'Tpr.'])} {w.person(0.2)}"
    v = w.rng.randrange(4)
    sworn = [
        f"{esc(affiant)}, of the {esc(agency[0])}, Affiant, having subscribed and sworn to an "
        "affidavit for a search warrant, and I having under oath examined Affiant, am satisfied "
        "that probable cause exists.",
        f"Affidavit having been made before me by {esc(affiant)} of the {esc(agency[0])}, and I "
        "having examined the affiant under oath, I am satisfied that there is probable cause to "
        "believe that the property described below is located at the place described below.",
        f"Upon the sworn complaint and affidavit of {esc(affiant)}, {esc(agency[0])}, I find that "
        "probable cause exists for the issuance of this warrant.",
        f"The affiant, {esc(affiant)} ({esc(agency[0])}), has sworn to the attached affidavit, "
        "and on examining the affiant under oath I find probable cause.",
    ][v]
    command = [
        "THEREFORE, IN THE NAME OF THE PEOPLE OF THE STATE OF MICHIGAN, I COMMAND THAT YOU SEARCH "
        "the following described place:",
        "THEREFORE, IN THE NAME OF THE PEOPLE OF THE STATE OF MICHIGAN, I COMMAND THAT YOU SEARCH "
        "THE FOLLOWING DESCRIBED PLACE:",
        "IN THE NAME OF THE PEOPLE OF THE STATE OF MICHIGAN, YOU ARE COMMANDED TO SEARCH the "
        "following described place:",
        "THEREFORE, in the name of the People of the State of Michigan, I command that you search "
        "the following described place:",
    ][v]
    deadline_p = (
        f"<p>This warrant shall be executed on or before {w.fill(w.d(execute_by))}, and not later "
        "than 10 days after the date of issuance.</p>"
        if execute_by
        else ""
    )
    prefix = w.pick(["Hon.", "HON.", ""])
    printed = f"{prefix} {judge}, {signer_title}".strip()
    bar = f"P{w.digits(5)}"
    body = f"""
<table><tr><td style="width:58%"><b>STATE OF MICHIGAN</b><br><b>{esc(court)}</b><br>
<span class="small">{esc(county)}</span></td>
<td class="r"><b>{w.pick(["SEARCH WARRANT", "SEARCH WARRANT"])}</b><br>
<span class="small">CASE NO.</span> {w.fill(f"26-{w.digits(5)}-SW")}<br>
<span class="small">Police agency report no.</span> {w.fill(f"{w.digits(2)}-{w.digits(6)}")}</td>
</tr></table>
<div class="sep"></div>
<div class="bigtitle">SEARCH WARRANT</div>
<p><b>TO THE SHERIFF OR ANY PEACE OFFICER OF SAID COUNTY:</b></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{sworn}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>{command}</b></p>
<p style="margin-left:.35in"><span class="fill">{esc(place)}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>AND TO SEIZE, SECURE, TABULATE AND MAKE RETURN ACCORDING TO LAW THE
FOLLOWING PROPERTY AND THINGS:</b></p>
<p style="margin-left:.35in"><span class="fill">{esc(items)}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;A copy of the affidavit {w.cb(False)} is attached {w.cb(True)} is not
attached because the court has ordered it suppressed. You must give a copy of this warrant and a
tabulation of the property taken to the person from whom it was taken or leave them at the
place searched.</p>
{deadline_p}
<table style="margin-top:10px"><tr>
<td style="width:38%;vertical-align:bottom">Issued: {w.lf(w.d(issued), "Date", "1.6in")}<br>
<span class="small">Time:</span> {w.fill(w.t())}</td>
<td>{w.sig_block(judge, "Judge/Magistrate", printed, f"Bar no. {bar}", 3.4)}</td>
</tr></table>
<div class="formfoot">{esc(court_addr)} &nbsp;&nbsp; SW (rev. {w.pick(["3/21", "8/19", "1/24"])})
&nbsp;&nbsp; Original – Court file &nbsp; 1st copy – Officer &nbsp; 2nd copy – Person served</div>
{_extras(w)}
"""
    page2 = f"""
<div class="pg2">
<div class="bigtitle">TABULATION AND RETURN</div>
<p>Search warrant case no. ____________ issued by the {esc(court.title())}.</p>
<p>The following property was seized from <span class="fill">{esc(place)}</span></p>
<table class="box"><tr><td style="width:10%">Item</td><td>Description</td><td style="width:25%">
Location found</td></tr>
{"".join("<tr><td>&nbsp;</td><td></td><td></td></tr>" for _ in range(10))}</table>
<p>I, the undersigned officer, executed this warrant on ______________ at ________ and left a
copy of the warrant and this tabulation at the place searched.</p>
{w.sig_block(affiant, "Officer", affiant + ", " + agency[0], "Name and agency", 3.4)}
</div>"""
    return Doc(
        [body, page2],
        meta(
            "judicial_search_warrant",
            None,
            f"mi-sw-v{v}",
            issued=issued,
            execute_by=execute_by,
            signer_title=signer_title,
            place=library,
        ),
    )


# ------------------------------------------------------------------ arrest warrants


def arrest_warrant(w: W) -> Doc:
    if w.chance(0.75):
        return _ao442(w)
    return _state_arrest_warrant(w)


def _ao442(w: W) -> Doc:
    district, state, city, _court, prefix = w.pick(DISTRICTS if w.chance(0.4) else EDMI)
    defendant = w.person(0.4)
    issued = w.issued()
    docs = [
        "Indictment",
        "Superseding Indictment",
        "Information",
        "Superseding Information",
        "Complaint",
        "Probation Violation Petition",
        "Supervised Release Violation Petition",
        "Violation Notice",
        "Order of the Court",
    ]
    chosen = w.pick(docs[:5] + ["Complaint", "Indictment", "Supervised Release Violation Petition"])
    if chosen in ("Indictment", "Superseding Indictment", "Information") and w.chance(0.6):
        sname = w.person()
        title = w.pick(["Deputy Clerk", "Clerk of Court", "Deputy Clerk"])
        printed = w.pick([f"{sname}, {title}", f"By: {sname}, {title}", f"{title}: {sname}"])
    else:
        sname, printed, title = _magistrate(w)
    v = w.rng.randrange(4)
    command = [
        "to arrest and bring before a United States magistrate judge without unnecessary delay",
        "to arrest and bring before a United States magistrate judge without unnecessary delay",
        "to arrest, and to bring before a United States magistrate judge without unnecessary delay,",
        "to arrest and bring before a United States magistrate judge, without unnecessary delay,",
    ][v]
    accused = [
        "who is accused of an offense or violation based on the following document filed with the "
        "court:",
        "who is accused of an offense or violation based on the following document filed with the "
        "court:",
        "who is charged with an offense or violation in the following document filed with the "
        "court:",
        "accused of an offense or violation on the following document filed with the court:",
    ][v]
    boxes = "".join(
        f'<span style="display:inline-block;width:{w.pick(["2.2in", "2.3in"])}">'
        f"{w.cb(d == chosen)}{d}</span>"
        for d in docs
    )
    offense = w.pick(OFFENSES)
    case = f"Case No. {w.fill(f'{prefix}-cr-{w.rng.randint(20000, 20999)}')}"
    left = (
        f"United States of America<br><span style='margin-left:1in'>v.</span><br>"
        f"{w.lf(defendant, '', '2.6in')}<br><span class='cap' style='width:2.6in'>Defendant</span>"
    )
    body = f"""
<div class="formid">{
        w.pick(
            [
                "AO 442 (Rev. 11/11) Arrest Warrant",
                "AO 442 (Rev. 11/11) Arrest Warrant",
                "AO 442 (Rev. 01/09) Arrest Warrant",
            ]
        )
    }</div>
{w.court_head(district, state)}
{w.ao_caption(left, case, 5)}
<div class="title">ARREST WARRANT</div>
<p>To:&nbsp;&nbsp;&nbsp;&nbsp;Any authorized law enforcement officer</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>YOU ARE COMMANDED</b> {command}<br>
<span class="small"><i>(name of person to be arrested)</i></span> {
        w.lf(defendant, "", "3.6in")
    },<br>
{accused}</p>
<p class="small" style="line-height:1.6">{boxes}</p>
<p>This offense is briefly described as follows:</p>
<p style="margin-left:.3in"><span class="fill">{esc(offense)}</span></p>
<table style="margin-top:18px"><tr>
<td style="width:40%;vertical-align:bottom">Date: {w.lf(w.d(issued), "", "1.7in")}</td>
<td>{w.sig_block(sname, "Issuing officer's signature", "", "", 3.3)}</td></tr>
<tr><td style="padding-top:6px">City and state: {w.lf(city, "", "1.9in")}</td>
<td><div class="sigv2" style="width:3.3in;margin-left:auto">{w.fill(printed)}</div>
<div class="cap" style="width:3.3in;margin-left:auto">Printed name and title</div></td></tr></table>
<div class="ret"><div class="rh">Return</div>
<p>&nbsp;&nbsp;&nbsp;&nbsp;This warrant was received on <i>(date)</i> ____________, and the person
was arrested on <i>(date)</i> ____________<br>at <i>(city and state)</i> ______________________.</p>
<table><tr><td style="width:40%">Date: ____________</td><td>
<div class="sigv2" style="width:3.2in;margin-left:auto">&nbsp;</div>
<div class="cap" style="width:3.2in;margin-left:auto">Arresting officer's signature</div>
<div class="sigv2" style="width:3.2in;margin-left:auto;margin-top:6px">&nbsp;</div>
<div class="cap" style="width:3.2in;margin-left:auto">Printed name and title</div></td></tr></table>
</div>
{_extras(w)}
"""
    dob = f"{w.rng.randint(1, 12):02d}/{w.rng.randint(1, 28):02d}/{w.rng.randint(1960, 2004)}"
    rows = [
        ("Name of defendant/offender", defendant),
        ("Known aliases", w.pick(["None known", w.person(0)])),
        ("Last known residence", w.pick(OTHER_PLACES_MI[1:3]).rstrip(".")),
        ("Prior addresses to which defendant/offender may still have ties", "Unknown"),
        ("Last known employment", w.pick(["Unknown", "Auto parts warehouse, Romulus, MI"])),
        ("Last known telephone numbers", w.phone()),
        ("Date of birth", dob),
        ("Social Security number", f"XXX-XX-{w.digits(4)}"),
        ("Height / Weight", f"5'{w.rng.randint(2, 11)}\" / {w.rng.randint(120, 240)} lbs"),
        ("Sex / Race", w.pick(["M", "F"]) + " / " + w.pick(["W", "B", "H", "A", "O"])),
        ("Hair / Eyes", w.pick(["BLK", "BRO", "GRY"]) + " / " + w.pick(["BRO", "BLU", "HAZ"])),
        ("Scars, tattoos, other distinguishing marks", w.pick(["None", "Tattoo left forearm"])),
        ("History of violence, weapons, drug use", "Unknown"),
        ("FBI number", w.digits(7) + w.pick(["AB", "CD", "KL"]) + w.digits(1)),
        ("Investigative agency and address", w.pick(["FBI", "ATF", "HSI"]) + " Detroit"),
    ]
    trs = "".join(
        f"<tr><td style='width:45%'>{esc(k)}:</td><td>{w.fill(v)}</td></tr>" for k, v in rows
    )
    page2 = f"""
<div class="pg2">
<div class="formid">AO 442 (Rev. 11/11) Arrest Warrant (Page 2)</div>
<div class="title">This second page contains personal identifiers provided for law-enforcement use
only and therefore should not be filed in court with the executed warrant unless under seal.</div>
<div class="c"><i>(Not for Public Disclosure)</i></div>
<table class="box" style="margin-top:8px">{trs}</table>
<p>Date of last contact, pretrial services or probation officer <i>(if applicable)</i>: ________</p>
</div>"""
    return Doc(
        [body, page2],
        meta("judicial_arrest_warrant", "AO 442", f"ao442-v{v}", issued=issued, signer_title=title),
    )


def _state_arrest_warrant(w: W) -> Doc:
    court, county, judge_title, court_addr, tel = w.pick(STATE_COURTS[1:])
    defendant = w.person(0.4)
    issued = w.issued()
    judge = w.person()
    signer_title = w.pick([judge_title, "Magistrate", judge_title])
    v = w.rng.randrange(4)
    kind = w.pick(["FELONY", "MISDEMEANOR"])
    offense = w.pick(
        [
            "UNLAWFUL DRIVING AWAY AN AUTOMOBILE, MCL 750.413",
            "HOME INVASION - 2ND DEGREE, MCL 750.110a(3)",
            "RETAIL FRAUD - 1ST DEGREE, MCL 750.356c",
            "ASSAULT WITH A DANGEROUS WEAPON (FELONIOUS ASSAULT), MCL 750.82",
            "MALICIOUS DESTRUCTION OF PROPERTY $1,000-$20,000, MCL 750.377a(1)(b)(i)",
        ]
    )
    command = [
        "THEREFORE, IN THE NAME OF THE PEOPLE OF THE STATE OF MICHIGAN, I ORDER YOU TO ARREST AND "
        "BRING THE DEFENDANT BEFORE THE COURT WITHOUT UNNECESSARY DELAY.",
        "IN THE NAME OF THE PEOPLE OF THE STATE OF MICHIGAN, you are ordered to arrest the "
        "defendant and bring the defendant before this court immediately.",
        "THEREFORE, IN THE NAME OF THE PEOPLE OF THE STATE OF MICHIGAN, YOU ARE COMMANDED TO "
        "ARREST THE DEFENDANT AND BRING HIM OR HER FORTHWITH BEFORE THE COURT.",
        "Therefore, in the name of the People of the State of Michigan, I order you to arrest the "
        "defendant and bring the defendant before the court without unnecessary delay.",
    ][v]
    body = f"""
<table><tr><td style="width:55%"><b>STATE OF MICHIGAN</b><br><b>{esc(court)}</b><br>
<span class="small">{esc(county)}</span></td>
<td class="r"><b>WARRANT<br>{kind}</b><br><span class="small">CASE NO.</span>
{w.fill(f"26-{w.digits(5)}-F{kind[0]}")}</td></tr></table>
<div class="sep"></div>
<table class="box small"><tr><td style="width:50%">THE PEOPLE OF THE STATE OF MICHIGAN<br>v.<br>
{w.fill(defendant.upper())}</td><td>Court address: {esc(court_addr)}<br>Court telephone no.: {tel}<br>
Police agency report no.: {w.fill(w.digits(2) + "-" + w.digits(6))}<br>
Date of birth: {w.fill(f"{w.rng.randint(1, 12):02d}/{w.rng.randint(1, 28):02d}/{w.rng.randint(1965, 2004)}")}</td></tr>
</table>
<p><b>TO ANY PEACE OFFICER OR COURT OFFICER AUTHORIZED TO MAKE ARREST:</b></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;The complaint in this matter has been filed with this court stating that
on or about {w.fill(w.d(issued - timedelta(days=w.rng.randint(5, 60))))}, at
{w.fill(w.pick(["Ecorse", "Lincoln Park", "River Rouge", "Melvindale", "Wyandotte"]))},
County of Wayne, Michigan, the defendant, contrary to law, committed the following offense:</p>
<p style="margin-left:.35in"><span class="fill">{esc(offense)}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;Upon examination of the complaining witness, I find that the offense
charged was committed and that there is probable cause to believe that the defendant committed
it.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>{command}</b></p>
<p>Bond: {w.fill(w.pick(["$10,000 cash/surety", "No bond set", "$2,500 10%", "Personal recognizance"]))}</p>
<table style="margin-top:12px"><tr><td style="width:38%;vertical-align:bottom">
{w.lf(w.d(issued), "Date", "1.6in")}</td>
<td>{w.sig_block(judge, "Judge/Magistrate", f"{judge}, {signer_title}", "Bar no. P" + w.digits(5), 3.4)}</td>
</tr></table>
<div class="formfoot">Warrant ({kind.lower()}) &nbsp; Distribution: Court, Police, Prosecutor</div>
{_extras(w)}
"""
    page2 = f"""
<div class="pg2"><div class="bigtitle">RETURN</div>
<p>I arrested the defendant on ______________ at ______________ and brought the defendant before
the {esc(court.title())}.</p>
<div style="margin-top:30px">{w.sig_block("", "Officer signature", "", "Name, agency and badge no.", 3.4)}</div>
<p class="small">Description of defendant: Sex {w.pick(["M", "F"])}; Height ____; Weight ____;
Hair ____; Eyes ____. Vehicle: ________________.</p></div>"""
    return Doc(
        [body, page2],
        meta(
            "judicial_arrest_warrant",
            None,
            f"mi-warrant-v{v}",
            issued=issued,
            signer_title=signer_title,
        ),
    )


# ------------------------------------------------------------------ subpoenas


def judicial_subpoena(w: W) -> Doc:
    r = w.rng.random()
    if r < 0.45:
        return _ao88b(w)
    if r < 0.7:
        return _ao89b(w)
    return _mc11(w)


def _attorney(w: W) -> tuple[str, str]:
    name = w.person()
    firm = w.pick(
        [
            "Kessler & Rowe PLLC",
            "Haddad Law Group",
            "Martinez Brennan LLP",
            "Okafor Legal, P.C.",
            "Great Lakes Legal Aid",
        ]
    )
    addr = w.pick(
        [
            "500 Griswold St., Suite 2400, Detroit, MI 48226",
            "30 E. Long Lake Rd., Bloomfield Hills, MI 48304",
            "1 Kennedy Square, Detroit, MI 48226",
        ]
    )
    email = f"{name.split()[0].lower()}.{name.split()[-1].lower()}@example-law.com"
    return name, f"{name} (P{w.digits(5)}), {firm}, {addr}, {email}, {w.phone()}"


def _ao88b(w: W) -> Doc:
    district, state, city, _court, prefix = w.pick(EDMI if w.chance(0.7) else DISTRICTS)
    plaintiff = w.pick([w.person(0), "Downriver Tenants Union", "Great Lakes Mutual Insurance Co."])
    defendant = w.pick([w.person(0), "City of Ecorse, et al.", "Riverside Property Mgmt., LLC"])
    issued = w.issued()
    due = deadline(w, issued, 21)
    clerk_signs = w.chance(0.45)
    attorney, attorney_line = _attorney(w)
    party = w.pick([plaintiff, defendant])
    if clerk_signs:
        sname = w.person()
        signer_title = w.pick(["Clerk of Court", "Deputy Clerk"])
    else:
        sname = attorney
        signer_title = "Attorney"
    v = w.rng.randrange(4)
    produce = [
        "<b>YOU ARE COMMANDED</b> to produce at the time, date, and place set forth below the "
        "following documents, electronically stored information, or objects, and to permit "
        "inspection, copying, testing, or sampling of the material:",
        "<b>YOU ARE COMMANDED</b> to produce at the time, date and place set forth below the "
        "following documents, electronically stored information, or objects, and to permit their "
        "inspection, copying, testing, or sampling:",
        "<b>YOU ARE COMMANDED</b> to produce, at the time, date, and place set forth below, the "
        "following documents, electronically stored information, or objects, and to permit "
        "inspection, copying, testing, or sampling of the material:",
        "<b>YOU ARE COMMANDED</b> to produce at the time, date, and place below the following "
        "documents, electronically stored information, or objects, and to allow inspection, "
        "copying, testing, or sampling of the material:",
    ][v]
    items = w.pick(
        [
            "Meeting-room reservation records and sign-in sheets for the Community Room for "
            "September 1 through October 31, 2026.",
            "Any incident reports, e-mails and video recordings concerning the fall of a visitor on the "
            "library's front steps on August 14, 2026.",
            "Records sufficient to identify the persons who used public computer PC-04 on "
            "October 2, 2026 between 2:00 p.m. and 4:00 p.m.",
            "Employment and payroll records of " + w.person(0) + " for 2024 through 2026.",
        ]
    )
    left = (
        f"{w.lf(plaintiff, '', '2.6in')}<br><span class='cap' style='width:2.6in'>Plaintiff</span>"
        f"<span style='margin-left:1in'>v.</span><br>{w.lf(defendant, '', '2.6in')}<br>"
        f"<span class='cap' style='width:2.6in'>Defendant</span>"
    )
    case = f"Civil Action No. {w.fill(f'{prefix}-cv-{w.rng.randint(10000, 13999)}')}"
    sig_left = f"<b>CLERK OF COURT</b><br>{w.sig_block(sname, 'Signature of Clerk or Deputy Clerk', '', '', 2.6, 'left')}"
    sig_right = w.sig_block(attorney, "Attorney's signature", "", "", 2.6, "left")
    if clerk_signs:
        sig_right = f"<div style='opacity:.9'>OR<br>{'<br>' * 2}<div class='sigv2' style='width:2.6in'>&nbsp;</div><div class='cap' style='width:2.6in'>Attorney's signature</div></div>"
    else:
        sig_left = (
            "<b>CLERK OF COURT</b><br><div class='sigv' style='width:2.6in'></div>"
            "<div class='cap' style='width:2.6in'>Signature of Clerk or Deputy Clerk</div>"
        )
        sig_right = "OR" + sig_right
    body = f"""
<div class="formid">AO 88B (Rev. 02/14) Subpoena to Produce Documents, Information, or Objects or to
Permit Inspection of Premises in a Civil Action</div>
{w.court_head(district, state)}
{w.ao_caption(left, case, 6)}
<div class="title" style="font-size:1.05em">SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION, OR OBJECTS<br>
OR TO PERMIT INSPECTION OF PREMISES IN A CIVIL ACTION</div>
<p>To: <span class="fill">{w.pick(CUSTODIAN)}</span></p>
<div class="cap">(Name of person to whom this subpoena is directed)</div>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{w.cb(True)}<b><i>Production:</i></b> {produce}</p>
<p style="margin-left:.3in"><span class="fill">{esc(items)}</span></p>
<table class="box"><tr><td style="width:62%">Place: <span class="fill">{esc(attorney_line.split(", ", 2)[-1].rsplit(", ", 2)[0])}</span></td>
<td>Date and Time:<br>{w.fill(w.d(due) + " " + w.pick(["10:00 a.m.", "9:00 a.m.", "2:00 p.m."]))}</td></tr></table>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{w.cb(False)}<b><i>Inspection of Premises:</i></b> <b>YOU ARE COMMANDED</b>
to permit entry onto the designated premises, land, or other property possessed or controlled by
you at the time, date, and location set forth below, so that the requesting party may inspect,
measure, survey, photograph, test, or sample the property or any designated object or operation
on it.</p>
<p class="small">&nbsp;&nbsp;&nbsp;&nbsp;The following provisions of Fed. R. Civ. P. 45 are attached
– Rule 45(c), relating to the place of compliance; Rule 45(d), relating to your protection as a
person subject to a subpoena; and Rule 45(e) and (g), relating to your duty to respond to this
subpoena and the potential consequences of not doing so.</p>
<p>Date: {w.lf(w.d(issued), "", "1.5in")}</p>
<table><tr><td style="width:50%">{sig_left}</td><td>{sig_right}</td></tr></table>
<p class="small">The name, address, e-mail address, and telephone number of the attorney representing
<i>(name of party)</i> {w.fill(party)}, who issues or requests this subpoena, are:
<span class="fill">{esc(attorney_line)}</span></p>
<p class="tiny"><b>Notice to the person who issues or requests this subpoena</b><br>If this subpoena
commands the production of documents, electronically stored information, or tangible things or the
inspection of premises before trial, a notice and a copy of the subpoena must be served on each
party in this case before it is served on the person to whom it is directed. Fed. R. Civ. P.
45(a)(4).</p>
{_extras(w)}
"""
    page2 = _proof_of_service(w, "AO 88B (Rev. 02/14)", case)
    return Doc(
        [body, page2],
        meta(
            "judicial_subpoena",
            "AO 88B",
            f"ao88b-v{v}-{'clerk' if clerk_signs else 'attorney'}",
            issued=issued,
            execute_by=due,
            signer_title=signer_title,
        ),
    )


def _proof_of_service(w: W, formid: str, case: str) -> str:
    return f"""
<div class="pg2">
<div class="formid">{esc(formid)} (Page 2)</div>
<p>{case}</p>
<div class="title">PROOF OF SERVICE</div>
<div class="c small"><i>(This section should not be filed with the court unless required by
Fed. R. Civ. P. 45.)</i></div>
<p>I received this subpoena for <i>(name of individual and title, if any)</i> ________________ on
<i>(date)</i> ____________.</p>
<p>{w.cb(False)} I served the subpoena by delivering a copy to the named person as follows:
________________________________ on <i>(date)</i> ________ ; or</p>
<p>{w.cb(False)} I returned the subpoena unexecuted because: ______________________________</p>
<p>My fees are $ ______ for travel and $ ______ for services, for a total of $ 0.00.</p>
<p>I declare under penalty of perjury that this information is true.</p>
<table><tr><td>Date: ____________</td><td>
<div class="sigv2" style="width:3in;margin-left:auto">&nbsp;</div>
<div class="cap" style="width:3in;margin-left:auto">Server's signature</div>
<div class="sigv2" style="width:3in;margin-left:auto;margin-top:8px">&nbsp;</div>
<div class="cap" style="width:3in;margin-left:auto">Printed name and title</div></td></tr></table>
<div class="sep" style="margin-top:14px"></div>
<p class="tiny"><b>Federal Rule of Civil Procedure 45 (c), (d), (e), and (g) (Effective 12/1/13)</b>
<br>(c) Place of Compliance. (1) For a Trial, Hearing, or Deposition. A subpoena may command a
person to attend a trial, hearing, or deposition only as follows: (A) within 100 miles of where
the person resides, is employed, or regularly transacts business in person ... (d) Protecting a
Person Subject to a Subpoena; Enforcement. (1) Avoiding Undue Burden or Expense; Sanctions. A
party or attorney responsible for issuing and serving a subpoena must take reasonable steps to
avoid imposing undue burden or expense on a person subject to the subpoena ... (e) Duties in
Responding to a Subpoena ... (g) Contempt. The court for the district where compliance is required
may hold in contempt a person who, having been served, fails without adequate excuse to obey the
subpoena or an order related to it.</p>
</div>"""


def _ao89b(w: W) -> Doc:
    district, state, city, court_addr, prefix = w.pick(EDMI)
    defendant = w.person(0.4)
    issued = w.issued()
    due = deadline(w, issued, 21)
    sname = w.person()
    signer_title = w.pick(["Clerk of Court", "Deputy Clerk"])
    v = w.rng.randrange(4)
    requester = w.pick(
        [
            "Assistant United States Attorney",
            "Federal Community Defender",
            "CJA counsel for the defendant",
        ]
    )
    items = w.pick(
        [
            "Records of computer sessions on workstation PC-02 on October 20, 2026, and any sign-in "
            "sheet for that day.",
            "Video recordings from the library's front-entrance camera for November 2, 2026, "
            "9:00 a.m. to noon.",
            "Any records showing the library card number, name and address of the patron who reserved "
            "the Study Room B on October 28, 2026.",
            "Incident report no. 2026-114 and any related e-mail.",
        ]
    )
    produce = [
        "<b>YOU ARE COMMANDED</b> to produce at the time, date, and place set forth below the "
        "following books, papers, documents, data, or other objects:",
        "<b>YOU ARE COMMANDED</b> to produce at the time, date and place shown below the following "
        "books, papers, documents, data, or other objects:",
        "<b>YOU ARE COMMANDED</b> to produce, at the time, date, and place below, these books, "
        "papers, documents, data, or objects:",
        "<b>YOU ARE COMMANDED</b> to produce the following books, papers, documents, data, or other "
        "objects at the time, date, and place set forth below:",
    ][v]
    left = (
        f"United States of America<br><span style='margin-left:1in'>v.</span><br>"
        f"{w.lf(defendant, '', '2.6in')}<br><span class='cap' style='width:2.6in'>Defendant</span>"
    )
    case = f"Case No. {w.fill(f'{prefix}-cr-{w.rng.randint(20000, 20999)}')}"
    body = f"""
<div class="formid">AO 89B (07/16) Subpoena to Produce Documents, Information, or Objects in a Criminal
Case</div>
{w.court_head(district, state)}
{w.ao_caption(left, case, 5)}
<div class="title" style="font-size:1.05em">SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION,<br>
OR OBJECTS IN A CRIMINAL CASE</div>
<p>To: <span class="fill">{w.pick(CUSTODIAN)}</span></p>
<div class="cap">(Name of person to whom this subpoena is directed)</div>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{produce}</p>
<p style="margin-left:.3in"><span class="fill">{esc(items)}</span></p>
<table class="box"><tr><td style="width:62%">Place: <span class="fill">{esc(court_addr)}</span></td>
<td>Date and Time:<br>{w.fill(w.d(due) + " 9:00 a.m.")}</td></tr></table>
<p>&nbsp;&nbsp;&nbsp;&nbsp;Certain provisions of Fed. R. Crim. P. 17 are attached, including Rule
17(c)(2), relating to your ability to file a motion to quash or modify the subpoena; Rule 17(d)
and (e), which govern service of subpoenas; and Rule 17(g), relating to your duty to respond to
this subpoena and the potential consequences of not doing so.</p>
<p>(SEAL)</p>
<table><tr><td style="width:40%">Date: {w.lf(w.d(issued), "", "1.5in")}</td>
<td><i>CLERK OF COURT</i>{w.sig_block(sname, "Signature of Clerk or Deputy Clerk", f"{sname}, {signer_title}", "", 3.0)}</td></tr></table>
<p class="small">The name, address, e-mail, and telephone number of the attorney representing
<i>(name of party)</i> {w.fill(w.pick(["United States of America", defendant]))}, who requests this
subpoena, are: <span class="fill">{esc(w.person())}, {esc(requester)}, 211 W. Fort St., Suite 2001,
Detroit, MI 48226, {w.phone()}</span></p>
{_extras(w)}
"""
    page2 = _proof_of_service(w, "AO 89B (07/16)", case).replace(
        "Fed. R. Civ. P. 45", "Fed. R. Crim. P. 17"
    )
    return Doc(
        [body, page2],
        meta(
            "judicial_subpoena",
            "AO 89B",
            f"ao89b-v{v}",
            issued=issued,
            execute_by=due,
            signer_title=signer_title,
        ),
    )


def _mc11(w: W) -> Doc:
    court, county, _judge_title, court_addr, tel = w.pick(STATE_COURTS)
    issued = w.issued()
    due = deadline(w, issued, 21)
    v = w.rng.randrange(4)
    plaintiff = w.pick(["PEOPLE OF THE STATE OF MICHIGAN", w.person(0).upper()])
    defendant = w.person(0).upper()
    who = w.rng.random()
    if who < 0.4:
        signer, signer_title = w.person(), w.pick(["Deputy Court Clerk", "Court Clerk"])
    elif who < 0.7:
        signer, signer_title = w.person(), w.pick(["Attorney", "Assistant Prosecuting Attorney"])
    else:
        signer, signer_title = w.person(), w.pick(["District Judge", "Circuit Judge"])
    items = w.pick(
        [
            "Surveillance video of the library lobby and parking lot for October 30, 2026, "
            "3:00 p.m. to 6:00 p.m.",
            "Sign-in sheets and reservation records for the public computers for October 2026.",
            "Incident reports concerning the disturbance at the library on November 1, 2026.",
            "Records of the library card issued to "
            + w.person(0)
            + ", including the address on file.",
        ]
    )
    order = [
        "YOU ARE ORDERED:",
        "IN THE NAME OF THE PEOPLE OF THE STATE OF MICHIGAN. YOU ARE ORDERED:",
        "In the name of the People of the State of Michigan, you are ordered:",
        "YOU ARE COMMANDED:",
    ][v]
    body = f"""
<table class="box small"><tr><td style="width:30%">Approved, SCAO</td><td class="c">Original - Court<br>
1st copy - Witness</td><td class="c">2nd copy - File<br>3rd copy - Extra</td></tr></table>
<table style="margin-top:6px"><tr><td style="width:62%"><b>STATE OF MICHIGAN</b><br>
<b>{esc(court)}</b><br><span class="small">{esc(county)}</span></td>
<td class="r"><b style="font-size:1.3em">SUBPOENA</b><br>Order to Appear and/or Produce<br>
<span class="small">CASE NO.</span> {w.fill(f"26-{w.digits(6)}-" + w.pick(["FH", "FY", "GC", "CZ"]))}</td>
</tr></table>
<p class="small">Court address: {esc(court_addr)} &nbsp; Court telephone no.: {tel}<br>
Police Report No. (if applicable): {w.fill(w.digits(2) + "-" + w.digits(6))}</p>
<table class="box small"><tr><td style="width:50%">Plaintiff(s)/Petitioner(s)<br>{w.fill(plaintiff)}</td>
<td>Defendant(s)/Respondent(s)<br>{w.fill(defendant)}</td></tr></table>
<p>In the Name of the People of the State of Michigan. TO: <span class="fill">{w.pick(CUSTODIAN)}</span></p>
<p class="small">If you require special accommodations to use the court because of a disability or if
you require a foreign language interpreter to help you fully participate in court proceedings,
please contact the court immediately to make arrangements.</p>
<p><b>{order}</b></p>
<p>{w.cb(False)} 1. Appear personally at the time and place stated below: You may be required to
appear from time to time and day to day until excused.</p>
<p>{w.cb(True)} 2. Produce/permit inspection or copying of the following items:
<span class="fill">{esc(items)}</span></p>
<p>{w.cb(False)} 3. Testify as to your assets, and bring with you the items listed in line 2
above.</p>
<p>Place: {w.fill(court_addr)} &nbsp;&nbsp; Date: {w.fill(w.d(due))} &nbsp;&nbsp; Time:
{w.fill(w.pick(["9:00 a.m.", "1:30 p.m.", "8:30 a.m."]))}</p>
<p class="small">Person requesting subpoena: {w.fill(w.person())} &nbsp; Telephone no.: {w.phone()}</p>
<p><b>NOTE: If you are requesting a debtor's examination under MCR 2.621(F), or an injunction under
item 4, this subpoena must be issued by a judge.</b> FAILURE TO OBEY THE COMMANDS OF THE SUBPOENA OR
APPEAR AT THE STATED TIME AND PLACE MAY SUBJECT YOU TO PENALTY FOR CONTEMPT OF COURT.</p>
<table><tr><td style="width:40%">{w.lf(w.d(issued), "Date", "1.5in")}</td>
<td>{w.sig_block(signer, "Judge/Clerk/Attorney", f"{signer}, {signer_title}", "", 3.2)}</td></tr></table>
<div class="formfoot">MC 11 (9/21) SUBPOENA, Order to Appear and/or Produce &nbsp;&nbsp;
MCL 600.1455, MCL 600.1701, MCR 2.305, MCR 2.506</div>
{_extras(w)}
"""
    page2 = f"""
<div class="pg2"><div class="title">PROOF OF SERVICE</div>
<p>Case no. ____________ &nbsp; SUBPOENA</p>
<p>TO PROCESS SERVER: You must make and file your return with the court clerk. If you are unable to
complete service you must return this original and all copies to the court clerk.</p>
<p>{w.cb(False)} OFFICER CERTIFICATE &nbsp; OR &nbsp; {w.cb(False)} AFFIDAVIT OF PROCESS SERVER</p>
<p>I served {w.cb(False)} personally {w.cb(False)} by registered or certified mail, return receipt
requested, a copy of the subpoena, together with ______________ on:</p>
<table class="box"><tr><td>Name(s)</td><td>Complete address(es) of service</td><td>Day, date,
time</td></tr><tr><td>&nbsp;</td><td></td><td></td></tr><tr><td>&nbsp;</td><td></td><td></td></tr></table>
<div style="margin-top:24px">{w.sig_block("", "Signature", "", "Name (type or print)", 3)}</div>
<p class="small">ACKNOWLEDGMENT OF SERVICE: I acknowledge that I have received service of the
subpoena and required fees, if any, together with ______________ on ________________.</p></div>"""
    return Doc(
        [body, page2],
        meta(
            "judicial_subpoena",
            "MC 11",
            f"mc11-v{v}",
            issued=issued,
            execute_by=due,
            signer_title=signer_title,
        ),
    )


def grand_jury_subpoena(w: W) -> Doc:
    district, state, city, court_addr, prefix = w.pick(EDMI if w.chance(0.7) else DISTRICTS)
    issued = w.issued()
    due = deadline(w, issued, 28)
    sname = w.person()
    signer_title = w.pick(["Clerk of Court", "Deputy Clerk", "Deputy Clerk"])
    v = w.rng.randrange(5)
    appear = [
        "<b>YOU ARE COMMANDED</b> to appear in this United States district court at the time, "
        "date, and place shown below to testify before the court's grand jury. When you arrive, "
        "you must remain at the court until the judge or a court officer allows you to leave.",
        "<b>YOU ARE COMMANDED</b> to appear in this United States district court at the time, date, "
        "and place shown below to testify before the court's grand jury. When you arrive, you must "
        "stay at the court until the judge or a court officer allows you to leave.",
        "<b>YOU ARE COMMANDED</b> to appear in this United States district court at the time, date "
        "and place shown below to testify before the court's grand jury. On arrival you must remain "
        "at the court until the judge or a court officer excuses you.",
        "<b>YOU ARE COMMANDED</b> to appear in this United States district court at the time, "
        "date, and place shown below to testify before the court's grand jury. You must remain at "
        "the court until the judge or a court officer allows you to leave.",
        "<b>YOU ARE COMMANDED</b> to appear in this United States district court at the time, date, "
        "and place shown below to testify before the court's grand jury.",
    ][v]
    docs = w.pick(
        [
            "All records identifying the user or users of the library's public wireless network "
            "assigned IP address 10.14.2.{n} between October 12 and October 15, 2026.",
            "Library card registration records, including name, address, telephone number and e-mail "
            "address, for card number 21184 00{card}.",
            "Computer session logs and reservation records for workstation PC-{pc} for October 2026.",
            "Video recordings of the main entrance for October 27, 2026, from 4:00 p.m. to 8:00 p.m.",
            "",
        ]
    ).format(n=w.rng.randint(2, 250), card=w.digits(6), pc=f"{w.rng.randint(1, 12):02d}")
    gj = w.pick(["Grand Jury 26-1", "Grand Jury 25-2", "Special Grand Jury 26-3"])
    ausa = w.person()
    in_lieu = ""
    if docs and w.chance(0.4):
        in_lieu = (
            "<p class='small'>In lieu of appearing, you may comply with this subpoena by "
            "delivering the records listed above to the agent named below on or before the date "
            "shown, with a completed certificate of authenticity.</p>"
        )
    nondisclosure = ""
    if w.chance(0.3):
        nondisclosure = (
            "<p class='small'><i>You are requested not to disclose the existence of this subpoena, "
            "because disclosure could impede the investigation. This request is not an order and "
            "does not prohibit you from consulting an attorney.</i></p>"
        )
    body = f"""
<div class="formid">{
        w.pick(
            [
                "AO 110 (Rev. 06/09) Subpoena to Testify Before a Grand Jury",
                "AO 110 (Rev. 06/09) Subpoena to Testify Before a Grand Jury",
                "AO 110 (Rev. 06/09) Subpoena to Testify Before a Grand Jury (modified)",
            ]
        )
    }</div>
{w.court_head(district, state)}
<div class="title">SUBPOENA TO TESTIFY BEFORE A GRAND JURY</div>
<p>To: <span class="fill">{w.pick(CUSTODIAN)}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{appear}</p>
<table class="box"><tr><td style="width:55%">Place: <span class="fill">{esc(court_addr)}</span></td>
<td>Date and Time:<br>{w.fill(w.d(due) + " 9:00 a.m.")}</td></tr>
<tr><td>Grand jury: <span class="fill">{gj}</span></td><td>Courtroom no.: {
        w.fill(str(w.rng.randint(100, 899)))
    }</td></tr></table>
<p>&nbsp;&nbsp;&nbsp;&nbsp;You must also bring with you the following documents, electronically stored
information, or objects <i>(blank if not applicable)</i>:</p>
<p style="margin-left:.3in;min-height:1.3em"><span class="fill">{esc(docs)}</span></p>
{in_lieu}
<table style="margin-top:8px"><tr><td style="width:40%">Date: {w.lf(w.d(issued), "", "1.5in")}</td>
<td><i>CLERK OF COURT</i>{
        w.sig_block(
            sname, "Signature of Clerk or Deputy Clerk", f"{sname}, {signer_title}", "", 3.0
        )
    }</td></tr></table>
<p class="small">The name, address, e-mail, and telephone number of the United States attorney, or
assistant United States attorney, who requests this subpoena, are:<br>
<span class="fill">{esc(ausa)}, Assistant United States Attorney, 211 W. Fort Street, Suite 2001,
Detroit, MI 48226, {esc(ausa.split()[-1].lower())}@usdoj.gov, (313) 226-{w.digits(4)}</span></p>
{nondisclosure}
{_extras(w)}
"""
    case = f"Grand Jury No. {gj}"
    page2 = _proof_of_service(
        w, "AO 110 (Rev. 06/09) Subpoena to Testify Before a Grand Jury", case
    )
    page2 = page2.replace("Fed. R. Civ. P. 45", "Fed. R. Crim. P. 17")
    return Doc(
        [body, page2],
        meta(
            "grand_jury_subpoena",
            "AO 110",
            f"ao110-v{v}",
            issued=issued,
            execute_by=due,
            signer_title=signer_title,
        ),
    )


# ------------------------------------------------------------------ court orders


def court_order(w: W) -> Doc:
    if w.chance(0.75):
        return _mcl_order(w)
    return _federal_order(w)


def _mcl_order(w: W) -> Doc:
    issued = w.issued()
    days = w.pick([7, 14, 21])
    due = issued + timedelta(days=days)
    judge = w.person()
    v = w.rng.randrange(5)
    movant = w.pick(
        [
            "the People of the State of Michigan, by the Wayne County Prosecuting Attorney",
            "Plaintiff",
            "Defendant",
            "the Michigan Department of State Police",
            "the Ecorse Police Department",
        ]
    )
    records = w.pick(
        [
            "the registration record (name, address and telephone number) of the holder of library "
            "card number 21184 00{card}",
            "records of the use of public computer PC-{pc} on October {d}, 2026, including any sign-in "
            "sheet and session log",
            "the circulation records of the patron identified in the sealed exhibit to the motion, "
            "for the period September 1, 2026 through October 31, 2026",
            "the video recordings of the library's front entrance on October {d}, 2026 between "
            "1:00 p.m. and 3:00 p.m.",
        ]
    ).format(card=w.digits(6), pc=f"{w.rng.randint(1, 12):02d}", d=w.rng.randint(1, 31))
    caption = w.pick(
        [
            f"IN RE APPLICATION FOR THE PRODUCTION OF LIBRARY RECORDS<br>OF THE {LIBRARY_NAME.upper()}",
            f"PEOPLE OF THE STATE OF MICHIGAN,<br>Plaintiff,<br>v.<br>{w.person(0).upper()},<br>Defendant.",
            f"{w.person(0).upper()},<br>Plaintiff,<br>v.<br>{w.person(0).upper()},<br>Defendant.",
        ]
    )
    intro = [
        f"This matter having come before the Court on the motion of {movant} under MCL 397.603 for "
        "an order requiring the production of library records, the Library having been given notice "
        "and an opportunity to be heard, and the Court being otherwise fully advised in the premises;",
        f"Upon the motion of {movant} pursuant to MCL 397.603(2)(b), the Library having been given "
        "notice and an opportunity to be heard, and the Court having found that the records are "
        "necessary to the proceeding;",
        f"The Court has considered the motion of {movant} for disclosure of library records under "
        "the Library Privacy Act, MCL 397.601 et seq. The Library having been given notice and an "
        "opportunity to be heard, and the Court having heard argument on the record;",
        f"This cause came on to be heard on the motion of {movant}. The Library having been given "
        "notice and an opportunity to be heard as required by MCL 397.603, and the Court being "
        "fully advised;",
        f"On the motion of {movant}, and the Library having been given notice and an opportunity "
        "to be heard, the Court finds that disclosure under MCL 397.603 is warranted;",
    ][v]
    ordered = w.pick(
        ["IT IS ORDERED that", "IT IS HEREBY ORDERED that", "NOW, THEREFORE, IT IS ORDERED that"]
    )
    body = f"""
<div class="c"><b>STATE OF MICHIGAN</b></div>
<div class="c"><b>IN THE CIRCUIT COURT FOR THE COUNTY OF WAYNE</b></div>
<div class="c small">THIRD JUDICIAL CIRCUIT</div>
<table style="margin-top:12px"><tr><td style="width:55%;border-right:1px solid #222;
border-bottom:1px solid #222;padding:4px"><span class="fill">{caption}</span></td>
<td style="padding-left:14px">Case No. {
        w.fill(f"26-{w.digits(6)}-" + w.pick(["CZ", "FH", "FC", "MZ"]))
    }<br><br>
Hon. {w.fill(judge)}</td></tr></table>
<div class="title" style="margin-top:16px">{
        w.pick(
            ["ORDER", "ORDER FOR PRODUCTION OF LIBRARY RECORDS", "ORDER UNDER MCL 397.603", "ORDER"]
        )
    }</div>
<p class="c small">At a session of said Court held in the Coleman A. Young Municipal Center,
City of Detroit, County of Wayne, State of Michigan, on {w.fill(w.d(issued))}.</p>
<p class="c small">PRESENT: HONORABLE {w.fill(judge.upper())}, CIRCUIT JUDGE</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{esc(intro)}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>{ordered}</b> the {LIBRARY_NAME} shall produce <span class="fill">{
        esc(records)
    }</span>
to {
        w.pick(
            [
                "counsel for the moving party",
                "the Wayne County Prosecuting Attorney",
                "the Court, for in camera review",
            ]
        )
    }
within {days} days of service of this Order.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>IT IS FURTHER ORDERED</b> that the records produced shall be used
only for the purposes of this case, shall not be disclosed to any other person, and shall be
filed, if at all, under seal.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>IT IS FURTHER ORDERED</b> that the Library shall not be required to
produce any record other than those described above{
        w.pick([", and that no other patron shall be identified.", "."])
    }</p>
<p class="small">This order {
        w.pick(["does not", "does not"])
    } resolve the last pending claim and does not close the case.</p>
<div style="margin-top:18px">{w.sig_block(judge, "", f"{judge}, Circuit Judge", "", 3.2)}</div>
{_extras(w)}
"""
    page2 = f"""
<div class="pg2"><div class="title">PROOF OF SERVICE</div>
<p>I certify that on ________________ I served a copy of this Order on the {LIBRARY_NAME}, by
{w.pick(["personal delivery to its Director", "first-class mail and e-mail"])}, at {LIBRARY_ADDRESS}.</p>
<div style="margin-top:24px">{w.sig_block("", "Signature", "", "Name", 3)}</div>
<p class="small">Prepared by: {esc(w.person())} (P{w.digits(5)}), Assistant Prosecuting Attorney,
1441 St. Antoine, Detroit, MI 48226.</p></div>"""
    return Doc(
        [body, page2],
        meta(
            "court_order",
            None,
            f"mcl397-order-v{v}",
            issued=issued,
            execute_by=due,
            signer_title="Circuit Judge",
        ),
    )


def _federal_order(w: W) -> Doc:
    district, state, city, _court, prefix = w.pick(EDMI)
    issued = w.issued()
    days = w.pick([10, 14, 21])
    due = issued + timedelta(days=days)
    judge = w.person()
    title = w.pick(["United States District Judge", "United States Magistrate Judge"])
    v = w.rng.randrange(4)
    heading = w.pick(
        [
            "ORDER GRANTING MOTION TO COMPEL PRODUCTION OF RECORDS FROM NON-PARTY ECORSE PUBLIC LIBRARY",
            "ORDER DIRECTING PRODUCTION OF RECORDS",
            "ORDER PURSUANT TO 18 U.S.C. § 2703(d)",
            "STIPULATED ORDER FOR THE PRODUCTION OF LIBRARY RECORDS",
        ]
    )
    body = f"""
<div class="c court">United States District Court</div>
<div class="c"><b>{esc(district.upper())} DISTRICT OF {esc(state.upper())}</b></div>
<div class="c">{esc(w.pick(["SOUTHERN DIVISION", "NORTHERN DIVISION"]))}</div>
<table style="margin-top:12px"><tr><td style="width:55%">
<span class="fill">{w.pick(["UNITED STATES OF AMERICA", w.person(0).upper()])}</span>,<br>Plaintiff,<br>v.<br>
<span class="fill">{w.person(0).upper()}</span>,<br>Defendant.<br>________________________________/</td>
<td>Case No. {w.fill(f"{prefix}-cv-{w.rng.randint(10000, 13999)}")}<br><br>
Hon. {w.fill(judge)}</td></tr></table>
<div class="title">{esc(heading)}</div>
<p>&nbsp;&nbsp;&nbsp;&nbsp;This matter is before the Court on the {w.pick(["motion", "application", "stipulation"])}
of {w.pick(["the United States", "Plaintiff", "Defendant", "the parties"])} (ECF No. {w.rng.randint(20, 90)}).
The non-party {LIBRARY_NAME} was served with the motion and {w.pick(["filed a response", "did not object", "appeared through counsel"])}.
For the reasons stated on the record, the Court finds that the records described below are
relevant and that their production is necessary.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;Accordingly, <b>IT IS ORDERED</b> that the {LIBRARY_NAME} shall produce to
{w.pick(["counsel for Plaintiff", "the United States Attorney", "counsel for Defendant"])}, within {days} days of the date of this order,
<span class="fill">{esc(w.pick(LIBRARY_ITEMS).replace("{card}", w.digits(6)))}</span></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>IT IS FURTHER ORDERED</b> that the records are subject to the
protective order entered in this case (ECF No. {w.rng.randint(10, 19)}).</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>SO ORDERED.</b></p>
<table style="margin-top:14px"><tr><td style="width:40%">Dated: {w.fill(w.d(issued))}</td>
<td>{w.sig_block(judge, "", f"{judge.upper()}", title, 3.2)}</td></tr></table>
{_extras(w)}
"""
    page2 = f"""
<div class="pg2"><div class="title">CERTIFICATE OF SERVICE</div>
<p>I hereby certify that a copy of the foregoing document was served upon counsel of record and
upon the {LIBRARY_NAME}, {LIBRARY_ADDRESS}, on {esc(w.d(issued))}, by electronic and/or ordinary
mail.</p>
<p style="margin-left:3.5in"><span class="fill">s/{esc(w.person())}</span><br>Case Manager</p></div>"""
    return Doc(
        [body, page2],
        meta(
            "court_order",
            None,
            f"federal-order-v{v}",
            issued=issued,
            execute_by=due,
            signer_title=title,
        ),
    )


# ------------------------------------------------------------------ FISA


def fisa_order(w: W) -> Doc:
    issued = w.issued()
    days = w.pick([10, 30, 90])
    due = issued + timedelta(days=w.pick([5, 10, 15]))
    judge = w.person()
    v = w.rng.randrange(4)
    banner = w.pick(
        ["", "", "TOP SECRET//SI//NOFORN", "SECRET//NOFORN", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"]
    )
    title = [
        "PRIMARY ORDER",
        "ORDER REQUIRING THE PRODUCTION OF TANGIBLE THINGS",
        "SECONDARY ORDER",
        "ORDER",
    ][v]
    docket = f"BR {w.pick(['26', '26'])}-{w.rng.randint(10, 180):02d}"
    ban = f'<div class="c small" style="font-weight:bold">{banner}</div>' if banner else ""
    body = f"""
{ban}
<div class="c" style="font-weight:bold;line-height:1.5">UNITED STATES<br>FOREIGN INTELLIGENCE SURVEILLANCE COURT<br>
WASHINGTON, D.C.</div>
<table style="margin-top:14px"><tr><td style="width:58%;border-right:1px solid #222;padding-right:8px">
IN RE APPLICATION OF THE FEDERAL BUREAU OF INVESTIGATION FOR AN ORDER REQUIRING THE PRODUCTION
OF TANGIBLE THINGS FROM {LIBRARY_NAME.upper()}</td>
<td style="padding-left:14px">Docket Number: {w.fill(docket)}</td></tr></table>
<div class="title" style="margin-top:16px">{title}</div>
<p>&nbsp;&nbsp;&nbsp;&nbsp;This Court having found that the Application of the Federal Bureau of
Investigation (FBI) for an Order requiring the production of tangible things from the
{LIBRARY_NAME}, {LIBRARY_ADDRESS}, satisfies the requirements of 50 U.S.C. § 1861,</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>IT IS HEREBY ORDERED</b> that the Application is GRANTED, and it is
FURTHER ORDERED as follows:</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;(1) The Custodian of Records of the {LIBRARY_NAME} shall produce to the
FBI, within {w.fill(str((due - issued).days))} days of service of this Order, {
        w.fill(
            w.pick(
                [
                    "all records of the use of the library public computers by the person identified in the Application",
                    "records identifying the users of the library wireless network during the periods listed in the Application",
                    "the registration and circulation records of library card number 21184 00"
                    + w.digits(6),
                ]
            )
        )
    }.</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;(2) No person shall disclose to any other person that the FBI has sought or
obtained tangible things pursuant to this Order, other than to those persons to whom disclosure
is necessary to comply with this Order, an attorney to obtain legal advice or assistance with
respect to the production of things in response to this Order, or other persons as permitted by
the Director of the FBI or the designee of the Director. 50 U.S.C. § 1861(d).</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;(3) This authorization expires {
        days
    } days from the date of this Order.</p>
<p>Signed {w.fill(w.d(issued) + " " + w.t())} Eastern Time</p>
<div style="margin-top:14px">{
        w.sig_block(
            judge,
            "",
            judge.upper(),
            "Judge, United States Foreign Intelligence Surveillance Court",
            3.6,
        )
    }</div>
<div class="tiny" style="margin-top:10px">{
        w.pick(
            [
                "",
                "I, Deputy Clerk, FISC, certify that this document is a true and correct copy of the original.",
            ]
        )
    }</div>
{ban}
"""
    page2 = f"""
<div class="pg2">{ban}
<div class="c"><b>APPENDIX: SPECIFICATIONS</b></div>
<p>The tangible things to be produced under the {title.title()} in Docket Number {docket} are:</p>
<ol><li>Records showing the dates and times of use of public workstations;</li>
<li>Registration records of library cards, limited to name, address and telephone number;</li>
<li>Logs of the public wireless network showing device identifiers and IP addresses.</li></ol>
<p>Production shall be made to the FBI Detroit Field Office, 477 Michigan Ave., Detroit, MI 48226.
The recipient may consult counsel and may challenge this Order under 50 U.S.C. § 1861(f).</p>
{ban}</div>"""
    return Doc(
        [body, page2],
        meta(
            "fisa_order",
            None,
            f"fisc-v{v}",
            issued=issued,
            execute_by=due,
            signer_title="Judge, United States Foreign Intelligence Surveillance Court",
        ),
    )
