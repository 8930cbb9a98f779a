"""Unit and property tests of the pure pieces: YAML loading, counting, registry, catalogs."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursecheck import messages
from coursecheck.findings import Severity
from coursecheck.rules import REGISTRY
from coursecheck.rules.base import Rule, RuleDoc, Scope, register
from coursecheck.text import char_count, format_duration
from coursecheck.yamlload import YamlDoc, YamlError, decode, load_yaml


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_load_yaml_never_raises(text: str) -> None:
    assert isinstance(load_yaml(text), YamlDoc | YamlError)


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_decode_never_raises(raw: bytes) -> None:
    decode(raw)


def test_line_map_points_at_keys_and_items() -> None:
    doc = load_yaml("name: a\nlessons:\n  - title: x\n    file: y\n  - title: z\n")
    assert isinstance(doc, YamlDoc)
    assert doc.line_of(("lessons", 1, "title")) == 5
    assert doc.line_of(("lessons", 0, "file")) == 4
    assert doc.line_of(("lessons", 0, "missing")) == 3  # nearest ancestor
    assert doc.line_of(("nothing",)) == 1


def test_recursive_alias_is_refused() -> None:
    result = load_yaml("a: &x [*x]\n")
    assert isinstance(result, YamlError)


def test_merge_keys_are_not_duplicates() -> None:
    result = load_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert isinstance(result, YamlDoc) and result.data["other"] == {"x": 1, "y": 2}


def test_gbk_bytes_decode_as_gb18030() -> None:
    decoded = decode("name: 老年智慧生活\n".encode("gbk"))
    assert not isinstance(decoded, YamlError)
    assert decoded.encoding == "gb18030" and "老年智慧生活" in decoded.text


@pytest.mark.parametrize(("text", "count"), [("课程", 2), ("  A课。 \n", 3), ("ｅ", 1),
                                             ("e\u0301", 1), ("", 0)])
def test_char_count_examples(text: str, count: int) -> None:
    assert char_count(text) == count


@given(st.text())
def test_char_count_ignores_surrounding_space_and_normal_form(text: str) -> None:
    assert char_count(f"  {text}\n") == char_count(text)
    assert char_count(unicodedata.normalize("NFD", text)) == char_count(text)


@pytest.mark.parametrize(("seconds", "shown"), [(0, "0:00.000"), (183.04, "3:03.040"),
                                                (900.0, "15:00.000"), (61.9996, "1:02.000")])
def test_duration_format(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


def test_registry_refuses_a_duplicate_rule_id() -> None:
    doc = RuleDoc("w", "y", "f", "g", "b")
    clone = Rule("V104", Severity.ERROR, Scope.LESSON, {"en": "x", "zh": "x"},
                 {"en": doc, "zh": doc}, REGISTRY["V104"].check)
    with pytest.raises(ValueError, match="duplicate rule ID V104"):
        register(clone)


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_every_rule_is_documented_in_both_languages(rule_id: str) -> None:
    rule = REGISTRY[rule_id]
    for lang in ("en", "zh"):
        doc = rule.doc_in(lang)
        assert all((doc.what, doc.why, doc.fix, doc.good, doc.bad))
        assert rule.summary_in(lang)
        assert any(key == rule_id or key.startswith(rule_id + ".")
                   for key in messages.CATALOGS[lang]), f"no {lang} message for {rule_id}"


def test_catalogs_have_the_same_keys() -> None:
    assert set(messages.CATALOGS["en"]) == set(messages.CATALOGS["zh"])
    assert set(messages.UI["en"]) == set(messages.UI["zh"])


def test_video_fix_docs_give_an_ffmpeg_command() -> None:
    for rule_id in ("V101", "V103", "V104", "V105", "V106", "V107", "V201", "V202", "V203",
                    "V205"):
        assert "ffmpeg " in REGISTRY[rule_id].doc_in("en").fix, rule_id
