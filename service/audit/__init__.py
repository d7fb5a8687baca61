"""The audit log: recording who changed what, field by field, and reading it back."""
