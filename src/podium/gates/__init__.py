"""Gates: signed credentials and one scan decision engine for tickets and accreditations.

Pure: no database. A credential is a compact Ed25519-signed payload that a gate verifies
offline against published public keys and a signed revocation list; the same decision
engine answers online from the current state.
"""
