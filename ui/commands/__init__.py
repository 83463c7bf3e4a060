"""Qt CLI commands, registered by kiosk.cli (the composition root)."""
