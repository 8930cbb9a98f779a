"""The ``course.yaml`` manifest: pydantic models (the one source of truth) and :func:`validate`.

The models describe the *shape* of a manifest: which keys exist, their types, which are required.
What the guide demands of the *values* (intro length, the ten themes, the date, the promises) are
rules in :mod:`coursecheck.rules`, so that each gets its own ID and message.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from coursecheck.spec import DECLARATIONS, LEVEL_WORDS, LEVELS, THEMES

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


# A phone is text. Unquoted, YAML 1.1 reads 02164321765 as the octal number 298951669, so a
# number is refused (C003 says to quote it) rather than turned back into digits.
Phone = str


def _calendar_date(value: Any) -> Any:
    """Only a real date: YAML's ``2023-03-15``, or text in one unambiguous form:
    ``2023-03-15``, ``2023-3-15``, ``2023/3/15``, ``2023.3.15`` or ``2023年3月15日``.

    Pydantic would otherwise take ``1678838400`` as a Unix timestamp.
    """
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date like 2023-03-15, not a date and time")
    if isinstance(value, dt.date):
        return value
    match = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError("expected a date like 2023-03-15")
    month, day = match["m"] or match["cm"], match["d"] or match["cd"]
    return dt.date(int(match["y"]), int(month), int(day))


_DATE = re.compile(r"(?P<y>\d{4})(?:(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
                   r"|\s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*日?)")


CalendarDate = Annotated[dt.date, BeforeValidator(_calendar_date)]

# 附件3 注: the province lists its projects in the order it recommends them; 1 comes first.
RecommendationOrder = Annotated[StrictInt, Field(
    gt=0, description="推荐顺序（正整数，1 为最先推荐） Recommendation order in the province's "
                      "summary table: 1, 2, 3, …")]


def _level_words(value: Any) -> Any:
    """Half-width brackets and commas as the annex's full-width ones, spaces trimmed."""
    if not isinstance(value, str):
        return value
    return value.strip().translate(_HALF_TO_FULL)


_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ",": "、", "，": "、"})


Level = Annotated[
    Literal["county", "township", "village", *LEVEL_WORDS],  # type: ignore[valid-type]
    BeforeValidator(_level_words), AfterValidator(lambda v: LEVEL_WORDS.get(v, v))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Instructor(_Strict):
    """授课人: the instructor's name and a short introduction (≤100 字)."""

    name: Text = Field(description="授课人姓名 Instructor name")
    intro: Text = Field(description="授课人简介，100 字以内 Instructor intro, ≤100 characters",
                        json_schema_extra={"maxLength": 100})


class Contact(_Strict):
    """联系人: the person the province's summary table names."""

    name: Text | None = Field(None, description="联系人 Contact name")
    phone: Phone | None = Field(None, description="联系电话，须加引号 Phone, in quotes: "
                                                 "\"13800138000\", \"010-66097008\"")


class Declarations(_Strict):
    """The three promises of 附件2. Each must be ``true``."""

    public_welfare: StrictBool | None = Field(None, description=DECLARATIONS["public_welfare"])
    no_copyright_dispute: StrictBool | None = Field(
        None, description=DECLARATIONS["no_copyright_dispute"])
    open_sharing_consent: StrictBool | None = Field(
        None, description=DECLARATIONS["open_sharing_consent"])


class Lesson(_Strict):
    """One micro-lesson (微课): a title and an MP4 file relative to the course folder."""

    title: Text = Field(description="微课标题 Lesson title")
    file: Text = Field(description="视频文件（相对路径） Video file, relative to the course")
    knowledge_point: str | None = Field(None, description="知识点（技能点） Knowledge point")


class Manifest(_Strict):
    """社区教育品牌课程 course manifest (course.yaml), after 附件2 of the 2023 guide."""

    model_config = ConfigDict(title="coursecheck course manifest (course.yaml)")

    name: Text = Field(description="课程名称 Course name")
    theme: Text = Field(description="课程主题，十个之一 One of the ten official themes",
                        json_schema_extra={"enum": list(THEMES)})
    intro: Text = Field(description="课程简介，100 字以内 Course intro, at most 100 characters",
                        json_schema_extra={"maxLength": 100})
    created: CalendarDate = Field(
        description="课程资源建设日期，须在 2022-06-01 之后 Creation date (YYYY-MM-DD)")
    instructor: Instructor
    cover: Text = Field(description="首页图片 Cover image (JPEG or PNG), relative path")
    level: Level | None = Field(
        None, description="所处层级 " + " / ".join(f"{k}={v}" for k, v in LEVELS.items())
        + "；也可直接写附件3的用语 or the annex's own words")
    province: Text | None = Field(None, description="省份 Province, e.g. 浙江省")
    institution: Text | None = Field(None, description="申报单位 Institution")
    contact: Contact | None = None
    recommendation_order: RecommendationOrder | None = None
    declarations: Declarations | None = Field(None, description="承诺 The three declarations")
    lessons: list[Lesson] = Field(description="微课列表，按教学顺序 Lessons in teaching order")


@dataclass(frozen=True, slots=True)
class LessonEntry:
    """A lesson that validated, with its position in the manifest's list."""

    index: int
    lesson: Lesson


@dataclass(frozen=True, slots=True)
class FieldError:
    """One shape problem: the field path, a kind from pydantic, and a hint for the message."""

    path: tuple[str | int, ...]
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class ManifestView:
    """What rules see: every field that validated, ``None`` for the others, and the raw data.

    A manifest with one bad field still has its other fields checked.
    """

    raw: Mapping[str, Any]
    name: str | None = None
    theme: str | None = None
    intro: str | None = None
    created: dt.date | None = None
    instructor: Instructor | None = None
    cover: str | None = None
    level: str | None = None
    province: str | None = None
    institution: str | None = None
    contact: Contact | None = None
    recommendation_order: int | None = None
    declarations: Declarations | None = None
    lessons: tuple[LessonEntry, ...] = ()
    lesson_count: int = 0


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(Manifest.model_fields[name].rebuild_annotation())


def validate(data: Mapping[str, Any]) -> tuple[ManifestView, list[FieldError]]:
    """Validate field by field; return the view of what is valid and the located errors."""
    try:
        whole = Manifest.model_validate(data)
    except ValidationError as exc:
        errors = [_field_error(err) for err in exc.errors(include_url=False)]
    else:  # the usual case: every field is valid, so nothing needs validating again
        fields = {name: getattr(whole, name) for name in Manifest.model_fields if name in data}
        fields["lessons"] = tuple(LessonEntry(i, lesson) for i, lesson in enumerate(whole.lessons))
        return ManifestView(raw=data, lesson_count=len(whole.lessons), **fields), []
    bad_top = {e.path[0] for e in errors if e.path}
    values: dict[str, Any] = {}
    for name in Manifest.model_fields:
        if name in data and name not in bad_top:
            values[name] = _adapter(name).validate_python(data[name])
        elif name in data and name in _PARTS:
            values[name] = _valid_part(_PARTS[name], data[name])
    raw_lessons = data.get("lessons")
    entries: list[LessonEntry] = []
    if isinstance(raw_lessons, list):
        for index, item in enumerate(raw_lessons):
            lesson = _lesson_for_checking(item)
            if lesson is not None:
                entries.append(LessonEntry(index, lesson))
    values["lessons"] = tuple(entries)
    count = len(raw_lessons) if isinstance(raw_lessons, list) else 0
    return ManifestView(raw=data, lesson_count=count, **values), errors


# The blocks of the manifest that keep their valid keys when one key is wrong, so a mistyped
# phone does not also lose the contact's name.
_PARTS: dict[str, type[BaseModel]] = {"contact": Contact}  # every key optional


def _valid_part(model: type[BaseModel], raw: Any) -> BaseModel | None:
    """``model`` built from the keys of ``raw`` that are valid on their own, or ``None``."""
    if not isinstance(raw, dict):
        return None
    good: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        if key in raw:
            try:
                good[key] = _adapter_for(info.rebuild_annotation()).validate_python(raw[key])
            except ValidationError:
                continue
    return model.model_construct(**good)


def _lesson_for_checking(item: Any) -> Lesson | None:
    """The lesson, or, when only its other keys are wrong, a lesson with its title and file.

    A typo in an optional key (reported by C003) must not hide the lesson's video from the
    video rules; only an entry without a usable ``file`` is left out.
    """
    try:
        return Lesson.model_validate(item)
    except ValidationError:
        pass
    if not isinstance(item, dict):
        return None
    text = _adapter_for(Text)
    try:
        file = text.validate_python(item.get("file"))
    except ValidationError:
        return None
    try:
        title = text.validate_python(item.get("title"))
    except ValidationError:
        title = ""
    return Lesson.model_construct(title=title, file=file, knowledge_point=None)


@cache
def _adapter_for(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _field_error(err: Mapping[str, Any], model: type[BaseModel] | None = None) -> FieldError:
    path = tuple(p for p in err["loc"] if isinstance(p, str | int))
    kind = str(err["type"])
    detail = str(err.get("msg", ""))
    if kind == "extra_forbidden" and path:
        detail = suggest_field(path, model or Manifest)
    return FieldError(path, kind, detail)


def field_errors(exc: ValidationError, model: type[BaseModel]) -> list[FieldError]:
    """The located errors of a failed validation of ``model``."""
    return [_field_error(err, model) for err in exc.errors(include_url=False)]


def suggest_field(path: tuple[str | int, ...], model: type[BaseModel] | None = None) -> str:
    """The closest known field name to an unknown key (of ``model``, by default the course
    manifest), or an empty string."""
    model = model or Manifest
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields.get(part)
        target = _model_in(annotation.annotation if annotation else None)
        if target is None:
            return ""
        model = target
    known = {name: name for name in model.model_fields}
    known.update({alias: name for alias, name in _ALIASES.items() if name in known})
    close = difflib.get_close_matches(str(path[-1]).lower(), list(known), n=1, cutoff=0.6)
    return known[close[0]] if close else ""


# Words authors reach for instead of the manifest's field names.
_ALIASES = {
    "introduction": "intro", "description": "intro", "summary": "intro", "teacher": "instructor",
    "lecturer": "instructor", "title": "name", "course_name": "name", "topic": "theme",
    "subject": "theme", "date": "created", "created_at": "created", "image": "cover",
    "cover_image": "cover", "video": "file", "path": "file", "videos": "lessons",
    "micro_lessons": "lessons", "knowledge": "knowledge_point", "school": "institution",
    "organisation": "institution", "organization": "institution", "tel": "phone",
    "telephone": "phone", "mobile": "phone",
}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``course.yaml``, generated from :class:`Manifest`."""
    schema = Manifest.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://coursecheck.invalid/schemas/course.schema.json", **schema}
