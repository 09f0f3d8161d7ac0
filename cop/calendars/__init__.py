"""Calendars: each person's private subscription feed of their communities' workshops."""
