"""The leeragenda: lessons that regions share about what worked and what failed (#19)."""
