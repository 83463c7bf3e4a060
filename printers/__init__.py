"""Receipt printing (ESC/POS), its spool and emulator, and PDF documents. Imports config (and devices'
serial helpers) only; never kiosk or ui."""
