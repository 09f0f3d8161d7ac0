"""The whole workspace at once: a database-neutral backup archive and its restore, and filling an
empty workspace (the demo from data/demo.yaml, or generated data for benchmarks) through every capability's steps."""
