"""Demo part: the case report in English and Arabic for publication, and a signed package for the IIIM."""

from __future__ import annotations

from sijill.demo import DemoBuilder
from sijill.services.packages import build_package
from sijill.services.reports import build_report
from sijill.services.session import open_session

ORDER = 90
#: The log-linear search takes well under a second on the demo lists; the default latent-class
#: method takes about a minute, too slow for a demo (run `sijill report --method lcmcr` for it).
DEMO_METHODS = ("loglinear",)


def extend(builder: DemoBuilder) -> None:
    """Write the public report (en, ar) under reports/ and an IIIM package under packages/iiim."""
    ws = builder.workspace
    made = {}
    with open_session(ws, builder.admin, key=builder.key) as s:
        for lang in ("en", "ar"):
            result = build_report(
                s,
                builder.case_code,
                lang=lang,
                scope="public",
                out=ws.settings.reports_dir / f"{builder.case_code}-public-{lang}",
                methods=DEMO_METHODS,
            )
            made[lang] = result
        package = build_package(s, "iiim", ws.root / "packages" / "iiim", builder.case_code)
    builder.facts["report"] = {lang: str(r.directory) for lang, r in made.items()}
    builder.facts["package"] = str(package.directory)
    builder.say(
        f"Report: public report in English and Arabic (HTML, PDF, report.json): "
        f"{made['en'].pdf} and {made['ar'].pdf}"
    )
    builder.say(f"  check its figures with `sijill reproduce {made['en'].directory}`")
    builder.say(
        f"Evidence package for the IIIM: {package.directory} ({len(package.evidence)} originals, "
        f"{len(package.testimonies)} testimonies, signed by key {package.fingerprint}); "
        f"check it with `sijill package verify {package.directory}`"
    )
