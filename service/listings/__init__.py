"""Changes to a listing made through the web: its fields and its schedule."""
