"""``rules``, ``explain``, ``schema`` and ``doctor``: what coursecheck knows and uses."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from coursecheck.app import LangOpt, app, lang_or_default, usage_error


class ListFormat(StrEnum):
    """Format for ``rules``."""

    text = "text"
    json = "json"


@app.command(epilog="[bold]Examples[/bold]\n\n  coursecheck rules --lang zh\n\n"
                    "  coursecheck rules --format json")
def rules(
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")
                      ] = ListFormat.text,
    lang: LangOpt = None,
) -> None:
    """List every rule with its ID, default severity and summary.  列出全部规则。"""
    from coursecheck.explain import print_rules

    print_rules(format.value, lang_or_default(lang))


@app.command(epilog="[bold]Example[/bold]\n\n  coursecheck explain V104 --lang zh")
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule ID such as V104.")],
    lang: LangOpt = None,
) -> None:
    """Explain one rule: what it checks, why, how to fix it, and examples.  解释一条规则。"""
    from coursecheck.explain import print_explanation

    if not print_explanation(rule_id.upper(), lang_or_default(lang)):
        usage_error(f"unknown rule ID {rule_id!r}; `coursecheck rules` lists them")


class SchemaKind(StrEnum):
    """Which manifest ``schema`` prints."""

    course = "course"
    case = "case"


@app.command(epilog="[bold]Examples[/bold]\n\n  coursecheck schema > schemas/course.schema.json"
                    "\n\n  coursecheck schema --kind case > schemas/case.schema.json")
def schema(
    kind: Annotated[SchemaKind, typer.Option(
        "--kind", help="course (course.yaml) or case (case.yaml, a learning-centre case).")
                    ] = SchemaKind.course,
    lang: LangOpt = None,
) -> None:
    """Print the JSON Schema of course.yaml (or case.yaml) for editors; --lang zh: Chinese titles.

    输出清单（或典型案例 case.yaml）的 JSON Schema。
    """
    import json

    if kind is SchemaKind.case:
        from coursecheck.case import json_schema
    else:
        from coursecheck.manifest import json_schema

    from coursecheck.schemalang import localized

    schema = localized(json_schema(), lang_or_default(lang))
    typer.echo(json.dumps(schema, ensure_ascii=False, indent=2))


@app.command(epilog="[bold]Example[/bold]\n\n  coursecheck doctor --lang en")
def doctor(lang: LangOpt = None) -> None:
    """Show the coursecheck, MediaInfo and ffmpeg it will use, and whether each works.

    检查运行环境。
    """
    from coursecheck.doctor import run_doctor

    raise typer.Exit(run_doctor(lang_or_default(lang)))
