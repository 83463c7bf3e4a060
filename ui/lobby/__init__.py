"""The lobby kiosk: a calm touch UI in Korean (and English) for walk-ins, with voice, large text,
high contrast and a privacy wipe. Qt lives here only; the visit itself is ``kiosk.visit``."""
