"""``case.yaml``: one typical case of a brand community learning centre (附件4).

A case is a folder holding ``case.yaml``. The model is the one source of truth for its shape
(and for ``schemas/case.schema.json``); what the guide demands of the values (the 1000- and
300-character limits, phone and e-mail forms, sections long enough to say something) are the
K rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError

from coursecheck.manifest import Contact, FieldError, Phone, RecommendationOrder, Text, _Strict
from coursecheck.manifest import field_errors as located
from coursecheck.spec import CASE_NAMES, LEVELS
from coursecheck.yamlload import YamlDoc, YamlError

# The six narrative fields of 附件4, in the form's order, with the form's row labels.
SECTIONS: dict[str, str] = {
    "foundation": "基础保障",
    "team": "队伍建设",
    "activities": "教育活动与服务",
    "sustainability": "可持续发展",
    "highlights": "特色和经验",
    "promotion": "重点宣传推介内容",
}


class SchoolContact(_Strict):
    """申报学校联系方式: the contact person, phone and e-mail of the school."""

    name: Text | None = Field(None, description="联系人 Contact name")
    phone: Phone | None = Field(None, description="联系电话 Phone: 13800138000, 010-66097008")
    email: Text | None = Field(None, description="电子邮箱 E-mail address")


class Case(_Strict):
    """品牌社区学习中心典型案例 (case.yaml), after 附件4 of the 2023 guide."""

    model_config = ConfigDict(title="coursecheck learning-centre case (case.yaml)")

    school: Text = Field(description="学校名称（准确填写全称） The school's full name")
    level: Literal["county", "township", "village"] | None = Field(
        None, description="所处层级 " + " / ".join(f"{k}={v}" for k, v in LEVELS.items()))
    province: Text | None = Field(None, description="省份 Province, e.g. 浙江省")
    recommendation_order: RecommendationOrder | None = None
    province_contact: Contact | None = Field(
        None, description="省级教育主管部门联系人 The provincial education office's contact")
    school_contact: SchoolContact | None = Field(
        None, description="申报学校联系方式 The school's contact")
    foundation: Text = Field(description="基础保障：设施、经费保障情况 Facilities and funding")
    team: Text = Field(description="队伍建设：社区教育工作者、志愿者队伍 Staff and volunteers")
    activities: Text = Field(description="教育活动与服务 Education activities and services")
    sustainability: Text = Field(description="可持续发展：办学成效、社会影响 Results and impact")
    highlights: Text = Field(description="特色和经验，不超过 1000 字 Highlights, ≤1000 characters",
                             json_schema_extra={"maxLength": 1000})
    promotion: Text = Field(description="重点宣传推介内容，不超过 300 字 What to promote, "
                                        "≤300 characters", json_schema_extra={"maxLength": 300})


@dataclass(frozen=True, slots=True)
class CaseView:
    """Every field of case.yaml that validated (``None`` for the others), and the raw data."""

    raw: Mapping[str, Any]
    school: str | None = None
    level: str | None = None
    province: str | None = None
    recommendation_order: int | None = None
    province_contact: Contact | None = None
    school_contact: SchoolContact | None = None
    foundation: str | None = None
    team: str | None = None
    activities: str | None = None
    sustainability: str | None = None
    highlights: str | None = None
    promotion: str | None = None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """The case file, how it decoded, and what loading and validating it found."""

    file: str | None
    encoding: str | None = None
    load_error: YamlError | None = None
    doc: YamlDoc | None = None
    view: CaseView | None = None
    field_errors: tuple[FieldError, ...] = ()

    @property
    def case_file(self) -> str:
        """The file's name for locations, ``case.yaml`` when there is none."""
        return self.file or CASE_NAMES[0]

    def line_of(self, *path: str | int) -> int | None:
        """The 1-based line of a field path, or ``None``."""
        return self.doc.line_of(tuple(path)) if self.doc else None


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(Case.model_fields[name].rebuild_annotation())


def validate_case(data: Mapping[str, Any]) -> tuple[CaseView, list[FieldError]]:
    """Validate field by field: the view of what is valid, and the located errors."""
    try:
        whole = Case.model_validate(data)
    except ValidationError as exc:
        errors = located(exc, Case)
    else:
        return CaseView(raw=data, **{n: getattr(whole, n) for n in Case.model_fields}), []
    bad_top = {e.path[0] for e in errors if e.path}
    values = {name: _adapter(name).validate_python(data[name]) for name in Case.model_fields
              if name in data and name not in bad_top}
    return CaseView(raw=data, **values), errors


def find_case(folder: Path) -> Path | None:
    """``case.yaml`` or else ``case.yml`` in ``folder``, or ``None``."""
    for name in CASE_NAMES:
        if (folder / name).is_file() or (folder / name).is_symlink():
            return folder / name
    return None


def is_case(folder: Path) -> bool:
    """A case folder holds ``case.yaml`` (or ``case.yml``) and no course manifest."""
    from coursecheck.gather import find_manifest

    return find_case(folder) is not None and find_manifest(folder) is None


def read_case(path: Path | None) -> CaseFacts:
    """Load and validate a case file; every problem is recorded, none is raised."""
    from coursecheck.gather import read_document

    if path is None:
        return CaseFacts(file=None)
    read = read_document(path)
    if isinstance(read.result, YamlError):
        return CaseFacts(path.name, read.encoding, load_error=read.result)
    view, errors = validate_case(read.result.data)
    return CaseFacts(path.name, read.encoding, doc=read.result, view=view,
                     field_errors=tuple(errors))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``case.yaml``, generated from :class:`Case`."""
    schema = Case.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://coursecheck.invalid/schemas/case.schema.json", **schema}
