"""Home: my communities with their key figures, my due actions, upcoming workshops, the inbox and activity."""
