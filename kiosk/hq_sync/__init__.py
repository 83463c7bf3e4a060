"""The center side of HQ sync (issue 20, HQ-CONTRACT.md): batches of the center's events and audit rows,
signed with the center's Ed25519 key (keys), built from where HQ stands (batch), pushed by one thread
that always resumes from HQ's acknowledgement (pusher). Outbound only: HQ never connects to a center."""
