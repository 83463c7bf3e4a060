"""HQ: one PostgreSQL service that every center's hub pushes its domain events and audit chain to.

The wire contract is issue 20's (briefs: HQ sync contract): signed batches, contiguous per-center
sequences, acknowledged as the highest contiguous seq HQ holds. This package never imports the hub:
HQ and a center share nothing but the contract and db.audit's hash definition.
"""
