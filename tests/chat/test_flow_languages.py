"""Languages beyond English and Welsh live one per file beside the flow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from intake.chat.flow import FLOWS_DIR, FlowError, language_maps, load_flow

BASE = FLOWS_DIR / "young_people.yaml"


def _copy(tmp_path: Path, *languages: str) -> Path:
    target = tmp_path / "young_people.yaml"
    shutil.copy(BASE, target)
    (tmp_path / "young_people").mkdir()
    for code in languages:
        shutil.copy(FLOWS_DIR / "young_people" / f"{code}.yaml", tmp_path / "young_people")
    return target


OTHERS = ("pl", "ro", "pa", "ur", "bn", "ar", "pt", "so")


def test_a_listed_language_without_its_file_is_reported_not_dropped(tmp_path):
    """Losing a file must not quietly take a language away from young people."""
    target = _copy(tmp_path, *(code for code in OTHERS if code != "ar"))

    with pytest.raises(FlowError) as raised:
        load_flow(target)
    assert "language_names: no name for 'ar'" in str(raised.value)
    assert "node 'intent' text: no text in 'ar'" in str(raised.value)


def test_a_language_file_adds_every_text_and_word_list(tmp_path):
    flow = load_flow(_copy(tmp_path, *OTHERS))

    assert flow.languages == ("en", "cy", *OTHERS)
    assert flow.language_names["pl"] == "Polski"
    raw = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    overlay = yaml.safe_load((FLOWS_DIR / "young_people" / "pl.yaml").read_text("utf-8"))
    wanted = {"/".join(path) for path, _texts in language_maps(raw)} - {"language_names"}
    assert set(overlay["entries"]) == wanted
    assert flow.texts["safety"]["pl"] == overlay["entries"]["texts/safety"]
    assert flow.texts["safety"]["pl"] != flow.texts["safety"]["en"]


def test_a_file_for_a_language_the_flow_does_not_list_is_refused(tmp_path):
    target = _copy(tmp_path, *OTHERS)
    (tmp_path / "young_people" / "pl.yaml").rename(tmp_path / "young_people" / "lt.yaml")
    text = (tmp_path / "young_people" / "lt.yaml").read_text("utf-8")
    (tmp_path / "young_people" / "lt.yaml").write_text(text.replace("language: pl", "language: lt"))

    with pytest.raises(FlowError, match="lt is not in the flow's languages"):
        load_flow(target)


def test_a_language_file_missing_a_text_fails_the_flow_check(tmp_path):
    target = _copy(tmp_path, *OTHERS)
    path = tmp_path / "young_people" / "pl.yaml"
    overlay = yaml.safe_load(path.read_text("utf-8"))
    del overlay["entries"]["texts/safety"]
    path.write_text(yaml.safe_dump(overlay, allow_unicode=True), "utf-8")

    with pytest.raises(FlowError, match="safety"):
        load_flow(target)
