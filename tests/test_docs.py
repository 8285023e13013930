"""The README stays true: every command documented, the CI runs the README's test command."""

from __future__ import annotations

import re

from kg.cli import cli


def test_every_cli_command_has_help_and_appears_in_the_readme(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, f"kg {name} has no help text"
        assert f"`kg {name}" in readme, f"kg {name} is not in the README"


def test_ci_runs_the_readme_test_command(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command.strip() in (root / ".ci" / "run").read_text(encoding="utf-8")
