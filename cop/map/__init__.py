"""The map: member cities, partners, workshops, visits and practices on a shipped outline of Europe."""
