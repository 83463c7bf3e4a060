"""The customer-facing counter screen: pair with a desk, show pushed documents whole, sign, confirm, wipe."""
