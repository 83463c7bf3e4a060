"""Kiosk widgets: big touch buttons, the amount keypad, verdict cards, progress dots, the idle overlay."""
