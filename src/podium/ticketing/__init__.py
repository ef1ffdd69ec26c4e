"""Digital ticketing: inventory, draw, sale without oversell, tickets, transfer and resale."""
