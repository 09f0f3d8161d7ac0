"""Alembic migrations, shipped inside the package so an install carries them."""
