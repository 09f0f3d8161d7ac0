"""Joint actions: what a community agreed to do, who owns it, by when, how far it got,
and each city's action plan."""
