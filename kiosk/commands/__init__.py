"""CLI subcommands, one module per area; each exposes register(registry). See kiosk/cli.py."""
