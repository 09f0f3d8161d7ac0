"""The Profile page's calendar subscription panel."""
