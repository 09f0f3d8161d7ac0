"""The hostile-input sweep: every kind of bad input into every create, update and export."""
