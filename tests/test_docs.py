"""The documentation cannot go stale silently: generated rule pages, links, README commands."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from coursecheck.ruledocs import all_pages, page_path
from coursecheck.rules import REGISTRY
from tests.helpers import run_cli
from tests.test_reporters import sarif_validator

ROOT = Path(__file__).resolve().parent.parent
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^(```+|~~~+)")
_RUN = re.compile(r"<!--\s*run\s*-->\s*\n(```+)[^\n]*\n(.*?)\n\1", re.S)


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _outside_code(text: str) -> str:
    """``text`` with fenced code blocks and inline code blanked out."""
    kept, fence = [], ""
    for line in text.splitlines():
        match = _FENCE.match(line.lstrip())
        if match and (not fence or match.group(1).startswith(fence)):
            fence = "" if fence else match.group(1)
            continue
        kept.append("" if fence else re.sub(r"`[^`]*`", "", line))
    return "\n".join(kept)


def test_every_rule_page_is_as_the_registry_generates_it() -> None:
    stale = [path for path, text in all_pages().items()
             if not (ROOT / path).is_file() or (ROOT / path).read_text("utf-8") != text]
    assert not stale, f"run `make docs` and commit: {stale[:5]}"


def test_no_rule_page_is_left_over_from_a_removed_rule() -> None:
    pages = set(all_pages())
    extra = [p.relative_to(ROOT).as_posix() for p in (ROOT / "docs/rules").rglob("*.md")
             if p.relative_to(ROOT).as_posix() not in pages]
    assert not extra


def test_each_rule_has_a_page_in_both_languages_that_names_its_fix() -> None:
    for rule_id, rule in REGISTRY.items():
        for lang in ("zh", "en"):
            text = (ROOT / page_path(rule_id, lang)).read_text("utf-8")
            assert text.startswith(f"# {rule_id}: ")
            assert rule.doc_in(lang).fix.splitlines()[0].strip() in text


def test_every_relative_link_in_the_docs_resolves() -> None:
    broken = []
    for md in _markdown_files():
        for match in _LINK.finditer(_outside_code(md.read_text("utf-8"))):
            target = (match.group(1) or match.group(2)).split("#", 1)[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                continue
            if not (md.parent / target).exists():
                broken.append(f"{md.relative_to(ROOT)} -> {target}")
    assert not broken, broken


def test_the_link_checker_notices_a_broken_link(tmp_path: Path) -> None:
    text = "[ok](a.md) [gone](missing.md) `[code](nowhere.md)`\n```\n[x](nope.md)\n```\n"
    targets = [m.group(1) for m in _LINK.finditer(_outside_code(text))]
    assert targets == ["a.md", "missing.md"]


def _runnable_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = []
    for block in _RUN.finditer(readme):
        for line in block.group(2).splitlines():
            line = line.split("  #", 1)[0].strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def test_the_readme_marks_commands_as_runnable() -> None:
    assert len(_runnable_commands()) >= 5


@pytest.mark.parametrize("command", _runnable_commands())
def test_a_readme_command_runs_on_the_sample_courses(command: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sample_courses", tmp_path / "sample_courses")
    argv = shlex.split(command)
    if argv[0].endswith("coursecheck"):
        argv = [sys.executable, "-m", "coursecheck", *argv[1:]]
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "COURSECHECK_LANG": "en"})
    assert done.returncode in (0, 1), (command, done.stderr[-2000:])
    assert "Traceback" not in done.stderr


def test_explain_names_the_rule_page_in_the_repository() -> None:
    run = run_cli("explain", "V104", "--lang", "zh")
    assert run.exit_code == 0
    assert run.stdout.rstrip().endswith("说明页：docs/rules/zh/V104.md")
    assert (ROOT / "docs/rules/zh/V104.md").is_file()


def test_explain_links_under_the_configured_base_url(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".coursecheck.yaml").write_text(
        "docs_base_url: https://docs.example.org/coursecheck/\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = run_cli("explain", "C101", "--lang", "en")
    assert run.stdout.rstrip().endswith(
        "Documentation page: https://docs.example.org/coursecheck/docs/rules/en/C101.md")


def _sarif_rules(*config: str) -> tuple[int, list[dict[str, Any]]]:
    import json

    run = run_cli("check", ROOT / "sample_courses/needs-work", "--format", "sarif",
                  "--lang", "en", *config)
    log = json.loads(run.stdout)
    sarif_validator().validate(log)
    return run.exit_code, log["runs"][0]["tool"]["driver"]["rules"]


def test_sarif_rules_name_their_page_and_link_it_only_under_a_base_url(tmp_path: Path) -> None:
    code, rules = _sarif_rules()
    assert code == 1 and rules
    for rule in rules:
        assert "helpUri" not in rule  # SARIF wants an absolute URI there
        assert rule["properties"]["helpPage"] == f"docs/rules/en/{rule['id']}.md"
        assert (ROOT / rule["properties"]["helpPage"]).is_file()
    config = tmp_path / "c.yaml"
    config.write_text("docs_base_url: https://docs.example.org/cc\n", encoding="utf-8")
    code, rules = _sarif_rules("--config", str(config))
    assert code == 1
    assert {r["helpUri"] for r in rules} == {
        f"https://docs.example.org/cc/docs/rules/en/{r['id']}.md" for r in rules}


def test_a_docs_base_url_that_is_not_a_web_address_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("docs_base_url: ../docs\n", encoding="utf-8")
    run = run_cli("check", ROOT / "sample_courses/good-course", "--config", str(config))
    assert run.exit_code == 2 and "docs_base_url" in run.stderr


def test_chinese_pages_are_not_hard_wrapped() -> None:
    """A line break between two Chinese characters shows as a space in browsers (GitHub,
    Gitee): ``scripts/unwrap_zh.py`` joins them; run it when this fails."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "unwrap_zh.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
