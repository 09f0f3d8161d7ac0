"""Accounts: signing in (with a lockout kept in the database), passwords, invitations, profiles,
the inbox, the admin console's people tools, and a person's rights over their data."""
