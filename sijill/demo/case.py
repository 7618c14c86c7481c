"""The base demo case: users, sources of every kind, testimonies (ar/en), events, claims, evidence.

Every name, number and text here is invented for the demo; resemblance to real people is chance.
The claims are written so that corroboration has something to find: agreeing independent
witnesses, hearsay through one intermediary, and contradictions.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from sijill.demo import DemoBuilder
from sijill.domain.people import PersonName
from sijill.domain.sources import SourceIdentity
from sijill.services import cases, claims, events, evidence, sources, testimonies
from sijill.services.session import open_session

ORDER = 10

#: (kind, Arabic name, Latin name, description, reliability, consent scopes)
SOURCES = [
    (
        "survivor",
        "سليم عبد الكريم النجار",
        "Salim Abd al-Karim al-Najjar",
        "former detainee, red building 2012–2014",
        "B",
        ("coi", "iiim", "public"),
    ),
    (
        "guard_official",
        "رامي حسن الدباغ",
        "Rami Hasan al-Dabbagh",
        "former guard, white building",
        "C",
        ("coi", "iiim"),
    ),
    (
        "survivor",
        "ماهر يوسف القاضي",
        "Maher Yousef al-Qadi",
        "former detainee, shared cell with W-004's brother",
        "C",
        ("coi", "public"),
    ),
    (
        "family",
        "هدى محمود العلي",
        "Huda Mahmoud al-Ali",
        "sister of a detainee who died",
        "B",
        ("coi", "iiim", "public", "named"),
    ),
    (
        "judge_lawyer",
        "فراس عادل الشامي",
        "Firas Adel al-Shami",
        "former military field court official",
        "B",
        ("iiim",),
    ),
    (
        "survivor",
        "عمر خالد الحمصي",
        "Omar Khaled al-Homsi",
        "former detainee 2013–2015",
        "A",
        ("coi", "iiim", "public"),
    ),
    (
        "other_witness",
        "ياسر سعيد الحلبي",
        "Yasser Said al-Halabi",
        "resident near the prison",
        "D",
        ("public",),
    ),
    ("document", "", "", "leaked transfer register (synthetic)", "B", ("coi", "iiim", "public")),
    (
        "organisation_list",
        "",
        "",
        "documentation group's list of the dead (synthetic)",
        "B",
        ("coi", "iiim", "public"),
    ),
    ("media", "", "", "press report (synthetic)", "E", ("public",)),
]

TESTIMONIES = [
    # (source index, language, date, summary)
    (
        0,
        "ar",
        "2016-10-12",
        "وصف عمليات الإعدام شنقاً في قبو المبنى الأبيض، مرة أو مرتين في الأسبوع.",
    ),
    (
        1,
        "en",
        "2016-11",
        "Former guard describes hangings in the basement of the white building, 20 to 50 people each time.",
    ),
    (2, "ar", "2016-12", "سمع من الحارس السابق أن الإعدامات كانت تجري في القبو."),
    (
        3,
        "ar",
        "2017-01-05",
        "شقيقها نُقل إلى صيدنايا عام 2012 وتوفي هناك؛ علمت بذلك من الحارس السابق.",
    ),
    (
        4,
        "en",
        "2016-09",
        "Describes trials at the military field court lasting two or three minutes.",
    ),
    (
        5,
        "en",
        "2016-08-21",
        "Saw groups taken at night; trials lasted a few minutes; hangings took place in the basement.",
    ),
    (6, "ar", "2015", "رأى شاحنات تنقل الجثث من السجن ليلاً باتجاه دمشق."),
    (7, "en", "2016", "Register lists transfers of bodies to Tishreen military hospital."),
]


def extend(builder: DemoBuilder) -> None:
    """Build the base case."""
    ws, key = builder.workspace, builder.key
    with open_session(ws, builder.admin, key=key) as s:
        case = cases.create_case(
            s,
            builder.case_code,
            "Saydnaya 2011–2016 (synthetic demo)",
            "Synthetic demonstration case; no real person appears in it.",
        )
        for username, role in (("nour", "investigator"), ("sami", "analyst"), ("rana", "reviewer")):
            cases.add_user(s, username, role)
            cases.add_member(s, case.id, username)
        codes = []
        for kind, name_ar, name_latin, description, grade, scopes in SOURCES:
            identity = SourceIdentity(name_ar=name_ar, name_latin=name_latin) if name_ar else None
            src = sources.add_source(s, case.id, kind, identity, description, grade)
            codes.append(src.code)
            for scope in scopes:
                testimonies.give_consent(s, src.code, scope, date(2016, 8, 1))
        testimonies.withdraw_consent(s, codes[2], "public", date(2018, 3, 1))
        sources.relate_sources(s, codes[2], codes[1], "heard_from", "told in a shared cell")
        sources.relate_sources(s, codes[3], codes[1], "heard_from")
        sources.relate_sources(s, codes[5], codes[0], "interviewed_together")
        t_codes = []
        for index, language, when, summary in TESTIMONIES:
            t = testimonies.add_testimony(
                s,
                codes[index],
                interview_date=when,
                language=language,
                summary=summary,
                interviewer="nour",
                place="Gaziantep",
            )
            t_codes.append(t.code)
        testimonies.edit_testimony(
            s,
            t_codes[1],
            reason="date of service corrected after follow-up interview",
            summary=TESTIMONIES[1][3] + " Served there 2012–2013.",
        )
        detention = events.add_event(
            s,
            case.id,
            violation_type="arbitrary_detention",
            title="Detentions in Saydnaya",
            date="2011-09 to 2015-12",
            place="Saydnaya",
            perpetrators=("Military Police",),
        )
        hangings = events.add_event(
            s,
            case.id,
            violation_type="extrajudicial_execution",
            title="Mass hangings",
            date="2011-09 to 2015-12",
            place="صيدنايا",
            count="5000-13000",
            perpetrators=("Military Police", "Military field court"),
            parent=detention.code,
        )
        trials = events.add_event(
            s,
            case.id,
            violation_type="unfair_trial",
            title="Military field court hearings",
            date="2012/2015",
            place="Damascus",
            perpetrators=("Military field court",),
        )
        graves = events.add_event(
            s,
            case.id,
            violation_type="mass_grave",
            title="Bodies taken to mass graves",
            date="after 2012",
            place="Rif Dimashq",
            parent=hangings.code,
        )
        victim = events.add_person(
            s,
            case.id,
            name_ar=PersonName("أنس", "محمود", "", "العلي"),
            name_latin=PersonName("Anas", "Mahmoud", "", "al-Ali"),
            sex="male",
            birth="1990",
            origin="Hama",
        )
        events.involve(s, victim.id, hangings.code, "victim", "named by his sister (W-004)")
        h, tr, g = f"event:{hangings.code}", f"event:{trials.code}", f"event:{graves.code}"
        add = claims.add_claim
        add(
            s,
            t_codes[0],
            subject=h,
            attribute="place",
            value="basement of the white building",
            basis="saw",
            credibility=2,
        )
        add(
            s,
            t_codes[1],
            subject=h,
            attribute="place",
            value="basement of the white building",
            basis="took_part",
            credibility=2,
        )
        add(
            s,
            t_codes[2],
            subject=h,
            attribute="place",
            value="basement of the white building",
            basis="heard_from",
            heard_from=codes[1],
        )
        add(
            s,
            t_codes[3],
            subject=h,
            attribute="place",
            value="basement of the white building",
            basis="heard_from",
            heard_from=codes[1],
        )
        add(
            s,
            t_codes[5],
            subject=h,
            attribute="place",
            value="basement of the white building",
            basis="saw",
        )
        add(s, t_codes[0], subject=h, attribute="count", value="20-50", basis="saw", passage="§4")
        add(
            s,
            t_codes[1],
            subject=h,
            attribute="count",
            value="30-50",
            basis="took_part",
            passage="00:14:10",
        )
        add(s, t_codes[5], subject=h, attribute="count", value="5-10", basis="saw", passage="§2")
        add(
            s,
            t_codes[0],
            subject=h,
            attribute="frequency",
            value="1-2",
            basis="saw",
            passage="once or twice a week",
        )
        add(s, t_codes[0], subject=h, attribute="date", value="2011-09 to 2015-12", basis="saw")
        add(s, t_codes[1], subject=h, attribute="date", value="2012/2013", basis="took_part")
        add(
            s,
            t_codes[6],
            subject=h,
            attribute="date",
            value="2009",
            basis="heard_from",
            heard_from=codes[1],
        )
        add(
            s,
            t_codes[4],
            subject=tr,
            attribute="duration",
            value="2-3",
            basis="took_part",
            passage="trials lasted two or three minutes",
        )
        add(
            s,
            t_codes[5],
            subject=tr,
            attribute="duration",
            value="1-3",
            basis="saw",
            passage="a few minutes",
        )
        add(s, t_codes[6], subject=g, attribute="place", value="Najha", basis="saw")
        add(s, t_codes[7], subject=g, attribute="place", value="Najha", basis="document")
        with tempfile.TemporaryDirectory() as tmp:
            for name, content, description in _evidence_files():
                path = Path(tmp) / name
                path.write_bytes(content)
                evidence.add_evidence(
                    s, case.id, path, description=description, reason="handed over by field team"
                )
    builder.facts.update(case=case.code, sources=codes, testimonies=t_codes)
    builder.say(f"Case {case.code}: {case.title}")
    builder.say(
        f"  users: {builder.admin} (admin), nour (investigator), sami (analyst), rana (reviewer)"
    )
    builder.say(f"  {len(codes)} sources of every kind: {', '.join(codes)} (identities encrypted)")
    builder.say(f"  {len(t_codes)} testimonies in Arabic and English (one edited: 2 versions kept)")
    builder.say(
        f"  4 events with uncertain dates, e.g. {hangings.code} mass hangings 2011-09 – 2015-12, 5,000–13,000"
    )
    builder.say(
        "  16 claims (agreeing, hearsay through W-002, and contradicting), 3 evidence files with custody logs"
    )


def _evidence_files() -> list[tuple[str, bytes, str]]:
    register = "\n".join(
        f"{n:04d};2013-0{1 + n % 9}-1{n % 9};transfer;Tishreen military hospital"
        for n in range(1, 41)
    )
    return [
        (
            "transfer-register-synthetic.csv",
            ("id;date;action;destination\n" + register).encode(),
            "synthetic register",
        ),
        (
            "sketch-white-building.txt",
            b"Synthetic sketch notes of the white building's basement.\n",
            "witness sketch notes",
        ),
        (
            "interview-W-001-notes.txt",
            "ملاحظات المقابلة (اصطناعية)\n".encode(),
            "interview notes (sensitive)",
        ),
    ]
