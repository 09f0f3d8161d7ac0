"""The hostile-input sweep: every kind of bad input into every create and update service and export."""
