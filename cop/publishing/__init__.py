"""The published toolkit: approved chapters as a static, searchable website anyone may read."""
