"""Where a build's time goes: `BuildReport.phases`, and `kg build --timings` printing it."""

from __future__ import annotations

import time

from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.phases import phase, recording, table


def test_a_build_reports_the_seconds_of_each_phase(bundled_cards_dir, nlp, tmp_path):
    report = build([bundled_cards_dir], workspace=tmp_path / ".kg", nlp=nlp)
    phases = report.phases
    for name in ("read decks", "cache keys", "extract", "count mentions", "count pairs",
                 "importance and communities", "write workspace"):
        assert phases[name] >= 0 and name in phases.cpu, name
    assert list(phases)[0] == "read decks" and list(phases)[-1] == "write workspace"
    assert sum(phases.values()) <= report.seconds


def test_a_phase_timed_twice_adds_up_and_nothing_is_recorded_outside_a_recording():
    with phase("outside"):
        pass
    with recording() as phases:
        for _ in range(2):
            with phase("sleep"):
                time.sleep(0.01)
    assert list(phases) == ["sleep"] and phases["sleep"] >= 0.02
    assert phases.cpu["sleep"] < phases["sleep"]  # sleeping costs no CPU
    lines = table(phases, 0.05, phases.cpu).splitlines()
    assert lines[0].startswith("sleep") and "CPU" in lines[0]
    assert lines[1].startswith("other")


def test_kg_build_timings_prints_the_phase_table(bundled_cards_dir, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(bundled_cards_dir), "-w", str(tmp_path / ".kg"), "--timings"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = {line.split("  ")[0] for line in result.output.splitlines()}
    assert {"read decks", "extract", "write workspace"} <= shown
