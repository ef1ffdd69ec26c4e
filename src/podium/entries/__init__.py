"""Sport entries: NOCs enter athletes and teams into events within quotas and deadlines."""
