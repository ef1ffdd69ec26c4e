"""Signed credentials and the zone access decision, shared by accreditation and tickets.

Pure: no database. A credential is a compact Ed25519-signed payload that a gate verifies
offline against published public keys and a signed revocation list.
"""
