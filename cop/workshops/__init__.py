"""Workshops and study visits hosted in turn by member cities: their lifecycle (planned, held,
closed), agenda, attendance, typed outcomes, attachments, and the list, calendar and exports."""
