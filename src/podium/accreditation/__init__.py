"""Accreditation: responsible organisations, quotas, lifecycle, vetting, credentials, cards."""
