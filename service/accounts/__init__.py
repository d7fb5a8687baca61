"""People who sign in: accounts, passwords, one-time links, what each may change, and the
audit log. No web code here: service/web/ turns these into sessions, guards and pages."""
