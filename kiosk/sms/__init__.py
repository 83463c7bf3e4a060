"""SMS: one gateway interface (`gateway`), an SMPP 3.4 and a Korean HTTP backend, their emulators, and the
message outbox that makes every message go at least once and reach a person at most once."""
