// Conciliamo: the results and detail maps (placeholder, filled in next).
