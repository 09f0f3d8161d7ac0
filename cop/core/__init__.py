"""The core every capability stands on: settings, the database, time, errors, messages,
validation, translations, passwords, safe Markdown, permissions, versioned records and the audit trail.

It imports no capability (an import-linter contract in pyproject.toml says so).
"""
