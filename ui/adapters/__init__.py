"""Qt adapters: device and service callbacks (on their own threads) re-emitted as queued Qt signals."""
