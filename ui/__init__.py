"""PySide6 user interfaces: lobby kiosk, counter screen, counselor desk. The only package that imports Qt."""
