// Conciliamo: progressive enhancement for the public pages (placeholder, filled in next).
