"""Exports: document model, Markdown, HTML, DOCX, PDF, charts, CSV and iCalendar."""
