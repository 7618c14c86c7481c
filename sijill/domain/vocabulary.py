"""Controlled vocabularies with Arabic and English labels: violation types, source kinds, relations, scopes."""

from __future__ import annotations

from dataclasses import dataclass

from sijill.errors import InputError


@dataclass(frozen=True)
class Term:
    """One term of a controlled vocabulary."""

    code: str
    en: str
    ar: str

    def label(self, lang: str = "en") -> str:
        """The label in `lang` ("ar" or "en")."""
        return self.ar if lang == "ar" else self.en


class Vocabulary:
    """An ordered set of terms, looked up by code or by either label."""

    def __init__(self, name: str, terms: list[Term]) -> None:
        self.name = name
        self.terms = terms
        self._lookup: dict[str, Term] = {}
        for term in terms:
            for key in (term.code, term.en.casefold(), term.ar):
                self._lookup[key] = term

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._lookup

    def codes(self) -> list[str]:
        """All term codes, in order."""
        return [t.code for t in self.terms]

    def get(self, value: str) -> Term:
        """The term for a code or label; an unknown value is an InputError listing the codes."""
        term = self._lookup.get(value) or self._lookup.get(value.strip().casefold())
        if term is None:
            raise InputError(
                f"unknown {self.name} {value!r}", hint=f"use one of: {', '.join(self.codes())}"
            )
        return term


VIOLATION_TYPES = Vocabulary(
    "violation type",
    [
        Term("extrajudicial_execution", "Extrajudicial execution", "إعدام خارج نطاق القضاء"),
        Term("death_in_custody", "Death in custody", "الوفاة في الاحتجاز"),
        Term("torture", "Torture", "التعذيب"),
        Term("enforced_disappearance", "Enforced disappearance", "الاختفاء القسري"),
        Term("arbitrary_detention", "Arbitrary detention", "الاحتجاز التعسفي"),
        Term("unfair_trial", "Unfair trial", "محاكمة غير عادلة"),
        Term("sexual_violence", "Sexual violence", "العنف الجنسي"),
        Term("inhumane_conditions", "Inhumane conditions of detention", "ظروف احتجاز لا إنسانية"),
        Term("denial_of_medical_care", "Denial of medical care", "الحرمان من الرعاية الطبية"),
        Term("mass_grave", "Disposal in a mass grave", "الدفن في مقبرة جماعية"),
        Term("killing", "Unlawful killing", "القتل غير المشروع"),
        Term("transfer", "Transfer between facilities", "النقل بين مراكز الاحتجاز"),
    ],
)

SOURCE_KINDS = Vocabulary(
    "source kind",
    [
        Term("survivor", "Former detainee / survivor", "معتقل سابق / ناجٍ"),
        Term("guard_official", "Former guard or official", "حارس أو مسؤول سابق"),
        Term("judge_lawyer", "Former judge or lawyer", "قاضٍ أو محامٍ سابق"),
        Term("family", "Family member", "فرد من العائلة"),
        Term("other_witness", "Other witness", "شاهد آخر"),
        Term("document", "Document", "وثيقة"),
        Term("organisation_list", "Organisation's list", "قائمة منظمة"),
        Term("media", "Media", "وسائل الإعلام"),
    ],
)

#: Pseudonym prefixes: persons speak as witnesses (W), documents (D), lists and groups (O), media (M).
PSEUDONYM_PREFIX = {
    "survivor": "W",
    "guard_official": "W",
    "judge_lawyer": "W",
    "family": "W",
    "other_witness": "W",
    "document": "D",
    "organisation_list": "O",
    "media": "M",
}

RELATION_KINDS = Vocabulary(
    "source relation",
    [
        Term("heard_from", "Heard it from", "سمع ذلك من"),
        Term("relative_of", "Relative of", "قريب"),
        Term("same_organisation", "Same organisation", "المنظمة نفسها"),
        Term("interviewed_together", "Interviewed together", "قوبلوا معاً"),
        Term(
            "same_intermediary", "Account passed through the same intermediary", "عبر الوسيط نفسه"
        ),
        Term("detained_with", "Detained together", "احتُجزوا معاً"),
    ],
)

CONSENT_SCOPES = Vocabulary(
    "consent scope",
    [
        Term("coi", "Share with a UN commission of inquiry", "المشاركة مع لجنة تحقيق أممية"),
        Term(
            "iiim", "Share with prosecutors / IIIM", "المشاركة مع المدعين العامين / الآلية الدولية"
        ),
        Term("public", "Publish anonymised", "النشر دون ذكر الهوية"),
        Term("named", "May be named", "يجوز ذكر الاسم"),
    ],
)

PERSON_KINDS = Vocabulary(
    "person kind",
    [
        Term("victim", "Victim", "ضحية"),
        Term("perpetrator", "Perpetrator", "جانٍ"),
        Term("other", "Other", "آخر"),
    ],
)

INVOLVEMENT_ROLES = Vocabulary(
    "involvement role",
    [
        Term("victim", "Victim", "ضحية"),
        Term("perpetrator", "Perpetrator", "جانٍ"),
        Term("witness", "Witness", "شاهد"),
        Term("intervening", "Intervening party", "طرف متدخل"),
    ],
)

KNOWLEDGE_BASES = Vocabulary(
    "basis of knowledge",
    [
        Term("saw", "Saw it", "رأى ذلك"),
        Term("took_part", "Took part", "شارك"),
        Term("heard_from", "Heard it from someone", "سمع ذلك من شخص"),
        Term("document", "Read it in a document", "قرأه في وثيقة"),
    ],
)

CLAIM_ATTRIBUTES = Vocabulary(
    "claim attribute",
    [
        Term("date", "Date", "التاريخ"),
        Term("place", "Place", "المكان"),
        Term("count", "Number of people", "العدد"),
        Term("frequency", "Frequency", "التكرار"),
        Term("actor", "Actor", "الفاعل"),
        Term("method", "Method", "الطريقة"),
        Term("duration", "Duration", "المدة"),
        Term("occurred", "Occurred", "حدث"),
        Term("outcome", "Outcome", "النتيجة"),
    ],
)

ROLES = Vocabulary(
    "role",
    [
        Term("admin", "Administrator", "مدير"),
        Term("investigator", "Investigator", "محقق"),
        Term("analyst", "Analyst", "محلل"),
        Term("reviewer", "Reviewer", "مراجع"),
    ],
)

SEXES = Vocabulary(
    "sex",
    [
        Term("male", "Male", "ذكر"),
        Term("female", "Female", "أنثى"),
        Term("unknown", "Unknown", "غير معروف"),
    ],
)

#: Source reliability (A–F) and information credibility (1–6), as investigators grade them.
RELIABILITY_GRADES = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
CREDIBILITY_GRADES = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}
