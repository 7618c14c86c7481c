"""The report's message catalogue in Arabic and English (headings, labels, captions, notes)."""

from __future__ import annotations

from sijill.errors import InputError

LANGUAGES = ("en", "ar")

_MESSAGES: dict[str, dict[str, str]] = {
    "report_title": {"en": "Case report", "ar": "تقرير القضية"},
    "case": {"en": "Case", "ar": "القضية"},
    "scope": {"en": "Prepared for", "ar": "أعدّ لـ"},
    "generated": {"en": "Generated (UTC)", "ar": "تاريخ الإنشاء (بالتوقيت العالمي)"},
    "consent_day": {"en": "Consent as of", "ar": "الموافقة حتى تاريخ"},
    "synthetic_note": {
        "en": "Sources are named by code only; identities stay encrypted in the workspace.",
        "ar": "يشار إلى المصادر برموزها فقط؛ وتبقى هوياتها مشفّرة في مساحة العمل.",
    },
    "contents": {"en": "Contents", "ar": "المحتويات"},
    # sources
    "sources": {"en": "Sources", "ar": "المصادر"},
    "kind": {"en": "Kind", "ar": "النوع"},
    "count": {"en": "Number", "ar": "العدد"},
    "listed": {"en": "Listed (pseudonyms)", "ar": "المدرجة (بأسماء مستعارة)"},
    "not_listed": {"en": "Counted, not listed", "ar": "محسوبة وغير مدرجة"},
    "total": {"en": "Total", "ar": "المجموع"},
    "sources_note": {
        "en": "A source whose consent does not cover this use is counted but not listed.",
        "ar": "المصدر الذي لا تشمل موافقته هذا الاستخدام يحسب ولا يدرج.",
    },
    "named_as": {"en": "named", "ar": "بالاسم"},
    # timeline
    "timeline": {"en": "Timeline of events", "ar": "التسلسل الزمني للأحداث"},
    "event": {"en": "Event", "ar": "الحدث"},
    "type": {"en": "Type", "ar": "النوع"},
    "date": {"en": "Date", "ar": "التاريخ"},
    "place": {"en": "Place", "ar": "المكان"},
    "victims": {"en": "Victims", "ar": "الضحايا"},
    "timeline_caption": {
        "en": "Each bar spans the earliest to the latest date the record allows "
        "(uncertain dates drawn as intervals).",
        "ar": "يمتد كل شريط من أبكر تاريخ إلى أبعد تاريخ يسمح به السجل "
        "(التواريخ غير المؤكدة مرسومة كمجالات).",
    },
    "year": {"en": "Year", "ar": "السنة"},
    # map
    "map": {"en": "Map of the governorates", "ar": "خريطة المحافظات"},
    "map_caption_people": {
        "en": "Circle area: unique people on the linked lists by governorate. "
        "Triangles: detention facilities with sourced coordinates. Schematic, not to scale.",
        "ar": "مساحة الدائرة: عدد الأشخاص في القوائم المربوطة حسب المحافظة. "
        "المثلثات: مراكز الاحتجاز ذات الإحداثيات الموثّقة. رسم تخطيطي وليس بمقياس رسم.",
    },
    "map_caption_events": {
        "en": "Circle area: recorded events by governorate. "
        "Triangles: detention facilities with sourced coordinates. Schematic, not to scale.",
        "ar": "مساحة الدائرة: عدد الأحداث المسجلة حسب المحافظة. "
        "المثلثات: مراكز الاحتجاز ذات الإحداثيات الموثّقة. رسم تخطيطي وليس بمقياس رسم.",
    },
    "unplaced": {
        "en": "without a known governorate (not drawn)",
        "ar": "دون محافظة معروفة (غير مرسومة)",
    },
    "facility": {"en": "detention facility", "ar": "مركز احتجاز"},
    # corroboration
    "corroboration": {"en": "Corroboration", "ar": "التعزيز بالأدلة"},
    "finding": {"en": "Finding", "ar": "الاستنتاج"},
    "subject": {"en": "Subject", "ar": "الموضوع"},
    "attribute": {"en": "Attribute", "ar": "الخاصية"},
    "value": {"en": "Value", "ar": "القيمة"},
    "status": {"en": "Status", "ar": "الحالة"},
    "sources_count": {"en": "Independent groups", "ar": "المجموعات المستقلة"},
    "contradictions": {"en": "Contradictions", "ar": "التناقضات"},
    "resolved": {"en": "resolved", "ar": "تمت تسويته"},
    "status_corroborated": {"en": "corroborated", "ar": "معزّز بأدلة"},
    "status_single_source": {"en": "single source", "ar": "مصدر واحد"},
    "status_below_threshold": {"en": "below threshold", "ar": "دون العتبة"},
    "status_hearsay_only": {"en": "hearsay only", "ar": "سماعي فقط"},
    "status_contested": {"en": "contested", "ar": "متنازع عليه"},
    "claims_withheld": {
        "en": "claims from testimonies outside this consent were left out",
        "ar": "ادعاءات من شهادات خارج نطاق هذه الموافقة استبعدت",
    },
    "unresolved": {"en": "unresolved", "ar": "غير محسوم"},
    "no_corroboration": {
        "en": "No claims have been recorded for this case yet.",
        "ar": "لم تسجّل أي ادعاءات لهذه القضية بعد.",
    },
    # linkage
    "linkage": {"en": "Record linkage of the victim lists", "ar": "الربط بين قوائم الضحايا"},
    "list": {"en": "List", "ar": "القائمة"},
    "records": {"en": "Records", "ar": "السجلات"},
    "unique_people": {"en": "Unique people", "ar": "الأشخاص دون تكرار"},
    "linkage_run": {"en": "Linkage run", "ar": "عملية الربط"},
    "linkage_quality": {
        "en": "Linkage quality (errors move estimates: false merges shrink them, missed links "
        "inflate them)",
        "ar": "جودة الربط (الأخطاء تحرّك التقديرات: الدمج الخاطئ يصغّرها والروابط الفائتة تضخّمها)",
    },
    "pairs_scored": {"en": "pairs scored", "ar": "أزواج مقيّمة"},
    "pairs_above": {"en": "above the threshold", "ar": "فوق العتبة"},
    "pairs_review": {"en": "in the review band", "ar": "في نطاق المراجعة"},
    "review_decisions": {"en": "review decisions", "ar": "قرارات المراجعة"},
    "overlap_caption": {
        "en": "List overlaps: each column is one combination of lists (dots below), "
        "its bar the number of people found on exactly those lists.",
        "ar": "التداخل بين القوائم: كل عمود توليفة من القوائم (النقاط في الأسفل)، "
        "وارتفاعه عدد الأشخاص الموجودين في تلك القوائم تحديدا.",
    },
    "people": {"en": "people", "ar": "أشخاص"},
    "lists_per_person": {"en": "people per list", "ar": "أشخاص في كل قائمة"},
    "no_linkage": {
        "en": "No linkage run yet: import lists and run `sijill link`.",
        "ar": "لم يجر أي ربط بعد: استورد القوائم ثم شغّل ‎`sijill link`‎.",
    },
    # estimates
    "estimates": {"en": "Estimates of the total", "ar": "تقديرات العدد الإجمالي"},
    "method": {"en": "Method", "ar": "الطريقة"},
    "estimate": {"en": "Estimate", "ar": "التقدير"},
    "interval": {"en": "Interval", "ar": "المجال"},
    "documented": {"en": "Documented", "ar": "الموثّق"},
    "estimate_note": {
        "en": "A documented count is a lower bound; the estimate adds the people no list recorded.",
        "ar": "العدد الموثّق حدّ أدنى؛ ويضيف التقدير الأشخاص الذين لم تسجلهم أي قائمة.",
    },
    "no_estimates": {
        "en": "No estimate: it needs a linkage run of two or more lists.",
        "ar": "لا تقدير: يتطلب ربطا بين قائمتين أو أكثر.",
    },
    "warnings": {"en": "Caveats", "ar": "تحفّظات"},
    # testimony ranges
    "testimony_ranges": {
        "en": "Ranges derived from testimony",
        "ar": "مجالات مستمدة من الشهادات",
    },
    "source": {"en": "Source", "ar": "المصدر"},
    "period": {"en": "Period", "ar": "الفترة"},
    "per_week": {"en": "Events per week", "ar": "الأحداث في الأسبوع"},
    "per_event": {"en": "People per event", "ar": "الأشخاص في كل حدث"},
    "arithmetic": {"en": "Arithmetic range", "ar": "المجال الحسابي"},
    "simulated": {"en": "Simulated interval", "ar": "المجال بالمحاكاة"},
    "testimony_note": {
        "en": "People per event × events per week × weeks, simulated over the stated ranges; "
        "the period is the source's own dated claim, else the event's recorded date.",
        "ar": "عدد الأشخاص في كل حدث × عدد الأحداث في الأسبوع × عدد الأسابيع، بالمحاكاة ضمن "
        "المجالات المذكورة؛ والفترة هي ما أفاد به المصدر، وإلا فتاريخ الحدث المسجل.",
    },
    "no_testimony_ranges": {
        "en": "No source gave both a group size and a frequency for an event.",
        "ar": "لم يذكر أي مصدر حجم المجموعة وتكرار الحدث معا.",
    },
    "testimony_caption": {
        "en": "Arithmetic range (thin line) and simulated interval (thick bar, median marked) "
        "per source and event.",
        "ar": "المجال الحسابي (خط رفيع) والمجال بالمحاكاة (شريط سميك، مع الوسيط) لكل مصدر وحدث.",
    },
    # methods
    "methods": {"en": "Methods appendix", "ar": "ملحق المنهجية"},
    "settings": {"en": "Settings", "ar": "الإعدادات"},
    "software": {"en": "Software versions", "ar": "إصدارات البرمجيات"},
    "data_hashes": {"en": "Data hashes (SHA-256)", "ar": "بصمات البيانات (SHA-256)"},
    "figures": {"en": "Figures and their stamps", "ar": "الأشكال وأختامها"},
    "figure": {"en": "Figure", "ar": "الشكل"},
    "stamp": {"en": "Stamp", "ar": "الختم"},
    "stamp_note": {
        "en": "Each stamp is the SHA-256 of the figure's data, of its settings, and the Sijill "
        "version; `sijill reproduce` recomputes them from the workspace.",
        "ar": "كل ختم هو بصمة SHA-256 لبيانات الشكل ولإعداداته مع إصدار Sijill؛ ويعيد الأمر "
        "‎`sijill reproduce`‎ حسابها من مساحة العمل.",
    },
    "map_attribution": {
        "en": "Map data: OpenSyria data-geography (CC BY 4.0), from OCHA COD-AB via HDX and "
        "geoBoundaries (CC BY 3.0 IGO), GeoNames (CC BY 4.0) and Wikidata (CC0).",
        "ar": "بيانات الخريطة: OpenSyria data-geography ‏(CC BY 4.0)، عن OCHA COD-AB عبر HDX "
        "وgeoBoundaries ‏(CC BY 3.0 IGO)، وGeoNames ‏(CC BY 4.0)، وWikidata ‏(CC0).",
    },
    "page": {"en": "Page", "ar": "صفحة"},
}


def message(key: str, lang: str) -> str:
    """The text for `key` in `lang` (English when a key has no translation)."""
    entry = _MESSAGES[key]
    return entry.get(lang) or entry["en"]


def check_language(lang: str) -> str:
    """The language code if the report can be written in it, else an InputError."""
    code = lang.strip().lower()
    if code not in LANGUAGES:
        raise InputError(f"no report language {lang!r}", hint="use --lang ar or --lang en")
    return code


def catalogue(lang: str) -> dict[str, str]:
    """Every message in `lang`, for the HTML template."""
    return {key: message(key, lang) for key in _MESSAGES}
