"""Search: one index across workshops, actions, practices, standards and chapter sections."""
