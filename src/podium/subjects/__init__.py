"""Data-subject rights (GDPR Art. 15–21), retention and the records of processing."""
