"""“待填写”: in a report just made (新建, 由上年报告新建), findings about parts the clerk has not
started yet are to-dos, not errors. The rules are unchanged; only the window's wording and colours
differ until the clerk edits the part a finding is about (then it is an error as usual)."""

from __future__ import annotations

from ...report.edits import CellEdit, Edit, MetaEdit, SectionEdit
from ...report.findings import Finding

# findings that name no section but belong to one
_RULE_SECTION = {"n.fee": "s6", "n.topics": "s1"}


def finding_areas(finding: Finding) -> set[str]:
    """The parts of the report a finding is about: table ids, section ids, ``meta.<field>``."""
    areas = {key.split(".", 1)[0] for key in finding.cells}
    section = finding.detail.get("section") or _RULE_SECTION.get(finding.rule)
    if section:
        areas.add(section)
    field = finding.detail.get("field") or ("date" if finding.rule == "meta.deadline" else None)
    if field:
        areas.add(f"meta.{field}")
    return areas


def edit_areas(edit: Edit) -> set[str]:
    """The parts of the report an edit touches (same names as :func:`finding_areas`)."""
    if isinstance(edit, CellEdit):
        return {key.split(".", 1)[0] for key in edit.keys}
    if isinstance(edit, MetaEdit):
        return {f"meta.{edit.field}"}
    if isinstance(edit, SectionEdit):
        return {edit.section}
    return set()
