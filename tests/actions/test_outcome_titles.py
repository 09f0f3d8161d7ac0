"""An action made from a workshop outcome takes its first line as a plain title, not Markdown."""

from __future__ import annotations

from cop.actions.outcomes import default_action_title


def test_an_action_made_from_an_outcome_gets_a_plain_title() -> None:
    assert default_action_title("## **Buddy** scheme for [Ghent](https://g.example)\n\nMore") == (
        "Buddy scheme for Ghent"
    )
    assert default_action_title("Plain first line\nsecond") == "Plain first line"
