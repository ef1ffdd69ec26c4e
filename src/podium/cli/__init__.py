"""The `podium` command line."""
