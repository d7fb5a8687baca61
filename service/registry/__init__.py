"""The babysitter registry: operators' moderation, and babysitters' own applications."""
