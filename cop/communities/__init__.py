"""Communities of Practice, their member organisations (cities, networks, NGOs, volunteer centres),
their people and who holds which role where."""
