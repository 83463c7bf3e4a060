"""Device drivers and their emulators. Imports config only; never kiosk or ui."""
