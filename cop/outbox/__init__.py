"""The outbox: every e-mail the workspace sends, as rows written with the change that caused them."""
