"""What every layer shares: the data model, vocabularies, messages, settings, the database
and outbox recording, and place look-ups. Imports nothing from importers, search or service."""
