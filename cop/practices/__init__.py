"""Good practices to be inspired by, the standards a community agreed to approach, and its
cities' self-assessments against them; practices and standards share one review workflow."""
