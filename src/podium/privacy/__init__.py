"""The privacy and sovereignty spine: operators, policy, audit log, field encryption.

Knows no competition domain: it protects whatever the catalog (`podium.core.categories`)
calls personal. Modules: `regions` (operator home country → EU/EEA, adequacy or third
country), `policy` (the one policy decision point), `audit` (hash-chained log with
signed checkpoints), `keys` and `fields` (per-subject data keys, AES-GCM field
encryption, crypto-shredding), `operators` (accounts, API tokens), `sessions` (staff
sign-in sessions).
"""
