"""Families' reports of mistakes in a listing, and the operators' review of them."""
