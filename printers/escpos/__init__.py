"""ESC/POS receipt printing: models, Hangul, templates, transport, health, spool and the emulator."""
