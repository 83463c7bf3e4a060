"""Emulators used by the demo and the tests: the virtual scanner and the virtual ePassport."""
