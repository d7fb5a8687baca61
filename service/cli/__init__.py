"""The `conciliamo` command (service/cli/main.py) and its groups of subcommands."""
